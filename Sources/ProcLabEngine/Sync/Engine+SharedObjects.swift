// Making locks, semaphores, events, conditions, barriers, values and arrays in the shared
// arena, each with its number and name; a handle on one is per process, the object is the arena's.
import CSystem
import Glibc
import ProcLabScript

extension Engine {
  /// The session's arena, mapped when the session started (every process inherits it).
  var arena: SharedArena { SharedArena.current! }

  public func makeLock(recursive: Bool) throws(ScriptError) -> SharedLock {
    let label = recursive ? "RLock" : "Lock"
    let offset = try arena.allocate(kind: recursive ? .rlock : .lock, payload: SharedLock.payloadBytes) { "\(label)-\($0)" }
    return SharedLock(arena: arena, offset: offset)
  }

  public func makeSemaphore(value: Int, bounded: Bool) throws(ScriptError) -> SharedSemaphore {
    let label = bounded ? "BoundedSemaphore" : "Semaphore"
    let offset = try arena.allocate(kind: bounded ? .boundedSemaphore : .semaphore, payload: SharedSemaphore.payloadBytes) { "\(label)-\($0)" }
    let semaphore = SharedSemaphore(arena: arena, offset: offset)
    semaphore.setUp(value: value, bounded: bounded)
    return semaphore
  }

  public func makeEvent() throws(ScriptError) -> SharedEvent {
    let offset = try arena.allocate(kind: .event, payload: SharedEvent.payloadBytes) { "Event-\($0)" }
    return SharedEvent(arena: arena, offset: offset)
  }

  /// Python's Condition(lock=None): a given Lock or RLock, else a new RLock.
  public func makeCondition(lock: SharedLock?) throws(ScriptError) -> SharedCondition {
    let offset = try arena.allocate(kind: .condition, payload: SharedCondition.payloadBytes) { "Condition-\($0)" }
    let condition = SharedCondition(arena: arena, offset: offset)
    if let lock {
      condition.setUp(lock: lock.offset)
    } else {
      condition.setUp(lock: try arena.allocate(kind: .rlock, payload: SharedLock.payloadBytes) { _ in "\(condition.name).lock" })
    }
    return condition
  }

  public func makeBarrier(parties: Int, timeout: Double?) throws(ScriptError) -> SharedBarrier {
    let offset = try arena.allocate(kind: .barrier, payload: SharedBarrier.payloadBytes) { "Barrier-\($0)" }
    let barrier = SharedBarrier(arena: arena, offset: offset)
    barrier.setUp(parties: parties, timeout: timeout)
    return barrier
  }

  /// What guards a Value or Array: a new RLock (Python's default), none, or a given lock.
  public enum LockChoice {
    case new, none
    case given(SharedLock)
  }

  private func lockOffset(_ choice: LockChoice, for owner: String) throws(ScriptError) -> Int {
    switch choice {
    case .none: return 0
    case .given(let lock): return lock.offset
    case .new: return try arena.allocate(kind: .rlock, payload: SharedLock.payloadBytes) { _ in "\(owner).lock" }
    }
  }

  public func makeValue(_ typecode: SharedTypecode, _ initial: Value, lock: LockChoice) throws(ScriptError) -> SharedValue {
    let offset = try arena.allocate(kind: .value, payload: SharedValue.payloadBytes) { "Value-\($0)" }
    let value = SharedValue(arena: arena, offset: offset)
    value.setUp(typecode, lock: 0)
    try value.set(initial)
    value.setUp(typecode, lock: try lockOffset(lock, for: value.name))
    return value
  }

  public func makeArray(_ typecode: SharedTypecode, count: Int, items: [Value]?, lock: LockChoice) throws(ScriptError) -> SharedArray {
    let (size, overflow) = count.multipliedReportingOverflow(by: typecode.size)
    guard !overflow, size <= SharedArena.size / 2 else {
      throw ScriptError(.memoryError, "an array of \(count) items of typecode '\(typecode.code)' does not fit the shared arena (\(SharedArena.size >> 20) MiB)")
    }
    let offset = try arena.allocate(kind: .array, payload: SharedArray.headerBytes + size) { "Array-\($0)" }
    let array = SharedArray(arena: arena, offset: offset)
    array.setUp(typecode, count: count, lock: 0)
    for (i, item) in (items ?? []).enumerated() { try array.setItem(at: i, to: item) }
    array.setUp(typecode, count: count, lock: try lockOffset(lock, for: array.name))
    return array
  }

  /// A handle on the lock at `offset` (0: none).
  func sharedLock(at offset: Int) -> SharedLock? {
    offset == 0 ? nil : SharedLock(arena: arena, offset: offset)
  }
}
