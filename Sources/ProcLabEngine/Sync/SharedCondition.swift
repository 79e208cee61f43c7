// Condition(lock) in the shared arena: a lock (an RLock unless given) and a sequence word that
// notify() advances, with a count of waiters and of wake-ups granted, so notify(n) lets at
// most n of the waiters go on.
import CSystem
import Glibc
import ProcLabScript

/// Payload: the lock's offset, the sequence (futex word), how many wait, how many wake-ups
/// notify granted and no waiter took yet.
public final class SharedCondition: SharedObject, ContextHandle {
  private static let sequence = 8
  private static let waiters = 12
  private static let granted = 16
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
    let depth = lock.releaseFully()
    let sequence = word(SharedCondition.sequence)
    let granted = word(SharedCondition.granted)
    proclab_add32(word(SharedCondition.waiters), 1)
    var seen = proclab_load32(sequence)
    var notified = false
    var failure: ScriptError?
    do {
      notified = try engine.waitShared(.condition, object: offset, timeout: timeout, waiters: nil) {
        while true {
          let g = proclab_load32(granted)
          guard g > 0 else { break }
          if proclab_cas32(granted, g, g - 1) != 0 { return .done }
        }
        let now = proclab_load32(sequence)
        if now != seen { seen = now }
        return .sleep(sequence, seen)
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

  /// Python's notify(n): lets up to n waiters go on.
  public func notify(_ n: Int) throws(ScriptError) {
    try checkHeld("notify")
    let waiters = proclab_load32(word(SharedCondition.waiters))
    let granted = word(SharedCondition.granted)
    let owed = proclab_load32(granted)
    guard waiters > owed else { return }
    proclab_add32(granted, UInt32(min(n, Int(waiters - owed))))
    proclab_add32(word(SharedCondition.sequence), 1)
    _ = proclab_futex_wake(word(SharedCondition.sequence), Int32.max)
  }

  public func enter() throws(ScriptError) { _ = try lock.acquire() }
  public func exit() throws(ScriptError) { try lock.release() }

  public var typeName: String { "condition" }
  public var display: String { "<Condition \(name) \(waiting) waiting>" }
}
