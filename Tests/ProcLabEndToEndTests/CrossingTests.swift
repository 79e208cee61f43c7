// Runs `proclab -c` scripts that try to send values that cannot go to another process (handles,
// lists too deep), and pipes used after their other end is gone: each must fail at the call that
// tried, with its kind, and the queue, pipe, pool or worker must go on working afterwards.
import Foundation
import XCTest

final class CrossingTests: XCTestCase {
  // MARK: queues

  func testAHandlePutByTheSessionIsRefusedAtThePutAndAChildStillGetsTheNextItem() throws {
    // Before: the session kept the queue handle as an item, a child's get took it, its answer
    // could not be encoded and was dropped, and the child waited for good.
    let output = try passingLines(
      """
      queue q
      queue other
      try { q.put(other) } catch e { print(e.kind, e.message) }
      try { queue put q (queue third) } catch e { expect e.kind == "TypeError" and "cannot send a queue" in e.message }
      try { q.put([1, [2, other]]) } catch e { expect e.kind == "TypeError" and "cannot send a queue" in e.message }
      expect q.qsize() == 0
      q.put("after")
      def getter() { x = q.get(timeout=10); expect x == "after"; q.put("child was here") }
      c = spawn getter()
      join c timeout=20
      expect c.exitcode == 0
      expect q.get(timeout=10) == "child was here"
      print("ok")
      """)
    XCTAssertEqual(
      output.first,
      "TypeError cannot send a queue to another process (a queue is shared by inheritance: make it "
        + "before starting the process, or pass its name, \"other\")")
    XCTAssertEqual(output.last, "ok")
  }

  func testAHandlePutByAChildFailsInTheChildAndTheQueueServesEveryProcessAfterwards() throws {
    _ = try passingLines(
      """
      queue q
      queue other
      a, b = pipe()
      def producer() {
        try { q.put(other) } catch e { expect e.kind == "TypeError" and "cannot send a queue" in e.message; q.put("kind ok") }
        try { q.put([1, a]) } catch e { expect "cannot send a pipe end" in e.message; q.put("pipe ok") }
        try { queue put q [pid()] } catch e { q.put("unexpected") }
      }
      def consumer() { got = []; for i in range(3) { got.append(q.get(timeout=10)) }; expect len(got) == 3; q.put("consumer done") }
      p = spawn producer()
      join p timeout=20
      expect p.exitcode == 0
      c = spawn consumer()
      join c timeout=20
      expect c.exitcode == 0
      expect q.get(timeout=10) == "consumer done"
      expect q.qsize() == 0
      """)
  }

  func testAListNestedTooDeepIsRefusedAtThePutAndTheQueueGoesOn() throws {
    _ = try passingLines(
      """
      queue q
      deep = []
      for i in range(2000) { deep = [deep] }
      try { q.put(deep) } catch e { expect e.kind == "TypeError" and "nested" in e.message }
      def producer() {
        try { q.put(deep) } catch e { q.put(e.kind) }
      }
      p = spawn producer()
      join p timeout=20
      expect q.get(timeout=10) == "TypeError"
      """)
  }

  // MARK: pools

  func testATaskWhoseResultCannotCrossFailsWithTypeErrorAndTheWorkerTakesTheNextTask() throws {
    // Before: the worker's result frame never reached the session and get timed out.
    let output = try passingLines(
      """
      queue q
      def handle(x) { return [x, q] }
      def square(x) { return x * x }
      workers = pool start 1
      before = workers.pids
      r = pool apply_async handle(1)
      try { r.get(10) } catch e { print(e.kind); expect "cannot send a queue" in e.message }
      expect r.ready and not r.successful
      expect (pool apply_async square(7)).get(10) == 49
      try { pool map handle [1, 2] } catch e { print(e.kind) }
      expect (pool map square [1, 2, 3]) == [1, 4, 9]
      expect workers.pids == before
      pool close
      pool join
      """)
    XCTAssertEqual(output, ["TypeError", "TypeError"])
  }

  func testATaskReturningAFunctionGivesTheFunctionAsAPythonPoolDoes() throws {
    // Functions cross by name and definition text: the session finds its own copy.
    _ = try passingLines(
      """
      def double(x) { return 2 * x }
      def pick(x) { return double }
      def later(x) { def inner(y) { return y + 100 }; return inner }
      pool start 1
      f = (pool apply_async pick(0)).get(10)
      expect f(21) == 42
      g = (pool apply_async later(0)).get(10)
      expect g(1) == 101
      expect (pool map double [1, 2]) == [2, 4]
      pool terminate
      """)
  }

