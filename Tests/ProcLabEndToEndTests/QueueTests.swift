// Runs `proclab -c` scripts that pass data between real processes through queues, pipes and
// signals, and checks what a user relies on: every command and error, timeouts, exact sizes
// under concurrent use, no item lost or doubled, processes that die mid-operation, no leftovers.
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

final class QueueTests: XCTestCase {
  /// The seconds a script printed after `label` (`label 0.41`), in the order printed.
  private func durations(_ label: String, in output: [String]) -> [Double] {
    output.compactMap { line in
      line.hasPrefix(label + " ") ? Double(line.dropFirst(label.count + 1)) : nil
    }
  }

  private func assertWaited(
    _ seconds: Double, atLeast timeout: Double, file: StaticString = #filePath, line: UInt = #line
  ) {
    XCTAssertGreaterThanOrEqual(
      seconds, timeout, "returned before the timeout", file: file, line: line)
    XCTAssertLessThan(
      seconds, timeout + 2, "returned long after the timeout", file: file, line: line)
  }

  // MARK: the issue's block

  func testTheMustWorkBlockOfTheIssueRuns() throws {
    let started = Date()
    let result = try proclab(
      """
      queue q maxsize=2
      queue put q 1
      queue put q 2
      try { queue put q 3 block=false } catch e { expect e.kind == "Full" }
      expect (queue qsize q) == 2
      def producer(n) { for i in range(n) { queue put q i } }
      def consumer(n) { s = 0; for i in range(n) { s = s + (queue get q) }; return s }
      expect (queue get q) == 1 and (queue get q) == 2
      p = spawn producer(100)
      c = spawn consumer(100)
      join all
      expect p.exitcode == 0 and c.exitcode == 0 and (queue empty q)
      t0 = now()
      try { queue get q timeout=0.3 } catch e { expect e.kind == "Empty" }
      expect now() - t0 >= 0.3
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stdout, "")
    XCTAssertEqual(result.stderr, "")
    XCTAssertLessThan(Date().timeIntervalSince(started), 10)
  }

  // MARK: commands and methods

  func testQueueCommandsPutGetAndReportSizeOnABoundedQueue() throws {
    let output = try passingLines(
      """
      queue q maxsize=3
      print(q, q.name, q.maxsize)
      print(queue qsize q, queue empty q, queue full q)
      queue put q "a"
      queue put q [1, 2]
      queue put q none
      print(queue qsize q, queue empty q, queue full q)
      print(queue get q, queue get q, queue get q)
      print(queue qsize q, queue empty q, queue full q)
      queue u
      print(u, u.maxsize)
      for i in range(1000) { queue put u i }
      print(queue qsize u, queue full u)
      queue show q
      """)
    XCTAssertEqual(
      Array(output.prefix(7)),
      [
        "<Queue q maxsize=3> q 3", "0 true false", "3 false true", #"a [1, 2] none"#,
        "0 true false", "<Queue u> 0", "1000 false",
      ])
    XCTAssertTrue(output.contains("queue q: 0 items of at most 3"), output.joined(separator: "\n"))
  }

  func testQueueMethodsDoWhatTheCommandsDo() throws {
    let output = try passingLines(
      """
      queue q maxsize=2
      q.put(1)
      q.put_nowait(2)
      print(q.qsize(), q.full(), q.empty())
      try { q.put_nowait(3) } catch e { print(e.kind) }
      try { q.put(3, block=false) } catch e { print(e.kind) }
      print(q.get(), q.get_nowait(), q.empty())
      try { q.get_nowait() } catch e { print(e.kind) }
      try { q.get(block=false) } catch e { print(e.kind) }
      queue j joinable=true
      print(j)
      j.put("x")
      print(j.get())
      j.task_done()
      j.join()
      print("joined")
      """)
    XCTAssertEqual(
      output,
      [
        "2 true false", "Full", "Full", "1 2 true", "Empty", "Empty", "<Queue j joinable>", "x",
        "joined",
      ])
  }

  func testNonBlockingCallsRaiseAtOnceEvenWithATimeout() throws {
    // As Python's get(False, 1): with block=false the timeout does not count.
    let output = try passingLines(
      """
      queue q maxsize=1
      t0 = now()
      try { queue get q block=false timeout=5 } catch e { print(e.kind, e.message) }
      queue put q 1
      try { queue put q 2 block=false timeout=5 } catch e { print(e.kind, e.message) }
      try { queue get q timeout=0 } catch e { print("never", e.kind) }
      try { queue get q timeout=0 } catch e { print(e.kind, "with timeout=0") }
      print("took", now() - t0)
      """)
    XCTAssertEqual(
      Array(output.prefix(3)),
      [
        "Empty queue q is empty", "Full queue q is full (1 of 1 items)", "Empty with timeout=0",
      ])
    XCTAssertLessThan(try XCTUnwrap(durations("took", in: output).first), 1)
  }

  func testTimeoutsRaiseWhenTheTimeoutPassesAndNotMuchLater() throws {
    let output = try passingLines(
      """
      queue q maxsize=1
      def timed(label, f) {
        t0 = now()
        try { f() } catch e { print(label, now() - t0); expect e.kind == label.split(" ")[0] }
      }
      def get_command() { queue get q timeout=0.4 }
      def get_method() { q.get(timeout=0.4) }
      def put_command() { queue put q "x" timeout=0.4 }
      def put_method() { q.put("x", timeout=0.4) }
      timed("Empty command", get_command)
      timed("Empty method", get_method)
      queue put q 1
      timed("Full command", put_command)
      timed("Full method", put_method)
      expect (queue qsize q) == 1
      """)
    for label in ["Empty command", "Empty method", "Full command", "Full method"] {
      let waited = try XCTUnwrap(durations(label, in: output).first, "\(label) missing: \(output)")
      assertWaited(waited, atLeast: 0.4)
    }
  }

  func testABlockedPutWaitsForAGetAndABlockedGetForAPut() throws {
    let output = try passingLines(
      """
      queue q maxsize=1
      queue put q "first"
      def take_later() { sleep(0.3); queue get q }
      def put_later() { sleep(0.3); queue put q "late" }
      t0 = now()
      p = spawn take_later()
      queue put q "second"
      print("put waited", now() - t0)
      join p
      expect (queue get q) == "second"
      t0 = now()
      p = spawn put_later()
      expect (queue get q) == "late"
      print("get waited", now() - t0)
      join p
      """)
    assertWaited(try XCTUnwrap(durations("put waited", in: output).first), atLeast: 0.3)
    assertWaited(try XCTUnwrap(durations("get waited", in: output).first), atLeast: 0.3)
  }

  func testValuesOfEveryKindCrossAQueueWhole() throws {
    let output = try passingLines(
      """
      queue q
      def sq(x) { return x * x }
      def sender() {
        def cube(x) { return x * x * x }
        queue put q [-7, 2.5, "tab\\there", none, true, [1, [2, []]], sq, cube, range(3)]
      }
      p = spawn sender()
      got = queue get q timeout=5
      print(got[:7])
      print(got[6](3), got[7](2), list(got[8]))
      """)
    XCTAssertEqual(
      output,
      [#"[-7, 2.5, "tab\there", none, true, [1, [2, []]], <function sq>]"#, "9 8 [0, 1, 2]"])
  }

  // MARK: errors

  func testQueueErrorsHaveTheirKinds() throws {
    let output = try passingLines(
      """
      def kind(f) { try { f() } catch e { return e.kind + ": " + e.message }; return "no error" }
      queue q
      queue j joinable=true
      def unknown_get() { queue get nosuch }
      def unknown_put() { queue put nosuch 1 }
      def unknown_size() { queue qsize "nosuch" }
      def plain_task_done() { queue task_done q }
      def plain_join() { queue join q }
      def plain_method() { q.task_done() }
      def too_many() { queue task_done j }
      def bad_maxsize() { queue r maxsize=-1 }
      def remade() { queue q maxsize=5 }
      def not_a_queue() { queue get 5 }
      def no_value() { queue put q }
      for f in [unknown_get, unknown_put, unknown_size, plain_task_done, plain_join, plain_method,
                too_many, bad_maxsize, remade, not_a_queue, no_value] {
        print(kind(f))
      }
      """)
    let kinds = output.map { $0.split(separator: ":").first.map(String.init) ?? "" }
    XCTAssertEqual(
      kinds,
      [
        "NameError", "NameError", "NameError", "AttributeError", "AttributeError", "AttributeError",
        "ValueError", "ValueError", "ValueError", "TypeError", "TypeError",
      ], output.joined(separator: "\n"))
    XCTAssertTrue(output[0].contains("nosuch"), output[0])
    XCTAssertTrue(output[6].contains("task_done() called too many times"), output[6])
  }

  func testAGetOnAnUnknownQueueInAChildIsReportedUnderTheChildsName() throws {
    let result = try proclab(
      """
      def lost() { queue get nosuch }
      p = spawn lost() name="seeker"
      join p
      print("exitcode", p.exitcode)
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stdout, "exitcode 1\n")
    XCTAssertTrue(result.stderr.contains("Process seeker (pid "), result.stderr)
    XCTAssertTrue(result.stderr.contains("NameError: no queue named 'nosuch'"), result.stderr)
  }

