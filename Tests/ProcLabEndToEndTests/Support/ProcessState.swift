// Helpers for tests that check real processes: whether a PID is gone, temporary files, and a
// proclab started in the background so that a test can signal it while it runs.
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The kernel's one-letter state of `pid` (R, S, T, Z, ...), or nil when there is no such process.
func kernelState(of pid: Int32) -> Character? {
  guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
    let close = stat.lastIndex(of: ")")
  else { return nil }
  // "pid (comm) S ...": comm may hold spaces and parentheses, so look after the last ')'.
  return stat[stat.index(after: close)...].first { $0 != " " }
}

/// Gone means no /proc entry, or dead and only waiting to be reaped (Z, X): PID 1 reaps orphans
/// late on these machines, so kill(pid, 0) would still find them.
func isGone(_ pid: Int32) -> Bool {
  guard let state = kernelState(of: pid) else { return true }
  return state == "Z" || state == "X"
}

/// Polls `condition` every 20 ms until it holds or `seconds` pass; returns whether it held.
func eventually(within seconds: Double, _ condition: () -> Bool) -> Bool {
  let deadline = Date().addingTimeInterval(seconds)
  while !condition() {
    if Date() >= deadline { return false }
    usleep(20_000)
  }
  return true
}

/// A fresh path in this test run's private directory (made by mkdtemp, mode 0700, so nobody
/// can plant a file or a symlink there first); nothing is created at the path itself.
func temporaryPath(_ name: String) -> String {
  privateTestDirectory + "/\(UUID().uuidString.prefix(8))-\(name)"
}

/// A directory of this test process's own, made with mkdtemp on first use.
let privateTestDirectory: String = {
  var template = Array((NSTemporaryDirectory() + "/proclab-test-XXXXXX").utf8CString)
  guard let made = mkdtemp(&template) else { fatalError("mkdtemp failed: errno \(errno)") }
  return String(cString: made)
}()

/// The whole numbers in a file, one per line; empty when the file does not exist yet.
func pids(inFile path: String) -> [Int32] {
  let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
  return text.split(separator: "\n").compactMap { Int32($0) }
}

/// `proclab -c SCRIPT` running in the background, its stdout and stderr going to files.
final class BackgroundProclab {
  private let process = Process()
  let stdoutPath = temporaryPath("stdout")
  let stderrPath = temporaryPath("stderr")

  /// `environment`: variables added to the test's own (PROCLAB_EXIT_NOTICES=sigchld).
  convenience init(script: String, environment: [String: String] = [:]) throws {
    try self.init(arguments: ["-c", script], environment: environment)
  }

  /// `executable`: another program to start instead (bash that sets things up, then execs
  /// `$PROCLAB`).
  init(arguments: [String], environment: [String: String] = [:], executable: URL? = nil) throws {
    _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
    _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
    process.executableURL = try executable ?? proclabExecutable()
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
    process.standardError = FileHandle(forWritingAtPath: stderrPath)
    try process.run()
  }

  deinit {
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
    try? FileManager.default.removeItem(atPath: stdoutPath)
    try? FileManager.default.removeItem(atPath: stderrPath)
  }

  var pid: Int32 { process.processIdentifier }

  func signal(_ number: Int32) {
    kill(process.processIdentifier, number)
  }

  /// The exit status (128 + N after signal N), or nil if it is still running after `seconds`.
  func waitForExit(within seconds: Double) -> Int32? {
    guard eventually(within: seconds, { !process.isRunning }) else { return nil }
    return process.terminationReason == .uncaughtSignal
      ? 128 + process.terminationStatus : process.terminationStatus
  }

  var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
  var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
}
