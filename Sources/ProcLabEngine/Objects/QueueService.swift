// One entry point for queue operations in any process: the session calls its broker
// directly and waits in its event loop; any other process asks the session over its client.
import ProcLabScript

extension Engine {
  /// Makes a queue in the session, reachable by name from every descendant.
  public func makeQueue(name: String? = nil, maxsize: Int, joinable: Bool) throws(ScriptError) -> QueueHandle {
    queueCount += 1
    let isAnonymous = name == nil
    let name = name ?? "Queue-\(queueCount)"
    _ = try queueOperation(.create, on: QueueTarget(name: name, unbounded: maxsize == 0), maxsize: maxsize, joinable: joinable)
    return QueueHandle(name: name, maxsize: maxsize, joinable: joinable, engine: self, isAnonymous: isAnonymous)
  }

  /// The session's last handle on an anonymous queue went. Processes forked since it was made
  /// may still hold a copy, so it is forgotten only once none of them is alive (checked again
  /// as processes are joined): a long session that makes queues in a loop stays flat.
  func release(queue name: String, madeAt: Double) {
    guard broker != nil else { return }  // a child's copy: the session decides
    releasedQueues.append((name, madeAt))
    forgetReleasedQueues()
  }

  func forgetReleasedQueues() {
    guard let broker, !releasedQueues.isEmpty else { return }
    let newest = current.filter(\.isAlive).map(\.startedAt) + pools.flatMap { $0.workerStarts }
    releasedQueues.removeAll { queue in
      guard !newest.contains(where: { $0 >= queue.madeAt }) else { return false }
      broker.forget(queue.name)
      return true
    }
  }

  /// A handle on a queue known only by its name, for one call (`queue put q 1` from a
  /// process started before `q` existed).
  public func queueHandle(named name: String) -> QueueHandle {
    QueueHandle(name: name, maxsize: nil, joinable: false, engine: self)
  }

  public func put(_ value: Value, on queue: QueueTarget, block: Bool = true, timeout: Double? = nil) throws(ScriptError) {
    _ = try queueOperation(.put, on: queue, value: value, block: block, timeout: timeout)
  }

  /// The next item; Empty when none comes (at once, or within the timeout).
  public func get(from queue: QueueTarget, block: Bool = true, timeout: Double? = nil) throws(ScriptError) -> Value {
    try queueOperation(.get, on: queue, block: block, timeout: timeout)
  }

  /// qsize(), empty() or full(): the session answers after reading every pending put.
  public func ask(_ question: QueueQuestion, about queue: QueueTarget) throws(ScriptError) -> Value {
    switch question {
    case .qsize: try queueOperation(.qsize, on: queue)
    case .empty: try queueOperation(.empty, on: queue)
    case .full: try queueOperation(.full, on: queue)
    }
  }

  public func taskDone(on queue: QueueTarget) throws(ScriptError) {
    _ = try queueOperation(.taskDone, on: queue)
  }

  /// A joinable queue's join: waits until every item put has been marked done.
  public func join(queue: QueueTarget) throws(ScriptError) {
    _ = try queueOperation(.join, on: queue)
  }

