// Runs `proclab -c` scripts that use process pools, and checks what a user sees: results and
// their order, async results and timeouts, errors from workers, the pool's life cycle, workers
// that die, and that no worker outlives the session. Timings are generous: only order matters.
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

final class PoolTests: XCTestCase {
  /// Runs a script that must succeed and returns its output lines.
  private func lines(
    _ script: String, file: StaticString = #filePath, line: UInt = #line
  ) throws -> [String] {
    let result = try proclab(script)
    XCTAssertEqual(
      result.status, 0, "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr)", file: file,
      line: line)
    return result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }

  /// The whole numbers in a printed list such as `[4311, 4312]`.
  private func numbers(in text: String) -> [Int32] {
    text.split { !$0.isNumber }.compactMap { Int32($0) }
  }

  // MARK: map and its variants

  func testTheMustWorkBlockOfTheIssueRuns() throws {
    let started = Date()
    let result = try proclab(
      """
      def sq(x) { return x * x }
      expect (pool map sq range(5)) == [0, 1, 4, 9, 16]
      def slow(x) { sleep(2); return x }
      r = pool apply_async slow(10)
      try { get r timeout=0.5 } catch e { expect e.kind == "TimeoutError" }
      expect (get r) == 10
      pool close
      pool join
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stdout, "")
    XCTAssertEqual(result.stderr, "")
    XCTAssertLessThan(Date().timeIntervalSince(started), 10)
  }

  func testPoolMapReturnsResultsInInputOrderWhateverOrderTheyFinished() throws {
    let output = try lines(
      """
      def nap(t) { sleep(t); return t * 10 }
      pool start 4
      print(pool map nap [0.4, 0.3, 0.2, 0.1, 0.0] chunksize=1)
      print(pool imap nap [0.3, 0.0])
      """)
    XCTAssertEqual(Array(output.prefix(2)), ["[4.0, 3.0, 2.0, 1.0, 0.0]", "[3.0, 0.0]"])
  }

  func testImapUnorderedGivesResultsInTheOrderTheyFinish() throws {
    let output = try lines(
      """
      def nap(t) { sleep(t); return t }
      pool start 4
      print(pool imap_unordered nap [0.6, 0.4, 0.2, 0.0])
      pl = pool start 4
      print(pl.imap_unordered(nap, [0.4, 0.0, 0.2]))
      """)
    XCTAssertEqual(Array(output.prefix(2)), ["[0.0, 0.2, 0.4, 0.6]", "[0.0, 0.2, 0.4]"])
  }

  func testStarmapCallsTheFunctionWithEachArgumentList() throws {
    let output = try lines(
      """
      def add(a, b, c=100) { return a + b + c }
      print(pool starmap add [[1, 2], [3, 4, 5], [10, 20, 30]])
      pl = pool start 2
      print(pl.starmap(add, [[0, 0, 0]]))
      """)
    XCTAssertEqual(Array(output.prefix(2)), ["[103, 12, 60]", "[0]"])
  }

  func testChunksizeOneAndTheDefaultGiveTheSameResults() throws {
    let output = try lines(
      """
      def sq(x) { return x * x }
      pool start 3
      a = pool map sq range(50)
      b = pool map sq range(50) chunksize=1
      c = pool map sq range(50) chunksize=7
      expected = map sq range(50)
      print(a == expected, b == expected, c == expected, len(a), a[49])
      """)
    XCTAssertEqual(output.first, "true true true 50 2401")
  }

  func testSlowTasksAfterQuickOnesSpreadOverTheIdleWorkers() throws {
    // Docs: "a task never waits behind another while a worker is idle", also after a map of
    // quick tasks has taught the pool to send tasks in batches.
    let output = try lines(
      """
      def sq(x) { return x * x }
      def nap(t) { sleep(t); return pid() }
      pool start 3
      x = pool map sq range(300) chunksize=1
      t = now()
      workers = pool map nap [0.3, 0.3, 0.3, 0.3, 0.3, 0.3] chunksize=1
      took = now() - t
      distinct = []
      for w in workers { if not (w in distinct) { distinct.append(w) } }
      print(len(distinct), took < 1.2, round(took, 2))
      """)
    XCTAssertTrue(output[0].hasPrefix("3 true"), "six 0.3 s tasks on 3 workers: \(output[0])")
  }

  func testTheSerialMapRunsInTheSessionItself() throws {
    let output = try lines(
      """
      def where(x) { return [x, pid() == ppid(), pid()] }
      results = map where [1, 2, 3]
      print([results[0][0], results[1][0], results[2][0]])
      print(results[0][2] == pid() and results[1][2] == pid() and results[2][2] == pid())
      print(map len ["ab", "c", ""])
      def nap(x) { sleep(0.1); return x }
      t = now()
      map nap range(4)
      print(now() - t >= 0.38)
      """)
    XCTAssertEqual(Array(output.prefix(4)), ["[1, 2, 3]", "true", "[2, 1, 0]", "true"])
  }

  // MARK: apply, apply_async, get, wait

  func testApplyWaitsForItsResultAndApplyAsyncReturnsAtOnce() throws {
    let output = try lines(
      """
      def nap(t) { sleep(t); return t * 2 }
      pool start 2
      print(pool apply nap(0.1))
      t = now()
      r = pool apply_async nap(0.5)
      print(now() - t < 0.3, r.ready)
      print(r)
      try { r.successful } catch e { print(e.kind) }
      expect (wait r timeout=0.1) == none
      print(r.ready)
      wait r
      print(r.ready, r.successful, (get r), r.get(), r.get(timeout=0))
      print(r)
      """)
    XCTAssertEqual(
      Array(output.prefix(6)),
      [
        "0.2", "true false", "<AsyncResult nap(0.5) pending>", "ValueError", "false",
        "true true 1.0 1.0 1.0",
      ])
    XCTAssertTrue(output[6].hasPrefix("<AsyncResult nap(0.5)"), output[6])
    XCTAssertFalse(output[6].contains("pending"), output[6])
  }

  func testAsyncResultsHaveAWaitMethodAsDocumented() throws {
    let output = try lines(
      """
      def nap(t) { sleep(t); return t }
      r = pool apply_async nap(0.3)
      r.wait(timeout=0.05)
      print(r.ready)
      r.wait()
      print(r.ready, r.get())
      """)
    XCTAssertEqual(Array(output.prefix(2)), ["false", "true 0.3"])
  }

  func testGetWithATimeoutRaisesTimeoutErrorAndTheTaskGoesOn() throws {
    let started = Date()
    let output = try lines(
      """
      def slow(x) { sleep(1); return x * x }
      r = pool apply_async slow(10)
      t = now()
      try { get r timeout=0.3 } catch e { print(e.kind, round(now() - t, 1) >= 0.3) }
      try { r.get(timeout=0.1) } catch e { print(e.kind) }
      print(r.ready)
      print((get r), now() - t >= 0.9)
      print((get r timeout=0))
      """)
    XCTAssertEqual(
      Array(output.prefix(4)), ["TimeoutError true", "TimeoutError", "false", "100 true"])
    XCTAssertEqual(output[4], "100")
    XCTAssertLessThan(Date().timeIntervalSince(started), 8)
  }

  func testGetAndWaitRejectWhatIsNotAnAsyncResult() throws {
    for command in ["get 5", "wait \"x\""] {
      let result = try proclab(command)
      XCTAssertEqual(result.status, 1, command)
      XCTAssertTrue(result.stderr.contains("TypeError"), result.stderr)
    }
  }

  // MARK: errors inside tasks

  func testAnErrorInATaskComesBackWithItsKindWorkerAndPlace() throws {
    let output = try lines(
      """
      pool start 2
      def inverse(x) {
        return 1 / x
      }
      r = pool apply_async inverse(0)
      try { get r } catch e { print(e.kind, "|", e.message, "|", e.where, "|", e.line, "|", e.origin) }
      print(r.ready, r.successful)
      try { get r } catch e { print("again", e.kind) }
      try { pool map inverse [1, 0, 2] } catch e { print(e.kind, "|", e.where, "|", e.origin) }
      try { pool apply inverse(0) } catch e { print(e.kind, e.where) }
      print(pool map inverse [1, 2])
      """)
    let first = output[0].components(separatedBy: " | ")
    XCTAssertEqual(
      Array(first.prefix(4)), ["ZeroDivisionError", "division by zero", "<-c>:3:12", "3"])
    XCTAssertNotNil(
      first.last?.range(of: #"^ForkPoolWorker-[12] \(pid \d+\)$"#, options: .regularExpression),
      output[0])
    XCTAssertEqual(output[1], "true false")
    XCTAssertEqual(output[2], "again ZeroDivisionError")
    XCTAssertNotNil(
      output[3].range(
        of: #"^ZeroDivisionError \| <-c>:3:12 \| ForkPoolWorker-[12] \(pid \d+\)$"#,
        options: .regularExpression), output[3])
    XCTAssertEqual(output[4], "ZeroDivisionError <-c>:3:12")
    XCTAssertEqual(output[5], "[1.0, 0.5]")
  }

  func testTheOriginOfATaskErrorIsTheWorkerThatRanIt() throws {
    let output = try lines(
      """
      def fail(x) { return [pid(), name()][5] }
      def me(x) { return [pid(), name()] }
      pl = pool start 1
      w = pl.map(me, [0])[0]
      try { pl.apply(fail, [0]) } catch e { print(e.kind, e.origin == f"{w[1]} (pid {w[0]})", e.origin) }
      """)
    XCTAssertTrue(output[0].hasPrefix("IndexError true "), output[0])
  }

  func testAnUncaughtErrorInATaskEndsTheScriptWithTheWorkersName() throws {
    let result = try proclab(
      """
      def inverse(x) { return 1 / x }
      x = pool map inverse [1, 0]
      print("not reached")
      """)
    XCTAssertEqual(result.status, 1)
    XCTAssertEqual(result.stdout, "")
    XCTAssertTrue(
      result.stderr.hasPrefix("<-c>:1:27: ZeroDivisionError: division by zero"), result.stderr)
    XCTAssertNotNil(
      result.stderr.range(
        of: #"\(raised in ForkPoolWorker-\d+ \(pid \d+\)\)"#, options: .regularExpression),
      result.stderr)
  }

  func testAWrongCallInATaskPointsIntoTheScript() throws {
    // The error is raised by the worker, but the mistake is the script's: its place is there.
    let output = try lines(
      """
      def two(a, b) { return a + b }
      try { pool map two [1, 2] } catch e { print(e.kind, e.where) }
      try { pool map 3 [1] } catch e { print(e.kind, e.where) }
      """)
    XCTAssertTrue(output[0].hasPrefix("TypeError <-c>:2:"), output[0])
    XCTAssertTrue(output[1].hasPrefix("TypeError <-c>:3:"), output[1])
  }

  func testAWrongCallOfAPoolTaskFailsAtTheCommandThatSubmittedIt() throws {
    let output = try lines(
      """
      def two(a, b) { return a + b }
      pl = pool start 1
      try { r = pool apply_async two(1) } catch e { print(e.kind, e.where) }
      try { s = pl.apply_async(two, [1]) } catch e { print(e.kind, e.where) }
      try { pl.map(two, [1]) } catch e { print(e.kind, e.where) }
      try { pool starmap len [[1, 2]] } catch e { print(e.kind, e.where) }
      """)
    // apply and apply_async check the call before submitting it; a map finds out on the worker.
    XCTAssertEqual(
      Array(output.prefix(4)),
      ["TypeError <-c>:3:11", "TypeError <-c>:4:11", "TypeError <-c>:5:7", "TypeError <-c>:6:7"])
  }

  func testWrongPoolCommandsAreReportedInTheSession() throws {
    let cases: [(String, String)] = [
      ("pool start 0", "ValueError"),
      ("pool start 2 maxtasksperchild=0", "ValueError"),
      ("def f(x) { return x }; pool map f [1] chunksize=0", "ValueError"),
      ("def f(x) { return x }; pool map f 5", "TypeError"),
      ("def f(x, y) { return x }; pool starmap f [1, 2]", "TypeError"),
      ("pool map len [1] pool=3", "TypeError"),
      ("pool map", "TypeError"),
      ("def f(x) { return x }; pool apply f", "TypeError"),
      ("pool frob", "UsageError"),
    ]
    for (script, kind) in cases {
      let result = try proclab(script)
      XCTAssertEqual(result.status, 1, script)
      XCTAssertTrue(result.stderr.hasPrefix("<-c>:1:"), "\(script): \(result.stderr)")
      XCTAssertTrue(result.stderr.contains(": \(kind): "), "\(script): \(result.stderr)")
    }
  }

  // MARK: workers

  func testMaxtasksperchildReplacesAWorkerAfterThatManyTasks() throws {
    let output = try lines(
      """
      def me(x) { return pid() }
      def distinct(xs) {
        seen = []
        for x in xs { if not (x in seen) { seen.append(x) } }
        return seen
      }
      pl = pool start 1 maxtasksperchild=2
      print(len(distinct(pl.map(me, range(6), chunksize=1))))
      rs = []
      for i in range(6) { rs.append(pool apply_async me(i) pool=pl) }
      pids = []
      for r in rs { pids.append(get r) }
      print(len(distinct(pids)), pids[0] == pids[1], pids[1] != pids[2], len(pl.pids))
      """)
    XCTAssertEqual(Array(output.prefix(2)), ["3", "3 true true 1"])
  }

  func testAFunctionDefinedAfterThePoolStartedRunsOnIt() throws {
    let output = try lines(
      """
      pool start 2
      def later(x) { return x + 1000 }
      print(pool map later [1, 2])
      print(pool apply later(3))
      """)
    XCTAssertEqual(Array(output.prefix(2)), ["[1001, 1002]", "1003"])
  }

  func testAFunctionDefinedAfterThePoolStartedCanCallAnotherDefinedLater() throws {
    let output = try lines(
      """
      pool start 2
      def helper(x) { return x * 10 }
      def later(x) { return helper(x) + 1 }
      print(pool map later [1, 2])
      """)
    XCTAssertEqual(output.first, "[11, 21]")
  }

  func testAFunctionRedefinedAfterThePoolStartedIsTheNewOneInTheWorkers() throws {
    // The caller was defined before the fork; the callee it calls by name changes after.
    let output = try lines(
      """
      def helper(x) { return "old" }
      def caller(x) { return helper(x) }
      pool start 2
      pl = pool start 1
      print(pool map caller [0, 0] chunksize=1)
      def helper(x) { return "new" }
      print(pool map caller [0, 0] chunksize=1)
      alias = helper
      def helper(x) { return "newer" }
      def viaAlias(x) { return [alias(x), helper(x)] }
      print(pool apply viaAlias(0), pl.map(caller, [0]), pl.apply(viaAlias, [0]))
      """)
    XCTAssertEqual(
      Array(output.prefix(3)),
      [
        #"["old", "old"]"#, #"["new", "new"]"#,
        #"["new", "newer"] ["newer"] ["new", "newer"]"#,
      ])
  }

  func testAReplacementWorkerKnowsTheFunctionsDefinedBeforeItStarted() throws {
    let output = try lines(
      """
      def me(x) { return pid() }
      pl = pool start 1 maxtasksperchild=1
      first = pl.apply(me, [0])
      def helper(x) { return x * 10 }
      def later(x) { return [helper(x), pid()] }
      second = pl.apply(later, [1])
      def helper(x) { return x * 100 }
      third = pl.apply(later, [1])
      print(second[0], third[0], first != second[1], second[1] != third[1])
      """)
    XCTAssertEqual(output.first, "10 100 true true")
  }

  func testNamedPoolsAreSeparateFromTheDefaultPool() throws {
    let output = try lines(
      """
      def who(x) { return [name(), pid(), x] }
      def sq(x) { return x * x }
      pool start 2
      pl = pool start 2
      print(pl, pl.size, pl.state, len(pl.pids))
      print((pool map sq range(4) pool=pl), pl.map(sq, range(4)))
      a = pool apply who(1) pool=pl
      b = pool apply who(2)
      c = pl.apply(who, [3])
      print(a[0].startswith("Pool2Worker-"), a[1] in pl.pids, b[0].startswith("ForkPoolWorker-"))
      print(c[0].startswith("Pool2Worker-"), c[2], not (b[1] in pl.pids))
      r = pl.apply_async(sq, [7])
      print((get r), r.get(timeout=1))
      pl.close()
      pl.join()
      print(pl.state, pl.pids, (pool map sq [3]))
      q = pool start 1
      q.terminate()
      print(q.state)
      """)
    XCTAssertTrue(output[0].hasPrefix("<Pool 2: 2 workers, running> 2 running 2"), output[0])
    XCTAssertEqual(
      Array(output[1...6]),
      [
        "[0, 1, 4, 9] [0, 1, 4, 9]", "true true true", "true 3 true", "49 49",
        "closed [] [9]", "terminated",
      ])
  }

  func testPoolStartWithoutASizeUsesTheCpuCountAndRestartsTheDefaultPool() throws {
    let output = try lines(
      """
      def me(x) { return pid() }
      pool start
      first = pool map me [1]
      pool start 3
      second = pool map me [1]
      print(first[0] != second[0])
      pl = pool start
      print(pl.size == cpu_count())
      """)
    XCTAssertEqual(Array(output.prefix(2)), ["true", "true"])
  }

  func testPoolAndPsShowTheWorkersAndWhatTheyDo() throws {
    let output = try lines(
      """
      def nap(t) { sleep(t); return t }
      pool start 2
      r = pool apply_async nap(3)
      pl = pool start 1
      sleep(0.3)
      print("pids", pl.pids)
      pool
      print("--ps--")
      ps
      pool terminate
      """)
    let text = output.joined(separator: "\n")
    let named = try XCTUnwrap(output.first { $0.hasPrefix("pids ") })
    let poolPid = try XCTUnwrap(numbers(in: named).first)
    let poolPart = try XCTUnwrap(text.components(separatedBy: "--ps--").first)
    let psPart = try XCTUnwrap(text.components(separatedBy: "--ps--").last)
    XCTAssertTrue(poolPart.contains("<Pool 1: 2 workers, running> (default)"), poolPart)
    XCTAssertNotNil(
      poolPart.range(
        of: #"ForkPoolWorker-1 +\d+ +running +0 +running nap\(3\)"#, options: .regularExpression),
      poolPart)
    XCTAssertNotNil(
      poolPart.range(of: #"ForkPoolWorker-2 +\d+ +idle"#, options: .regularExpression), poolPart)
    XCTAssertNotNil(
      poolPart.range(of: #"Pool2Worker-1 +\#(poolPid) +idle"#, options: .regularExpression),
      poolPart)
    for worker in ["ForkPoolWorker-1", "ForkPoolWorker-2", "Pool2Worker-1"] {
      XCTAssertTrue(psPart.contains(worker), psPart)
    }
    XCTAssertTrue(psPart.contains("running nap(3)"), psPart)
  }

  // MARK: close, join, terminate

  func testAClosedPoolRefusesNewTasksWithValueError() throws {
    let output = try lines(
      """
      def sq(x) { return x * x }
      pool start 2
      pool close
      try { pool map sq [1] } catch e { print(e.kind, e.message) }
      try { pool apply_async sq(1) } catch e { print(e.kind) }
      try { pool apply sq(1) } catch e { print(e.kind) }
      try { pool starmap sq [[1]] } catch e { print(e.kind) }
      try { pool imap_unordered sq [1] } catch e { print(e.kind) }
      pl = pool start 1
      pl.close()
      try { pl.map(sq, [1]) } catch e { print(e.kind) }
      try { pl.apply_async(sq, [1]) } catch e { print(e.kind) }
      """)
    XCTAssertTrue(output[0].hasPrefix("ValueError "), output[0])
    XCTAssertTrue(output[0].contains("closed"), output[0])
    XCTAssertEqual(Array(output[1...6]), Array(repeating: "ValueError", count: 6))
  }

  func testJoinBeforeCloseRaisesValueError() throws {
    let output = try lines(
      """
      pool start 1
      try { pool join } catch e { print(e.kind) }
      pl = pool start 1
      try { pl.join() } catch e { print(e.kind) }
      try { pool join pool=pl } catch e { print(e.kind) }
      print(pl.state)
      """)
    XCTAssertEqual(Array(output.prefix(4)), ["ValueError", "ValueError", "ValueError", "running"])
  }

  func testAClosedJoinedOrTerminatedDefaultPoolStaysListedAndRefusesTasks() throws {
    let output = try lines(
      """
      def sq(x) { return x * x }
      pool start 1
      print(pool map sq [3])
      pool
      pool close
      pool join
      pool
      try { pool map sq [1] } catch e { print(e.kind, "|", e.message) }
      pool start 1
      print(pool map sq [4])
      pool terminate
      pool
      try { pool apply sq(1) } catch e { print(e.kind, "|", e.message) }
      """)
    let text = output.joined(separator: "\n")
    XCTAssertEqual(output.first, "[9]")
    XCTAssertNotNil(
      text.range(of: #"ForkPoolWorker-1 +\d+ +idle +1 +idle, 1 task done"#, options: .regularExpression),
      text)
    XCTAssertTrue(text.contains("<Pool 1: 0 workers, closed> (default), 0 tasks queued"), text)
    XCTAssertNotNil(
      text.range(of: #"ForkPoolWorker-1 +\d+ +gone +- +exited 0"#, options: .regularExpression), text)
    XCTAssertTrue(text.contains("ValueError | Pool not running"), text)
    XCTAssertTrue(text.contains("[16]"), text)
    XCTAssertTrue(text.contains("<Pool 2: 0 workers, terminated> (default), 0 tasks queued"), text)
    let afterRestart = try XCTUnwrap(text.components(separatedBy: "[16]").last)
    XCTAssertFalse(afterRestart.contains("<Pool 1:"), "a restarted default pool replaces the old one")
    XCTAssertEqual(output.filter { $0.hasPrefix("ValueError | Pool not running") }.count, 2, text)
  }

  func testJoinAfterCloseWaitsForTheTasksAndTheWorkersToExit() throws {
    let output = try lines(
      """
      def nap(t) { sleep(t); return t }
      def gone(p) {
        try { read_file(f"/proc/{p}/stat") } catch e { return true }
        return read_file(f"/proc/{p}/stat").split(") ")[1][0] in ["Z", "X"]
      }
      pl = pool start 2
      workers = pl.pids
      r = pool apply_async nap(0.5) pool=pl
      pl.close()
      print(gone(workers[0]) and gone(workers[1]))
      t = now()
      pool join pool=pl
      print(now() - t >= 0.4, (get r timeout=0), gone(workers[0]), gone(workers[1]), pl.pids)
      """)
    XCTAssertEqual(Array(output.prefix(2)), ["false", "true 0.5 true true []"])
  }

  func testTerminateKillsTheWorkersAtOnceAndFailsTheirTasks() throws {
    let started = Date()
    let output = try lines(
      """
      def nap(t) { sleep(t); return t }
      pool start 2
      r = pool apply_async nap(20)
      queued = [(pool apply_async nap(20)), (pool apply_async nap(20))]
      sleep(0.2)
      t = now()
      pool terminate
      try { get r } catch e { print(e.kind, e.message) }
      for q in queued { try { get q } catch e { print(e.kind) } }
      print(now() - t < 1)
      """)
    XCTAssertTrue(output[0].hasPrefix("ProcessError "), output[0])
    XCTAssertTrue(output[0].contains("killed by SIGKILL"), output[0])
    XCTAssertEqual(Array(output[1...3]), ["ProcessError", "ProcessError", "true"])
    XCTAssertLessThan(Date().timeIntervalSince(started), 6)
  }

  func testAWorkerKilledMidTaskFailsThatTaskQuicklyAndThePoolGoesOn() throws {
    let path = temporaryPath("worker")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let started = Date()
    let output = try lines(
      #"""
      def slow(path) { write_file(path, str(pid())); sleep(20); return 1 }
      def sq(x) { return x * x }
      write_file("\#(path)", "")
      pl = pool start 2
      r = pool apply_async slow("\#(path)") pool=pl
      while read_file("\#(path)") == "" { sleep(0.02) }
      victim = int(read_file("\#(path)"))
      print(victim in pl.pids)
      t = now()
      kill victim signal=KILL
      try { get r } catch e { print(e.kind, "|", e.message, "|", e.origin == f"ForkPoolWorker-1 (pid {victim})") }
      print(now() - t < 3)
      print(pl.map(sq, range(6)), len(pl.pids), victim in pl.pids)
      pool
      """#)
    XCTAssertEqual(output[0], "true")
    XCTAssertTrue(output[1].hasPrefix("ProcessError | "), output[1])
    XCTAssertTrue(output[1].contains("killed by SIGKILL"), output[1])
    XCTAssertEqual(Array(output[2...3]), ["true", "[0, 1, 4, 9, 16, 25] 2 false"])
    let table = output.joined(separator: "\n")
    XCTAssertNotNil(
      table.range(of: #"ForkPoolWorker-3 +\d+ +idle"#, options: .regularExpression), table)
    XCTAssertNotNil(
      table.range(
        of: #"ForkPoolWorker-1 +\d+ +gone +- +killed by SIGKILL"#, options: .regularExpression),
      table)
    XCTAssertLessThan(Date().timeIntervalSince(started), 8)
  }

  // MARK: output

  func testAnOutputModeChosenAfterThePoolStartedReachesItsWorkers() throws {
    let output = try lines(
      """
      def mode(x) { return (output) }
      pool start 2
      output chars
      print(pool map mode [1, 2] chunksize=1)
      output raw
      print(pool map mode [1, 2] chunksize=1)
      """)
    XCTAssertEqual(Array(output.prefix(2)), [#"["chars", "chars"]"#, #"["raw", "raw"]"#])
  }

  // MARK: no worker left behind

  /// Runs `ending` after starting three pools: the default one with a task running (its
  /// worker prints "held PID"), one whose workers are replaced after each task, and an idle one.
  /// Returns the PIDs of all those workers and the result.
  private func workersAfterTheSessionEnds(_ ending: String) throws -> (
    [Int32], (status: Int32, stdout: String, stderr: String)
  ) {
    let result = try proclab(
      """
      def hold(x) { print("held", pid()); sleep(30) }
      def nap(t) { sleep(t) }
      pool start 2
      r = pool apply_async hold(0)
      pl = pool start 2 maxtasksperchild=1
      print(pool map nap [0] chunksize=1 pool=pl)
      d = pool start 2
      sleep(0.3)
      print("workers", d.pids + pl.pids)
      \(ending)
      """, timeout: 15)
    let lines = result.stdout.split(separator: "\n")
    let held = lines.filter { $0.hasPrefix("held ") }.flatMap { numbers(in: String($0)) }
    let named = lines.first { $0.hasPrefix("workers ") }.map { numbers(in: String($0)) } ?? []
    return (held + named, result)
  }

  private func assertAllGone(
    _ pids: [Int32], file: StaticString = #filePath, line: UInt = #line
  ) {
    let survivors = { pids.filter { !isGone($0) } }
    XCTAssertTrue(
      eventually(within: 3) { survivors().isEmpty }, "survivors: \(survivors())", file: file,
      line: line)
  }

  func testNoWorkerOutlivesAScriptThatEnds() throws {
    let started = Date()
    let (pids, result) = try workersAfterTheSessionEnds(
      "r = pool apply_async nap(30) pool=d")
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(pids.count, 5, result.stdout)
    assertAllGone(pids)
    XCTAssertLessThan(Date().timeIntervalSince(started), 10, "the session waited for a pool task")
  }

  func testNoWorkerOutlivesAScriptEndingInAnError() throws {
    let (pids, result) = try workersAfterTheSessionEnds("x = 1 / 0")
    XCTAssertEqual(result.status, 1)
    XCTAssertEqual(pids.count, 5, result.stdout)
    assertAllGone(pids)
  }

  func testNoWorkerOutlivesExit() throws {
    let (pids, result) = try workersAfterTheSessionEnds("exit 3")
    XCTAssertEqual(result.status, 3, result.stderr)
    XCTAssertEqual(pids.count, 5, result.stdout)
    assertAllGone(pids)
  }

  func testNoWorkerOutlivesTheSessionBeingKilled() throws {
    let path = temporaryPath("workers")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let session = try BackgroundProclab(
      script: """
        def hold(path) { append_file(path, f"{pid()}\\n"); sleep(30) }
        pool start 2
        r = pool apply_async hold("\(path)")
        pl = pool start 3
        for p in pl.pids { append_file("\(path)", f"{p}\\n") }
        sleep(30)
        """)
    XCTAssertTrue(eventually(within: 10) { pids(inFile: path).count == 4 }, session.stderr)
    let recorded = pids(inFile: path)
    XCTAssertTrue(recorded.allSatisfy { !isGone($0) }, "a worker ended early")
    session.signal(SIGKILL)
    XCTAssertEqual(session.waitForExit(within: 5), 128 + SIGKILL)
    assertAllGone(recorded)
  }
}
