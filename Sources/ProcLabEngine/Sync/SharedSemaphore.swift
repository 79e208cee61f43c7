// Semaphore and BoundedSemaphore as a counter word in the shared arena: taking one when the
// count is above zero is a compare-and-swap; waiters sleep on the word and are counted, so a
// release enters the kernel only when someone waits.
import CSystem
import Glibc
import ProcLabScript

public final class SharedSemaphore: SharedObject, ContextHandle {
  private static let value = 0
  /// The bound of a BoundedSemaphore (its initial value); 0 for a plain Semaphore.
  private static let bound = 4
  private static let waiters = 8
  static let payloadBytes = 16

  func setUp(value: Int, bounded: Bool) {
    proclab_store32(word(SharedSemaphore.value), UInt32(value))
    proclab_store32(word(SharedSemaphore.bound), bounded ? UInt32(value) : 0)
  }

  public var value: Int { Int(proclab_load32(word(SharedSemaphore.value))) }
  public var bounded: Bool { arena.kind(at: offset) == .boundedSemaphore }
  public var waiting: Int { Int(proclab_load32(word(SharedSemaphore.waiters))) }

  private func tryTake() -> Bool {
    let counter = word(SharedSemaphore.value)
    while true {
      let v = proclab_load32(counter)
      guard v > 0 else { return false }
      if proclab_cas32(counter, v, v - 1) != 0 { return true }
    }
  }

  public func acquire(block: Bool = true, timeout: Double? = nil) throws(ScriptError) -> Bool {
    if tryTake() { return true }
    guard block else { return false }
    let counter = word(SharedSemaphore.value)
    return try engine.waitShared(.semaphore, object: offset, timeout: timeout, waiters: word(SharedSemaphore.waiters)) {
      tryTake() ? .done : .sleep(counter, 0)
    }
  }

  public func release() throws(ScriptError) {
    let counter = word(SharedSemaphore.value)
    let bound = proclab_load32(word(SharedSemaphore.bound))
    if bounded {
      while true {
        let v = proclab_load32(counter)
        guard v < bound else { throw ScriptError(.valueError, "Semaphore released too many times") }
        if proclab_cas32(counter, v, v + 1) != 0 { break }
      }
    } else {
      guard proclab_add32(counter, 1) < UInt32.max else { throw ScriptError(.overflowError, "semaphore value too large") }
    }
    if proclab_load32(word(SharedSemaphore.waiters)) > 0 { _ = proclab_futex_wake(counter, 1) }
  }

  public func enter() throws(ScriptError) { _ = try acquire() }
  public func exit() throws(ScriptError) { try release() }

  public var typeName: String { "semaphore" }

  public var display: String { "<\(bounded ? "BoundedSemaphore" : "Semaphore") \(name) value=\(value)>" }
}
