// Semaphore and BoundedSemaphore as a counter word in the shared arena: taking one when the
// count is above zero is a compare-and-swap; waiters sleep on the word and are counted, so a
// release enters the kernel only when someone waits. Who holds units is kept in a small table
// beside the count, for the wait-for graph and for giving back the units of a dead holder.
import CSystem
import Glibc
import ProcLabScript

/// Payload: the count, the bound, how many sleep, flags, then `holderSlots` entries of
/// (PID, units taken and not given back). Each entry's count is written only by its process
/// (plain stores; the session reads them, and rewrites one only once its process has ended).
public final class SharedSemaphore: SharedObject, ContextHandle {
  private static let value = 0
  /// The bound of a BoundedSemaphore (its initial value); 0 for a plain Semaphore.
  private static let bound = 4
  private static let waiters = 8
  private static let flags = 12
  private static let holders = 16
  static let holderSlots = 8
  static let payloadBytes = holders + holderSlots * 8

  /// Flags: some process released a unit it had not taken (the semaphore signals, as a
  /// producer's "items ready" does: its holders are no one to wait for); more processes held
  /// units at once than the table keeps (its holders are not all known).
  private static let signals: UInt32 = 1
  private static let untracked: UInt32 = 2

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
    if tryTake() {
      noteTaken()
      return true
    }
    guard block else { return false }
    let counter = word(SharedSemaphore.value)
    let taken = try engine.waitShared(.semaphore, object: offset, timeout: timeout, waiters: word(SharedSemaphore.waiters)) {
      tryTake() ? .done : .sleep(counter, 0)
    }
    if taken { noteTaken() }
    return taken
  }

  public func release() throws(ScriptError) {
    let counter = word(SharedSemaphore.value)
    let bound = proclab_load32(word(SharedSemaphore.bound))
    if bounded {
      guard proclab_load32(counter) < bound else { throw ScriptError(.valueError, "Semaphore released too many times") }
    } else {
      guard proclab_load32(counter) < UInt32.max - 1 else { throw ScriptError(.overflowError, "semaphore value too large") }
    }
    // The holder's entry goes down before the unit is back, so a waiter it wakes never sees
    // this process still holding it.
    noteGiven()
    if bounded {
      while true {
        let v = proclab_load32(counter)
        guard v < bound else { throw ScriptError(.valueError, "Semaphore released too many times") }
        if proclab_cas32(counter, v, v + 1) != 0 { break }
      }
    } else {
      proclab_add32(counter, 1)
    }
    if proclab_load32(word(SharedSemaphore.waiters)) > 0 { _ = proclab_futex_wake(counter, 1) }
  }

  // MARK: holders

  private func entry(_ i: Int) -> UnsafeMutablePointer<UInt32> { word(SharedSemaphore.holders + 8 * i) }
  private func units(_ i: Int) -> UnsafeMutablePointer<UInt32> { word(SharedSemaphore.holders + 8 * i + 4) }

  /// This process took a unit: its entry counts one more (claimed if it had none).
  private func noteTaken() {
    let me = UInt32(bitPattern: ProcessIdentity.pid)
    for i in 0..<SharedSemaphore.holderSlots where proclab_load32(entry(i)) == me {
      proclab_store32(units(i), proclab_load32(units(i)) + 1)
      return
    }
    for i in 0..<SharedSemaphore.holderSlots where proclab_cas32(entry(i), 0, me) != 0 {
      proclab_store32(units(i), 1)
      return
    }
    setFlag(SharedSemaphore.untracked)
  }

  /// This process gives a unit back: its entry counts one fewer (freed at zero); a unit it
  /// never took marks the semaphore as one that signals.
  private func noteGiven() {
    let me = UInt32(bitPattern: ProcessIdentity.pid)
    for i in 0..<SharedSemaphore.holderSlots where proclab_load32(entry(i)) == me {
      let held = proclab_load32(units(i))
      if held > 1 {
        proclab_store32(units(i), held - 1)
      } else {
        proclab_store32(units(i), 0)
        proclab_store32(entry(i), 0)
      }
      if held > 0 { return }
    }
    setFlag(SharedSemaphore.signals)
  }

  private func setFlag(_ flag: UInt32) {
    let flags = word(SharedSemaphore.flags)
    while true {
      let now = proclab_load32(flags)
      if now & flag != 0 || proclab_cas32(flags, now, now | flag) != 0 { return }
    }
  }

  /// The processes holding units now, with how many each: empty when the semaphore signals
  /// or the table lost track (then no one is known to hold what a waiter waits for).
  public var holders: [(pid: pid_t, units: Int)] {
    guard proclab_load32(word(SharedSemaphore.flags)) == 0 else { return [] }
    return (0..<SharedSemaphore.holderSlots).compactMap { i in
      let pid = Int32(bitPattern: proclab_load32(entry(i)))
      let held = Int(proclab_load32(units(i)))
      return pid != 0 && held > 0 ? (pid, held) : nil
    }
  }

  /// The session gives back the units a process held when it ended (as it releases a dead
  /// holder's lock), unless the semaphore signals: how many it gave back.
  func releaseIfHeld(by pid: pid_t) -> Int {
    let target = UInt32(bitPattern: pid)
    for i in 0..<SharedSemaphore.holderSlots where proclab_load32(entry(i)) == target {
      let held = proclab_load32(units(i))
      proclab_store32(units(i), 0)
      proclab_store32(entry(i), 0)
      guard held > 0, proclab_load32(word(SharedSemaphore.flags)) & SharedSemaphore.signals == 0 else { return 0 }
      let counter = word(SharedSemaphore.value)
      let bound = proclab_load32(word(SharedSemaphore.bound))
      var given: UInt32 = 0
      while given < held {
        let v = proclab_load32(counter)
        if bounded && v >= bound { break }
        if proclab_cas32(counter, v, v + 1) != 0 { given += 1 }
      }
      if given > 0, proclab_load32(word(SharedSemaphore.waiters)) > 0 { _ = proclab_futex_wake(counter, Int32(given)) }
      return Int(given)
    }
    return 0
  }

  public func enter() throws(ScriptError) { _ = try acquire() }
  public func exit() throws(ScriptError) { try release() }

  public var typeName: String { "semaphore" }

  public var display: String { "<\(bounded ? "BoundedSemaphore" : "Semaphore") \(name) value=\(value)>" }
}