  // MARK: joinable queues

  func testQueueJoinReturnsOnlyWhenEveryItemIsMarkedDone() throws {
    let output = try passingLines(
      """
      queue jobs joinable=true
      queue done
      queue jobs_join_ok joinable=true
      queue join jobs_join_ok
      def worker() {
        while true {
          x = queue get jobs
          if x == none { queue task_done jobs; return }
          sleep(0.05)
          queue put done x
          queue task_done jobs
        }
      }
      ws = [spawn worker(), spawn worker()]
      t0 = now()
      for i in range(10) { queue put jobs i }
      queue join jobs
      print("join waited", now() - t0)
      expect (queue qsize done) == 10
      for w in ws { queue put jobs none }
      jobs.join()
      join all
      try { queue task_done jobs } catch e { print(e.kind) }
      """)
    assertWaited(try XCTUnwrap(durations("join waited", in: output).first), atLeast: 0.25)
    XCTAssertEqual(output.last, "ValueError")
  }

  func testAChildCanWaitOnQueueJoinWhileTheSessionMarksTasksDone() throws {
    let output = try passingLines(
      """
      queue j joinable=true
      queue put j "a"
      queue put j "b"
      def waiter() { t0 = now(); queue join j; print("child joined after", now() - t0) }
      w = spawn waiter()
      sleep(0.3)
      expect w.alive
      queue get j
      queue task_done j
      sleep(0.1)
      expect w.alive
      queue get j
      queue task_done j
      join w
      expect w.exitcode == 0
      """)
    assertWaited(
      // The child's clock starts after the fork, a little after the session's sleeps begin.
      try XCTUnwrap(durations("child joined after", in: output).first), atLeast: 0.35)
  }

