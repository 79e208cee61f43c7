// Runs `proclab -c` scripts that start, join, signal and fork real processes, and checks what a
// user sees: output order, exit codes, error reports, exit statuses, and that no process survives.
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

final class EngineTests: XCTestCase {
  /// The lines of `text` between the line `start` and the line `end` (or the end).
  private func section(_ text: String, from start: String, to end: String? = nil) -> [Substring] {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard let first = lines.firstIndex(of: Substring(start)) else { return [] }
    let rest = lines[(first + 1)...]
    guard let end, let last = rest.firstIndex(of: Substring(end)) else { return Array(rest) }
    return Array(rest[..<last])
  }

  // MARK: spawn and join

  func testJoinWaitsForEachProcessInTurnAndCleanExitsHaveCodeZero() throws {
    let result = try proclab(
      """
      def work(name, seconds) { sleep(seconds); print(name) }
      slow = spawn work("slow", 0.6)
      fast = spawn work("fast", 0.05)
      join slow
      print("joined slow", slow.alive, fast.alive)
      join fast
      print("codes", slow.exitcode, fast.exitcode)
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stdout, "fast\nslow\njoined slow false false\ncodes 0 0\n")
  }

  func testProcessesHaveDefaultAndGivenNamesAndTheirOwnPids() throws {
    let result = try proclab(
      """
      def me() { print(name(), pid() != ppid()) }
      a = spawn me()
      join a
      b = spawn me() name="w1"
      join b
      print(a.name, b.name, a.pid != b.pid, a.target)
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stdout, "Process-1 true\nw1 true\nProcess-1 w1 true me()\n")
  }

  func testJoinWithATimeoutReturnsWhileTheChildStillRuns() throws {
    let started = Date()
    let result = try proclab(
      """
      def nap() { sleep(8) }
      p = spawn nap()
      t = now()
      join p timeout=0.3
      waited = now() - t
      print(p.alive, p.exitcode, waited >= 0.25, waited < 4)
      kill p
      join p
      print(p.alive)
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stdout, "true none true true\nfalse\n")
    XCTAssertLessThan(Date().timeIntervalSince(started), 6, "join did not return at its timeout")
  }

  func testJoinWrittenLikeACallTakesATimeoutToo() throws {
    let result = try proclab(
      """
      def nap() { sleep(8) }
      p = spawn nap()
      join(p, timeout=0.2)
      print(p.alive)
      kill(p, signal=KILL)
      join(p)
      print(p.exitcode)
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stdout, "true\n-9\n")
  }

  // MARK: signals

  func testKillSendsTermByDefaultAndTheNamedSignalOtherwise() throws {
    let result = try proclab(
      """
      def nap() { sleep(8) }
      a = spawn nap()
      b = spawn nap()
      c = spawn nap()
      sleep(0.1)
      kill a
      kill b signal=KILL
      signal c USR1
      join all
      print(a.exitcode, b.exitcode, c.exitcode)
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stdout, "-15 -9 -10\n")
  }

  func testAnUnknownSignalNameIsAValueError() throws {
    let result = try proclab(
      """
      def nap() { sleep(8) }
      p = spawn nap()
      try { kill p signal=NOPE } catch e { print(e.kind) }
      try { signal p 99 } catch e { print(e.kind) }
      kill p signal=KILL
      join p
      print(p.exitcode)
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stdout, "ValueError\nValueError\n-9\n")
  }

