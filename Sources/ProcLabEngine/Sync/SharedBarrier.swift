// Barrier(parties, timeout) in the shared arena: a count of arrivals and a generation word;
// the last of `parties` to arrive starts a new generation and wakes the others. abort() and
// a timeout break it (BrokenBarrierError for every waiter), reset() mends it.
import CSystem
import Glibc
import ProcLabScript

/// Payload: parties, arrivals in this generation, the generation (futex word), broken, the
/// generation a reset broke plus one, and the default timeout.
public final class SharedBarrier: SharedObject, Handle {
  private static let parties = 0
  private static let count = 4
  private static let generation = 8
  private static let broken = 12
  private static let resetOf = 16
  private static let timeout = 24
  static let payloadBytes = 32

  func setUp(parties: Int, timeout: Double?) {
    proclab_store32(word(SharedBarrier.parties), UInt32(parties))
    (payload + SharedBarrier.timeout).storeBytes(of: timeout ?? -1, as: Double.self)
  }

  public var parties: Int { Int(proclab_load32(word(SharedBarrier.parties))) }
  public var isBroken: Bool { proclab_load32(word(SharedBarrier.broken)) != 0 }
  public var waiting: Int { isBroken ? 0 : Int(proclab_load32(word(SharedBarrier.count))) }
  var defaultTimeout: Double? {
    let t = (payload + SharedBarrier.timeout).load(as: Double.self)
    return t < 0 ? nil : t
  }

  private static let brokenError = ScriptError(.brokenBarrierError, "the barrier is broken (aborted, reset, or a wait timed out)")

  /// Python's wait(timeout): the arrival's index (0 for the first); the last arrival runs
  /// `action` first. A timeout breaks the barrier for everyone.
  public func wait(timeout: Double?, action: () throws(ScriptError) -> Void) throws(ScriptError) -> Int {
    guard !isBroken else { throw SharedBarrier.brokenError }
    let generation = word(SharedBarrier.generation)
    let mine = proclab_load32(generation)
    let index = Int(proclab_add32(word(SharedBarrier.count), 1))
    if index + 1 == parties {
      do { try action() } catch {
        breakBarrier()
        throw error
      }
      proclab_store32(word(SharedBarrier.count), 0)
      proclab_add32(generation, 1)
      _ = proclab_futex_wake(generation, Int32.max)
      return index
    }
    let passed = try engine.waitShared(.barrier, object: offset, timeout: timeout ?? defaultTimeout, waiters: nil) {
      proclab_load32(generation) != mine || isBroken ? .done : .sleep(generation, mine)
    }
    if proclab_load32(word(SharedBarrier.resetOf)) == mine &+ 1 { throw SharedBarrier.brokenError }
    if proclab_load32(generation) != mine { return index }
    if !passed { breakBarrier() }
    throw SharedBarrier.brokenError
  }

  private func breakBarrier() {
    proclab_store32(word(SharedBarrier.broken), 1)
    _ = proclab_futex_wake(word(SharedBarrier.generation), Int32.max)
  }

  public func abort() { breakBarrier() }

  /// Back to empty and unbroken; processes waiting now get BrokenBarrierError.
  public func reset() {
    let generation = word(SharedBarrier.generation)
    let current = proclab_load32(generation)
    proclab_store32(word(SharedBarrier.resetOf), current &+ 1)
    proclab_store32(word(SharedBarrier.count), 0)
    proclab_store32(word(SharedBarrier.broken), 0)
    proclab_add32(generation, 1)
    _ = proclab_futex_wake(generation, Int32.max)
  }

  public var typeName: String { "barrier" }
  public var display: String { "<Barrier \(name) \(waiting) of \(parties) waiting\(isBroken ? ", broken" : "")>" }
}
