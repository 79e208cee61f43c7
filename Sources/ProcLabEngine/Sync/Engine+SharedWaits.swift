// Blocking on a shared object: short futex waits between which Ctrl-C and the session's events
// are served, the wait written in this process's slot (and told to the parent when it lasts);
// a join's wait, which the wait-for graph sees and a deadlock cuts short.
import CSystem
import Glibc
import ProcLabScript

extension Engine {
  enum WaitStep {
    case done
    /// Not yet: sleep while the word still holds this value.
    case sleep(UnsafeMutablePointer<UInt32>, UInt32)
  }

  /// Blocks until `attempt` succeeds (true) or the timeout passes (false). Sleeps in the
  /// kernel on the object's word in short slices, between which it checks Ctrl-C and, in a
  /// process with children to serve (the session), serves its events. The wait is written in
  /// this process's slot for `ps` and the session's wait-for graph.
  func waitShared(
    _ kind: WaitKind, object: Int, timeout: Double?, waiters: UnsafeMutablePointer<UInt32>?, _ attempt: () -> WaitStep
  ) throws(ScriptError) -> Bool {
    let start = CPUClock.monotonicSeconds()
    let deadline = timeout.map { start + max(0, $0) }
    let slot = arena.ownSlot(name: processName)
    if let slot { arena.beginWait(slot, kind, object: object) }
    // A wait that lasts is told to the parent too, once, so the timeline shows the process
    // blocked with the object's name; a short one (a contended counter) costs no message.
    let before = activity
    var told = false
    defer {
      if let slot { arena.endWait(slot) }
      if told {
        var back = before
        back.since = CPUClock.monotonicSeconds()
        report(back)
      }
    }
    let serves = !isChild || !current.isEmpty
    while true {
      guard case .sleep(let word, let value) = attempt() else { return true }
      if !told, CPUClock.monotonicSeconds() - start >= 0.01 {
        told = true
        report(Activity(.blocked, waitText(kind, object: object), since: start, until: deadline))
      }
      var slice = serves ? 0.005 : 0.05
      if let deadline {
        let left = deadline - CPUClock.monotonicSeconds()
        if left <= 0 { return false }
        slice = min(slice, left)
      }
      if let waiters { proclab_add32(waiters, 1) }
      _ = proclab_futex_wait(word, value, Int(slice * 1e9))
      if let waiters { proclab_sub32(waiters, 1) }
      if serves { loop.serveReady() }
      try checkSignals()
    }
  }

  /// "blocked on lock Lock-1 held by Process-2 (pid 4311)", "blocked on event Event-3".
  func waitText(_ kind: WaitKind, object: Int) -> String {
    let name = arena.name(at: object)
    switch kind {
    case .lock:
      let owner = SharedLock.owner(in: arena, at: object)
      return "blocked on lock \(name)" + (owner == 0 ? "" : " held by \(describeProcess(owner))")
    case .semaphore:
      let holders = SharedSemaphore(arena: arena, offset: object).holders.map { describeProcess($0.pid) }
      return "blocked on semaphore \(name)" + (holders.isEmpty ? "" : " held by " + holders.joined(separator: ", "))
    case .event: return "blocked on event \(name)"
    case .condition: return "blocked on condition \(name)"
    case .barrier: return "blocked on barrier \(name)"
    case .join, .none: return "blocked"
    }
  }

  /// A join's wait: once the arena holds objects (made before or during the join) it is
  /// written in this process's slot (a join is an edge of the wait-for graph), and cut short
  /// by DeadlockError once one of `records` is stuck on a cycle.
  func joinWait(_ records: [ProcessRecord], until deadline: Double?, _ ended: () -> Bool) -> (EventLoop.Outcome, ScriptError?) {
    guard let arena = SharedArena.current else { return (loop.run(until: deadline, done: ended), nil) }
    var slot: Int?
    defer { if let slot { arena.endWait(slot) } }
    let stuckOne = { slot == nil ? nil : records.first { $0.isAlive && arena.stuck(of: $0.pid) != .no } }
    var stuckSince: Double?
    while true {
      if slot == nil, arena.objectCount > 0, let own = arena.ownSlot(name: processName) {
        arena.beginWait(own, .join, pids: records.filter(\.isAlive).map(\.pid))
        slot = own
      }
      // Slices: a child has no timer of its own to wake it when the session marks a cycle.
      let sliceEnd = min(deadline ?? .infinity, CPUClock.monotonicSeconds() + 0.05)
      let outcome = loop.run(until: sliceEnd) { ended() || stuckOne() != nil }
      if outcome == .interrupted || ended() { return (outcome, nil) }
      // A mark may be stale, or about to be: a process on the cycle was just killed and has
      // not ended yet (a child notices a signal within its 50 ms wait slice). So the graph must
      // agree now and again a little later before the join gives up.
      if let stuck = stuckOne() {
        let graph = WaitGraph(arena)
        let (cycles, stuckNow) = graph.deadlocks()
        guard stuckNow.contains(stuck.pid) else {
          arena.mark(slotOf: stuck.pid, .no)
          stuckSince = nil
          continue
        }
        let now = CPUClock.monotonicSeconds()
        if let since = stuckSince, now - since >= 0.06 {
          let cycle = cycles.first { $0.contains(stuck.pid) } ?? cycles.first!
          return (.timedOut, ScriptError(.deadlockError, "\(stuck.name) can never end: \(describe(cycle: cycle, in: graph))"))
        }
        if stuckSince == nil { stuckSince = now }
        let outcome = loop.run(until: min(deadline ?? .infinity, now + 0.02)) { ended() }
        if outcome == .interrupted || ended() { return (outcome, nil) }
      }
      if let deadline, CPUClock.monotonicSeconds() >= deadline { return (.timedOut, nil) }
    }
  }
}
