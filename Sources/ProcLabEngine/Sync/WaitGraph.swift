// Who waits for whom, read from the arena's process slots: an edge from a waiter to the holder
// of the lock it waits on, to each holder of a unit of the semaphore it waits on, or to each
// process it joins. A waiter is stuck when what it waits for can never come: a lock's holder
// or a joined process that is stuck itself, or every holder of its semaphore stuck (any one of
// them could give a unit back). The stuck on a cycle are deadlocked, the others wait behind it.
import Glibc

struct WaitGraph {
  struct Edge {
    let to: pid_t
    /// "lock Lock-2", "semaphore Semaphore-1", "join": what the waiter waits on, for the message.
    let what: String
  }

  private(set) var edges: [pid_t: [Edge]] = [:]
  private(set) var waits: [SlotWait] = []
  /// Waiters that go on when any one of their edges' processes does (a semaphore's); the
  /// others wait for each of theirs (a lock's one holder, every process a join names).
  private var waitsForAny: Set<pid_t> = []

  /// The graph as the arena shows it now.
  init(_ arena: SharedArena) {
    // A slot whose process is gone (a pool worker or an orphan no parent of ours reaped)
    // still says what it waited on: it is no edge.
    waits = arena.waits().filter { kill($0.pid, 0) == 0 || errno != ESRCH }
    for wait in waits {
      switch wait.kind {
      case .lock:
        guard arena.kind(at: wait.object) == .lock || arena.kind(at: wait.object) == .rlock else { continue }
        let owner = SharedLock.owner(in: arena, at: wait.object)
        if owner != 0 { edges[wait.pid] = [Edge(to: owner, what: "lock \(arena.name(at: wait.object))")] }
      case .semaphore:
        guard arena.kind(at: wait.object) == .semaphore || arena.kind(at: wait.object) == .boundedSemaphore else { continue }
        let semaphore = SharedSemaphore(arena: arena, offset: wait.object)
        // Units free now: the waiter is about to take one, whoever holds the rest.
        guard semaphore.value == 0 else { continue }
        let holders = semaphore.holders
        guard !holders.isEmpty else { continue }
        edges[wait.pid] = holders.map { Edge(to: $0.pid, what: "semaphore \(semaphore.name)") }
        waitsForAny.insert(wait.pid)
      case .join:
        edges[wait.pid] = wait.joins.map { Edge(to: $0, what: "join") }
      case .event, .condition, .barrier, .none:
        // No one holds an event, a condition's wake-up or a barrier's missing parties: any
        // process may set, notify or arrive, so such a wait is no edge.
        break
      }
    }
  }

  /// Every waiter that can never go on: the largest set in which each member waits for a
  /// member (one of a lock's or a join's, all of a semaphore's holders).
  func stuck() -> Set<pid_t> {
    var stuck = Set(edges.keys)
    var shrank = true
    while shrank {
      shrank = false
      for (pid, out) in edges where stuck.contains(pid) {
        let held = waitsForAny.contains(pid) ? out.allSatisfy { stuck.contains($0.to) } : out.contains { stuck.contains($0.to) }
        if !held {
          stuck.remove(pid)
          shrank = true
        }
      }
    }
    return stuck
  }

  /// The cycles among the stuck, each as a list in wait order (Tarjan's strongly connected
  /// components; a process waiting for a lock or unit it holds itself is a cycle of one).
  func cycles(among stuck: Set<pid_t>) -> [[pid_t]] {
    var index: [pid_t: Int] = [:]
    var low: [pid_t: Int] = [:]
    var onStack = Set<pid_t>()
    var stack: [pid_t] = []
    var found: [[pid_t]] = []
    var counter = 0
    func visit(_ v: pid_t) {
      index[v] = counter
      low[v] = counter
      counter += 1
      stack.append(v)
      onStack.insert(v)
      for edge in edges[v] ?? [] where stuck.contains(edge.to) {
        if index[edge.to] == nil {
          visit(edge.to)
          low[v] = min(low[v]!, low[edge.to]!)
        } else if onStack.contains(edge.to) {
          low[v] = min(low[v]!, index[edge.to]!)
        }
      }
      guard low[v] == index[v] else { return }
      var component: [pid_t] = []
      while let w = stack.popLast() {
        onStack.remove(w)
        component.append(w)
        if w == v { break }
      }
      let selfLoop = component.count == 1 && (edges[v] ?? []).contains { $0.to == v }
      if component.count > 1 || selfLoop { found.append(ordered(component)) }
    }
    for v in stuck.sorted() where index[v] == nil { visit(v) }
    return found
  }

  /// The stuck, and the cycles among them.
  func deadlocks() -> (cycles: [[pid_t]], stuck: Set<pid_t>) {
    let stuck = stuck()
    return (cycles(among: stuck), stuck)
  }

  /// A cycle's members in the order each waits for the next, from the lowest PID.
  private func ordered(_ component: [pid_t]) -> [pid_t] {
    let members = Set(component)
    var order = [component.min()!]
    while order.count < component.count, let next = edges[order.last!]?.first(where: { members.contains($0.to) && !order.contains($0.to) }) {
      order.append(next.to)
    }
    return order
  }

  /// What `from` waits on that `to` holds (or `join`), for the cycle's message.
  func label(from: pid_t, to: pid_t) -> String {
    edges[from]?.first { $0.to == to }?.what ?? "join"
  }
}
