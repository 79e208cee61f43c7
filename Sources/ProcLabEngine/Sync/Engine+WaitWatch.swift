// The session's watch over who waits for whom: every 20 ms while children live it reads the
// wait-for graph, marks the deadlocked and those behind them, names each new cycle once, and
// looks at who holds which lock (Engine+HoldWatch); when a process ends holding a lock, its
// parent releases the lock and says so.
import CSystem
import Glibc
import ProcLabScript

/// The session's bookkeeping of the wait watch (a stored property of Engine).
struct SyncWatch {
  var armed = false
  /// Cycles already announced, so each is printed once while it lasts.
  var announced: Set<[pid_t]> = []
  /// The holds the last look saw, by lock offset (Engine+HoldWatch).
  var holds: [Int: SeenHold] = [:]
}

extension Engine {
  /// Starts the session's periodic look at the wait-for graph, unless it runs already.
  func armWaitWatch() {
    guard !isChild, !syncWatch.armed else { return }
    syncWatch.armed = true
    _ = loop.addTimer(at: CPUClock.monotonicSeconds() + 0.02) { [unowned self] in self.watchWaits() }
  }

  /// Every 20 ms while children live or anyone waits: marks the stuck and deadlocked in their
  /// slots, prints each new cycle once, and logs the holds it sees.
  private func watchWaits() {
    syncWatch.armed = false
    let anyone = arena.waitingCount > 0
    if anyone || !syncWatch.announced.isEmpty { markDeadlocks() }
    watchHolds(at: CPUClock.monotonicSeconds())
    if anyone || current.contains(where: \.isAlive) || poolWorkersMayHold { armWaitWatch() }
  }

  func markDeadlocks() {
    let graph = WaitGraph(arena)
    let (cycles, stuck) = graph.deadlocks()
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
    let cycles = graph.deadlocks().cycles
    if let on = cycles.first(where: { $0.contains(pid) }) { return describe(cycle: on, in: graph) }
    return cycles.first.map { describe(cycle: $0, in: graph) }
  }

  /// "Process-2 (pid 4311)": this process's records and pool workers, else the name the
  /// process wrote in its slot, else the PID alone.
  public func describeProcess(_ pid: pid_t) -> String {
    if pid == getpid() { return "\(processName) (pid \(pid))" }
    if let record = processes.last(where: { $0.pid == pid }) { return "\(record.name) (pid \(pid))" }
    for pool in pools {
      if let worker = pool.workers.first(where: { $0.pid == pid }) { return "\(worker.name) (pid \(pid))" }
    }
    if let wait = SharedArena.current?.waits().first(where: { $0.pid == pid }) { return "\(wait.name) (pid \(pid))" }
    return "pid \(pid)"
  }

  /// A line from the session about its processes (a deadlock, a lock released), printed
  /// after the children's output so far. On stdout, as `ps` is: it is what the experiment
  /// shows, in its place among the processes' output (and in a played lesson's).
  func notice(_ line: String) {
    output.print("proclab: \(line)\n")
  }



  /// A child ended: free its slot, and release every lock and semaphore unit it held, naming
  /// it (in Python the waiters would hang for ever).
  func releaseHolds(of record: ProcessRecord) {
    releaseHolds(of: record.pid, named: record.name, ended: record.endDescription ?? "ended")
  }

  /// The same for any process of the session that ended (a pool worker too), by PID.
  func releaseHolds(of pid: pid_t, named name: String, ended: String) {
    guard let arena = SharedArena.current, arena.objectCount > 0 else { return }
    arena.releaseSlot(of: pid)
    for offset in arena.objectOffsets {
      switch arena.kind(at: offset) {
      case .lock, .rlock:
        let lock = SharedLock(arena: arena, offset: offset)
        if lock.releaseIfHeld(by: pid) { notice("\(name) (pid \(pid)) \(ended) holding \(lock.name); released it") }
      case .semaphore, .boundedSemaphore:
        let semaphore = SharedSemaphore(arena: arena, offset: offset)
        let units = semaphore.releaseIfHeld(by: pid)
        if units > 0 {
          notice("\(name) (pid \(pid)) \(ended) holding \(units == 1 ? "a unit" : "\(units) units") of \(semaphore.name); released \(units == 1 ? "it" : "them")")
        }
      default:
        break
      }
    }
    if !isChild, !syncWatch.announced.isEmpty { markDeadlocks() }
  }
}
