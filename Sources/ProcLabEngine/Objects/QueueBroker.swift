// The session owns every queue. Processes reach it through the queue door (QueueDoor.swift),
// which only the session's descendants inherit, so a process started before a queue existed
// can still use it; the session's own operations call it directly. One owner makes qsize,
// empty and full exact, delivers each item to exactly one getter in FIFO order, and drops
// the requests of a process that dies. Every byte from a connection is untrusted: read
// without blocking, in bounded batches, and checked before it is used (WireLimits).
import CSystem
import Glibc
import ProcLabScript

final class QueueBroker {
  private var queues: [String: SharedQueue] = [:]
  /// The dicts, lists and namespaces Manager() made.
  let managed = ManagedStore()
  private var connections: [Int32: QueueConnection] = [:]
  let door: QueueDoor
  private unowned let loop: EventLoop
  private let resolve: (FunctionReference) -> Value?
  /// Where the one line about a refused request or a closed bad connection goes.
  var log: (String) -> Void = { Descriptors.writeAll(2, "proclab: " + $0 + "\n") }

  /// How many connection requests are taken per wake-up (the rest wait for the next one).
  private static let admissionsPerWake = 64

  init(loop: EventLoop, resolve: @escaping (FunctionReference) -> Value?) throws(ScriptError) {
    self.loop = loop
    self.resolve = resolve
    door = try QueueDoor()
    QueueDoor.inherited = door.descendantEnd
    loop.watch(door.sessionEnd) { [unowned self] in self.admit() }
  }

  /// In a forked child: the door's session end and the connections are the session's.
  func closeInChild() {
    door.closeInChild()
    for (fd, connection) in connections {
      Glibc.close(fd)
      if let posts = connection.posts { Glibc.close(posts.fd) }
    }
  }

  /// Takes the connections descendants asked for (a bounded number per call). Nothing here
  /// waits: a request carries its connection and its pipe whole, and the first frame comes
  /// on the connection, read like every other.
  private func admit() {
    for _ in 0..<QueueBroker.admissionsPerWake {
      switch door.next() {
      case .none:
        return
      case .refused(let why):
        log("refused \(why)")
      case .admitted(let admission):
        let connection = QueueConnection(channel: Channel(fd: admission.channel, loop: loop))
        connection.pid = admission.pid
        connection.posts = Channel(fd: admission.posts, loop: loop)
        connections[admission.channel] = connection
        loop.watch(admission.posts) { [unowned self, unowned connection] in self.receivePosts(from: connection) }
        loop.watch(admission.channel) { [unowned self, unowned connection] in self.receive(from: connection) }
      }
    }
  }

  /// Reads a process's pipe of puts (requests that want no answer), paced while it streams.
  /// False when the connection was closed for a bad frame.
  @discardableResult
  private func receivePosts(from connection: QueueConnection) -> Bool {
    guard let posts = connection.posts else { return true }
    var frames = 0
    var failure: String?
    let receipt = posts.receive(batch: WireLimits.readBatch, maxFrame: WireLimits.maxPeerFrame) { frame in
      do throws(ScriptError) {
        // Only puts that want no answer come down the pipe.
        guard case .queueRequest(let request) = try ChannelMessage.decodeFromQueuePeer(frame, resolve: resolve),
          request.operation == .put, request.id == 0
        else {
          failure = "a message other than a put in a pipe of puts"
          return false
        }
        frames += 1
        _ = handle(request, from: connection)
        return true
      } catch {
        failure = error.message
        return false
      }
    }
    switch receipt {
    case .open:
      if frames > 0 { pace(connection, frames: frames) }
      return true
    case .closed:
      // A frame cut short by the end of the pipe is a put that never returned (its process
      // died while writing it): it is dropped with the pipe.
      loop.unwatch(posts.fd)
      Glibc.close(posts.fd)
      connection.posts = nil
      return true
    case .oversized(let length):
      refuse(connection, "a frame of \(length) bytes in its pipe of puts (at most \(Crossing.size(WireLimits.maxPeerFrame)))")
      return false
    case .refused:
      refuse(connection, failure ?? "a malformed frame")
      return false
    }
  }

