// Runs `proclab -c` scripts that share locks, semaphores, events, values and arrays between
// real processes: the issue's block as written, Python's behaviour of each primitive (errors,
// timeouts, counts), `with` on every way out, deadlocks found and named, dead holders released.
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

final class SyncTests: XCTestCase {
  /// The lines a script printed, without the session's own notices (`proclab: ...`: a lock
  /// released for a process that ended holding it, a deadlock found).
  private func scriptLines(_ script: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
    try passingLines(script, file: file, line: line).filter { !$0.hasPrefix("proclab: ") }
  }

  // MARK: the issue's block

  func testTheMustWorkBlockOfTheIssueRuns() throws {
    let started = Date()
    let result = try proclab(
      """
      counter = Value("i", 0)
      def bump(n) { for i in range(n) { counter.value += 1 } }
      for i in range(4) { spawn bump(200000) }
      join all
      print("without a lock:", counter.value)
      expect counter.value < 800000
      safe = Value("i", 0)
      def bump_safe(n) { for i in range(n) { with safe.get_lock() { safe.value += 1 } } }
      for i in range(4) { spawn bump_safe(50000) }
      join all
      expect safe.value == 200000
      arr = Array("d", 4)
      def fill(i) { arr[i] = i * 1.5 }
      for i in range(4) { spawn fill(i) }
      join all
      expect list(arr) == [0.0, 1.5, 3.0, 4.5]
      sem = Semaphore(2)
      active = Value("i", 0)
      peak = Value("i", 0)
      def limited() { with sem { with active.get_lock() { active.value += 1; peak.value = max(peak.value, active.value) }; sleep(0.2); with active.get_lock() { active.value -= 1 } } }
      for i in range(6) { spawn limited() }
      join all
      expect peak.value == 2
      go = Event()
      def runner() { go.wait(); print("off", name()) }
      r = spawn runner()
      sleep(0.2)
      expect r.is_alive()
      go.set()
      join r
      expect r.exitcode == 0
      l1 = Lock()
      l2 = Lock()
      def ab() { with l1 { sleep(0.2); with l2 { } } }
      def ba() { with l2 { sleep(0.2); with l1 { } } }
      x = spawn ab()
      y = spawn ba()
      sleep(0.5)
      ps
      k = ""; try { join x y } catch e { k = e.kind }
      expect k == "DeadlockError"
      kill x
      join y timeout=2
      expect not y.is_alive()
      print("sync ok")
      """, timeout: 120)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertTrue(result.stdout.hasSuffix("sync ok\n"), result.stdout)
    XCTAssertEqual(result.stderr, "")
    let rows = result.stdout.split(separator: "\n").filter { $0.contains(" deadlocked ") }
    XCTAssertEqual(rows.count, 2, result.stdout)
    for row in rows { XCTAssertTrue(row.contains("blocked on lock Lock-") && row.contains(" held by Process-"), String(row)) }
    let lines = result.stdout.split(separator: "\n")
    XCTAssertEqual(lines.filter { $0.hasPrefix("proclab: deadlock: ") }.count, 1, result.stdout)
    XCTAssertTrue(lines.contains { $0.contains("killed by SIGTERM holding Lock-") && $0.hasSuffix("released it") }, result.stdout)
    XCTAssertLessThan(Date().timeIntervalSince(started), 100)
  }

  // MARK: locks

  func testLockErrorsAndTimeoutsAreThoseOfPython() throws {
    let output = try scriptLines(
      """
      l = Lock()
      try { l.release() } catch e { print(e.kind, e.message) }
      expect l.acquire()
      expect not l.acquire(false)
      t = now(); got = l.acquire(timeout=0.3); waited = now() - t
      print(got, waited >= 0.3, waited < 2)
      l.release()
      expect not l.locked()
      r = RLock()
      r.acquire(); r.acquire(); r.release()
      print(r.locked())
      r.release()
      try { r.release() } catch e { print(e.kind, e.message) }
      """)
    XCTAssertEqual(
      output,
      [
        "ValueError semaphore or lock released too many times", "false true true", "true",
        "AssertionError attempt to release recursive lock not owned by thread",
      ])
  }