  // MARK: exact sizes and concurrency

  func testQsizeIsExactOnceConcurrentProducersAreJoined() throws {
    let output = try passingLines(
      """
      queue q
      def producer(k) { for i in range(200) { queue put q (k * 1000 + i) } }
      for k in range(3) { spawn producer(k) }
      join all
      print(queue qsize q, queue empty q)
      total = 0
      for i in range(600) { total += queue get q }
      print(total, queue qsize q, queue empty q)
      """)
    // Producer k puts k * 1000 + i for i in 0..<200: 3 × (0 + 1 + ... + 199) + 1000 × 200 + 2000 × 200.
    let total: Int = 3 * 19_900 + 600_000
    XCTAssertEqual(output, ["600 false", "\(total) 0 true"])
  }

  func testQsizeNeverExceedsMaxsizeWhileProducersAndAConsumerRun() throws {
    let output = try passingLines(
      """
      queue q maxsize=5
      queue seen
      def producer(k) { for i in range(100) { queue put q i } }
      def consumer(n) {
        most = 0
        for i in range(n) {
          queue get q
          most = max(most, queue qsize q)
          if i % 50 == 0 { sleep(0.01) }
        }
        queue put seen most
      }
      c = spawn consumer(300)
      ps_ = [spawn producer(0), spawn producer(1), spawn producer(2)]
      most = 0
      full_seen = false
      while c.alive {
        n = queue qsize q
        most = max(most, n)
        if (queue full q) { full_seen = true }
        sleep(0.002)
      }
      join all
      print("session saw at most", most, "consumer saw at most", queue get seen)
      expect most <= 5
      expect full_seen
      expect (queue qsize q) == 0
      """)
    let line = try XCTUnwrap(output.first)
    let numbers = line.split(separator: " ").compactMap { Int($0) }
    XCTAssertEqual(numbers.count, 2, line)
    XCTAssertTrue(numbers.allSatisfy { $0 <= 5 }, line)
  }

