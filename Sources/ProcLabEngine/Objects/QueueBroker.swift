// The session owns every queue. Processes reach it over a Unix socket that any descendant can
// connect to (so a process started before a queue existed can use it); the session's own
// operations call it directly. One owner makes qsize, empty and full exact, delivers each
// item to exactly one getter in FIFO order, and drops the requests of a process that dies.
import CSystem
import Glibc
import ProcLabScript

final class QueueBroker {
  private var queues: [String: SharedQueue] = [:]
  private var connections: [Int32: QueueConnection] = [:]
  private let listener: Int32
  private unowned let loop: EventLoop
  private let resolve: (FunctionReference) -> Value?

  /// The abstract socket address processes of the session `sessionPid` connect to.
  static func address(of sessionPid: Int32) -> [UInt8] {
    [0] + Array("proclab-queues-\(sessionPid)".utf8)
  }

  init(loop: EventLoop, sessionPid: Int32, resolve: @escaping (FunctionReference) -> Value?) throws(ScriptError) {
    self.loop = loop
    self.resolve = resolve
    listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
    guard listener >= 0 else { throw Descriptors.systemError("socket") }
    var (address, length) = UnixAddress.make(QueueBroker.address(of: sessionPid))
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
    }
    guard bound == 0, Glibc.listen(listener, 128) == 0 else {
      let error = Descriptors.systemError("bind/listen for queues")
      Glibc.close(listener)
      throw error
    }
    loop.watch(listener) { [unowned self] in self.accept() }
  }

  /// In a forked child: the listener and connections are the session's.
  func closeInChild() {
    Glibc.close(listener)
    for (fd, connection) in connections {
      Glibc.close(fd)
      if let posts = connection.posts { Glibc.close(posts.fd) }
    }
  }

  private func accept() {
    while true {
      let fd = Glibc.accept(listener, nil, nil)
      guard fd >= 0 else { return }
      _ = proclab_fcntl_setfd(fd, FD_CLOEXEC)
      Descriptors.setNonBlocking(fd)
      // Only processes of this user may reach the session's queues.
      var peer = PeerCredentials()
      var size = socklen_t(MemoryLayout<PeerCredentials>.size)
      guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &size) == 0, peer.uid == getuid() else {
        Glibc.close(fd)
        continue
      }
      let connection = QueueConnection(channel: Channel(fd: fd, loop: loop))
      connection.pid = peer.pid
      // The client's first bytes carry the read end of its pipe for puts.
      if let first = DescriptorPassing.receive(4, from: fd, timeout: 2) {
        connection.channel.prepend(first.bytes)
        if let postsFd = first.descriptor {
          Descriptors.setNonBlocking(postsFd)
          let posts = Channel(fd: postsFd, loop: loop)
          connection.posts = posts
          loop.watch(postsFd) { [unowned self, unowned connection] in self.receivePosts(from: connection) }
        }
      }
      connections[fd] = connection
      loop.watch(fd) { [unowned self, unowned connection] in self.receive(from: connection) }
    }
  }

  /// Reads a process's pipe of puts (requests that want no answer), paced while it streams.
  private func receivePosts(from connection: QueueConnection) {
    guard let posts = connection.posts else { return }
    var frames = 0
    let open = posts.receive { frame in
      frames += 1
      if case .queueRequest(let request)? = try? ChannelMessage.decode(frame, resolve: resolve) {
        _ = handle(request, from: connection)
      }
    }
    if !open {
      loop.unwatch(posts.fd)
      Glibc.close(posts.fd)
      connection.posts = nil
    } else if frames > 0 {
      pace(connection, frames: frames)
    }
  }

  private func receive(from connection: QueueConnection) {
    // The puts this process made before its request come first.
    receivePosts(from: connection)
    var malformed = false
    let open = connection.channel.receive { frame in
      guard !malformed else { return }
      switch try? ChannelMessage.decode(frame, resolve: resolve) {
      case .hello(let pid, let name)?:
        connection.pid = pid
        connection.name = name
      case .queueRequest(let request)?:
        if request.operation == .received {
          connection.inFlight[request.id] = nil
        } else if request.answersNow {
          // Answered once every other process's finished puts are read (see answerQueries).
          pendingQueries.append((request, connection))
        } else if let result = handle(request, from: connection) {
          respond(request, result, to: connection)
        }
      case nil:
        // A frame that cannot be read closes its connection and nothing else: the process
        // gets an error instead of waiting for an answer that cannot come.
        malformed = true
      default:
        break
      }
    }
    if !open || malformed { drop(connection) }
    answerQueries()
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
    // Puts that returned before the process went are in its pipe: keep them.
    receivePosts(from: connection)
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

  /// Reads every connection now, so a put that returned in another process before this
  /// moment is counted before the session answers (qsize, empty and full stay exact).
  /// Reads every connection now (accepting the ones still waiting to be accepted), so a put
  /// that returned in another process before this moment is counted.
  func drainConnections() {
    accept()
    let outermost = !draining
    draining = true
    for connection in Array(connections.values) { receive(from: connection) }
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
    case .create, .cancel, .received:
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

  func queue(named name: String) -> SharedQueue? {
    if let lastQueue, lastQueue.name == name { return lastQueue }
    lastQueue = queues[name]
    return lastQueue
  }

  var names: [String] { queues.keys.sorted() }
}

/// A `sockaddr_un` for an abstract Unix socket name.
enum UnixAddress {
  static func make(_ name: [UInt8]) -> (sockaddr_un, socklen_t) {
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { path in
      for (i, byte) in name.prefix(path.count).enumerated() { path[i] = byte }
    }
    let length = MemoryLayout<sa_family_t>.size + min(name.count, MemoryLayout.size(ofValue: address.sun_path))
    return (address, socklen_t(length))
  }
}

/// Linux's `struct ucred` (SO_PEERCRED), which Glibc declares only under _GNU_SOURCE.
private struct PeerCredentials {
  var pid: Int32 = 0
  var uid: UInt32 = 0
  var gid: UInt32 = 0
}