  /// One call site, objects of several types in turn: the method it keeps for one type
  /// (HandleMethod) is never run on another, and a method a type lacks is still an error.
  func testACallSiteCallsTheMethodOfEachObjectsOwnType() throws {
    let output = try scriptLines(
      """
      def take(things) {
        got = []
        for x in things { got.append(x.acquire(false)); got.append(type(x)) }
        return got
      }
      l = Lock()
      print(take([l, Semaphore(0), l, RLock()]))
      def call_set(x) { x.set() }
      e = Event()
      call_set(e)
      try { call_set(l) } catch err { print(err.kind, e.is_set()) }
      """)
    XCTAssertEqual(output, [#"[true, "lock", false, "semaphore", false, "lock", true, "lock"]"#, "AttributeError true"])
  }

  func testALockHeldByAnotherProcessIsReallyHeldAndAnRLockIsOnlyItsOwners() throws {
    let output = try scriptLines(
      """
      l = Lock()
      r = RLock()
      def hold() { l.acquire(); r.acquire(); sleep(0.6) }
      p = spawn hold()
      sleep(0.3)
      print(l.locked(), l.owner == p.pid, l.acquire(false), l.acquire(timeout=0.1))
      try { r.release() } catch e { print(e.kind) }
      join p
      print(l.acquire(timeout=2))
      """)
    XCTAssertEqual(output, ["true true false false", "AssertionError", "true"])
  }

  func testWithReleasesOnReturnBreakAndError() throws {
    let output = try scriptLines(
      """
      l = Lock()
      def f() { with l { return 5 } }
      print(f(), l.locked())
      for i in range(3) { with l { break } }
      print(l.locked())
      try { with l { 1 / 0 } } catch e { print(e.kind, l.locked()) }
      try { with 3 { } } catch e { print(e.kind) }
      """)
    XCTAssertEqual(output, ["5 false", "false", "ZeroDivisionError false", "TypeError"])
  }

  func testCtrlCInterruptsAnAcquireBlockedOnAnotherProcess() throws {
    let result = try bash(
      """
      $PROCLAB -c 'l = Lock()
      def hold() { l.acquire(); sleep(30) }
      p = spawn hold()
      sleep(0.2)
      print("waiting")
      l.acquire()
      print("never")' &
      pid=$!
      sleep 1.5
      kill -INT $pid
      wait $pid
      echo "status $?"
      """, timeout: 20)
    XCTAssertEqual(result.stdout, "waiting\nstatus 130\n", result.stderr)
    XCTAssertTrue(result.stderr.contains("KeyboardInterrupt"), result.stderr)
  }

  // MARK: semaphores and events

  func testSemaphoreCountsAndBoundedSemaphoreRefusesToGoAboveItsStart() throws {
    let output = try scriptLines(
      """
      s = Semaphore(0)
      print(s.acquire(false), s.acquire(timeout=0.1), s.get_value())
      s.release(); s.release()
      print(s.get_value(), s.acquire(), s.get_value())
      b = BoundedSemaphore(1)
      try { b.release() } catch e { print(e.kind, e.message) }
      try { Semaphore(-1) } catch e { print(e.kind) }
      """)
    XCTAssertEqual(output, ["false false 0", "2 true 1", "ValueError Semaphore released too many times", "ValueError"])
  }

  func testAnEventWakesEveryWaiterAndWaitTimesOut() throws {
    let output = try scriptLines(
      """
      go = Event()
      print(go.wait(0.1), go.is_set())
      done = Value("i", 0)
      def runner() { expect go.wait(5); with done.get_lock() { done.value += 1 } }
      for i in range(3) { spawn runner() }
      sleep(0.2)
      print(done.value)
      go.set()
      join all
      print(done.value, go.is_set())
      go.clear()
      print(go.is_set())
      """)
    XCTAssertEqual(output, ["false false", "0", "3 true", "false"])
  }

  // MARK: shared memory

  func testValuesAndArraysCheckTheirTypesAndIndices() throws {
    let output = try scriptLines(
      """
      a = Array("i", [1, 2, 3, 4, 5])
      print(a[1:3], a[-1], len(a), list(a), a[::2])
      try { a[9] = 1 } catch e { print(e.kind) }
      try { a[0] = 2**40 } catch e { print(e.kind) }
      try { a[0] = 1.5 } catch e { print(e.kind) }
      c = Value("c", "x")
      print(c.value, Value("d").value, Value("b", -3).value)
      n = Value("i", 1, lock=false)
      try { n.get_lock() } catch e { print(e.kind) }
      try { Value("z", 1) } catch e { print(e.kind) }
      try { counter.nothing = 1 } catch e { print(e.kind) }
      shared = Lock()
      v = Value("i", 0, lock=shared)
      print(v.get_lock().name == shared.name)
      """)
    XCTAssertEqual(
      output, ["[2, 3] 5 5 [1, 2, 3, 4, 5] [1, 3, 5]", "IndexError", "OverflowError", "TypeError", "x 0.0 -3", "AttributeError", "ValueError", "NameError", "true"])
  }

  func testObjectsMadeAfterAProcessForkedReachItThroughAQueue() throws {
    let output = try scriptLines(
      """
      q = Queue()
      def waiter() { e = q.get(); v = q.get(); e.wait(); with v.get_lock() { v.value += 5 } }
      p = spawn waiter()
      sleep(0.1)
      e = Event()
      v = Value("i", 1)
      q.put(e); q.put(v)
      e.set()
      join p
      print(v.value)
      def maker() { l = Lock(); l.acquire(); q.put(l); sleep(0.3) }
      m = spawn maker()
      l = q.get()
      print(l.locked(), l.acquire(timeout=0.05))
      join m
      print(l.acquire(timeout=2))
      """)
    XCTAssertEqual(output, ["6", "true false", "true"])
  }

  // MARK: who waits for whom

  func testAJoinOnAProcessWaitingForTheJoinersLockIsADeadlock() throws {
    let result = try proclab(
      """
      l = Lock()
      l.acquire()
      def w() { with l { print("child got it") } }
      p = spawn w()
      t = now()
      try { join p } catch e { print(e.kind, now() - t < 1) }
      l.release()
      join p
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    XCTAssertEqual(lines.filter { !$0.hasPrefix("proclab: ") }, ["DeadlockError true", "child got it"])
    XCTAssertTrue(result.stdout.contains("proclab: deadlock: MainProcess (pid "), result.stdout)
    XCTAssertTrue(result.stdout.contains("waits to join Process-1"), result.stdout)
  }

  func testALockTakenTwiceByItsHolderIsNamedAsACycleOfOne() throws {
    let result = try proclab(
      """
      def again() { m = Lock(); m.acquire(); m.acquire() }
      s = spawn again()
      try { join s timeout=5 } catch e { print(e.kind) }
      kill s
      join s
      """)
    XCTAssertEqual(result.stdout.split(separator: "\n").filter { !$0.hasPrefix("proclab: ") }, ["DeadlockError"], result.stderr)
    XCTAssertTrue(result.stdout.contains("which it holds itself"), result.stdout)
  }

  func testAShorterJoinTimeoutWinsOverDeadlockDetection() throws {
    let output = try scriptLines(
      """
      l1 = Lock()
      l2 = Lock()
      def ab() { with l1 { sleep(0.3); with l2 { } } }
      def ba() { with l2 { sleep(0.3); with l1 { } } }
      x = spawn ab()
      y = spawn ba()
      join x timeout=0.1
      print(x.is_alive())
      kill x y
      join all
      """)
    XCTAssertEqual(output, ["true"])
  }

  func testALockWhoseHolderDiesIsReleasedWithAWarning() throws {
    let result = try proclab(
      """
      l = Lock()
      def hold() { l.acquire(); sleep(30) }
      p = spawn hold()
      sleep(0.2)
      kill p signal=KILL
      print(l.acquire(timeout=5))
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    let lines = result.stdout.split(separator: "\n")
    XCTAssertEqual(lines.count, 2, result.stdout)
    XCTAssertTrue(lines[0].hasPrefix("proclab: Process-1 (pid "), result.stdout)
    XCTAssertTrue(lines[0].hasSuffix("killed by SIGKILL holding Lock-1; released it"), result.stdout)
    XCTAssertEqual(lines[1], "true")
  }

  func testACycleThroughTwoSemaphoresIsADeadlockAndADeadHoldersUnitGoesBack() throws {
    let result = try proclab(
      """
      s1 = Semaphore(1)
      s2 = BoundedSemaphore(1)
      def ab() { with s1 { sleep(0.2); with s2 { } } }
      def ba() { with s2 { sleep(0.2); with s1 { } } }
      x = spawn ab()
      y = spawn ba()
      sleep(0.5)
      ps
      sync show s1
      k = ""; try { join x y } catch e { k = e.kind }
      print(k)
      kill x
      join y timeout=2
      print(y.is_alive(), s1.get_value(), s2.get_value())
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    XCTAssertEqual(lines.filter { $0.hasPrefix("proclab: deadlock: ") }.count, 1, result.stdout)
    XCTAssertTrue(result.stdout.contains("waits for semaphore BoundedSemaphore-2 held by Process-2 (pid "), result.stdout)
    XCTAssertTrue(result.stdout.contains("waits for semaphore Semaphore-1 held by Process-1 (pid "), result.stdout)
    // ps's rows: "PID PPID NAME STATE ...".
    let rows = lines.filter { $0.split(separator: " ").first.map { Int($0) != nil } == true && $0.contains(" Process-") }
    XCTAssertEqual(rows.count, 2, result.stdout)
    XCTAssertTrue(rows.allSatisfy { $0.contains(" deadlocked ") && $0.contains("blocked on semaphore ") }, result.stdout)
    XCTAssertTrue(lines.contains { $0.hasPrefix("semaphore Semaphore-1: value 0, held by Process-1 (pid ") }, result.stdout)
    XCTAssertTrue(lines.contains { $0.hasPrefix("  waiting: Process-2 (pid ") }, result.stdout)
    XCTAssertTrue(lines.contains("DeadlockError"), result.stdout)
    XCTAssertTrue(lines.contains { $0.hasPrefix("proclab: Process-1 (pid ") && $0.hasSuffix("holding a unit of Semaphore-1; released it") }, result.stdout)
    XCTAssertEqual(lines.last, "false 1 1")
  }

  func testASemaphoreThatSignalsMakesNoDeadlockOfItsConsumer() throws {
    // The consumer holds the units it took and waits for more: were the units it took counted
    // as held, it would wait for itself. The session released a unit it never took, so the
    // semaphore signals and its takers are no one to wait for.
    let result = try proclab(
      """
      items = Semaphore(0)
      def consume() { for i in range(3) { items.acquire() } }
      c = spawn consume()
      for i in range(3) { sleep(0.15); items.release() }
      join c
      print(c.exitcode)
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stdout, "0\n")
  }

  func testEventAndBarrierWaitersShowInPsAndSyncShow() throws {
    let lines = try passingLines(
      """
      ev = Event()
      b = Barrier(3)
      def w() { ev.wait() }
      def bw() { b.wait() }
      p1 = spawn w(); p2 = spawn bw(); p3 = spawn bw()
      sleep(0.3)
      ps
      sync show ev
      sync show b
      ev.set(); b.wait()
      join all
      """)
    let rows = lines.filter { $0.split(separator: " ").first.map { Int($0) != nil } == true && $0.contains(" Process-") }
    XCTAssertEqual(rows.count, 3, lines.joined(separator: "\n"))
    XCTAssertTrue(rows[0].contains(" blocked ") && rows[0].contains("blocked on event Event-1 (1 waiting) for 0."), rows[0])
    for row in rows.dropFirst() {
      XCTAssertTrue(row.contains(" blocked ") && row.contains("blocked on barrier Barrier-2 (2 of 3 waiting) for 0."), row)
    }
    XCTAssertTrue(lines.contains("event Event-1: not set"), lines.joined(separator: "\n"))
    XCTAssertTrue(lines.contains("barrier Barrier-2: 2 of 3 waiting"), lines.joined(separator: "\n"))
    XCTAssertEqual(lines.filter { $0.hasPrefix("  waiting: Process-") }.count, 3, lines.joined(separator: "\n"))
  }

  func testALockAndASemaphoreUnitHeldByAKilledPoolWorkerAreReleased() throws {
    let result = try proclab(
      """
      l = Lock()
      sem = Semaphore(1)
      log = temp_dir() + "/held"
      write_file(log, "")
      def hold(x) { l.acquire(); sem.acquire(); write_file(log, str(pid())); sleep(10); return x }
      pl = pool start 2
      r = pool apply_async hold(1) pool=pl
      while read_file(log) == "" { sleep(0.02) }
      victim = int(read_file(log))
      print(l.locked(), sem.get_value(), f"held by ForkPoolWorker-" in str(l))
      kill victim signal=KILL
      try { get r } catch e { print(e.kind) }
      t = now()
      print(l.acquire(timeout=2), sem.acquire(timeout=2), now() - t < 1)
      print(f"victim {victim}")
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    XCTAssertEqual(lines.count, 6, result.stdout)
    guard lines.count == 6, let victim = lines.last?.split(separator: " ").last else { return }
    XCTAssertEqual(lines[0], "true 0 true")
    // Either worker may have run the task: the line names the one killed, by name and PID.
    for (line, held) in [(lines[1], "Lock-1; released it"), (lines[2], "a unit of Semaphore-2; released it")] {
      XCTAssertTrue(line.hasPrefix("proclab: ForkPoolWorker-") && line.hasSuffix(" (pid \(victim)) killed by SIGKILL holding \(held)"), line)
    }
    XCTAssertEqual(lines[3], "ProcessError")
    XCTAssertEqual(lines[4], "true true true")
  }

  // MARK: conditions and barriers

  func testNotifyLetsExactlyNWaitersGoAndWaitNeedsTheLock() throws {
    let output = try scriptLines(
      """
      c = Condition(Lock())
      woken = Value("i", 0)
      def waiter() { with c { c.wait(); woken.value += 1 } }
      for k in range(3) { spawn waiter() }
      sleep(0.3)
      with c { c.notify(1) }
      sleep(0.3)
      print(woken.value)
      with c { c.notify(2) }
      join all
      print(woken.value)
      try { c.notify() } catch e { print(e.kind, e.message) }
      with c { print(c.wait(0.1)) }
      """)
    XCTAssertEqual(output, ["1", "3", "RuntimeError cannot notify on un-acquired lock", "false"])
  }

  func testWaitForReturnsOnceThePredicateHolds() throws {
    let output = try scriptLines(
      """
      c = Condition()
      items = Value("i", 0)
      def ready() { return items.value >= 3 }
      def consumer() { with c { expect c.wait_for(ready, 5); print(items.value) } }
      p = spawn consumer()
      for i in range(3) { sleep(0.05); with c { items.value += 1; c.notify_all() } }
      join p
      with c { print(c.wait_for(ready, 0.1)) }
      """)
    XCTAssertEqual(output, ["3", "true"])
  }

  func testABarrierReleasesAllPartiesAndBreaksOnTimeoutAbortAndReset() throws {
    let output = try scriptLines(
      """
      order = Array("i", 3)
      def done() { print("action") }
      b = Barrier(3, done)
      def arrive(k) { sleep(k * 0.15); order[k] = b.wait() }
      for k in range(3) { spawn arrive(k) }
      sleep(0.2)
      print(b.n_waiting, b.parties, b.broken)
      join all
      print(list(order))
      b2 = Barrier(2, timeout=0.2)
      try { b2.wait() } catch e { print(e.kind, b2.broken) }
      b2.reset()
      print(b2.broken)
      b3 = Barrier(2)
      def stuck() { try { b3.wait() } catch e { print("child", e.kind) } }
      s = spawn stuck()
      sleep(0.2)
      b3.abort()
      join s
      """)
    XCTAssertEqual(output, ["2 3 false", "action", "[0, 1, 2]", "BrokenBarrierError true", "false", "child BrokenBarrierError"])
  }

  func testSyncShowNamesTheHolderAndWhoWaitsForHowLong() throws {
    let output = try scriptLines(
      """
      l = Lock(); v = Value("d", 2.5)
      def hold() { with l { sleep(0.6) } }
      def wait_l() { with l { } }
      a = spawn hold(); sleep(0.1); b = spawn wait_l(); sleep(0.3)
      sync show l
      sync
      join all
      sync show l
      """)
    XCTAssertEqual(output.count, 7, output.joined(separator: "\n"))
    XCTAssertTrue(output[0].hasPrefix("lock Lock-1: held by Process-1 (pid "), output[0])
    XCTAssertTrue(output[1].hasPrefix("  waiting: Process-2 (pid "), output[1])
    XCTAssertTrue(output[1].hasSuffix(" for 0.3s") || output[1].hasSuffix(" for 0.4s"), output[1])
    XCTAssertEqual(output[4], "shared value Value-2: 'd' 2.5")
    XCTAssertEqual(output[5], "lock Value-2.lock: free")
    XCTAssertEqual(output[6], "lock Lock-1: free")
  }

  func testALastingWaitShowsOnTheTimelineWithTheLocksName() throws {
    let result = try proclab(
      """
      l = Lock()
      def hold() { with l { sleep(0.4) } }
      def want() { with l { } }
      a = spawn hold(); sleep(0.05); b = spawn want()
      join all
      path = temp_dir() + "/t.svg"
      timeline all svg path
      print(read_file(path))
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertTrue(result.stdout.contains("<title>Process-2 ("), result.stdout)
    XCTAssertTrue(result.stdout.contains(") blocked on lock Lock-1 held by "), result.stdout)
  }

  func testAHeldLockShowsOnItsLaneForAboutAsLongAsItWasHeldAndTheSVGNamesIt() throws {
    let result = try proclab(
      """
      l = Lock()
      def hold() { sleep(0.1); with l { sleep(0.3) }; sleep(0.1) }
      a = spawn hold()
      join all
      timeline all
      path = temp_dir() + "/t.svg"
      timeline all svg path
      print(read_file(path))
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    // "timeline of the whole session · 2 processes · 0.512s", the lanes, then the axis.
    guard let title = lines.first, let span = Double(title.split(separator: " ").last?.dropLast() ?? ""),
      let row = lines.first(where: { $0.hasPrefix("Process-1 ") }), let axis = lines.first(where: { $0.contains("┬") })
    else { return XCTFail(result.stdout) }
    let columns = axis.trimmingCharacters(in: .whitespaces).count
    let held = Double(row.filter { $0 == "#" }.count) * span / Double(columns)
    // Seen by looks 20 ms apart (a timer can be late): up to about two looks short of 0.3 s.
    XCTAssertTrue(held > 0.22 && held < 0.34, "held \(held) s: \(row)")
    XCTAssertTrue(row.contains("~#") && row.contains("#~"), "sleeping before and after the hold: \(row)")
    XCTAssertTrue(result.stdout.contains("# holding a lock (seen every 20 ms)"), result.stdout)
    XCTAssertTrue(result.stdout.contains("<rect class=\"hold\""), result.stdout)
    XCTAssertTrue(result.stdout.contains(") holding Lock-1, 0."), result.stdout)
  }

  // MARK: managers

  func testAManagersDictListAndNamespaceAreTheSessionsForEveryProcess() throws {
    let output = try scriptLines(
      """
      m = Manager()
      d = m.dict()
      xs = m.list([1, 2])
      ns = m.Namespace()
      def work(k) { d[k] = k * k; xs.append(k); ns.last = k }
      for k in range(4) { spawn work(k) }
      join all
      print(sorted(d.keys()), len(d), 2 in d, d[3], d.get(9, "missing"), sorted(d.values()))
      print(sorted(list(xs)), len(xs), xs[0], xs[1:2], ns.last in [0, 1, 2, 3])
      try { d[99] } catch e { print(e.kind) }
      try { print(ns.nothing) } catch e { print(e.kind) }
      try { xs[10] } catch e { print(e.kind) }
      print(d.pop(0), d.pop(42, "default"), xs.pop(0), xs.index(2), xs.count(2))
      xs.clear(); d.clear()
      print(len(xs), len(d), d.copy(), xs.copy())
      """)
    XCTAssertEqual(
      output,
      [
        "[0, 1, 2, 3] 4 true 9 missing [0, 1, 4, 9]", "[0, 1, 1, 2, 2, 3] 6 1 [2] true", "KeyError", "AttributeError", "IndexError",
        "0 default 1 0 2", "0 0 {} []",
      ])
  }

  func testANamespaceStartsWithItsKeywordArgumentsAsPythonsDoes() throws {
    let output = try scriptLines(
      """
      m = Manager()
      ns = m.Namespace(a=1, b="x")
      def f() { ns.a += 10; ns.c = [ns.b] }
      p = spawn f(); join p
      print(ns.a, ns.b, ns.c)
      try { print(m.Namespace().a) } catch e { print(e.kind) }
      try { m.Namespace(1) } catch e { print(e.kind) }
      sync
      """)
    XCTAssertEqual(
      output,
      [
        #"11 x ["x"]"#, "AttributeError", "TypeError", #"managed Namespace Namespace-1: {"a": 11, "b": "x", "c": ["x"]}"#,
        "managed Namespace Namespace-2: {}",
      ])
  }

  func testAProxyMadeAfterAForkCrossesAQueueAndLockedChangesAreExact() throws {
    let output = try scriptLines(
      """
      m = Manager()
      q = Queue()
      def later() { d = q.get(); d["late"] = true }
      p = spawn later()
      d = m.dict({"a": 1})
      q.put(d)
      join p
      print(d.copy())
      ns = m.Namespace()
      ns.n = 0
      lock = Lock()
      def add(n) { for i in range(n) { with lock { ns.n += 1 } } }
      for i in range(3) { spawn add(200) }
      join all
      print(ns.n)
      sync show d
      """)
    XCTAssertEqual(output, ["{\"a\": 1, \"late\": true}", "600", "managed dict dict-1: {\"a\": 1, \"late\": true}"])
  }
}
