// What `ps` and `sync show` say of shared objects: the wait of one process, the state of each
// object and who waits on it for how long.
import CSystem
import Glibc
import ProcLabScript

extension Engine {
  /// What `pid` waits on in the arena now, for its row of `ps`; nil when it waits on none.
  public func sharedWait(of pid: pid_t, now: Double) -> (text: String, deadlocked: Bool)? {
    guard let arena = SharedArena.current, arena.objectCount > 0, let wait = arena.waits().first(where: { $0.pid == pid }) else { return nil }
    let waited = " for " + format1(now - wait.since) + "s"
    let name = arena.name(at: wait.object)
    var text: String
    switch wait.kind {
    case .lock:
      let owner = SharedLock.owner(in: arena, at: wait.object)
      text = "blocked on lock \(name)" + (owner == 0 ? "" : " held by \(describeProcess(owner))") + waited
    case .semaphore:
      let semaphore = SharedSemaphore(arena: arena, offset: wait.object)
      text = "blocked on semaphore \(name) (value \(semaphore.value), \(semaphore.waiting) waiting)" + waited
    case .event:
      let event = SharedEvent(arena: arena, offset: wait.object)
      text = "waiting for event \(name) (\(event.waiting) waiting)" + waited
    case .condition:
      let condition = SharedCondition(arena: arena, offset: wait.object)
      text = "waiting on condition \(name) (\(condition.waiting) waiting)" + waited
    case .barrier:
      let barrier = SharedBarrier(arena: arena, offset: wait.object)
      text = "waiting at barrier \(name) (\(barrier.waiting) of \(barrier.parties) arrived)" + waited
    case .join, .none:
      return wait.stuck == .no ? nil : (deadlockText(around: pid).map { "joining, behind a deadlock: " + $0 } ?? "joining", wait.stuck == .deadlocked)
    }
    if wait.stuck == .behindDeadlock { text += " (behind a deadlock)" }
    return (text, wait.stuck == .deadlocked)
  }

  private func format1(_ seconds: Double) -> String {
    let tenths = Int((seconds * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
  }
}

/// One arena object as `sync show` draws it: what it is, its state now, who waits on it.
public struct SyncReport {
  public let name: String
  /// "lock", "semaphore", "value", ...
  public let kind: String
  /// "held by Process-2 (pid 4311)", "value 0 of 2", "set", "'i' 41".
  public let state: String
  public let waiters: [(who: String, waited: Double)]
}

extension Engine {
  /// Every object of the arena (or the one at `offset`), with the processes waiting on it.
  public func syncReport(offset only: Int? = nil) -> [SyncReport] {
    guard let arena = SharedArena.current else { return [] }
    let now = CPUClock.monotonicSeconds()
    let waits = arena.waits()
    var reports: [SyncReport] = []
    for offset in arena.objectOffsets where only == nil || only == offset {
      guard let handle = arena.handle(at: offset) else { continue }
      let state: String
      switch handle {
      case let lock as SharedLock:
        state = lock.isLocked ? "held by \(describeProcess(lock.owner))" : "free"
      case let semaphore as SharedSemaphore:
        state = "value \(semaphore.value)" + (semaphore.bounded ? " (bounded)" : "")
      case let event as SharedEvent:
        state = event.isSet ? "set" : "not set"
      case let condition as SharedCondition:
        state = "lock \(condition.lock.name)"
      case let barrier as SharedBarrier:
        state = "\(barrier.waiting) of \(barrier.parties) arrived" + (barrier.isBroken ? ", broken" : "")
      case let value as SharedValue:
        state = "'\(value.typecode.code)' \(value.value.repr)"
      case let array as SharedArray:
        state = "'\(array.typecode.code)' × \(array.count)"
      default:
        state = ""
      }
      let waiting = waits.filter { $0.object == offset && $0.kind != .join }.map { (who: describeProcess($0.pid), waited: now - $0.since) }
      reports.append(SyncReport(name: arena.name(at: offset), kind: handle.typeName, state: state, waiters: waiting))
    }
    return reports
  }
}
