// The engine's side of locks, semaphores, events and shared values: making them in the arena,
// blocking on them (serving events, honouring Ctrl-C and timeouts), and the session's watch
// over who waits for whom: deadlocks found and named, locks of dead holders released.
import CSystem
import Glibc
import ProcLabScript

/// The session's bookkeeping of the wait watch (a stored property of Engine).
struct SyncWatch {
  var armed = false
  /// Cycles already announced, so each is printed once while it lasts.
  var announced: Set<[pid_t]> = []
}

extension Engine {
  var arena: SharedArena { SharedArena.current! }

  // MARK: making objects

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

  // MARK: blocking

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

  /// "blocked on lock Lock-1 held by Process-2 (pid 4311)", "waiting for event Event-3".
  func waitText(_ kind: WaitKind, object: Int) -> String {
    let name = arena.name(at: object)
    switch kind {
    case .lock:
      let owner = SharedLock.owner(in: arena, at: object)
      return "blocked on lock \(name)" + (owner == 0 ? "" : " held by \(describeProcess(owner))")
    case .semaphore: return "blocked on semaphore \(name)"
    case .event: return "waiting for event \(name)"
    case .condition: return "waiting on condition \(name)"
    case .barrier: return "waiting at barrier \(name)"
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
        let cycles = graph.cycles()
        guard graph.stuck(given: cycles).contains(stuck.pid) else {
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

  // MARK: the session's watch

  /// Starts the session's periodic look at the wait-for graph, unless it runs already.
  func armWaitWatch() {
    guard !isChild, !syncWatch.armed else { return }
    syncWatch.armed = true
    _ = loop.addTimer(at: CPUClock.monotonicSeconds() + 0.02) { [unowned self] in self.watchWaits() }
  }

  /// Every 20 ms while children live or anyone waits: marks the stuck and deadlocked in their
  /// slots and prints each new cycle once.
  private func watchWaits() {
    syncWatch.armed = false
    let anyone = arena.waitingCount > 0
    if anyone || !syncWatch.announced.isEmpty { markDeadlocks() }
    if anyone || current.contains(where: \.isAlive) { armWaitWatch() }
  }

  func markDeadlocks() {
    let graph = WaitGraph(arena)
    let cycles = graph.cycles()
    let stuck = graph.stuck(given: cycles)
    let onCycle = Set(cycles.joined())
    for wait in graph.waits {
      let state: Stuck = onCycle.contains(wait.pid) ? .deadlocked : stuck.contains(wait.pid) ? .behindDeadlock : .no
      if state != wait.stuck { arena.mark(wait.slot, state) }
    }
    let keys = Set(cycles)
    for cycle in cycles where !syncWatch.announced.contains(cycle) {
      notice("deadlock: " + describe(cycle: cycle, in: graph))
    }
    syncWatch.announced = keys
  }

  /// "Process-1 (pid 10) waits for lock Lock-2 held by Process-2 (pid 11), which waits for
  /// lock Lock-1 held by Process-1 (pid 10)".
  func describe(cycle: [pid_t], in graph: WaitGraph) -> String {
    if cycle.count == 1 {
      return "\(describeProcess(cycle[0])) waits for \(graph.label(from: cycle[0], to: cycle[0])), which it holds itself"
    }
    var text = describeProcess(cycle[0])
    for (i, pid) in cycle.enumerated() {
      let next = cycle[(i + 1) % cycle.count]
      let what = graph.label(from: pid, to: next)
      let step = what == "join" ? "waits to join \(describeProcess(next))" : "waits for \(what) held by \(describeProcess(next))"
      text += (i == 0 ? " " : ", which ") + step
    }
    return text
  }

  /// The cycle that `pid` is on or waits behind, described; nil if none is known now.
  func deadlockText(around pid: pid_t) -> String? {
    let graph = WaitGraph(SharedArena.current!)
    let cycles = graph.cycles()
    if let on = cycles.first(where: { $0.contains(pid) }) { return describe(cycle: on, in: graph) }
    return cycles.first.map { describe(cycle: $0, in: graph) }
  }

  /// "Process-2 (pid 4311)": this process's records, else the name the process wrote in its
  /// slot, else the PID alone.
  public func describeProcess(_ pid: pid_t) -> String {
    if pid == getpid() { return "\(processName) (pid \(pid))" }
    if let record = processes.last(where: { $0.pid == pid }) { return "\(record.name) (pid \(pid))" }
    if let wait = SharedArena.current?.waits().first(where: { $0.pid == pid }) { return "\(wait.name) (pid \(pid))" }
    return "pid \(pid)"
  }

  /// A line from the session about its processes (a deadlock, a lock released), printed
  /// after the children's output so far. On stdout, as `ps` is: it is what the experiment
  /// shows, in its place among the processes' output (and in a played lesson's).
  func notice(_ line: String) {
    output.print("proclab: \(line)\n")
  }

  // MARK: ended processes

  /// A child ended: free its slot, and release every lock it held, naming it (in Python the
  /// waiters would hang for ever).
  func releaseHolds(of record: ProcessRecord) {
    guard let arena = SharedArena.current, arena.objectCount > 0 else { return }
    arena.releaseSlot(of: record.pid)
    for offset in arena.objectOffsets where arena.kind(at: offset) == .lock || arena.kind(at: offset) == .rlock {
      let lock = SharedLock(arena: arena, offset: offset)
      if lock.releaseIfHeld(by: record.pid) {
        notice("\(record.name) (pid \(record.pid)) \(record.endDescription ?? "ended") holding \(lock.name); released it")
      }
    }
    if !isChild, !syncWatch.announced.isEmpty { markDeadlocks() }
  }

  // MARK: ps

  /// What `pid` waits on in the arena now, for its row of `ps`; nil when it waits on none.
  public func sharedWait(of pid: pid_t, now: Double) -> (text: String, deadlocked: Bool)? {
    guard let arena = SharedArena.current, arena.objectCount > 0, let wait = arena.waits().first(where: { $0.pid == pid }) else { return nil }
    let waited = " for " + String(format1(now - wait.since)) + "s"
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