  private func receive(from connection: QueueConnection) {
    // The puts this process made before its request come first.
    guard connections[connection.channel.fd] === connection, receivePosts(from: connection) else {
      answerQueries()
      return
    }
    var failure: String?
    let receipt = connection.channel.receive(batch: WireLimits.readBatch, maxFrame: WireLimits.maxPeerFrame) { frame in
      do throws(ScriptError) {
        switch try ChannelMessage.decodeFromQueuePeer(frame, resolve: resolve) {
        case .hello(_, let name):
          // The pid is the kernel's (SO_PEERCRED), not what the process says.
          connection.name = name
        case .queueRequest(let request):
          if let why = QueueBroker.problem(with: request, from: connection) {
            failure = why
            return false
          }
          if request.operation == .received {
            connection.inFlight[request.id] = nil
          } else if request.answersNow {
            // Answered once every other process's finished puts are read (see answerQueries).
            pendingQueries.append((request, connection))
          } else if let result = handle(request, from: connection) {
            respond(request, result, to: connection)
          }
        default:
          failure = "a message a queue connection does not send"
          return false
        }
        return true
      } catch {
        failure = error.message
        return false
      }
    }
    switch receipt {
    case .open:
      break
    case .closed:
      // A frame cut short by the end (its process died while writing it) did nothing.
      drop(connection)
    case .oversized(let length):
      refuse(connection, "a frame of \(length) bytes (at most \(Crossing.size(WireLimits.maxPeerFrame)))")
    case .refused:
      refuse(connection, failure ?? "a malformed frame")
    }
    answerQueries()
  }

  /// Why a well-formed request cannot be served on its connection, if it cannot: every
  /// request there wants an answer (id > 0), and a get may not reuse the id of an item still
  /// unconfirmed (the item would be lost).
  private static func problem(with request: QueueRequest, from connection: QueueConnection) -> String? {
    guard request.id > 0 else { return "a request with id \(request.id)" }
    if request.operation == .get, connection.inFlight[request.id] != nil {
      return "a get reusing the id \(request.id) of an item not yet confirmed"
    }
    if request.operation == .create, request.queue.isEmpty { return "a queue with no name" }
    return nil
  }

  /// A connection that sent what no proclab process sends: one line on stderr, and it is
  /// closed like a process that went away, except that the puts still in its pipe are not
  /// read. Nothing it sent after its last good frame reaches a queue.
  private func refuse(_ connection: QueueConnection, _ why: String) {
    let who = connection.pid > 0 ? "pid \(connection.pid)\(connection.name == "?" ? "" : " (\(connection.name))")" : "an unknown process"
    log("closed the queue connection of \(who): \(why)")
    if let posts = connection.posts {
      loop.unwatch(posts.fd)
      Glibc.close(posts.fd)
      connection.posts = nil
    }
    drop(connection)
  }

  /// Questions about a queue's state (qsize, empty, full, a get or put that may not wait)
  /// from other processes: answered after reading every connection, so a put another process
  /// finished before the question was asked is counted, wherever it came from.
  private var pendingQueries: [(QueueRequest, QueueConnection)] = []
  private var answering = false
  private var draining = false

  private func answerQueries() {
    guard !answering, !draining, !pendingQueries.isEmpty else { return }
    answering = true
    defer { answering = false }
    while !pendingQueries.isEmpty {
      drainConnections()
      let queries = pendingQueries
      pendingQueries = []
      for (request, connection) in queries {
        if let result = handle(request, from: connection) { respond(request, result, to: connection) }
      }
    }
  }