  func queueOperation(
    _ operation: QueueRequest.Operation, on target: QueueTarget, value: Value = .none, block: Bool = true,
    timeout: Double? = nil, maxsize: Int = 0, joinable: Bool = false
  ) throws(ScriptError) -> Value {
    let request = QueueRequest(
      id: 0, operation: operation, queue: target.name, value: value, block: block, timeout: timeout, maxsize: maxsize,
      joinable: joinable)
    // Built only when the operation really waits: this is the per-item path of a queue.
    func doing() -> Activity {
      Activity(
        .blocked, "blocked on \(operation.verb) \(target.name)", since: CPUClock.monotonicSeconds(),
        until: timeout.map { CPUClock.monotonicSeconds() + $0 })
    }
    if let broker {
      // The session keeps its own items as values: one that could not reach a getter in
      // another process is refused here, as a child's put of it fails in encoding.
      if operation == .put {
        do { try Crossing.check(value) } catch { throw error.scriptError }
      }
      // Puts that returned in other processes before now must count: read them first,
      // unless a get can already be answered (then nothing read now could come before).
      if operation != .get || broker.queue(named: target.name)?.count ?? 0 == 0 { broker.drainConnections() }
      var waiter: QueueWaiter?
      if let result = broker.handle(request, from: nil, parked: { waiter = $0 }) { return try result.get() }
      guard let waiter else { return .none }
      let outcome = during(doing()) { loop.run { waiter.outcome != nil } }
      if outcome == .interrupted {
        broker.withdraw(waiter)
        throw ScriptError(.keyboardInterrupt, "interrupted while waiting to \(operation.verb) on queue \(target.name); the queue is unchanged")
      }
      return try waiter.outcome!.get()
    }
    let client = try connectedQueueClient()
    if operation == .put && target.unbounded {
      try client.post(request)
      return .none
    }
    let before = activity
    defer {
      if activity != before {
        var back = before
        back.since = CPUClock.monotonicSeconds()
        report(back)
      }
    }
    return try client.request(request, resolve: functionOrStandIn, blocked: { report(doing()) }, signals: { runSignalHandlers() })
  }

  private func connectedQueueClient() throws(ScriptError) -> QueueClient {
    if let queueClient { return queueClient }
    let client = try QueueClient(door: QueueDoor.inherited, name: processName)
    queueClient = client
    return client
  }

  /// A function value arriving from another process: this process's own definition of the
  /// same text, or compiled from the text sent along.
  func resolve(_ reference: FunctionReference) -> Value? {
    guard let interpreter else { return nil }
    return Engine.resolveFunction(reference, interpreter, &compiledFunctions)
  }

  /// `resolve`, or a stand-in that raises NameError when called: a message is never lost
  /// (and its sender never left waiting) because a function in it cannot be found.
  func functionOrStandIn(_ reference: FunctionReference) -> Value {
    resolve(reference) ?? Engine.missingFunction(reference.name)
  }

  /// What `queue show` prints, and `queue` alone; nil outside the session.
  public func queueReport(_ name: String?) throws(ScriptError) -> [QueueReport] {
    guard let broker else { throw ScriptError(.processError, "queue show works in the session, which holds the queues") }
    broker.drainConnections()
    let now = CPUClock.monotonicSeconds()
    let names = name.map { [$0] } ?? broker.names
    return try names.map { n throws(ScriptError) in
      guard let queue = broker.queue(named: n) else { throw ScriptError(.nameError, "no queue named '\(n)'") }
      func waiting(_ waiters: [QueueWaiter]) -> [QueueReport.Waiting] {
        waiters.map { .init(who: $0.who, waited: now - $0.since, left: $0.deadline.map { max(0, $0 - now) }) }
      }
      return QueueReport(
        name: n, count: queue.count, maxsize: queue.maxsize, joinable: queue.joinable, unfinished: queue.unfinished,
        firstItems: queue.first.prefix(10).map(\.repr), getters: waiting(queue.getters), putters: waiting(queue.putters),
        joiners: waiting(queue.joiners))
    }
  }
}

/// What can be asked of a queue's state.
public enum QueueQuestion { case qsize, empty, full }

/// A queue at one moment: its items and who waits on it.
public struct QueueReport {
  public struct Waiting {
    public var who: String
    public var waited: Double
    public var left: Double?
  }

  public var name: String
  public var count: Int
  public var maxsize: Int
  public var joinable: Bool
  public var unfinished: Int
  public var firstItems: [String]
  public var getters: [Waiting]
  public var putters: [Waiting]
  public var joiners: [Waiting]
}

extension QueueRequest.Operation {
  var verb: String {
    switch self {
    case .create: "create"
    case .put: "put"
    case .get: "get"
    case .qsize: "qsize"
    case .empty: "empty"
    case .full: "full"
    case .taskDone: "task_done"
    case .join: "join"
    case .cancel: "cancel"
    case .received: "confirm"
    case .manage: "use"
    }
  }
}
