// Scheduling on real processes (issue 11): nice, CPU pinning, FIFO and round robin, the ready
// state read from /proc/PID/schedstat, and what the system refuses to an unprivileged user.
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

final class SchedulingTests: XCTestCase {
  /// The issue's block, exactly as written: it checks itself with `expect`; here the `ps` in the
  /// middle and the `timeline` at the end are checked too.
  static let issueBlock = """
    def burn(s) { t0 = now(); n = 0; while now() - t0 < s { n += 1 }; return n }
    a = spawn burn(2) cpu=[0] nice=0 name="n0"
    b = spawn burn(2) cpu=[0] nice=5 name="n5"
    c = spawn burn(2) cpu=[0] nice=10 name="n10"
    sleep(1)
    ps
    join a b c
    share = a.cpu / (a.cpu + b.cpu + c.cpu)
    expect a.cpu > b.cpu and b.cpu > c.cpu
    expect share > 0.55 and share < 0.85
    expect c.ready > 1.0
    def work(n) { s = 0; for i in range(n) { s += i }; return s }
    f1 = spawn work(10000000) cpu=[0] policy="fifo" priority=10 name="first"
    f2 = spawn work(10000000) cpu=[0] policy="fifo" priority=10 name="second"
    join f1 f2
    expect f2.ended - f1.ended > 0.6 * (f1.ended - f1.started)
    r1 = spawn work(10000000) cpu=[0] policy="rr" priority=10 name="rr1"
    r2 = spawn work(10000000) cpu=[0] policy="rr" priority=10 name="rr2"
    join r1 r2
    expect abs(r2.ended - r1.ended) < 0.3 * (r2.ended - r1.started)
    timeline
    """

  /// Skips (saying why) where this machine refuses real-time policies, as a container without
  /// CAP_SYS_NICE or a real-time budget does.
  private func requireRealTime() throws {
    let probe = try proclab("def f() { }\ntry { join (spawn f() policy=\"fifo\") } catch e { print(e.kind, e.message) }")
    if probe.stdout.contains("PermissionError") {
      throw XCTSkip("this machine refuses real-time scheduling, so the FIFO and round-robin parts cannot run: \(probe.stdout)")
    }
  }