  /// A process streaming puts would wake the session for every item, and each wake-up costs
  /// the producer more than its write. While puts come faster than one per half millisecond,
  /// a few at a time, the session reads that connection every 200 µs instead, in batches.
  /// Requests that wait for an answer are never delayed; drainConnections reads at once.
  private func pace(_ connection: QueueConnection, frames: Int) {
    let now = CPUClock.monotonicSeconds()
    defer { connection.lastPosts = now }
    guard frames < 64, now - connection.lastPosts < 0.0005, let posts = connection.posts else { return }
    let fd = posts.fd
    loop.unwatch(fd)
    _ = loop.addTimer(at: now + 0.0002) { [weak self, weak connection] in
      guard let self, let connection, connection.posts?.fd == fd else { return }
      self.loop.watch(fd) { [unowned self, unowned connection] in self.receivePosts(from: connection) }
      self.receivePosts(from: connection)
    }
  }

  /// A process went away: its waiting requests are dropped; the items stay in the queues.
  private func drop(_ connection: QueueConnection) {
    // Puts that returned before the process went are in its pipe: keep them. The pipe is
    // read to its end in batches (it holds what the process wrote before it went, and a
    // process that still writes is read until the pipe has been empty once).
    for _ in 0..<(WireLimits.maxPeerFrame / WireLimits.readBatch) {
      guard let posts = connection.posts, receivePosts(from: connection), connection.posts === posts, Self.readable(posts.fd) else { break }
    }
    // A bad frame in the pipe closed the connection already.
    guard connections[connection.channel.fd] === connection else { return }
    // Items handed to it that it never confirmed go back to the front of their queues.
    for (_, item) in connection.inFlight.sorted(by: { $0.key > $1.key }) {
      if let queue = queue(named: item.queue) { giveBack(item.value, to: queue) }
    }
    connection.inFlight = [:]
    if let posts = connection.posts {
      loop.unwatch(posts.fd)
      Glibc.close(posts.fd)
      connection.posts = nil
    }
    let fd = connection.channel.fd
    loop.unwatch(fd)
    Glibc.close(fd)
    connections[fd] = nil
    for queue in queues.values {
      for waiter in queue.getters + queue.putters + queue.joiners where waiter.connection === connection {
        if let timer = waiter.timer { loop.cancelTimer(timer) }
      }
      queue.getters.removeAll { $0.connection === connection }
      queue.putters.removeAll { $0.connection === connection }
      queue.joiners.removeAll { $0.connection === connection }
    }
  }

  /// Reads every connection now (taking the ones still waiting at the door), so a put that
  /// returned in another process before this moment is counted before the session answers
  /// (qsize, empty and full stay exact).
  func drainConnections() {
    admit()
    let outermost = !draining
    draining = true
    for connection in Array(connections.values) where connections[connection.channel.fd] === connection {
      receive(from: connection)
    }
    if outermost {
      draining = false
      answerQueries()
    }
  }


  /// Sends an answer. One that cannot be encoded (puts are checked, so this is a guard, not
  /// a path) goes as its TypeError instead: a process waiting for an answer always gets one.
  /// False when the answer was replaced so.
  @discardableResult
  private func reply(_ result: Result<Value, ScriptError>, to connection: QueueConnection, id: Int) -> Bool {
    guard id != 0 else { return true }
    do {
      connection.channel.send(frameBytes: try ChannelMessage.queueReply(id: id, result).encodedFrame())
      return true
    } catch {
      try? connection.channel.send(ChannelMessage.queueReply(id: id, .failure(error.scriptError)))
      return false
    }
  }

  /// Answers a process. An item it gets stays "in flight" until the getter confirms it:
  /// a getter killed before reading its reply must not take the item with it.
  private func respond(_ request: QueueRequest, _ result: Result<Value, ScriptError>, to connection: QueueConnection) {
    if request.operation == .get, case .success(let value) = result {
      connection.inFlight[request.id] = (request.queue, value)
    }
    if !reply(result, to: connection, id: request.id) { connection.inFlight[request.id] = nil }
  }

  // MARK: operations