  func testTaskArgumentsThatCannotCrossAreRefusedAtSubmitAndThePoolGoesOn() throws {
    let output = try passingLines(
      """
      queue q
      def echo(x) { return x }
      pool start 2
      try { r = pool apply_async echo(q) } catch e { print(e.kind, "at submit") }
      try { pool map echo [1, 2, [q]] } catch e { print(e.kind, "at map") }
      try { pool starmap echo [[1], [q]] } catch e { print(e.kind, "at starmap") }
      expect (pool map echo [1, 2, 3]) == [1, 2, 3]
      expect (pool apply_async echo("fine")).get(10) == "fine"
      pool terminate
      """)
    XCTAssertEqual(output, ["TypeError at submit", "TypeError at map", "TypeError at starmap"])
  }

  // MARK: pipes

  func testSendingAHandleOnAPipeRaisesTypeErrorAndThePipeKeepsWorking() throws {
    _ = try passingLines(
      """
      queue q
      a, b = pipe()
      def echo() { a.close(); while true { try { v = b.recv() } catch e { return }; b.send(v) } }
      c = spawn echo()
      b.close()
      try { a.send(q) } catch e { expect e.kind == "TypeError" and "cannot send a queue" in e.message }
      try { send a [1, c] } catch e { expect e.kind == "TypeError" and "cannot send a process" in e.message }
      a.send([1, "two"])
      expect a.recv(10) == [1, "two"]
      a.close()
      join c timeout=20
      expect c.exitcode == 0
      """)
  }

  func testSendWhenTheOtherEndIsClosedEverywhereRaisesBrokenPipeError() throws {
    let output = try passingLines(
      """
      a, b = pipe()
      b.close()
      try { a.send(1) } catch e { print(e.kind) }
      r, w = pipe(duplex=false)
      def reader() { w.close(); expect r.recv(10) == "one"; r.close() }
      c = spawn reader()
      r.close()
      w.send("one")
      join c timeout=20
      expect c.exitcode == 0
      try { w.send("two") } catch e { print(e.kind) }
      def writer() { try { w.send("three") } catch e { exit 7 } }
      d = spawn writer()
      join d timeout=20
      print(d.exitcode)
      """)
    XCTAssertEqual(output, ["BrokenPipeError", "BrokenPipeError", "7"])
  }

  func testAOneWayPipeSendsFromItsSecondEndToItsFirstOnly() throws {
    let output = try passingLines(
      """
      r, w = pipe(duplex=false)
      expect r.readable and not r.writable and w.writable and not w.readable
      try { r.send(1) } catch e { print(e.kind, e.message) }
      try { w.recv(1) } catch e { print(e.kind, e.message) }
      def child() { r.close(); for i in range(3) { w.send(i) }; w.close() }
      c = spawn child()
      w.close()
      got = [r.recv(10), r.recv(10), r.recv(10)]
      expect got == [0, 1, 2]
      try { r.recv(10) } catch e { print(e.kind) }
      join c timeout=20
      expect c.exitcode == 0
      """)
    XCTAssertEqual(
      output,
      [
        "OSError cannot send on pipe 1 receive end: this end only receives",
        "OSError cannot receive on pipe 1 send end: this end only sends",
        "EOFError",
      ])
  }

  func testAClosedEndRaisesOSErrorAndTheOtherProcessesCopyStillWorks() throws {
    let output = try passingLines(
      """
      a, b = pipe()
      def child() { b.send("from the child's copy"); expect b.recv(10) == "back" }
      c = spawn child()
      b.close()
      b.close()
      expect b.closed
      try { b.send(1) } catch e { print(e.kind, e.message) }
      try { b.recv(1) } catch e { print(e.kind) }
      try { b.poll() } catch e { print(e.kind) }
      expect a.recv(10) == "from the child's copy"
      a.send("back")
      join c timeout=20
      expect c.exitcode == 0
      try { a.recv(10) } catch e { print(e.kind) }
      """)
    XCTAssertEqual(
      output,
      [
        "OSError handle is closed (pipe 1 end b was closed in this process)", "OSError", "OSError",
        "EOFError",
      ])
  }

  // MARK: children

  func testAChildEndingWithAHandleAsItsExitValueOrResultWedgesNothing() throws {
    _ = try passingLines(
      """
      queue q
      def leaves() { exit q }
      def returns() { return q }
      def fails() { q.put(1); x = 1 / 0 }
      a = spawn leaves()
      b = spawn returns()
      c = spawn fails()
      join all timeout=20
      expect a.exitcode == 1 and b.exitcode == 0 and c.exitcode == 1
      expect q.get(timeout=10) == 1
      q.put(2)
      expect q.get(timeout=10) == 2
      """)
  }
}
