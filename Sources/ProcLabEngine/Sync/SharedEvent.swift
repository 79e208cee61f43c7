// Event as a flag word in the shared arena: set() stores 1 and wakes every waiter, wait()
// returns at once when set and else sleeps on the word.
import CSystem
import Glibc
import ProcLabScript

public final class SharedEvent: SharedObject, Handle {
  private static let flag = 0
  private static let waiters = 4
  static let payloadBytes = 8

  public var isSet: Bool { proclab_load32(word(SharedEvent.flag)) != 0 }
  public var waiting: Int { Int(proclab_load32(word(SharedEvent.waiters))) }

  public func set() {
    proclab_store32(word(SharedEvent.flag), 1)
    if proclab_load32(word(SharedEvent.waiters)) > 0 { _ = proclab_futex_wake(word(SharedEvent.flag), Int32.max) }
  }

  public func clear() { proclab_store32(word(SharedEvent.flag), 0) }

  /// Python's wait(timeout): true when the flag is set, false when the timeout passed first.
  public func wait(timeout: Double?) throws(ScriptError) -> Bool {
    if isSet { return true }
    let flag = word(SharedEvent.flag)
    return try engine.waitShared(.event, object: offset, timeout: timeout, waiters: word(SharedEvent.waiters)) {
      proclab_load32(flag) != 0 ? .done : .sleep(flag, 0)
    }
  }

  public var typeName: String { "event" }
  public var display: String { "<Event \(name) \(isSet ? "set" : "unset")>" }
}