  /// Performs a request. Returns the result at once, or nil when the request waits (its
  /// result then goes to the connection, or into the waiter the session watches).
  func handle(_ request: QueueRequest, from connection: QueueConnection?, parked: ((QueueWaiter) -> Void)? = nil) -> Result<Value, ScriptError>? {
    if request.operation == .create {
      return create(request)
    }
    if request.operation == .cancel {
      cancel(request.id, from: connection)
      return nil
    }
    if request.operation == .manage {
      return managed.perform(on: request.queue, request.value)
    }
    guard let queue = queue(named: request.queue) else {
      return .failure(ScriptError(.nameError, "no queue named '\(request.queue)' (create it with: queue \(request.queue))"))
    }
    let deadline = request.timeout.map { CPUClock.monotonicSeconds() + $0 }
    switch request.operation {
    case .put:
      if !queue.isFull {
        add(request.value, to: queue)
        return .success(.none)
      }
      guard request.block, request.timeout != 0 else {
        return .failure(ScriptError(.full, "queue \(queue.name) is full (\(queue.count) of \(queue.maxsize) items)"))
      }
      let waiter = QueueWaiter(.put, value: request.value, connection: connection, requestId: request.id, deadline: deadline)
      queue.putters.append(waiter)
      park(waiter, in: queue)
      parked?(waiter)
      return nil
    case .get:
      if queue.count > 0 { return .success(take(from: queue)) }
      guard request.block, request.timeout != 0 else {
        return .failure(ScriptError(.empty, "queue \(queue.name) is empty"))
      }
      let waiter = QueueWaiter(.get, value: .none, connection: connection, requestId: request.id, deadline: deadline)
      waiter.queue = queue.name
      queue.getters.append(waiter)
      park(waiter, in: queue)
      parked?(waiter)
      return nil
    case .qsize: return .success(.int(queue.count))
    case .empty: return .success(.bool(queue.count == 0))
    case .full: return .success(.bool(queue.isFull))
    case .taskDone:
      guard queue.joinable else {
        return .failure(ScriptError(.attributeError, "queue \(queue.name) is not joinable (create it with joinable=true)"))
      }
      guard queue.unfinished > 0 else {
        return .failure(ScriptError(.valueError, "task_done() called too many times on queue \(queue.name)"))
      }
      queue.unfinished -= 1
      if queue.unfinished == 0 {
        let joiners = queue.joiners
        queue.joiners = []
        for joiner in joiners { finish(joiner, .success(.none)) }
      }
      return .success(.none)
    case .join:
      guard queue.joinable else {
        return .failure(ScriptError(.attributeError, "queue \(queue.name) is not joinable (create it with joinable=true)"))
      }
      if queue.unfinished == 0 { return .success(.none) }
      let waiter = QueueWaiter(.join, value: .none, connection: connection, requestId: request.id, deadline: nil)
      queue.joiners.append(waiter)
      parked?(waiter)
      return nil
    case .create, .cancel, .received, .manage:
      return nil
    }
  }

  private func create(_ request: QueueRequest) -> Result<Value, ScriptError> {
    if let existing = queues[request.queue] {
      guard existing.maxsize == request.maxsize, existing.joinable == request.joinable else {
        return .failure(ScriptError(.valueError, "queue \(request.queue) already exists with maxsize=\(existing.maxsize) joinable=\(existing.joinable)"))
      }
      return .success(.none)
    }
    queues[request.queue] = SharedQueue(name: request.queue, maxsize: request.maxsize, joinable: request.joinable)
    return .success(.none)
  }

  /// A new item goes to the oldest waiting getter, or to the end of the queue.
  private func add(_ value: Value, to queue: SharedQueue) {
    if queue.joinable { queue.unfinished += 1 }
    if !queue.getters.isEmpty {
      finish(queue.getters.removeFirst(), .success(value))
    } else {
      queue.append(value)
    }
  }

  /// Takes the first item; the oldest waiting putter then gets its place.
  private func take(from queue: SharedQueue) -> Value {
    let value = queue.removeFirst()
    if !queue.putters.isEmpty && !queue.isFull {
      let putter = queue.putters.removeFirst()
      add(putter.value, to: queue)
      finish(putter, .success(.none))
    }
    return value
  }