  func testTheIssueBlockRunsAsWrittenWithReadyFromTheKernel() throws {
    try requireRealTime()
    let result = try proclab(SchedulingTests.issueBlock, timeout: 180)
    XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
    let lines = result.stdout.split(separator: "\n").map(String.init)

    // ps after 1 s: n10 (7% of CPU 0) waits for the CPU; n0 gets the biggest share. Each row
    // has its nice value and CPU 0 as the last CPU.
    let n0 = try XCTUnwrap(lines.first { $0.contains(" n0 ") })
    let n10 = try XCTUnwrap(lines.first { $0.contains(" n10 ") })
    XCTAssertNotNil(n10.range(of: #"n10 +ready R +10 +0 +"#, options: .regularExpression), n10)
    XCTAssertNotNil(n0.range(of: #"n0 +(running|ready) R +0 +0 +"#, options: .regularExpression), n0)
    XCTAssertGreaterThan(try share(n0), try share(n10), "n0 should get more of CPU 0 than n10:\n\(n0)\n\(n10)")
    XCTAssertNotNil(n10.range(of: #" \d+/\d+ "#, options: .regularExpression), "CSW column: \(n10)")

    // The timeline: rr1 above rr2, each alternating between running and ready in slices.
    let rr1 = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("rr1 ") }, result.stdout)
    XCTAssertTrue(lines[rr1 + 1].hasPrefix("rr2 "), result.stdout)
    for lane in [lines[rr1], lines[rr1 + 1]] {
      XCTAssertGreaterThanOrEqual(turns(lane), 6, "expected slices of running and ready in \(lane)")
    }
    XCTAssertTrue(result.stdout.contains("ran "), "a summary line per lane:\n" + result.stdout)
  }

  /// "on a CPU 55% of the last 0.2s" in a ps row.
  private func share(_ row: String) throws -> Int {
    let range = try XCTUnwrap(row.range(of: #"on a CPU \d+%"#, options: .regularExpression), row)
    return Int(row[range].dropFirst("on a CPU ".count).dropLast()) ?? -1
  }

  /// How many times a lane switches between running (█) and ready (░).
  private func turns(_ lane: String) -> Int {
    let marks = lane.filter { $0 == "█" || $0 == "░" }
    return zip(marks, marks.dropFirst()).filter { $0 != $1 }.count
  }

  func testOptionsHoldBeforeTheFirstStatementOfTheChild() throws {
    let result = try proclab(
      """
      def look() { print(read_file("/proc/self/stat")); print(read_file("/proc/self/status")) }
      p = spawn look() nice=7 cpu=[1]
      join p
      print("attributes", p.nice, p.cpus, p.policy, p.exitcode)
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    let stat = try XCTUnwrap(result.stdout.split(separator: "\n").first)
    let fields = stat[stat.index(after: try XCTUnwrap(stat.lastIndex(of: ")")))...].split(separator: " ")
    XCTAssertEqual(fields[16], "7", "nice (field 19) in the child's first statement: \(stat)")
    XCTAssertTrue(result.stdout.contains("Cpus_allowed_list:\t1\n"), result.stdout)
    XCTAssertTrue(result.stdout.hasSuffix("attributes 7 [1] other 0\n"), result.stdout)
  }

  func testReniceAndPinChangeARunningProcessAsTheKernelSeesIt() throws {
    let result = try proclab(
      """
      def spin(s) { t0 = now(); while now() - t0 < s { } }
      p = spawn spin(0.5)
      renice p 12
      pin p [1]
      print(p.nice, p.cpus)
      print(read_file(f"/proc/{p.pid}/status"))
      join p
      print("after", p.nice, p.cpus, p.cpu > 0, p.cpu + p.ready <= p.ended - p.started + 0.05, len(p.switches), p.ended > p.started)
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertTrue(result.stdout.hasPrefix("12 [1]\n"), result.stdout)
    XCTAssertTrue(result.stdout.contains("Cpus_allowed_list:\t1\n"), result.stdout)
    XCTAssertTrue(result.stdout.hasSuffix("after 12 [1] true true 2 true\n"), result.stdout)
  }

  func testEveryNumberIsCheckedBeforeAnythingIsForked() throws {
    let cases: [(String, String)] = [
      ("cpu=[7777]", "ValueError: CPU 7777 is not one this session may run on"), ("cpu=[0, 0]", "ValueError: CPU 0 is named twice"),
      ("cpu=[]", "ValueError: cpu needs at least one CPU number"), ("cpu=\"0\"", "TypeError: cpu must be a CPU number or a list of them"),
      ("priority=5", "ValueError: priority=5 needs a real-time policy"),
      ("policy=\"rr\" priority=100", "ValueError: spawn argument 'priority' must be at least 1 and at most 99, got 100"),
      ("nice=20", "ValueError: spawn argument 'nice' must be at least -20 and at most 19, got 20"),
      ("policy=\"batch\"", "ValueError: spawn argument 'policy' must be one of other, fifo, rr, not 'batch'"),
    ]
    for (option, expected) in cases {
      let run = try proclab("def f() { }\ntry { spawn f() \(option) } catch e { print(f\"{e.kind}: {e.message}\") }\nprint(len(active_children()))")
      XCTAssertTrue(run.stdout.hasPrefix(expected), "\(option): \(run.stdout) \(run.stderr)")
      XCTAssertTrue(run.stdout.hasSuffix("\n0\n"), "\(option) spawned something: \(run.stdout)")
    }
  }

  /// As nobody (setpriv drops root): a negative nice and a real-time policy are refused with a
  /// PermissionError that says what is missing, and nothing is spawned (no row in ps).
  func testRefusedOptionsRaisePermissionErrorAndSpawnNothing() throws {
    guard getuid() == 0, access("/usr/bin/setpriv", X_OK) == 0 else {
      throw XCTSkip("needs root and setpriv to run proclab as an unprivileged user")
    }
    let script = """
      def f() { print("ran") }
      try { spawn f() nice=-5 name="favoured" } catch e { print(e.kind, e.message) }
      try { spawn f() policy="fifo" priority=10 name="realtime" } catch e { print(e.kind, e.message) }
      pool_refused = false
      try { pool start 1 nice=-1 } catch e { pool_refused = e.kind == "PermissionError" }
      print("pool refused", pool_refused, len(active_children()))
      ps
      """
    let result = try runProclab(
      ["--reuid=65534", "--regid=65534", "--clear-groups", try proclabExecutable().path, "-c", script],
      timeout: 30, executable: URL(fileURLWithPath: "/usr/bin/setpriv"))
    XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
    XCTAssertTrue(result.stdout.contains("PermissionError favoured: the system refused nice=-5: a lower nice value (more CPU) needs CAP_SYS_NICE"), result.stdout)
    XCTAssertTrue(result.stdout.contains("PermissionError realtime: the system refused policy=\"fifo\" priority=10: real-time scheduling needs"), result.stdout)
    XCTAssertTrue(result.stdout.contains("pool refused true 0\n"), result.stdout)
    XCTAssertFalse(result.stdout.contains("ran"), result.stdout)
    XCTAssertFalse(result.stdout.contains("favoured ") && result.stdout.contains(" new "), result.stdout)
  }

  func testPoolStartPinsEveryWorker() throws {
    let result = try proclab(
      """
      pl = pool start 2 cpu=[1] nice=4
      for p in pl.pids { print(read_file(f"/proc/{p}/status")) }
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stdout.components(separatedBy: "Cpus_allowed_list:\t1\n").count, 3, result.stdout)
  }

  /// CPU-bound processes are switched out by the scheduler (involuntary), I/O-bound ones give the
  /// CPU up themselves (voluntary).
  func testCPUBoundSwitchesAreInvoluntaryAndSleepingOnesVoluntary() throws {
    try proclabPassing(
      """
      def spin(s) { t0 = now(); while now() - t0 < s { } }
      def nap(n) { for i in range(n) { sleep(0.005) } }
      a = spawn spin(0.6) cpu=[0]
      b = spawn spin(0.6) cpu=[0]
      c = spawn nap(40) cpu=[cpu_count() - 1]
      join a b c
      expect a.switches[1] > a.switches[0]
      # Other work on the machine may preempt the sleeper too: compare shares, as e28c does.
      def voluntary_share(p) { return p.switches[0] / max(1, p.switches[0] + p.switches[1]) }
      expect c.switches[0] >= 40 and voluntary_share(c) > 4 * voluntary_share(a)
      expect a.ready > 0.15
      """)
  }

  // MARK: the E28 samples check themselves: each passes, and fails once its phenomenon is gone

  /// Runs samples/NAME with each (old, new) replacement made (none: as it is).
  private func runSample(_ name: String, replacing changes: [(String, String)] = []) throws -> (status: Int32, stdout: String, stderr: String) {
    var text = try String(contentsOf: packageRoot().appendingPathComponent("samples/\(name)"), encoding: .utf8)
    for (old, new) in changes {
      XCTAssertTrue(text.contains(old), "\(name) no longer contains \(old)")
      text = text.replacingOccurrences(of: old, with: new)
    }
    let path = temporaryPath(name)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return try runProclab([path], timeout: 90)
  }

  /// `expectation`: how the text of the `expect` that fails begins (equal shares can fail the
  /// order or the share bounds; which one is up to the scheduler).
  private func assertPassesAndFailsWithout(_ name: String, _ changes: [(String, String)], failing expectation: String) throws {
    let asIs = try runSample(name)
    XCTAssertEqual(asIs.status, 0, "\(name)\n\(asIs.stdout)\(asIs.stderr)")
    let without = try runSample(name, replacing: changes)
    XCTAssertEqual(without.status, 1, "\(name) without its phenomenon should fail:\n\(without.stdout)\(without.stderr)")
    XCTAssertTrue(without.stderr.contains("AssertionError: expected \(expectation)"), without.stderr)
  }

  func testTheNiceSampleFailsWhenAllThreeHaveTheSameNice() throws {
    try assertPassesAndFailsWithout(
      "e28a-priorities-nice-shares.plab", [("nice=5", "nice=0"), ("nice=10", "nice=0")], failing: "a.cpu")
  }

  func testTheFCFSSampleFailsWhenFifoBecomesRoundRobin() throws {
    try requireRealTime()
    try assertPassesAndFailsWithout(
      "e28b-fcfs-vs-round-robin.plab", [("f = two_jobs(\"fifo\")", "f = two_jobs(\"rr\")")],
      failing: "f[1].ended - f[0].ended > 0.6 * (f[0].ended - f[0].started)")
  }

  func testTheRoundRobinSampleFailsWhenRoundRobinBecomesFifo() throws {
    try requireRealTime()
    let without = try runSample("e28b-fcfs-vs-round-robin.plab", replacing: [("r = two_jobs(\"rr\")", "r = two_jobs(\"fifo\")")])
    XCTAssertTrue(without.stderr.contains("AssertionError: expected abs(r[1].ended - r[0].ended) < 0.3"), without.stdout + without.stderr)
  }

  func testTheSwitchesSampleFailsWhenTheSleeperComputesInstead() throws {
    try assertPassesAndFailsWithout(
      "e28c-cpu-bound-vs-io-bound.plab", [("{ sleep(0.01) }", "{ spin(0.01) }")],
      failing: "sleeper.switches[0] >= 40 and voluntary_share(sleeper)")
  }

  func testTheMoreThanCPUsSampleFailsWithOneProcessPerCPU() throws {
    try assertPassesAndFailsWithout(
      "e28d-more-processes-than-cpus.plab", [("busy(2 * cpus)", "busy(cpus)"), ("busy(4 * cpus)", "busy(cpus)")], failing: "r")
  }

  /// Where real-time policies are refused (as nobody), the FCFS sample says so and shows the
  /// normal policy instead, and still passes.
  func testTheFCFSSampleSaysSoWhereRealTimeIsRefused() throws {
    guard getuid() == 0, access("/usr/bin/setpriv", X_OK) == 0 else { throw XCTSkip("needs root and setpriv") }
    let path = temporaryPath("e28b.plab")
    try FileManager.default.copyItem(atPath: packageRoot().appendingPathComponent("samples/e28b-fcfs-vs-round-robin.plab").path, toPath: path)
    chmod(privateTestDirectory, 0o755)
    chmod(path, 0o644)
    let result = try runProclab(
      ["--reuid=65534", "--regid=65534", "--clear-groups", try proclabExecutable().path, path], timeout: 60,
      executable: URL(fileURLWithPath: "/usr/bin/setpriv"))
    XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
    XCTAssertTrue(result.stdout.hasPrefix("this machine refuses real-time policies: "), result.stdout)
    XCTAssertTrue(result.stdout.contains("-- the same jobs under the normal policy"), result.stdout)
  }

  /// Lesson 4 played on a terminal, a prediction typed at each question: the ps shows the
  /// five-state names and the last timeline the round-robin lanes.
  func testLessonFourPlaysInATerminalWithPredictions() throws {
    try requireRealTime()
    let home = temporaryPath("home")
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    let terminal = try PseudoTerminal(
      executable: try proclabExecutable().path,
      arguments: ["play", packageRoot().appendingPathComponent("samples/lessons/04-scheduling.plab").path, "--speed", "50", "--delay", "0"],
      environment: ["PATH": "/usr/bin:/bin", "TERM": "xterm", "HOME": home, "PROCLAB_HISTORY": home + "/history", "NO_COLOR": "1"])
    for _ in 0..<5 {
      try terminal.waitFor("your prediction> ", timeout: 20)
      Thread.sleep(forTimeInterval: 0.1)
      terminal.send("a guess\r")
    }
    try terminal.waitFor("The experiments behind this lesson", timeout: 20)
    XCTAssertEqual(try terminal.waitForExit(timeout: 10), 0)
    XCTAssertTrue(terminal.output.contains("ready R"), terminal.output)
    XCTAssertTrue(terminal.output.contains("you predicted"), terminal.output)
    XCTAssertTrue(terminal.output.contains("ran ") && terminal.output.contains("for a CPU"), terminal.output)
  }

  private func proclabPassing(_ script: String) throws {
    let result = try proclab(script, timeout: 60)
    XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
  }
}
