// Chaos: pool workers killed with SIGKILL at random during maps, and consumers killed while
// blocked in `get` between rounds of 4 producers x 4 consumers. Nothing hangs, every result
// is right or a ProcessError naming the worker, every item arrives exactly once, and no
// process is left behind.
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

final class ChaosTests: XCTestCase {
  /// Direct children of `pid`, from /proc.
  private func children(of pid: Int32) -> [Int32] {
    let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
    return text.split(separator: " ").compactMap { Int32($0) }
  }

  func testMapsSurviveWorkersKilledAtRandom() throws {
    let run = try BackgroundProclab(
      script: """
        def sq(x) { sleep(0.002); return x * x }
        pl = Pool(3)
        ok = 0
        failed = 0
        for round in range(40) {
          try {
            r = pl.map(sq, range(60))
            expect r == [x * x for x in range(60)]
            ok += 1
          } catch e {
            expect e.kind == "ProcessError"
            expect "worker" in e.message and "killed by SIGKILL" in e.message
            failed += 1
          }
        }
        print("maps", ok, failed)
        """)
    var killed = 0
    var workers: Set<Int32> = []
    let deadline = Date().addingTimeInterval(60)
    while kernelState(of: run.pid).map({ $0 != "Z" }) ?? false, Date() < deadline {
      let current = children(of: run.pid)
      workers.formUnion(current)
      if let victim = current.randomElement() {
        kill(victim, SIGKILL)
        killed += 1
      }
      usleep(UInt32.random(in: 20_000...60_000))
    }
    XCTAssertEqual(run.waitForExit(within: 5), 0, run.stderr)
    let counts = run.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int($0) }
    XCTAssertEqual(counts.count, 2, run.stdout)
    XCTAssertEqual(counts.reduce(0, +), 40, run.stdout)
    XCTAssertGreaterThan(killed, 5)
    XCTAssertTrue(eventually(within: 2) { workers.allSatisfy(isGone) }, "leftover workers")
    print("chaos: \(killed) kill -9s of \(workers.count) workers; maps ok and failed: \(counts)")
  }

  func testEveryQueueItemArrivesOnceWhenConsumersBlockedInGetAreKilled() throws {
    let result = try proclab(
      """
      q = Queue()
      results = Queue()
      def producer(k, n) { for i in range(n) { q.put(k * 100000 + i) } }
      def consumer() {
        while true {
          x = q.get()
          if x == -1 { return }
          results.put(x)
        }
      }
      consumers = []
      for i in range(4) { consumers.append(spawn consumer()) }
      seen = {}
      killed = 0
      n = 300
      for round in range(6) {
        victims = []
        for i in range(2) { victims.append(spawn consumer()) }
        producers = []
        for k in range(4) { producers.append(spawn producer(round * 4 + k, n)) }
        for p in producers { join p }
        for i in range(4 * n) {
          x = results.get(timeout=10)
          expect not (x in seen)
          seen[x] = true
        }
        # The queue is empty: every consumer, victims too, is blocked in get.
        sleep(0.1)
        for v in victims {
          kill v signal=KILL
          join v
          expect v.exitcode == -9
          killed += 1
        }
      }
      for c in consumers { q.put(-1) }
      for c in consumers { join c }
      k = ""
      try { results.get(timeout=0.3) } catch e { k = e.kind }
      expect k == "Empty"
      expect q.qsize() == 0
      for round in range(6) {
        for k in range(4) {
          for i in range(n) { expect (round * 4 + k) * 100000 + i in seen }
        }
      }
      print(len(seen), killed)
      """, timeout: 60)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stdout, "7200 12\n")
  }
}
