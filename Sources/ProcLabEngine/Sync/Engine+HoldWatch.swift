// The session's look at who holds which lock, taken with the wait watch every 20 ms, for the
// timeline: a hold costs its process nothing more than a plain store (the lock counts how
// many times it was taken), and the session logs when it first and last saw each hold. A
// hold shorter than the looks' interval may never be seen; a long one is drawn from the
// first look that saw it to the last, so up to 20 ms shorter at each end than it was.
import CSystem
import Glibc
import ProcLabScript

/// One hold as the looks saw it: by whom, which taking of the lock, and where it goes in the log.
struct SeenHold {
  let pid: pid_t
  let generation: UInt32
  let lane: String
  let poolWorker: Bool
  let lock: String
  var lastSeen: Double
}

extension Engine {
  /// Compares each lock's holder with the last look's: a new hold is logged as begun now, a
  /// hold gone as ended at the last look that saw it.
  func watchHolds(at now: Double) {
    guard events.enabled, let arena = SharedArena.current, arena.objectCount > 0 else { return }
    for offset in arena.objectOffsets where arena.kind(at: offset) == .lock || arena.kind(at: offset) == .rlock {
      let (owner, generation) = SharedLock.hold(in: arena, at: offset)
      if var held = syncWatch.holds[offset], held.pid == owner, held.generation == generation {
        held.lastSeen = now
        syncWatch.holds[offset] = held
        continue
      }
      if let held = syncWatch.holds.removeValue(forKey: offset) {
        events.record(held.pid, held.lane, .released(held.lock), at: held.lastSeen, poolWorker: held.poolWorker)
      }
      guard owner != 0, let lane = laneOf(owner) else { continue }
      let lock = arena.name(at: offset)
      events.record(owner, lane.name, .holding(lock), at: now, poolWorker: lane.poolWorker)
      syncWatch.holds[offset] = SeenHold(pid: owner, generation: generation, lane: lane.name, poolWorker: lane.poolWorker, lock: lock, lastSeen: now)
    }
  }

  /// The lane a holder's events go on: the session's own, a process of the session's or a
  /// pool worker; nil for processes its children started (they have no lane).
  private func laneOf(_ pid: pid_t) -> (name: String, poolWorker: Bool)? {
    if pid == ProcessIdentity.pid { return (processName, false) }
    if let record = processes.last(where: { $0.pid == pid }) { return (record.name, false) }
    for pool in pools {
      if let worker = pool.workers.first(where: { $0.pid == pid }) { return (worker.name, true) }
    }
    return nil
  }

  /// Whether the watch should go on for holds alone: some pool worker may hold a lock.
  var poolWorkersMayHold: Bool {
    (SharedArena.current?.objectCount ?? 0) > 0 && pools.contains { !$0.workers.isEmpty }
  }
}
