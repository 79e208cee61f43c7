// Descriptors: a child and a pool worker hold only what they use (stdio, their channel and the
// queue door), a pipe end closes with its last reference, running out of descriptors is a
// clear OSError the session recovers from,
// and exit notices work without pidfd (the SIGCHLD path, forced).
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

final class DescriptorTests: XCTestCase {
  /// What each of a process's descriptors points at: "0" -> "/dev/null", "3" -> "socket:[...]".
  private func descriptors(of pid: Int32) -> [String: String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
    var targets: [String: String] = [:]
    for name in names {
      targets[name] = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(name)")) ?? "?"
    }
    return targets
  }

  func testAChildAndAPoolWorkerHoldOnlyTheirStdioTheirChannelAndTheQueueDoor() throws {
    for mode in ["raw", "tagged"] {
      // bash closes what the test runner left open beyond 0-2, then runs the session.
      let script = "output \(mode)\np = spawn sleep(20)\npl = Pool(1)\nprint(p.pid, pl.pids[0])\nsleep(20)"
      let run = try BackgroundProclab(
        arguments: ["-c", #"for fd in /proc/$$/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done; exec "$PROCLAB" -c "$SCRIPT""#],
        environment: ["PROCLAB": try proclabExecutable().path, "SCRIPT": script], executable: URL(fileURLWithPath: "/bin/bash"))
      XCTAssertTrue(eventually(within: 10) { run.stdout.contains("\n") }, run.stderr)
      let pids = run.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int32($0) }
      XCTAssertEqual(pids.count, 2, run.stdout)
      for pid in pids {
        let fds = descriptors(of: pid)
        // Beyond stdio: the channel to the session, and the queue door every descendant inherits.
        XCTAssertEqual(Set(fds.keys).subtracting(["0", "1", "2"]).count, 2, "\(mode) \(pid): \(fds)")
        XCTAssertEqual(fds.values.filter { $0.hasPrefix("socket:") }.count, 2, "\(mode) \(pid): \(fds)")
        XCTAssertFalse(fds.values.contains("anon_inode:[pidfd]"), "\(mode) \(pid): \(fds)")
        if mode == "tagged" {
          // Its own output pipe, write end only, on stdout and stderr.
          XCTAssertEqual(fds["1"], fds["2"], "\(fds)")
          XCTAssertEqual(fds.values.filter { $0 == fds["1"] }.count, 2, "\(fds)")
        }
      }
    }
  }

  func testAPipeEndClosesWhenItsLastReferenceGoes() throws {
    let lines = try passingLines(
      """
      a, b = pipe()
      a = none
      k = ""
      try { b.recv(timeout=5) } catch e { k = e.kind }
      print(k)
      """)
    XCTAssertEqual(lines, ["EOFError"])
  }

  func testRunningOutOfDescriptorsIsAnOSErrorAndTheSessionRecovers() throws {
    let script = """
      def sq(x) { return x * x }
      ends = []
      m = ""
      try { while true { ends.append(pipe()) } } catch e { m = e.kind + ": " + e.message }
      print(m)
      try { spawn sleep(0) } catch e { print("spawn", e.kind, e.message) }
      ends = []
      p = spawn sleep(0)
      join p
      print("recovered", p.exitcode, pool map sq range(4))
      """
    let path = temporaryPath("emfile.plab")
    try script.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let result = try bash("ulimit -n 48; $PROCLAB '\(path)'")
    XCTAssertEqual(result.status, 0, result.stderr)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    XCTAssertEqual(lines.count, 3, result.stdout)
    XCTAssertTrue(lines[0].hasPrefix("OSError: ") && lines[0].hasSuffix("too many open files (EMFILE)"), lines[0])
    XCTAssertTrue(lines[1].hasPrefix("spawn OSError") && lines[1].contains("too many open files (EMFILE)"), lines[1])
    XCTAssertFalse(result.stdout.contains("0 threads"), result.stdout)
    XCTAssertEqual(lines[2], "recovered 0 [0, 1, 4, 9]")
  }

  func testJoinsAndPoolsWorkWithSIGCHLDExitNotices() throws {
    let result = try proclab(
      """
      def sq(x) { return x * x }
      def boom() { exit 3 }
      p = spawn sleep(0.2)
      q = spawn boom()
      join p
      join q
      print(p.exitcode, q.exitcode)
      for i in range(30) { spawn sq(i) }
      join all
      print(len(active_children()))
      print(pool map sq range(8))
      pl = Pool(2)
      print(pl.map(sq, [1, 2, 3]))
      kill pl.pids[0] signal=KILL
      sleep(0.3)
      print(pl.map(sq, range(20))[19])
      """, timeout: 20, environment: ["PROCLAB_EXIT_NOTICES": "sigchld"])
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stdout, "0 3\n0\n[0, 1, 4, 9, 16, 25, 36, 49]\n[1, 4, 9]\n361\n")
  }
}
