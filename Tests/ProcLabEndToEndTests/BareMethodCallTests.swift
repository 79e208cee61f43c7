// A method called with no arguments on an engine object held in a local (`l.acquire()` in a
// function) is run directly, without binding its arguments or copying its receiver (see
// MethodSpec.bare): it must do exactly what the general call does, errors and places included.
import XCTest

final class BareMethodCallTests: XCTestCase {
  func testLockMethodsOnALocalGiveWhatTheGeneralCallGives() throws {
    let result = try proclab(
      """
      def pair(x) { got = x.acquire(); held = x.locked(); x.release(); return [got, held, x.locked()] }
      def take(x) { got = x.acquire(); x.release(); return got }
      l = Lock()
      r = RLock()
      s = Semaphore(1)
      print(pair(l), pair(r), take(s), pair(l))
      expect l.acquire() and l.locked()
      l.release()
      def release(x) {
        x.release()
      }
      try { release(l) } catch e { print(e.kind, e.message) }
      try { release(r) } catch e { print(e.kind, e.message) }
      try { release(BoundedSemaphore(1)) } catch e { print(e.kind) }
      release(l)
      """)
    XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    XCTAssertEqual(
      lines,
      [
        "[true, true, false] [true, true, false] true [true, true, false]",
        "ValueError semaphore or lock released too many times",
        "AssertionError attempt to release recursive lock not owned by thread",
        "ValueError",
      ], result.stderr)
    // The uncaught error points at the call in the function, as the general path does.
    XCTAssertTrue(result.stderr.contains("<-c>:10:3: ValueError: semaphore or lock released too many times"), result.stderr)
  }
}
