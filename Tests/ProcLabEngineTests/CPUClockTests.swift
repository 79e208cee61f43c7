// Checks that the clocks move the way timing experiments rely on: wall time
// advances, our CPU time grows with work, children count once reaped.
import Glibc
import XCTest

@testable import ProcLabEngine

final class CPUClockTests: XCTestCase {
  func testMonotonicClockAdvancesAcrossASleep() {
    let start = CPUClock.monotonicSeconds()
    usleep(50_000)
    let elapsed = CPUClock.monotonicSeconds() - start
    XCTAssertGreaterThanOrEqual(elapsed, 0.045)
    XCTAssertLessThan(elapsed, 2)
  }

  func testUserTimeGrowsAfterABusyLoop() {
    let before = CPUClock.selfTimes()
    let start = CPUClock.monotonicSeconds()
    var sink: UInt64 = 0
    while CPUClock.monotonicSeconds() - start < 0.3 {
      for i in 0..<10_000 { sink = sink &* 31 &+ UInt64(i) }
    }
    let used = CPUClock.selfTimes() - before
    // Generous: another process may share the core, and ticks are coarse.
    XCTAssertGreaterThan(used.user, 0.05, "sink \(sink)")
    XCTAssertLessThan(used.user, 5)
    XCTAssertGreaterThanOrEqual(used.system, 0)
  }

  func testChildrenTimesCountAReapedBusyChild() throws {
    let before = CPUClock.childrenTimes()
    let child = try SpawnedProcess([
      "/bin/sh", "-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done",
    ])
    var status: Int32 = 0
    while waitpid(child.pid, &status, 0) < 0 && errno == EINTR {}
    let used = CPUClock.childrenTimes() - before
    XCTAssertGreaterThan(used.user + used.system, 0)
  }

  func testSubtractionAndAdditionAreFieldwise() {
    let difference = CPUTimes(user: 3, system: 2) - CPUTimes(user: 1, system: 0.5)
    XCTAssertEqual(difference, CPUTimes(user: 2, system: 1.5))
    XCTAssertEqual(difference + CPUTimes(user: 1, system: 0.5), CPUTimes(user: 3, system: 2))
  }
}