  func testEveryItemIsDeliveredExactlyOnceAndInEachProducersOrder() throws {
    let directory = temporaryPath("delivery")
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let producers = 4
    let consumers = 4
    let perProducer = 10_000
    let started = Date()
    _ = try passingLines(
      """
      queue q
      N = \(perProducer)
      def producer(k) { base = k * N; for i in range(N) { queue put q (base + i) } }
      def consumer(c) {
        got = []
        while true {
          x = queue get q
          if x == none { break }
          got.append(x)
        }
        write_file(f"\(directory)/consumer-{c}", str(got))
      }
      cs = []
      for c in range(\(consumers)) { cs.append(spawn consumer(c)) }
      producers = []
      for k in range(\(producers)) { producers.append(spawn producer(k)) }
      join producers
      for c in cs { queue put q none }
      join cs
      for p in producers + cs { expect p.exitcode == 0 }
      expect queue empty q
      """, timeout: 60)
    let seconds = Date().timeIntervalSince(started)
    var count = [Int](repeating: 0, count: producers * perProducer)
    for c in 0..<consumers {
      let text = try String(contentsOfFile: "\(directory)/consumer-\(c)", encoding: .utf8)
      let items = text.split { !$0.isNumber }.compactMap { Int($0) }
      var last = [Int](repeating: -1, count: producers)
      for item in items {
        let producer = item / perProducer
        let index = item % perProducer
        XCTAssertGreaterThan(
          index, last[producer], "consumer \(c) got \(item) after \(producer)'s \(last[producer])")
        last[producer] = index
        count[item] += 1
      }
    }
    let lost = count.indices.filter { count[$0] == 0 }
    let doubled = count.indices.filter { count[$0] > 1 }
    XCTAssertTrue(lost.isEmpty, "\(lost.count) items lost, first \(lost.prefix(5))")
    XCTAssertTrue(doubled.isEmpty, "\(doubled.count) items doubled, first \(doubled.prefix(5))")
    print(
      "QueueTests: \(producers * perProducer) items through 4 producers and 4 consumers in \(seconds) s"
    )
  }

  func testOneProducersItemsComeOutInTheOrderTheyWentIn() throws {
    _ = try passingLines(
      """
      queue u
      queue b maxsize=3
      def producer() { for i in range(500) { queue put u i; queue put b i } }
      p = spawn producer()
      for i in range(500) {
        expect (queue get b) == i
      }
      join p
      for i in range(500) { expect (queue get u) == i }
      """)
  }

  func testAProcessStartedBeforeTheQueueExistedUsesItByName() throws {
    let output = try passingLines(
      """
      def early() {
        sleep(0.3)
        queue put jobs f"from {name()}"
        queue put "jobs" "by string"
        print("the child sees", queue qsize jobs)
      }
      p = spawn early()
      queue jobs
      expect (queue get jobs timeout=5) == "from Process-1"
      expect (queue get jobs timeout=5) == "by string"
      join p
      expect p.exitcode == 0
      """)
    XCTAssertEqual(output.count, 1)
    XCTAssertTrue(["the child sees 1", "the child sees 2", "the child sees 0"].contains(output[0]))
  }

  func testAPutThatReturnedInAChildCountsInTheSessionAtOnce() throws {
    // The docs: qsize, empty and full are exact; before answering, the session reads every put
    // another process has already finished, also that process's first one. The session polls
    // a file here (it does not wait in its event loop) to see when the put has returned.
    let flag = temporaryPath("put-returned")
    defer { try? FileManager.default.removeItem(atPath: flag) }
    let output = try passingLines(
      """
      queue q
      write_file("\(flag)", "")
      def producer() { sleep(0.1); queue put q "item"; write_file("\(flag)", "returned") }
      p = spawn producer()
      t0 = now()
      while read_file("\(flag)") == "" and now() - t0 < 5 { x = 1 }
      print(queue qsize q, queue empty q)
      join p
      """)
    XCTAssertEqual(output, ["1 false"])
  }

