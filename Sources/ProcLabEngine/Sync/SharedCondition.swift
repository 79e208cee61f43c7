// Condition(lock) in the shared arena: a lock (an RLock unless given) and numbered tickets.
// Each wait takes the next ticket while it holds the lock; notify(n) moves a limit past the n
// oldest tickets not yet let go, and a waiter goes on once its ticket is below the limit, so
// a later waiter can never take a wake-up meant for an earlier one.
import CSystem
import Glibc
import ProcLabScript

/// Payload: the lock's offset, the limit (futex word: tickets below it may go), the next
/// ticket, how many wait now.
public final class SharedCondition: SharedObject, ContextHandle {
  private static let limit = 8
  private static let nextTicket = 12
  private static let waiters = 16
  static let payloadBytes = 24

  func setUp(lock: Int) { payload.storeBytes(of: UInt64(lock), as: UInt64.self) }

  public var lock: SharedLock { SharedLock(arena: arena, offset: Int(payload.load(as: UInt64.self))) }
  public var waiting: Int { Int(proclab_load32(word(SharedCondition.waiters))) }

  private func checkHeld(_ what: String) throws(ScriptError) {
    let lock = self.lock
    guard lock.isLocked, lock.owner == ProcessIdentity.pid else {
      throw ScriptError(.runtimeError, "cannot \(what) on un-acquired lock")
    }
  }

  /// Python's wait(timeout): releases the lock, sleeps until notified or the timeout passes,
  /// takes the lock back (as deeply as it was held); false on timeout.
  public func wait(timeout: Double?) throws(ScriptError) -> Bool {
    try checkHeld("wait")
    let lock = self.lock
    // The ticket is taken before the lock is let go: a notify made right after sees it.
    let ticket = proclab_add32(word(SharedCondition.nextTicket), 1)
    proclab_add32(word(SharedCondition.waiters), 1)
    let depth = lock.releaseFully()
    let limit = word(SharedCondition.limit)
    var notified = false
    var failure: ScriptError?
    do {
      notified = try engine.waitShared(.condition, object: offset, timeout: timeout, waiters: nil) {
        let now = proclab_load32(limit)
        return Int32(bitPattern: ticket &- now) < 0 ? .done : .sleep(limit, now)
      }
    } catch {
      failure = error
    }
    proclab_sub32(word(SharedCondition.waiters), 1)
    // Ctrl-C too: the caller's `with` releases the lock, so it must be held again first.
    try lock.reacquire(depth: depth)
    if let failure { throw failure }
    return notified
  }

  /// Python's wait_for(predicate, timeout): waits until `predicate()` is true; its last value.
  public func waitFor(timeout: Double?, _ predicate: () throws(ScriptError) -> Value) throws(ScriptError) -> Value {
    let deadline = timeout.map { CPUClock.monotonicSeconds() + max(0, $0) }
    var result = try predicate()
    while !result.isTruthy {
      var left: Double?
      if let deadline {
        left = deadline - CPUClock.monotonicSeconds()
        if left! <= 0 { break }
      }
      _ = try wait(timeout: left)
      result = try predicate()
    }
    return result
  }

  /// Python's notify(n): lets the n oldest waiters not yet notified go on. (A waiter that
  /// timed out keeps its ticket: a later notify may count it, as one wake-up fewer.)
  public func notify(_ n: Int) throws(ScriptError) {
    try checkHeld("notify")
    let limit = word(SharedCondition.limit)
    let now = proclab_load32(limit)
    let pending = proclab_load32(word(SharedCondition.nextTicket)) &- now
    guard pending > 0, n > 0 else { return }
    proclab_store32(limit, now &+ UInt32(min(n, Int(pending))))
    _ = proclab_futex_wake(limit, Int32.max)
  }

  public func enter() throws(ScriptError) { _ = try lock.acquire() }
  public func exit() throws(ScriptError) { try lock.release() }

  public var typeName: String { "condition" }
  public var display: String { "<Condition \(name) \(waiting) waiting>" }
}