  func testSuspendStopsTheChildAndResumeLetsItContinue() throws {
    let path = temporaryPath("ticks")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let result = try proclab(
      """
      def ticker(path) { for i in range(16) { append_file(path, str(now()) + "\\n"); sleep(0.05) } }
      p = spawn ticker("\(path)")
      sleep(0.25)
      suspend p
      print("-- suspended")
      ps
      sleep(0.7)
      resume p
      print("-- resumed")
      ps
      join p
      print("-- exit", p.exitcode)
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    let suspended = section(result.stdout, from: "-- suspended", to: "-- resumed")
    let row = suspended.first { $0.contains("Process-1") } ?? ""
    XCTAssertNotNil(row.range(of: "suspended-(ready|blocked) T", options: .regularExpression), result.stdout)
    let resumed = section(result.stdout, from: "-- resumed", to: "-- exit 0")
    let rowAfter = resumed.first { $0.contains("Process-1") } ?? ""
    XCTAssertFalse(rowAfter.isEmpty, result.stdout)
    XCTAssertFalse(rowAfter.contains("suspended") || rowAfter.contains(" T "), result.stdout)
    // The child ran to its end, and wrote nothing while it was stopped.
    let ticks = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n")
      .compactMap { Double($0) }
    XCTAssertEqual(ticks.count, 16)
    let longestPause = zip(ticks.dropFirst(), ticks).map { $0 - $1 }.max() ?? 0
    XCTAssertGreaterThan(longestPause, 0.5, "the child kept running while suspended: \(ticks)")
  }

  // MARK: fork and copies

  func testForkReturnsTheChildsPidInTheParentAndZeroInTheChild() throws {
    let result = try proclab(
      """
      r = fork()
      if r == 0 {
        print("child got", r, "as", pid())
      } else {
        join all
        print("parent got", r)
      }
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    let lines = result.stdout.split(separator: "\n")
    XCTAssertEqual(lines.count, 2, result.stdout)
    guard lines.count == 2 else { return }
    XCTAssertTrue(lines[0].hasPrefix("child got 0 as "), result.stdout)
    XCTAssertTrue(lines[1].hasPrefix("parent got "), result.stdout)
    let childPid = lines[0].split(separator: " ").last
    XCTAssertNotNil(childPid.flatMap { Int($0) })
    XCTAssertNotEqual(childPid, "0")
    XCTAssertEqual(childPid, lines[1].split(separator: " ").last)
  }

  func testAChildsVariableChangesAreNeverSeenByTheSession() throws {
    let result = try proclab(
      """
      x = 1
      xs = [1]
      r = fork()
      if r == 0 {
        x = 2
        xs.append(2)
        print("child", x, xs)
      } else {
        join all
        print("parent", x, xs)
      }
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stdout, "child 2 [1, 2]\nparent 1 [1]\n")
  }

  func testAChildStartsWithTheSessionsVariablesAndFunctions() throws {
    let result = try proclab(
      """
      base = 40
      def add(n) { return base + n }
      def show() { print(add(2)) }
      p = spawn show()
      join p
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stdout, "42\n")
  }

  // MARK: errors in children

  func testAnUncaughtErrorInAChildIsReportedUnderItsNameAndTheSessionGoesOn() throws {
    let result = try proclab(
      """
      def bad() { return 1 / 0 }
      p = spawn bad() name="w1"
      join p
      print("exitcode", p.exitcode, p.pid)
      print("still here")
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    let lines = result.stdout.split(separator: "\n")
    XCTAssertEqual(lines.count, 2, result.stdout)
    guard lines.count == 2 else { return }
    XCTAssertTrue(lines[0].hasPrefix("exitcode 1 "), result.stdout)
    XCTAssertEqual(lines[1], "still here")
    let pid = lines[0].split(separator: " ").last ?? "?"
    XCTAssertTrue(result.stderr.contains("Process w1 (pid \(pid)):\n"), result.stderr)
    XCTAssertTrue(
      result.stderr.contains("<-c>:1:22: ZeroDivisionError: division by zero\n"), result.stderr)
    XCTAssertTrue(result.stderr.contains("    def bad() { return 1 / 0 }\n"), result.stderr)
  }

  func testExitInAChildEndsThatChildWithTheCode() throws {
    // As sys.exit(3) in a Python child: exit code 3, and no error report.
    let result = try proclab(
      """
      def done() { exit 3 }
      p = spawn done()
      join p
      print(p.exitcode)
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stdout, "3\n")
    XCTAssertEqual(result.stderr, "")
  }

  // MARK: script errors and exit statuses

  func testARuntimeErrorReportsFileLineColumnTheLineAndACaretAndExits1() throws {
    let path = temporaryPath("broken.plab")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try "x = 1\nprint(\"before\")\ny = x / 0\nprint(\"after\")\n".write(
      toFile: path, atomically: true, encoding: .utf8)
    let result = try runProclab([path])
    XCTAssertEqual(result.status, 1)
    XCTAssertEqual(result.stdout, "before\n")
    XCTAssertEqual(
      result.stderr, "\(path):3:7: ZeroDivisionError: division by zero\n    y = x / 0\n          ^\n")
  }

  func testAnUncaughtExpectReportsTheExpressionAndExits1() throws {
    let result = try proclab("x = 2\nexpect x * 2 == 5")
    XCTAssertEqual(result.status, 1)
    XCTAssertTrue(result.stderr.hasPrefix("<-c>:2:8: AssertionError: "), result.stderr)
    XCTAssertTrue(result.stderr.contains("x * 2 == 5"), result.stderr)
  }

  func testASyntaxErrorRunsNothingAndExits2() throws {
    let result = try proclab("print(\"never\")\nx = \n")
    XCTAssertEqual(result.status, 2)
    XCTAssertEqual(result.stdout, "")
    XCTAssertEqual(
      result.stderr, "<-c>:2:5: SyntaxError: expected an expression\n    x = \n        ^\n")
  }

  func testAnUnreadableScriptExits3AndNamesIt() throws {
    let path = temporaryPath("missing.plab")
    let result = try runProclab([path])
    XCTAssertEqual(result.status, 3)
    XCTAssertTrue(result.stderr.contains(path), result.stderr)
  }

  func testABadCommandLineExits64WithUsage() throws {
    let result = try runProclab(["--no-such-option"])
    XCTAssertEqual(result.status, 64)
    XCTAssertTrue(result.stderr.hasPrefix("Error: "), result.stderr)
    XCTAssertTrue(result.stderr.contains("Usage: proclab"), result.stderr)
    XCTAssertEqual(try runProclab(["-c"]).status, 64)
  }

  func testHelpAndVersionExit0() throws {
    let help = try runProclab(["--help"])
    XCTAssertEqual(help.status, 0)
    XCTAssertTrue(help.stdout.contains("USAGE: proclab"), help.stdout)
    let version = try runProclab(["--version"])
    XCTAssertEqual(version.status, 0)
    XCTAssertTrue(version.stdout.hasPrefix("proclab "), version.stdout)
  }

  func testExitEndsTheScriptWithItsCode() throws {
    let result = try proclab("print(\"a\")\nexit 5\nprint(\"b\")")
    XCTAssertEqual(result.status, 5)
    XCTAssertEqual(result.stdout, "a\n")
    XCTAssertEqual(result.stderr, "")
  }

  func testDeepRecursionRaisesRecursionErrorInsteadOfCrashing() throws {
    let result = try proclab(
      """
      def down(n) { return down(n + 1) }
      try { down(0) } catch e { print(e.kind) }
      def count(n) { if n == 0 { return 0 }; return 1 + count(n - 1) }
      print(count(300))
      """)
    XCTAssertEqual(result.status, 0, String(result.stderr.prefix(300)))
    XCTAssertEqual(result.stdout, "RecursionError\n300\n")
  }

  // MARK: input modes

  func testPipedStatementsRunAsAtThePrompt() throws {
    let one = try runProclab([], stdin: "print(1)\n")
    XCTAssertEqual(one.status, 0, one.stderr)
    XCTAssertEqual(one.stdout, "1\n")

    let entries = try runProclab(
      [], stdin: "def f() {\n  return 2\n}\nf() + 1\nx = 1 / 0\nprint(\"goes on\")\n")
    XCTAssertEqual(entries.status, 1, "an error in piped input should make the exit status 1")
    XCTAssertEqual(entries.stdout, "3\ngoes on\n")
    XCTAssertTrue(entries.stderr.contains("<stdin>:5:7: ZeroDivisionError"), entries.stderr)
  }

  func testAPipedTracebackQuotesTheLineOfAnEarlierEntry() throws {
    // The function is defined in the first entry and fails when the fourth calls it.
    let result = try runProclab([], stdin: "def f() {\n  return nope\n}\nf()\n")
    XCTAssertEqual(result.status, 1, result.stderr)
    XCTAssertTrue(result.stderr.contains("<stdin>:2:10: NameError: name 'nope' is not defined\n      return nope\n"), result.stderr)
    XCTAssertTrue(result.stderr.contains("<stdin>:4:1, in f\n    f()\n"), result.stderr)
  }

  func testEchoPrintsEachTopLevelStatementBeforeItRuns() throws {
    let result = try runProclab(["-x", "-c", "x = 1\nprint(x)\njoin all\nexpect x == 1\nx += 1"])
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stdout, "1\n")
    XCTAssertEqual(result.stderr, "+ x = 1\n+ print(x)\n+ join all\n+ expect x == 1\n+ x += 1\n")
  }