  func testAChildSeesThePutsOtherProcessesHaveFinished() throws {
    // The producer tells the checker over a pipe that its 20 puts have returned; the checker's
    // qsize must count all of them, every round.
    let result = try passingLines(
      """
      queue q
      queue res
      a, b = pipe()
      def producer() { queue qsize res; for i in range(20) { queue put q i }; send a "done" }
      def checker() { queue qsize res; recv b; queue put res (queue qsize q) }
      for round in range(10) {
        c = spawn checker()
        p = spawn producer()
        join p c
        for i in range(20) { queue get q }
      }
      seen = []
      for round in range(10) { seen.append(queue get res) }
      print(seen)
      """)
    XCTAssertEqual(result, [String(describing: [Int](repeating: 20, count: 10))])
  }

  // MARK: processes that die

  func testAGetterKilledWhileWaitingLosesItsRequestNotTheNextItem() throws {
    _ = try passingLines(
      """
      queue q
      def getter() { return queue get q }
      def producer() { queue put q "from a child" }
      g = spawn getter()
      sleep(0.3)
      kill g signal=KILL
      join g
      expect g.exitcode == -9
      queue put q "from the session"
      expect (queue qsize q) == 1
      p = spawn producer()
      join p
      expect (queue qsize q) == 2
      expect (queue get q) == "from the session"
      expect (queue get q) == "from a child"
      """)
  }

  func testAnItemPutRightAfterAWaitingGetterIsKilledStaysInTheQueue() throws {
    // The getter is killed before the put is made, so it can never receive the item, even if
    // the kernel has not finished ending it when the put arrives.
    _ = try passingLines(
      """
      queue q
      def getter() { return queue get q }
      def killer(victim) { queue qsize q; kill victim signal=KILL; queue put q "from the killer" }
      for round in range(3) {
        g = spawn getter()
        sleep(0.2)
        kill g signal=KILL
        queue put q round
        join g
        expect (queue qsize q) == 1
        expect (queue get q) == round
      }
      for round in range(3) {
        g = spawn getter()
        sleep(0.2)
        k = spawn killer(g)
        join k g
        expect g.exitcode == -9
        expect (queue qsize q) == 1
        expect (queue get q) == "from the killer"
      }
      """)
  }

  func testAProducerKilledRightAfterAPutReturnedLeavesItsItems() throws {
    _ = try passingLines(
      """
      queue u
      queue b maxsize=5
      def last_words() { queue put u "unbounded"; queue put b "bounded"; kill (pid()) signal=KILL }
      def many() { for i in range(500) { queue put u i }; kill (pid()) signal=KILL }
      p = spawn last_words()
      join p
      expect p.exitcode == -9
      expect (queue qsize u) == 1 and (queue qsize b) == 1
      expect (queue get u) == "unbounded" and (queue get b) == "bounded"
      p = spawn many()
      join p
      expect p.exitcode == -9
      expect (queue qsize u) == 500
      for i in range(500) { expect (queue get u) == i }
      """)
  }

  // MARK: nothing left behind

  /// A script whose children wait for ever (on a queue get, a queue join, a pipe), printing
  /// their PIDs, then ending with `ending`.
  private func waitersScript(then ending: String) -> String {
    """
    queue q
    queue j joinable=true
    queue put j 1
    a, b = pipe()
    def getter() { queue get q }
    def joiner() { queue join j }
    def receiver() { recv b }
    ws = [spawn getter(), spawn joiner(), spawn receiver()]
    sleep(0.3)
    for w in ws { print(w.pid) }
    \(ending)
    """
  }

  private func assertNoSurvivors(
    _ result: (status: Int32, stdout: String, stderr: String), file: StaticString = #filePath,
    line: UInt = #line
  ) {
    let recorded = result.stdout.split(separator: "\n").compactMap { Int32($0) }
    XCTAssertEqual(recorded.count, 3, result.stdout + result.stderr, file: file, line: line)
    let survivors = { recorded.filter { !isGone($0) } }
    XCTAssertTrue(
      eventually(within: 3) { survivors().isEmpty }, "survivors: \(survivors())", file: file,
      line: line)
  }

