// Runs the built `proclab` as a separate program and collects its exit status and output.
// The end-to-end tests never fork the (multi-threaded) test runner: Foundation's Process spawns.
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

struct ProclabRunError: Error, CustomStringConvertible {
  let description: String
}

/// The `proclab` executable under test: `$PROCLAB_BIN` when set, else the one SwiftPM built next
/// to the test bundle (`.build/debug/proclab` beside `.build/debug/proclabPackageTests.xctest`).
func proclabExecutable() throws -> URL {
  let environment = ProcessInfo.processInfo.environment
  if let path = environment["PROCLAB_BIN"], !path.isEmpty {
    return URL(fileURLWithPath: path)
  }
  // On Linux the runner is the .xctest file itself (arguments[0]); on Darwin it is xctest, and
  // the bundle sits among the loaded bundles. Both are in the products directory.
  var candidates: [URL] = []
  if let first = CommandLine.arguments.first {
    candidates.append(URL(fileURLWithPath: first).deletingLastPathComponent())
  }
  if let executable = Bundle.main.executableURL {
    candidates.append(executable.deletingLastPathComponent())
  }
  for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
    candidates.append(bundle.bundleURL.deletingLastPathComponent())
  }
  for directory in candidates {
    let binary = directory.appendingPathComponent("proclab")
    if FileManager.default.isExecutableFile(atPath: binary.path) {
      return binary
    }
  }
  throw ProclabRunError(
    description: "proclab binary not found (set PROCLAB_BIN); looked in "
      + candidates.map(\.path).joined(separator: ", "))
}

/// The package's root directory (where `samples/` lives), found from this source file's path.
func packageRoot() -> URL {
  URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // Support
    .deletingLastPathComponent()  // ProcLabEndToEndTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()
}

/// Runs `proclab args...` with `stdin` as its standard input (none: /dev/null) and returns its
/// exit status (a signal number as 128+N) and everything it wrote. On timeout it kills proclab and
/// every process it started, and throws with the output so far.
func runProclab(
  _ args: [String], stdin: String? = nil, timeout: Double = 30, environment: [String: String] = [:], executable: URL? = nil
) throws -> (
  status: Int32, stdout: String, stderr: String
) {
  let process = Process()
  process.executableURL = try executable ?? proclabExecutable()
  process.arguments = args
  if !environment.isEmpty {
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
  }
  process.currentDirectoryURL = packageRoot()
  let outPipe = Pipe()
  let errPipe = Pipe()
  process.standardOutput = outPipe
  process.standardError = errPipe
  let inPipe: Pipe?
  if stdin != nil {
    inPipe = Pipe()
    process.standardInput = inPipe
  } else {
    inPipe = nil
    process.standardInput = FileHandle.nullDevice
  }

  let exited = DispatchSemaphore(value: 0)
  process.terminationHandler = { _ in exited.signal() }
  let stdoutReader = PipeReader(outPipe.fileHandleForReading)
  let stderrReader = PipeReader(errPipe.fileHandleForReading)
  try process.run()
  // Our copies of the child's ends: while open, the readers would never see end of file.
  try? outPipe.fileHandleForWriting.close()
  try? errPipe.fileHandleForWriting.close()
  if let inPipe, let stdin {
    let handle = inPipe.fileHandleForWriting
    // A writer thread, so a program that does not read its input cannot block us.
    Thread.detachNewThread {
      handle.write(Data(stdin.utf8))
      try? handle.close()
    }
    try? inPipe.fileHandleForReading.close()
  }

  let deadline = DispatchTime.now() + timeout
  if exited.wait(timeout: deadline) == .timedOut {
    killTree(process.processIdentifier)
    exited.wait()
    _ = stdoutReader.wait(until: .now() + 2)
    _ = stderrReader.wait(until: .now() + 2)
    throw ProclabRunError(
      description: "proclab \(args.joined(separator: " ")) still running after \(timeout) s; "
        + "killed\n--- stdout ---\n\(stdoutReader.text)\n--- stderr ---\n\(stderrReader.text)")
  }
  let status: Int32 =
    process.terminationReason == .uncaughtSignal
    ? 128 + process.terminationStatus : process.terminationStatus
  // End of file comes when every holder of the pipes is gone, proclab's children included.
  guard stdoutReader.wait(until: deadline), stderrReader.wait(until: deadline) else {
    throw ProclabRunError(
      description: "proclab \(args.joined(separator: " ")) exited (\(status)) but something it "
        + "started still holds its output open after \(timeout) s\n--- stdout ---\n"
        + "\(stdoutReader.text)\n--- stderr ---\n\(stderrReader.text)")
  }
  return (status, stdoutReader.text, stderrReader.text)
}

/// Reads a pipe to its end on a thread of its own, so a full stderr cannot block stdout.
private final class PipeReader: @unchecked Sendable {
  private let lock = NSLock()
  private var data = Data()
  private let done = DispatchSemaphore(value: 0)

  init(_ handle: FileHandle) {
    Thread.detachNewThread { [self] in
      while true {
        let chunk = handle.availableData  // empty only at end of file
        if chunk.isEmpty { break }
        lock.lock()
        data.append(chunk)
        lock.unlock()
      }
      done.signal()
    }
  }

  /// True when the pipe reached end of file before `deadline`.
  func wait(until deadline: DispatchTime) -> Bool {
    guard done.wait(timeout: deadline) == .success else { return false }
    done.signal()  // later waits return at once
    return true
  }

  var text: String {
    lock.lock()
    defer { lock.unlock() }
    return String(decoding: data, as: UTF8.self)
  }
}

/// SIGKILLs `root` and all its descendants, found through /proc. proclab puts each child in a
/// process group of its own, so killing proclab's group would not reach them.
private func killTree(_ root: Int32) {
  var victims = [root]
  var index = 0
  let children = childrenByParent()
  while index < victims.count {
    victims += children[victims[index]] ?? []
    index += 1
  }
  for pid in victims.reversed() {
    kill(pid, SIGKILL)
  }
}

private func childrenByParent() -> [Int32: [Int32]] {
  var result: [Int32: [Int32]] = [:]
  let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
  for entry in entries {
    guard let pid = Int32(entry),
      let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { continue }
    // After "pid (comm)" come the state and the parent's pid; comm itself may hold spaces.
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    if fields.count > 1, let parent = Int32(fields[1]) {
      result[parent, default: []].append(pid)
    }
  }
  return result
}

/// Runs `proclab -c SCRIPT`.
func proclab(_ script: String, timeout: Double = 30, environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
  try runProclab(["-c", script], timeout: timeout, environment: environment)
}

/// Runs `bash -c COMMAND` with `$PROCLAB` naming the proclab under test: for limits set with
/// `ulimit` and for pipelines (`$PROCLAB -c ... | head -1`).
func bash(_ command: String, timeout: Double = 30) throws -> (status: Int32, stdout: String, stderr: String) {
  try runProclab(
    ["-c", command], timeout: timeout, environment: ["PROCLAB": try proclabExecutable().path],
    executable: URL(fileURLWithPath: "/bin/bash"))
}

/// Runs `proclab -c SCRIPT`, which must pass its own `expect`s, and returns its output lines.
func passingLines(
  _ script: String, timeout: Double = 30, file: StaticString = #filePath, line: UInt = #line
) throws -> [String] {
  let result = try proclab(script, timeout: timeout)
  XCTAssertEqual(
    result.status, 0, "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr)", file: file, line: line)
  return result.stdout.split(separator: "\n").map(String.init)
}
