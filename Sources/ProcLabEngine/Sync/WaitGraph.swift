// Who waits for whom, read from the arena's process slots: an edge from a waiter to the holder
// of the lock it waits on, or to each process it joins. A cycle is a deadlock; whoever waits
// (through locks or joins) for a process on a cycle is stuck behind it.
import Glibc

struct WaitGraph {
  struct Edge {
    let to: pid_t
    /// "lock Lock-2", "join": what the waiter waits on, for the message.
    let what: String
  }

  private(set) var edges: [pid_t: [Edge]] = [:]
  private(set) var waits: [SlotWait] = []

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
      case .join:
        edges[wait.pid] = wait.joins.map { Edge(to: $0, what: "join") }
      case .semaphore, .event, .condition, .barrier, .none:
        break
      }
    }
  }

  /// The processes on some cycle, each cycle as a list in wait order (Tarjan's strongly
  /// connected components; a process waiting for a lock it holds itself is a cycle of one).
  func cycles() -> [[pid_t]] {
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
      for edge in edges[v] ?? [] {
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
    for v in edges.keys.sorted() where index[v] == nil { visit(v) }
    return found
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

  /// Every waiter that can never go on: those on a cycle and those waiting for them.
  func stuck(given cycles: [[pid_t]]) -> Set<pid_t> {
    var stuck = Set(cycles.joined())
    var grew = true
    while grew {
      grew = false
      for (pid, out) in edges where !stuck.contains(pid) && out.contains(where: { stuck.contains($0.to) }) {
        stuck.insert(pid)
        grew = true
      }
    }
    return stuck
  }

  /// What `from` waits on that `to` holds (or `join`), for the cycle's message.
  func label(from: pid_t, to: pid_t) -> String {
    edges[from]?.first { $0.to == to }?.what ?? "join"
  }
}