  func testChildrenWaitingOnQueuesAndPipesAreStoppedWhenAScriptFails() throws {
    let started = Date()
    let result = try proclab(waitersScript(then: "expect false"), timeout: 10)
    XCTAssertEqual(result.status, 1, result.stderr)
    XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    assertNoSurvivors(result)
  }

  func testChildrenWaitingOnQueuesAndPipesAreStoppedByExit() throws {
    // The docs: `exit` ends the session; running children are stopped (SIGKILL) and reaped.
    for ending in ["exit", "exit 0", "exit 4"] {
      let started = Date()
      let result = try proclab(waitersScript(then: ending), timeout: 6)
      XCTAssertEqual(result.status, ending == "exit 4" ? 4 : 0, "\(ending): \(result.stderr)")
      XCTAssertLessThan(Date().timeIntervalSince(started), 5, ending)
      assertNoSurvivors(result)
    }
  }

  // MARK: pipes

  func testPipeEndsSendAndReceiveWholeValuesBothWays() throws {
    let output = try passingLines(
      """
      a, b = pipe()
      print(a, b, a.closed)
      def echo(mine, theirs) {
        theirs.close()
        while true {
          try { x = recv mine } catch e { print("child", e.kind); return }
          mine.send([pid(), x])
        }
      }
      p = spawn echo(b, a)
      b.close()
      print(b.closed)
      for x in ["hi", 42, [1, [2, "three"]], none, 2.5] {
        send a x
        reply = a.recv(timeout=5)
        expect reply == [p.pid, x]
      }
      print("not ready:", poll a)
      send a "ping"
      print("ready:", poll a timeout=5, a.poll(timeout=5))
      expect (recv a) == [p.pid, "ping"]
      a.close()
      join p
      expect p.exitcode == 0
      """)
    XCTAssertEqual(
      output,
      [
        "<pipe 1 end a> <pipe 1 end b> false", "true", "not ready: false", "ready: true true",
        "child EOFError",
      ])
  }

  func testPollWithoutATimeoutSeesAValueAlreadyWaiting() throws {
    // poll END with no timeout answers at once, but it must look: a value already sent (or
    // the other end closed, so that recv would not wait) is ready.
    let output = try passingLines(
      """
      a, b = pipe()
      send b "x"
      sleep(0.2)
      print(poll a, a.poll())
      c, d = pipe()
      d.close()
      print(poll c)
      """)
    XCTAssertEqual(output, ["true true", "true"])
  }

  func testRecvWithATimeoutRaisesTimeoutErrorWhenNothingComes() throws {
    let output = try passingLines(
      """
      a, b = pipe()
      t0 = now()
      try { recv a timeout=0.4 } catch e { print("waited", now() - t0); print(e.kind) }
      t0 = now()
      try { a.recv(timeout=0.4) } catch e { print("waited", now() - t0); print(e.kind) }
      """)
    XCTAssertEqual(output.filter { !$0.hasPrefix("waited") }, ["TimeoutError", "TimeoutError"])
    for waited in durations("waited", in: output) { assertWaited(waited, atLeast: 0.4) }
  }

  func testRecvRaisesEOFErrorOnlyOnceEveryCopyOfTheOtherEndIsClosed() throws {
    let output = try passingLines(
      """
      a, b = pipe()
      def tell(mine, theirs) { theirs.close(); send mine "one"; send mine "two" }
      p = spawn tell(b, a)
      join p
      print(recv a, recv a)
      try { recv a timeout=0.3 } catch e { print("session still holds b:", e.kind) }
      b.close()
      try { recv a } catch e { print("b closed everywhere:", e.kind) }
      try { send b 1 } catch e { print("send on a closed end:", e.kind) }
      try { recv b } catch e { print("recv on a closed end:", e.kind) }
      """)
    XCTAssertEqual(
      output,
      [
        "one two", "session still holds b: TimeoutError", "b closed everywhere: EOFError",
        "send on a closed end: OSError", "recv on a closed end: OSError",
      ])
  }

  // MARK: signals