  // MARK: time

  func testTimePrintsRealUserAndSysLikeBash() throws {
    let result = try proclab("time sleep(0.2)")
    XCTAssertEqual(result.status, 0, result.stderr)
    let lines = result.stdout.split(separator: "\n")
    XCTAssertEqual(
      lines.map { $0.split(separator: "\t").first ?? "" }, ["real", "user", "sys"], result.stdout)
    guard let real = lines.first?.split(separator: "\t").last else { return }
    // 0m0.201s
    XCTAssertTrue(real.hasPrefix("0m") && real.hasSuffix("s"), String(real))
    let seconds = Double(real.dropFirst(2).dropLast()) ?? -1
    XCTAssertGreaterThanOrEqual(seconds, 0.2, result.stdout)
    XCTAssertLessThan(seconds, 2, result.stdout)
  }

  func testTimeWithRepeatsPrintsMeanSigmaMedianAndRange() throws {
    let result = try proclab("time -n 3 sleep(0.02)")
    XCTAssertEqual(result.status, 0, result.stderr)
    for expected in [
      "Time: sleep(0.02)", "Time (mean ± σ):", "Median:", "Range (min … max):", "3 runs",
    ] {
      XCTAssertTrue(result.stdout.contains(expected), "\(expected) missing from:\n\(result.stdout)")
    }
  }

