// Soak: thousands of spawn+join cycles and queues and pipes made and dropped leave the
// session's memory and descriptors where they were after a warm-up, and its bookkeeping of
// joined processes bounded. PROCLAB_SOAK_SECONDS (scripts/soak) runs it for longer.
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

final class SoakTests: XCTestCase {
  private func residentKilobytes(of pid: Int32) -> Int? {
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return nil }
    return Int(line.split(separator: " ").dropFirst().first ?? "")
  }

  private func descriptorCount(of pid: Int32) -> Int {
    ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []).count
  }

  func testMemoryAndDescriptorsStayFlatOverThousandsOfProcessesQueuesAndPipes() throws {
    let seconds = ProcessInfo.processInfo.environment["PROCLAB_SOAK_SECONDS"].flatMap(Double.init)
    // The normal run: 2,000 spawn+join cycles and 1,000 queues and pipes; scripts/soak
    // repeats the whole for SECONDS (10,000 cycles take about 10 s in a debug build).
    let rounds = seconds.map { "while now() - t0 < \($0)" } ?? "for r in range(1)"
    let run = try BackgroundProclab(
      script: """
        def nop() { }
        def cycle(n, m) {
          for i in range(n) {
            p = spawn nop()
            join p
          }
          for i in range(m) {
            q = Queue()
            q.put(i)
            expect q.get() == i
            a, b = pipe()
            a.send(i)
            expect b.recv() == i
          }
        }
        cycle(3500, 100)
        print("warm")
        sleep(1)
        t0 = now()
        cycles = 0
        \(rounds) {
          cycle(2000, 1000)
          cycles += 2000
        }
        print("done", cycles)
        sleep(60)
        """)
    XCTAssertTrue(eventually(within: 60) { run.stdout.hasPrefix("warm\n") }, run.stderr)
    usleep(300_000)
    let rssBefore = try XCTUnwrap(residentKilobytes(of: run.pid))
    let fdsBefore = descriptorCount(of: run.pid)
    XCTAssertTrue(eventually(within: (seconds ?? 0) + 120) { run.stdout.contains("done") }, run.stderr)
    let rssAfter = try XCTUnwrap(residentKilobytes(of: run.pid))
    let fdsAfter = descriptorCount(of: run.pid)
    let leftovers = (try? String(contentsOfFile: "/proc/\(run.pid)/task/\(run.pid)/children", encoding: .utf8)) ?? ""
    print("soak: \(run.stdout.split(separator: "\n").last ?? "") cycles; RSS \(rssBefore) kB -> \(rssAfter) kB; descriptors \(fdsBefore) -> \(fdsAfter)")
    XCTAssertLessThanOrEqual(Double(rssAfter), Double(rssBefore) * 1.1, "RSS grew from \(rssBefore) kB to \(rssAfter) kB")
    XCTAssertEqual(fdsAfter, fdsBefore)
    XCTAssertEqual(leftovers.trimmingCharacters(in: .whitespaces), "", "children left: \(leftovers)")
    run.signal(SIGTERM)
    XCTAssertEqual(run.waitForExit(within: 5), 143)
  }

  func testPsAllListsTheLastJoinedProcessesAndCountsTheOlderOnes() throws {
    let result = try proclab(
      """
      def nop() { }
      for i in range(2500) {
        p = spawn nop()
        join p
      }
      ps all
      """, timeout: 60)
    XCTAssertEqual(result.status, 0, result.stderr)
    let lines = result.stdout.split(separator: "\n")
    let rows = lines.filter { $0.contains("Process-") }
    XCTAssertGreaterThanOrEqual(rows.count, 1000)
    XCTAssertLessThanOrEqual(rows.count, 2000)
    XCTAssertTrue(rows.last?.contains("Process-2500") ?? false, String(rows.last ?? ""))
    XCTAssertEqual(lines.last, "(\(2500 - rows.count) earlier joined processes not listed: \(2500 - rows.count) exited 0)")
  }
}