  func testAnOnSignalHandlerRunsWhileTheChildSleepsAndTheSleepGoesOn() throws {
    let log = temporaryPath("handler-log")
    defer { try? FileManager.default.removeItem(atPath: log) }
    let output = try passingLines(
      """
      queue events
      write_file("\(log)", "")
      def handler(s) { append_file("\(log)", s + ";"); queue put events s }
      def listener() {
        on_signal("USR1", handler)
        queue put events "ready"
        t0 = now()
        sleep(1)
        queue put events (now() - t0)
      }
      p = spawn listener()
      expect (queue get events timeout=5) == "ready"
      sleep(0.2)
      signal p USR1
      expect (queue get events timeout=2) == "SIGUSR1"
      expect p.alive
      ps
      join p
      expect p.exitcode == 0
      print("slept", queue get events)
      print(read_file("\(log)"))
      """)
    XCTAssertTrue(
      output.contains { $0.contains("signals sent: SIGUSR1") }, output.joined(separator: "\n"))
    assertWaited(try XCTUnwrap(durations("slept", in: output).first), atLeast: 1)
    XCTAssertEqual(output.last, "SIGUSR1;")
  }

  func testEverySignalSentRunsTheHandler() throws {
    // The session signals as soon as the previous handler has put its item: the child is then
    // between its handler and its sleep, and the signal must not be lost there.
    _ = try passingLines(
      """
      queue events
      def handler(s) { queue put events s }
      def listener() { on_signal("USR1", handler); queue put events "ready"; sleep(30) }
      p = spawn listener()
      expect (queue get events timeout=5) == "ready"
      sleep(0.2)
      for i in range(20) {
        signal p USR1
        expect (queue get events timeout=2) == "SIGUSR1"
      }
      kill p
      """, timeout: 30)
  }

  func testAnOnSignalHandlerRunsWhileTheChildWaitsOnAQueue() throws {
    // The docs: the handler runs even while the process sleeps or waits.
    _ = try passingLines(
      """
      queue events
      queue never
      def handler(s) { queue put events s }
      def waiter() { on_signal("USR1", handler); queue put events "ready"; queue get never }
      p = spawn waiter()
      expect (queue get events timeout=5) == "ready"
      sleep(0.2)
      signal p USR1
      expect (queue get events timeout=2) == "SIGUSR1"
      expect p.alive
      kill p
      """)
  }

  func testSigtermWithoutAHandlerEndsTheChildWithExitCodeMinus15() throws {
    let output = try passingLines(
      """
      def nap() { sleep(5) }
      p = spawn nap()
      sleep(0.2)
      signal p TERM
      join p
      print(p.exitcode)
      ps all
      """)
    XCTAssertEqual(output.first, "-15")
    XCTAssertTrue(
      output.contains { $0.contains("killed by SIGTERM") && $0.contains("signals sent: SIGTERM") },
      output.joined(separator: "\n"))
  }

  func testAnUnknownSignalNameIsAValueError() throws {
    let output = try passingLines(
      """
      def h(s) { print(s) }
      def nap() { sleep(5) }
      p = spawn nap()
      try { signal p NOSUCH } catch e { print(e.kind) }
      try { on_signal("NOSUCH", h) } catch e { print(e.kind) }
      try { on_signal("KILL", h) } catch e { print(e.kind) }
      expect p.alive
      kill p
      """)
    XCTAssertEqual(output, ["ValueError", "ValueError", "ValueError"])
  }

  func testAnAnonymousQueueGoesWithItsLastHandleOnceNoProcessThatMayHoldItLives() throws {
    let output = try passingLines(
      """
      q = Queue(); n = q.name; q = none
      k = ""
      try { queue qsize n } catch e { k = e.kind }
      print(k)
      def late(r) { sleep(0.3); r.put(5) }
      def start() { r = Queue(); p = spawn late(r); return [r.name, p] }
      held = start()
      print(queue get held[0] timeout=5)
      join held[1]
      k = ""
      try { queue qsize held[0] } catch e { k = e.kind }
      print(k)
      queue named
      named = none
      print(queue qsize "named")
      """)
    // Dropped at once; kept while a child forked after it lives; a named queue stays.
    XCTAssertEqual(output, ["NameError", "5", "NameError", "0"])
  }
}
