// Only the session's own processes reach its queues: a process the session did not start
// (here, the test runner) finds nothing to connect to, and cannot stop a session by taking a
// name first; descendants at any depth, pool workers and processes started before a queue
// existed still reach it, and a stopped process holding a connection delays no one.
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

final class QueueSecurityTests: XCTestCase {
  /// A proclab run in the background, with a private directory for the files it writes.
  private final class Background {
    let process = Process()
    let directory: URL

    init(_ code: String) throws {
      var template = Array((NSTemporaryDirectory() + "/proclab-security-XXXXXX").utf8CString)
      guard let made = mkdtemp(&template) else { throw ProclabRunError(description: "mkdtemp failed") }
      directory = URL(fileURLWithPath: String(cString: made))
      process.executableURL = try proclabExecutable()
      process.arguments = ["-c", code.replacingOccurrences(of: "DIR", with: directory.path)]
      process.standardInput = FileHandle.nullDevice
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
    }

    /// The content of a file the script writes, once it is there.
    func waitFor(_ name: String, timeout: Double = 20) -> String? {
      let deadline = Date().addingTimeInterval(timeout)
      while Date() < deadline {
        if let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8), text.hasSuffix("\n") {
          return String(text.dropLast())
        }
        usleep(20_000)
      }
      return nil
    }

    func finish() {
      if process.isRunning { kill(process.processIdentifier, SIGTERM) }
      process.waitUntilExit()
      try? FileManager.default.removeItem(at: directory)
    }
  }

  /// Socket inodes the process `pid` holds, from /proc/PID/fd.
  private func socketInodes(of pid: Int32) -> Set<String> {
    let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
    return Set(
      fds.compactMap { fd -> String? in
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)"),
          target.hasPrefix("socket:[")
        else { return nil }
        return String(target.dropFirst(8).dropLast())
      })
  }

  /// The bound names (abstract ones start with @) of Unix sockets, by inode (/proc/net/unix).
  private func unixSocketNames() -> [String: String] {
    let text = (try? String(contentsOfFile: "/proc/net/unix", encoding: .utf8)) ?? ""
    var names: [String: String] = [:]
    for line in text.split(separator: "\n").dropFirst() {
      let fields = line.split(separator: " ", omittingEmptySubsequences: true)
      guard fields.count >= 7 else { continue }
      names[String(fields[6])] = fields.count >= 8 ? String(fields[7]) : ""
    }
    return names
  }

  func testAProcessOutsideTheSessionHasNothingToConnectTo() throws {
    // The session, a child and a grandchild, all using a queue, and staying a while.
    let run = try Background(
      """
      q = Queue()
      def grandchild() { q.put("deep"); sleep(30) }
      def child() { spawn grandchild(); q.put("child"); sleep(30) }
      spawn child()
      got = [q.get(timeout=10), q.get(timeout=10)]
      write_file("DIR/pids", str(pid()) + "\\n")
      sleep(30)
      """)
    defer { run.finish() }
    guard let text = run.waitFor("pids"), let session = Int32(text) else { return XCTFail("the session did not start its processes") }
    let inodes = socketInodes(of: session)
    XCTAssertFalse(inodes.isEmpty, "the session holds no socket at all")
    let names = unixSocketNames()
    for inode in inodes {
      XCTAssertEqual(names[inode] ?? "", "", "the session's socket \(inode) has a name another process could connect to")
    }
    // The name the session used to listen on answers nobody.
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let name = [UInt8(0)] + Array("proclab-queues-\(session)".utf8)
    withUnsafeMutableBytes(of: &address.sun_path) { path in for (i, byte) in name.enumerated() { path[i] = byte } }
    let length = socklen_t(MemoryLayout<sa_family_t>.size + name.count)
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) }
    }
    XCTAssertEqual(connected, -1)
    XCTAssertEqual(errno, ECONNREFUSED)
    // Nor can a socket be opened again through /proc, the way a file can.
    for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(session)/fd")) ?? [] {
      let path = "/proc/\(session)/fd/\(entry)"
      guard (try? FileManager.default.destinationOfSymbolicLink(atPath: path))?.hasPrefix("socket:") == true else { continue }
      let opened = open(path, O_RDWR)
      if opened >= 0 { close(opened) }
      XCTAssertEqual(opened, -1, "\(path) could be opened by a process outside the session")
    }
  }

  /// Names for the next few hundred PIDs, taken before the session starts: the session does
  /// not need any name, so it starts, and its processes reach its queues.
  func testNamesTakenBeforeTheSessionStartsStopNothing() throws {
    var covered = false
    for _ in 0..<3 where !covered {
      let last = Int32((try? String(contentsOfFile: "/proc/sys/kernel/ns_last_pid", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
      var squatted: [Int32] = []
      defer { for fd in squatted { close(fd) } }
      for pid in (last + 1)...(last + 400) {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let name = [UInt8(0)] + Array("proclab-queues-\(pid)".utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { path in for (i, byte) in name.enumerated() { path[i] = byte } }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + name.count)
        let bound = withUnsafePointer(to: &address) {
          $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        if bound == 0 && listen(fd, 1) == 0 { squatted.append(fd) } else { close(fd) }
      }
      let result = try runProclab([
        "-c",
        """
        q = Queue()
        def child() { q.put(pid()) }
        spawn child(); join all
        print(pid())
        print(q.get(timeout=5) > 0)
        """,
      ])
      XCTAssertEqual(result.status, 0, result.stderr)
      let lines = result.stdout.split(separator: "\n")
      XCTAssertEqual(lines.last, "true", result.stdout + result.stderr)
      if let session = lines.first.flatMap({ Int32($0) }) { covered = session > last && session <= last + 400 }
    }
    XCTAssertTrue(covered, "the session's PID was never among the names taken: the test showed nothing")
  }

  /// A child stopped (SIGSTOP) in the middle of its queue traffic holds its connection open
  /// and silent; the other processes' queue operations go on at full speed.
  func testAStoppedProcessHoldingAConnectionDelaysNoOtherProcess() throws {
    let result = try runProclab([
      "-c",
      """
      q = Queue(); r = Queue()
      def stopper() { q.put("connected"); sleep(30) }
      def echo() { for i in range(200) { r.put(q.get()) } }
      s = spawn stopper()
      q.get(timeout=5)
      suspend s
      e = spawn echo()
      t = now()
      for i in range(200) { q.put(i); r.get(timeout=5) }
      took = now() - t
      join e
      kill s signal=KILL; join s
      print(took < 2)
      """,
    ])
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stdout, "true\n", result.stderr)
    XCTAssertFalse(result.stderr.contains("closed the queue connection"), result.stderr)
  }

  /// Every descendant reaches the queues, at any depth, through the door it inherited: a
  /// grandchild, a pool worker and a child, all started before the queue existed.
  func testEveryKindOfDescendantReachesAQueueMadeAfterItStarted() throws {
    let result = try runProclab([
      "-c",
      """
      def late(name) { sleep(0.3); queue put later name }
      def middle() { spawn late("grandchild"); join all }
      spawn middle()
      spawn late("child")
      pool start 2
      r = pool apply_async late("worker")
      queue later
      get r timeout=10
      join all
      print(sorted([later.get(timeout=5), later.get(timeout=5), later.get(timeout=5)]))
      """,
    ])
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stdout, "[\"child\", \"grandchild\", \"worker\"]\n", result.stderr)
  }
}
