// Python's own calls, as a Python user types them: the issue's script runs exactly as
// written, and the mistakes people bring get errors that say what to type instead.
import XCTest

final class PythonFormsTests: XCTestCase {
  func testTheIssuesScriptOfPythonFormsRunsAsWritten() throws {
    let result = try proclab(Self.issueScript)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stdout, "worker 1\na queue does not cross: TypeError\npython forms ok\n")
    XCTAssertEqual(result.stderr, "bye\n")
  }

  func testAnUncaughtErrorShowsTheCallChainOutermostFirst() throws {
    let result = try proclab("def a() { b() }; def b() { 1 / 0 }; a()")
    XCTAssertEqual(result.status, 1)
    let lines = result.stderr.split(separator: "\n").map(String.init)
    let a = try XCTUnwrap(lines.firstIndex { $0.hasSuffix(", in a") }, result.stderr)
    let b = try XCTUnwrap(lines.firstIndex { $0.hasSuffix(", in b") }, result.stderr)
    let error = try XCTUnwrap(lines.firstIndex { $0.contains("ZeroDivisionError") }, result.stderr)
    XCTAssertTrue(a < b && b < error, result.stderr)
    XCTAssertTrue(lines[error + 2].trimmingCharacters(in: .whitespaces) == "^", result.stderr)
  }

  func testPythonHabitsGetHintsOfWhatToType() throws {
    let cases: [(script: String, hint: String)] = [
      ("spwan f(1)", "did you mean 'spawn'"),
      ("print \"x\"", "print(\"x\")"),
      ("queue q; queue put q 1 + 2", "(1 + 2)"),
      ("import os", "no modules"),
      ("timeline svg t.svg", "\"t.svg\""),
      ("q = Queue(); q.get(timout=1)", "did you mean 'timeout'? get(block=true, timeout=none)"),
      ("def w() { sleep(5) }; p = spawn w(); join p timout=1", "did you mean 'timeout'"),
      ("q = Queue(); q.qsize(\"x\")", "qsize() takes no positional arguments"),
      ("q = Queue(); q.get(1, 2, 3, 4)", "get() takes at most 2 positional arguments (4 given)"),
      ("q = Queue(); q.gett()", "did you mean 'get'"),
      ("p = multiprocessing.Process(target=print)", "without 'multiprocessing.'"),
      ("for i in xrange(3) { }", "range(...)"),
    ]
    for (script, hint) in cases {
      let result = try proclab(script)
      XCTAssertNotEqual(result.status, 0, script)
      XCTAssertTrue(result.stderr.contains(hint), "\(script): \(result.stderr)")
      XCTAssertTrue(result.stderr.hasPrefix("<-c>:1:"), "\(script): \(result.stderr)")
    }
  }

  func testExitWithAMessagePrintsItAndEndsWithStatusOne() throws {
    let result = try proclab("exit \"bye\"")
    XCTAssertEqual(result.status, 1)
    XCTAssertEqual(result.stderr, "bye\n")
    XCTAssertEqual(try proclab("exit 3").status, 3)
    XCTAssertEqual(try proclab("exit").status, 0)
  }

  func testAProcessMadeWithProcessIsNewInPsUntilStarted() throws {
    let result = try proclab(
      """
      def nap() { sleep(0.2) }
      p = Process(target=nap, name="later")
      ps
      p.start()
      print("pid known:", p.pid > 0)
      p.join()
      print(p.exitcode)
      k = ""
      try { p.start() } catch e { k = e.kind }
      print(k)
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    let row = try XCTUnwrap(result.stdout.split(separator: "\n").first { $0.contains("later") }, result.stdout)
    XCTAssertTrue(row.contains("new"), String(row))
    XCTAssertTrue(result.stdout.contains("pid known: true\n0\nRuntimeError\n"), result.stdout)
  }

  func testNegativeTimeoutsReturnAtOnceAsInPython() throws {
    let result = try proclab(
      """
      q = Queue()
      t0 = now()
      k = ""
      try { q.get(true, -5) } catch e { k = e.kind }
      print(k, now() - t0 < 1)
      """)
    XCTAssertEqual(result.stdout, "Empty true\n", result.stderr)
  }

  func testCallbacksOfAsyncResultsRunInTheSession() throws {
    let result = try proclab(
      """
      def sq(x) { return x * x }
      def fails(x) { return 1 / 0 }
      got = []
      def keep(v) { global got; got.append([pid(), v]) }
      def oops(e) { global got; got.append([pid(), e.kind]) }
      pl = Pool(1)
      pl.apply_async(sq, (6,), callback=keep).wait(5)
      pl.apply_async(fails, (1,), error_callback=oops).wait(5)
      m = pl.map_async(sq, [1, 2], callback=keep)
      print(m.get(5))
      sleep(0)
      print(got == [[pid(), 36], [pid(), "ZeroDivisionError"], [pid(), [1, 4]]])
      """)
    XCTAssertEqual(result.stdout, "[1, 4]\ntrue\n", result.stderr)
  }

  func testAPoolInitializerRunsInEachWorkerAndAFailingOneBreaksThePool() throws {
    let result = try proclab(
      """
      tag = "session"
      def setup(t) { global tag; tag = t }
      def read(x) { return tag + str(x) }
      pl = Pool(2, setup, ("w",))
      print(pl.map(read, range(3)))
      def bad() { return 1 / 0 }
      broken = Pool(1, bad)
      k = ""
      try { broken.apply(read, (1,)) } catch e { k = e.kind }
      # ProcessError when the task was submitted before the worker's end was seen, else ValueError.
      print(k in ["ProcessError", "ValueError"], broken.state)
      """)
    XCTAssertEqual(result.stdout, "[\"w0\", \"w1\", \"w2\"]\ntrue broken\n", result.stderr)
    XCTAssertTrue(result.stderr.contains("in the pool's initializer"), result.stderr)
  }

  static let issueScript = #"""
def do(i) { print(f"worker {i}"); return i }
p = Process(target=do, args=(1,), name="first")
expect p.exitcode == none and not p.is_alive()
p.start()
p.join()
expect p.exitcode == 0 and not p.is_alive()
q = Queue(5)
for i in range(5) { q.put(i) }
expect q.full() and q.qsize() == 5
k = ""; try { q.put(9, false) } catch e { k = e.kind }; expect k == "Full"
t0 = now()
k = ""; try { q.put(9, true, 0.5) } catch e { k = e.kind }; expect k == "Full"
expect now() - t0 >= 0.45
for i in range(5) { q.get() }
k = ""; try { q.get(false) } catch e { k = e.kind }; expect k == "Empty"
t0 = now()
k = ""; try { q.get(true, 0.5) } catch e { k = e.kind }; expect k == "Empty"
expect now() - t0 >= 0.45
m = ""; try { q.get(timout=1) } catch e { m = e.kind + " " + e.message }
expect m.startswith("TypeError") and "timeout" in m
k = ""; try { q.get(true, 1, 2) } catch e { k = e.kind }; expect k == "TypeError"
outer = Queue()
try { outer.put(Queue()) } catch e { print("a queue does not cross:", e.kind) }
def drain() { try { while true { outer.get(true, 0.5) } } catch e { }; outer.put(7) }
c = spawn drain()
join c timeout=5
expect not c.is_alive()
expect outer.get(true, 1) == 7
def sqr(x, delay=0) { sleep(delay); return x * x }
pl = Pool(2)
expect pl.apply(sqr, (3,), {"delay": 0.2}) == 9
expect pl.apply(sqr, kwds={"x": 4}) == 16
r = pl.apply_async(sqr, (10, 1))
k = ""; try { r.get(0.3) } catch e { k = e.kind }; expect k == "TimeoutError"
expect r.get() == 100
expect pl.map(sqr, range(4), 2) == [0, 1, 4, 9]
expect pl.starmap(sqr, [(1, 0), (2, 0)]) == [1, 4]
pl.close()
k = ""; try { pl.apply(sqr, (1,)) } catch e { k = e.kind }; expect k == "ValueError"
pl.join()
def give_fn(x) { return sqr }
p1 = Pool(1)
k = ""; try { v = p1.apply_async(give_fn, (1,)).get(2) } catch e { k = e.kind }
expect k != "TimeoutError"
expect p1.apply_async(sqr, (5,)).get(2) == 25
p1.terminate()
a, b = Pipe(false)
b.send(1)
expect a.recv() == 1
k = ""; try { a.send(2) } catch e { k = e.kind }; expect k == "OSError"
p2 = spawn sqr(3, delay=0.1)
join p2
expect p2.exitcode == 0
k = ""; try { spawn sqr(1, 2, 3) } catch e { k = e.kind }; expect k == "TypeError"
expect len(active_children()) == 0
def leave() { exit "bye" }
p3 = spawn leave()
join p3
expect p3.exitcode == 1
d = {"a": 1, "b": 2}
d["c"] = 3
expect len(d) == 3 and "a" in d and d.get("z", 0) == 0
expect sorted(d.keys()) == ["a", "b", "c"]
expect [x * x for x in range(5) if x % 2 == 0] == [0, 4, 16]
def total(*xs, **kw) { return sum(xs) + len(kw) }
expect total(1, 2, 3, a=1) == 7
expect (1, 2)[1] == 2 and len((5,)) == 1
k = ""; try { raise ValueError("boom") } catch e { k = e.kind + ":" + e.message }; expect k == "ValueError:boom"
expect sorted([[2, 1], [1, 5]]) == [[1, 5], [2, 1]]
def f(wait, time) { return wait + time }
expect f(1, 2) == 3
x = none
expect x is none
print("python forms ok")
"""#
}
