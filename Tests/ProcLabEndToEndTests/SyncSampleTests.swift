// Runs the synchronisation samples (samples/e30*.plab): each must pass its own checks and show
// its phenomenon, and each must fail when the phenomenon is taken out of it (the lock, the
// semaphore's limit, the event's wait, the barrier, the condition's wait, the lock order).
import Foundation
import XCTest

final class SyncSampleTests: XCTestCase {
  private func text(_ sample: String) throws -> String {
    try String(contentsOf: packageRoot().appendingPathComponent("samples/\(sample)"), encoding: .utf8)
  }

  /// Runs a sample as written; asserts it passed and returns its stdout.
  private func passes(_ sample: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
    let result = try runProclab([packageRoot().appendingPathComponent("samples/\(sample)").path], timeout: 60)
    XCTAssertEqual(result.status, 0, "\(sample)\n--- stdout ---\n\(result.stdout)\n--- stderr ---\n\(result.stderr)", file: file, line: line)
    return result.stdout
  }

  /// Runs a sample with `original` replaced by `changed` (which must occur in it) and asserts
  /// that its own checks now fail.
  private func fails(_ sample: String, replacing original: String, with changed: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let source = try text(sample)
    XCTAssertTrue(source.contains(original), "\(sample) no longer contains \(original)", file: file, line: line)
    let result = try proclab(source.replacingOccurrences(of: original, with: changed), timeout: 60)
    XCTAssertNotEqual(result.status, 0, "\(sample) passed without its phenomenon:\n\(result.stdout)", file: file, line: line)
  }

  func testTheLostUpdateShowsAndTheLockCuresIt() throws {
    let output = try passes("e30a-lost-update-and-lock.plab")
    XCTAssertTrue(output.contains("with the lock:  400000 of 400000"), output)
    try fails("e30a-lost-update-and-lock.plab", replacing: "with safe.get_lock() { safe.value += 1 }", with: "safe.value += 1")
  }

  func testTheSemaphoreLetsTwoInAtOnce() throws {
    let output = try passes("e30b-semaphore-limits-access.plab")
    XCTAssertEqual(output.components(separatedBy: "blocked on semaphore Semaphore-").count - 1, 4, output)
    try fails("e30b-semaphore-limits-access.plab", replacing: "Semaphore(2)", with: "Semaphore(6)")
  }

  func testTheEventHoldsTheRunnersUntilSet() throws {
    let output = try passes("e30c-event-starting-gun.plab")
    XCTAssertEqual(output.components(separatedBy: "blocked on event Event-").count - 1, 3, output)
    try fails("e30c-event-starting-gun.plab", replacing: "go.wait(); ", with: "")
  }

  func testTheBarrierHoldsEveryWorkerUntilTheLastArrives() throws {
    let output = try passes("e30d-barrier.plab")
    XCTAssertTrue(output.contains("waiting at the barrier after 0.2 s: 1\nwaiting at the barrier after 0.4 s: 2\n"), output)
    try fails("e30d-barrier.plab", replacing: "place[k] = b.wait(); ", with: "")
  }

  func testTheConditionKeepsProducerAndConsumerInStep() throws {
    let output = try passes("e30e-producer-consumer-condition.plab")
    XCTAssertTrue(output.contains("consumed: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] fullest buffer: 3"), output)
    try fails("e30e-producer-consumer-condition.plab", replacing: "expect c.wait_for(not_full, 5)", with: "")
  }

  func testThePhilosophersDeadlockVisiblyAndOrderedLocksCureIt() throws {
    let output = try passes("e30f-dining-philosophers.plab")
    XCTAssertEqual(output.components(separatedBy: " deadlocked ").count - 1, 3, output)
    XCTAssertTrue(output.contains("proclab: deadlock: Process-1 (pid "), output)
    XCTAssertTrue(output.contains("DeadlockError Process-"), output)
    for k in 0..<3 { XCTAssertTrue(output.contains("philosopher \(k) eats"), output) }
    try fails("e30f-dining-philosophers.plab", replacing: "first = min(k, (k + 1) % 3); second = max(k, (k + 1) % 3)", with: "first = k; second = (k + 1) % 3")
  }
}