  private func park(_ waiter: QueueWaiter, in queue: SharedQueue) {
    guard let deadline = waiter.deadline else { return }
    waiter.timer = loop.addTimer(at: deadline) { [unowned self, unowned queue, weak waiter] in
      guard let waiter, waiter.outcome == nil else { return }
      queue.getters.removeAll { $0 === waiter }
      queue.putters.removeAll { $0 === waiter }
      let error =
        waiter.kind == .get
        ? ScriptError(.empty, "queue \(queue.name) stayed empty for \(Activity.seconds(waiter.deadline! - waiter.since))")
        : ScriptError(.full, "queue \(queue.name) stayed full for \(Activity.seconds(waiter.deadline! - waiter.since))")
      self.finish(waiter, .failure(error))
    }
  }

  private func finish(_ waiter: QueueWaiter, _ result: Result<Value, ScriptError>) {
    if let timer = waiter.timer { loop.cancelTimer(timer) }
    waiter.outcome = result
    if let connection = waiter.connection {
      if waiter.kind == .get, case .success(let value) = result, let queue = waiter.queue {
        connection.inFlight[waiter.requestId] = (queue, value)
      }
      if !reply(result, to: connection, id: waiter.requestId) { connection.inFlight[waiter.requestId] = nil }
    }
  }

  /// An item a dead getter never confirmed: it was the oldest, so it goes first again.
  /// (It was counted as unfinished when it was put, and still is.)
  private func giveBack(_ value: Value, to queue: SharedQueue) {
    if !queue.getters.isEmpty {
      finish(queue.getters.removeFirst(), .success(value))
    } else {
      queue.prepend(value)
    }
  }

  /// The session gave up waiting (Ctrl-C), or a process asked to cancel its request.
  func withdraw(_ waiter: QueueWaiter) {
    for queue in queues.values {
      queue.getters.removeAll { $0 === waiter }
      queue.putters.removeAll { $0 === waiter }
      queue.joiners.removeAll { $0 === waiter }
    }
    if let timer = waiter.timer { loop.cancelTimer(timer) }
  }

  private func cancel(_ id: Int, from connection: QueueConnection?) {
    for queue in queues.values {
      for waiter in queue.getters + queue.putters + queue.joiners where waiter.connection === connection && waiter.requestId == id {
        withdraw(waiter)
        finish(waiter, .failure(ScriptError(.keyboardInterrupt, "interrupted while waiting on queue \(queue.name)")))
      }
    }
  }

  // MARK: seeing it

  /// The last queue looked up: a producer or consumer loop names the same queue each time,
  /// and comparing one short string is cheaper than hashing it.
  private var lastQueue: SharedQueue?

  /// Drops a queue nobody can reach any more (see Engine.release), unless someone waits on it.
  func forget(_ name: String) {
    guard let queue = queues[name], queue.getters.isEmpty, queue.putters.isEmpty, queue.joiners.isEmpty else { return }
    queues[name] = nil
    if lastQueue === queue { lastQueue = nil }
  }

  func queue(named name: String) -> SharedQueue? {
    if let lastQueue, lastQueue.name == name { return lastQueue }
    lastQueue = queues[name]
    return lastQueue
  }

  var names: [String] { queues.keys.sorted() }

  /// What every queue holds: a `repeat` run takes it before it forks and puts it back after.
  func contents() -> [String: (items: [Value], unfinished: Int)] {
    queues.mapValues(\.contents)
  }

  /// Puts back what `contents` saw, and drops the queues made since, so a run's items and
  /// queues do not leak into the next run or the session.
  func restore(_ saved: [String: (items: [Value], unfinished: Int)]) {
    for (name, queue) in queues {
      if let contents = saved[name] {
        queue.restore(contents)
      } else {
        forget(name)
      }
    }
  }
}

extension QueueBroker {
  /// True when `fd` has bytes (or its end) waiting now.
  fileprivate static func readable(_ fd: Int32) -> Bool {
    var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    return poll(&ready, 1, 0) == 1
  }
}