  // MARK: output modes

  func testTaggedOutputPrefixesEveryLineWithNameAndPid() throws {
    let result = try proclab(
      """
      output tagged
      def talk(n) { print(f"one {n}"); sleep(0.05); print(f"two {n}\\nthree {n}") }
      a = spawn talk(1)
      b = spawn talk(2)
      join all
      print("pids", a.pid, b.pid)
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    guard let last = lines.last, last.hasPrefix("pids ") else { return XCTFail(result.stdout) }
    let pids = last.split(separator: " ").dropFirst().map(String.init)
    XCTAssertEqual(lines.count, 7, result.stdout)
    for (n, pid) in zip(1...2, pids) {
      let tag = "[Process-\(n) \(pid)] "
      XCTAssertEqual(
        lines.filter { $0.hasPrefix(tag) },
        ["one \(n)", "two \(n)", "three \(n)"].map { tag + $0 }, result.stdout)
    }
  }

  func testGroupedOutputShowsEachProcessWhole() throws {
    let result = try proclab(
      """
      output grouped
      def talk(n, pause) { print(f"start {n}"); sleep(pause); print(f"end {n}") }
      a = spawn talk(1, 0.4)
      b = spawn talk(2, 0.05)
      join all
      print("done")
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    XCTAssertEqual(lines.count, 7, result.stdout)
    guard lines.count == 7 else { return }
    // Process-2 ends first, so its group comes first, each group whole.
    XCTAssertTrue(lines[0].contains("Process-2"), result.stdout)
    XCTAssertEqual(Array(lines[1...2]), ["start 2", "end 2"])
    XCTAssertTrue(lines[3].contains("Process-1"), result.stdout)
    XCTAssertEqual(Array(lines[4...6]), ["start 1", "end 1", "done"])
  }

  // MARK: no survivors

  /// A script whose three children and one grandchild write their PIDs to `path`, then sleep.
  private func sleepersScript(_ path: String, then ending: String) -> String {
    """
    def sleeper(path) { append_file(path, f"{pid()}\\n"); sleep(30) }
    def parent(path) { g = spawn sleeper(path); append_file(path, f"{pid()}\\n"); sleep(30) }
    a = spawn sleeper("\(path)")
    b = spawn sleeper("\(path)")
    c = spawn parent("\(path)")
    \(ending)
    """
  }

  private func assertNoSurvivorsAfterSignal(
    _ signal: Int32, file: StaticString = #filePath, line: UInt = #line
  ) throws {
    let path = temporaryPath("pids")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let session = try BackgroundProclab(script: sleepersScript(path, then: "join all"))
    let started = eventually(within: 10) { pids(inFile: path).count == 4 }
    XCTAssertTrue(
      started, "the children did not all start: \(pids(inFile: path))\n\(session.stderr)",
      file: file, line: line)
    let recorded = pids(inFile: path)
    XCTAssertTrue(
      recorded.allSatisfy { !isGone($0) }, "a child ended early", file: file, line: line)
    session.signal(signal)
    XCTAssertNotNil(
      session.waitForExit(within: 5), "proclab did not end on signal \(signal)", file: file,
      line: line)
    let survivors = { recorded.filter { !isGone($0) } }
    XCTAssertTrue(
      eventually(within: 3) { survivors().isEmpty }, "survivors: \(survivors())", file: file,
      line: line)
  }

  func testNoProcessSurvivesTheSessionBeingKilled() throws {
    try assertNoSurvivorsAfterSignal(SIGKILL)
  }

  func testNoProcessSurvivesTheSessionBeingTerminated() throws {
    try assertNoSurvivorsAfterSignal(SIGTERM)
  }

  func testNoProcessSurvivesTheSessionsTerminalHangingUp() throws {
    try assertNoSurvivorsAfterSignal(SIGHUP)
  }

  func testCtrlCEndsAScriptWithStatus130AndStopsItsChildren() throws {
    let path = temporaryPath("pids")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let session = try BackgroundProclab(script: sleepersScript(path, then: "join all"))
    XCTAssertTrue(eventually(within: 10) { pids(inFile: path).count == 4 }, session.stderr)
    let recorded = pids(inFile: path)
    session.signal(SIGINT)
    XCTAssertEqual(session.waitForExit(within: 5), 130)
    XCTAssertTrue(session.stderr.contains("KeyboardInterrupt"), session.stderr)
    let survivors = { recorded.filter { !isGone($0) } }
    XCTAssertTrue(eventually(within: 3) { survivors().isEmpty }, "survivors: \(survivors())")
  }

  func testAScriptEndingInAnErrorStopsItsChildren() throws {
    let path = temporaryPath("pids")
    defer { try? FileManager.default.removeItem(atPath: path) }
    _ = FileManager.default.createFile(atPath: path, contents: nil)  // the script polls it at once
    let started = Date()
    let result = try proclab(
      sleepersScript(
        path,
        then: """
          while len(read_file("\(path)").split("\\n")) < 5 { sleep(0.02) }
          x = 1 / 0
          """))
    XCTAssertEqual(result.status, 1)
    XCTAssertTrue(result.stderr.contains("ZeroDivisionError"), result.stderr)
    XCTAssertLessThan(Date().timeIntervalSince(started), 15, "proclab waited for its children")
    let recorded = pids(inFile: path)
    XCTAssertEqual(recorded.count, 4)
    let survivors = { recorded.filter { !isGone($0) } }
    XCTAssertTrue(eventually(within: 3) { survivors().isEmpty }, "survivors: \(survivors())")
  }

  func testAScriptThatEndsWellWaitsForItsChildren() throws {
    let result = try proclab(
      """
      def late() { sleep(0.3); print("child done") }
      p = spawn late()
      print("script done")
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stdout, "script done\nchild done\n")
  }
}
