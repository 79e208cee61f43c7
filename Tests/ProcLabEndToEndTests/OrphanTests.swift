// Orphans and process trees: a process spawned with orphan=true outlives its parent and is
// adopted by the session; `ps` shows grandchildren and orphans with their kernel parent; and no
// process of the tree outlives the session, however it ends (SIGKILL included).
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

final class OrphanTests: XCTestCase {
  /// The rows of a `ps` table, by PID: (PPID, NAME, the rest of the line).
  private func psRows(_ text: String) -> [Int32: (ppid: Int32, name: String, line: String)] {
    var rows: [Int32: (ppid: Int32, name: String, line: String)] = [:]
    for line in text.split(separator: "\n") {
      let fields = line.split(separator: " ")
      guard fields.count > 3, let pid = Int32(fields[0]), let ppid = Int32(fields[1]) else { continue }
      let name = fields[2] == "└─" ? String(fields[3]) : String(fields[2])
      rows[pid] = (ppid, name, String(line))
    }
    return rows
  }

  /// The kernel's parent of `pid` (field 4 of /proc/PID/stat), or nil when it has gone.
  private func kernelParent(of pid: Int32) -> Int32? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { return nil }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    return fields.count > 1 ? Int32(fields[1]) : nil
  }

  func testTheIssueScriptShowsTheOrphanAdoptedAndItPrintsTheSessionAsItsParent() throws {
    let started = Date()
    let result = try proclab(
      """
      def child() { sleep(1); print("grandchild", pid(), "parent", ppid()) }
      def parent() { spawn child() orphan=true; exit 0 }
      p = spawn parent()
      join p
      sleep(0.3)
      ps all
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 1, "the session did not wait for its orphan")
    let lines = result.stdout.split(separator: "\n")
    guard let last = lines.last, last.hasPrefix("grandchild ") else {
      return XCTFail("the grandchild's line is not the last:\n\(result.stdout)")
    }
    let words = last.split(separator: " ")
    XCTAssertEqual(words.count, 4, String(last))
    let grandchild = Int32(words[1]) ?? 0
    let reportedParent = Int32(words[3]) ?? 0
    let rows = psRows(result.stdout)
    guard let session = rows.first(where: { $0.value.name == "MainProcess" })?.key else {
      return XCTFail("no session row:\n\(result.stdout)")
    }
    XCTAssertEqual(reportedParent, session, "the orphan's parent is not the session")
    guard let row = rows[grandchild] else { return XCTFail("ps all does not list the grandchild \(grandchild):\n\(result.stdout)") }
    XCTAssertEqual(row.ppid, session, row.line)
    XCTAssertTrue(row.line.contains("blocked S"), row.line)
    XCTAssertTrue(row.line.hasSuffix("orphan, adopted by the session"), row.line)
    XCTAssertTrue(rows.values.contains { $0.name == "Process-1" && $0.line.contains("exited 0") }, result.stdout)
    XCTAssertTrue(isGone(grandchild), "the orphan outlived the session")
  }

  func testAnOrphanIsStoppedByExitAndReapedWhenItEndsFirst() throws {
    let started = Date()
    let result = try proclab(
      """
      def quick() { print("quick", pid()) }
      def slow() { print("slow", pid()); sleep(30) }
      def parent() { spawn quick() orphan=true; spawn slow() orphan=true; exit 0 }
      p = spawn parent()
      join p
      sleep(0.5)
      print("children", read_file(f"/proc/{pid()}/task/{pid()}/children").strip())
      exit 0
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertLessThan(Date().timeIntervalSince(started), 10, "exit waited for the orphan")
    var found: [String: Int32] = [:]
    var children: [Int32] = []
    for line in result.stdout.split(separator: "\n") {
      let words = line.split(separator: " ")
      if words.first == "children" {
        children = words.dropFirst().compactMap { Int32($0) }
      } else if words.count == 2 {
        found[String(words[0])] = Int32(words[1])
      }
    }
    guard let quick = found["quick"], let slow = found["slow"] else { return XCTFail(result.stdout) }
    // The quick orphan ended and was reaped (no zombie left in the session's children); the
    // slow one was the session's only child, and exit stopped it.
    XCTAssertEqual(children, [slow], "the session's children: \(result.stdout)")
    XCTAssertTrue(isGone(quick))
    XCTAssertTrue(eventually(within: 2) { isGone(slow) }, "the orphan survived exit")
  }

  func testNoOrphanSurvivesTheSessionBeingKilledWhetherAdoptedOrNotAndEvenWhileComputing() throws {
    let path = temporaryPath("orphans")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let session = try BackgroundProclab(
      script: """
        def sleeper() { append_file("\(path)", f"{pid()}\\n"); sleep(30) }
        def busy() { append_file("\(path)", f"{pid()}\\n"); while true { } }
        def leaves() { spawn sleeper() orphan=true; spawn busy() orphan=true; exit 0 }
        def stays() { spawn sleeper() orphan=true; sleep(30) }
        a = spawn leaves()
        b = spawn stays()
        join a
        sleep(30)
        """)
    XCTAssertTrue(eventually(within: 10) { pids(inFile: path).count == 3 }, session.stderr)
    let orphans = pids(inFile: path)
    // Two are adopted by the session; the third's parent is still alive.
    XCTAssertTrue(
      eventually(within: 5) { orphans.filter { kernelParent(of: $0) == session.pid }.count == 2 },
      "parents: \(orphans.map { kernelParent(of: $0) ?? -1 }), session \(session.pid)")
    XCTAssertTrue(orphans.allSatisfy { !isGone($0) }, "an orphan ended early")
    // A stopped orphan runs no signal handler until continued: it must die all the same.
    let first = orphans.first { kernelParent(of: $0) == session.pid }!
    kill(first, SIGSTOP)
    XCTAssertTrue(eventually(within: 2) { kernelState(of: first) == "T" })
    session.signal(SIGKILL)
    XCTAssertNotNil(session.waitForExit(within: 5), "proclab did not die")
    let survivors = { orphans.filter { !isGone($0) } }
    XCTAssertTrue(eventually(within: 2) { survivors().isEmpty }, "survivors: \(survivors())")
  }

  func testPsTreeDrawsTheGrandchildUnderItsParentWithItsKernelParent() throws {
    let result = try proclab(
      """
      def leaf() { sleep(5) }
      def middle() { c = spawn leaf(); join c }
      p = spawn middle()
      other = spawn leaf()
      sleep(0.3)
      ps tree
      print("--")
      ps all
      kill p other tree=true
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    let parts = result.stdout.components(separatedBy: "--\n")
    XCTAssertEqual(parts.count, 2, result.stdout)
    let tree = parts[0].split(separator: "\n").dropFirst().map(String.init)
    XCTAssertEqual(tree.count, 4, parts[0])
    guard tree.count == 4 else { return }
    let rows = psRows(parts[0])
    let names = tree.map { line in rows.values.first { $0.line == line }?.name ?? "?" }
    XCTAssertEqual(names, ["MainProcess", "Process-1", "child", "Process-2"], parts[0])
    XCTAssertTrue(tree[1].contains("  └─ Process-1"), tree[1])
    XCTAssertTrue(tree[2].contains("     └─ child of Process-1"), tree[2])
    XCTAssertTrue(tree[3].contains("  └─ Process-2"), tree[3])
    let session = rows.first { $0.value.name == "MainProcess" }!.key
    let middle = rows.first { $0.value.name == "Process-1" }!.key
    let grandchild = rows.first { $0.value.name == "child" }!
    XCTAssertEqual(rows[middle]?.ppid, session)
    XCTAssertEqual(grandchild.value.ppid, middle, "the grandchild's parent is not the kernel's")
    XCTAssertTrue(grandchild.value.line.contains("blocked S"), grandchild.value.line)
    let all = psRows(parts[1])
    XCTAssertEqual(all[grandchild.key]?.ppid, middle, "ps all does not list the grandchild:\n\(parts[1])")
    XCTAssertTrue(isGone(grandchild.key))
  }
}
