// What `ps` and `sync show` say of shared objects: the wait of one process, the state of each
// object and who waits on it for how long.
import CSystem
import Glibc
import ProcLabScript

extension Engine {
  /// What `pid` waits on in the arena now, for its row of `ps`; nil when it waits on none.
  public func sharedWait(of pid: pid_t, now: Double) -> (text: String, deadlocked: Bool)? {
    guard let arena = SharedArena.current, arena.objectCount > 0, let wait = arena.waits().first(where: { $0.pid == pid }) else { return nil }
    // What waitText says (the timeline's words), with the object's counts and the time waited.
    let counts: String
    switch wait.kind {
    case .lock:
      counts = ""
    case .semaphore:
      let semaphore = SharedSemaphore(arena: arena, offset: wait.object)
      counts = " (value \(semaphore.value), \(semaphore.waiting) waiting)"
    case .event:
      counts = " (\(SharedEvent(arena: arena, offset: wait.object).waiting) waiting)"
    case .condition:
      counts = " (\(SharedCondition(arena: arena, offset: wait.object).waiting) waiting)"
    case .barrier:
      let barrier = SharedBarrier(arena: arena, offset: wait.object)
      counts = " (\(barrier.waiting) of \(barrier.parties) waiting)"
    case .join, .none:
      return wait.stuck == .no ? nil : (deadlockText(around: pid).map { "joining, behind a deadlock: " + $0 } ?? "joining", wait.stuck == .deadlocked)
    }
    var text = waitText(wait.kind, object: wait.object) + counts + " for " + format1(now - wait.since) + "s"
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
        let holders = semaphore.holders.map { describeProcess($0.pid) + ($0.units == 1 ? "" : " ×\($0.units)") }
        state = "value \(semaphore.value)" + (semaphore.bounded ? " (bounded)" : "") + (holders.isEmpty ? "" : ", held by " + holders.joined(separator: ", "))
      case let event as SharedEvent:
        state = event.isSet ? "set" : "not set"
      case let condition as SharedCondition:
        state = "lock \(condition.lock.name)"
      case let barrier as SharedBarrier:
        state = "\(barrier.waiting) of \(barrier.parties) waiting" + (barrier.isBroken ? ", broken" : "")
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
