// Every message that crosses a control channel, in both directions, encoded and decoded
// in this one place with WireCodec. Each message is one frame (see Channel).
import ProcLabScript

enum ChannelMessage {
  /// Child → session: the child started doing something new (sleeping, blocked on a join).
  case activity(Activity)
  /// Session → pool worker: take on the session's settings and new functions, then run
  /// these tasks, in order (see TaskBatch).
  case tasks(TaskBatch)
  /// Session → pool worker: finish and exit.
  case stop
  /// Pool worker → session: outcomes of finished tasks, and the time spent running them.
  case results(busySeconds: Double, [TaskOutcome])
  /// Any process → session, first on a queue connection: who is asking.
  case hello(pid: Int32, name: String)
  /// Any process → session: a queue operation (see QueueRequest).
  case queueRequest(QueueRequest)
  /// Session → process: the answer to the queue request with this id.
  case queueReply(id: Int, Result<Value, ScriptError>)
  /// `repeat` run → session: what the run gave, just before it exits.
  case runOutcome(RunOutcome)
  /// `repeat`'s last run → session, before its outcome: what its own children did, for the timeline.
  case events([ProcessEvent])

  /// The message with its frame header, in one buffer (see Channel): encoded whole before
  /// any of it is written, so a value that cannot cross fails here and nothing is sent.
  func encodedFrame() throws(CrossingError) -> [UInt8] {
    var writer = WireWriter(capacity: sizeHint)
    writer.reserveFrameHeader()
    try encode(into: &writer)
    try writer.finishFrame()
    return writer.bytes
  }

  /// Room for the whole frame when it is a pool's (9 bytes an int, most often), so that a
  /// frame of many items is not copied as its buffer grows.
  private var sizeHint: Int {
    switch self {
    case .tasks(let batch): 64 + batch.orders.reduce(0) { $0 + 32 + 9 * $1.items.count }
    case .results(_, let outcomes): 64 + outcomes.reduce(0) { $0 + 32 + 9 * ((try? $1.result.get())?.count ?? 8) }
    default: 64
    }
  }

  private func encode(into writer: inout WireWriter) throws(CrossingError) {
    switch self {
    case .activity(let activity):
      writer.byte(1)
      writer.byte(activity.state.rawValue)
      writer.double(activity.since)
      writer.double(activity.until ?? -1)
      writer.string(activity.text)
    case .tasks(let batch):
      writer.byte(2)
      writer.byte(batch.characterWrites ? 1 : 0)
      writer.int(batch.definitions.count)
      for definition in batch.definitions {
        writer.string(definition.name)
        try writer.value(definition.function)
      }
      writer.int(batch.orders.count)
      for order in batch.orders {
        writer.int(order.id)
        try writer.value(order.function)
        writer.byte(order.shape.rawValue)
        try writer.values(order.items)
      }
    case .stop:
      writer.byte(3)
    case .results(let busy, let outcomes):
      writer.byte(4)
      writer.double(busy)
      writer.int(outcomes.count)
      for outcome in outcomes {
        writer.int(outcome.id)
        switch outcome.result {
        case .success(let values):
          writer.byte(0)
          try writer.values(values)
        case .failure(let error):
          writer.byte(1)
          try writer.value(.error(error))
        }
      }
    case .hello(let pid, let name):
      writer.byte(5)
      writer.int(Int(pid))
      writer.string(name)
    case .queueRequest(let request):
      writer.byte(6)
      writer.int(request.id)
      writer.byte(request.operation.rawValue)
      writer.string(request.queue)
      try writer.value(request.value)
      writer.byte(request.block ? 1 : 0)
      writer.double(request.timeout ?? -1)
      writer.int(request.maxsize)
      writer.byte(request.joinable ? 1 : 0)
    case .queueReply(let id, let result):
      writer.byte(7)
      writer.int(id)
      switch result {
      case .success(let value):
        writer.byte(0)
        try writer.value(value)
      case .failure(let error):
        writer.byte(1)
        try writer.value(.error(error))
      }
    case .runOutcome(let outcome):
      writer.byte(8)
      switch outcome {
      case .value(let value):
        writer.byte(0)
        try writer.value(value)
      case .raised(let error):
        writer.byte(1)
        try writer.value(.error(error))
      case .uncrossable(let typeName):
        writer.byte(2)
        writer.string(typeName)
      case .ended(.exited(let code)):
        writer.byte(3)
        writer.int(Int(code))
      case .ended(.signaled(let signal)):
        writer.byte(4)
        writer.int(Int(signal))
      }
    case .events(let events):
      writer.byte(9)
      writer.int(events.count)
      for event in events { event.encode(into: &writer) }
    }
  }

  /// A message from a queue connection: only `hello` and `queueRequest` may come there, and
  /// the tag is checked before a byte of the body is read; the frame must hold nothing more.
  static func decodeFromQueuePeer(_ bytes: ArraySlice<UInt8>, resolve: (FunctionReference) -> Value?) throws(ScriptError) -> ChannelMessage {
    guard let tag = bytes.first else { throw WireReader.malformed("an empty frame") }
    guard tag == 5 || tag == 6 else { throw WireReader.malformed("message \(tag) is not one a queue connection sends") }
    var reader = WireReader(bytes)
    let message = try decode(from: &reader, resolve: resolve)
    guard reader.atEnd else { throw WireReader.malformed("bytes after the end of the message") }
    return message
  }

  static func decode(_ bytes: ArraySlice<UInt8>, resolve: (FunctionReference) -> Value?) throws(ScriptError) -> ChannelMessage {
    var reader = WireReader(bytes)
    return try decode(from: &reader, resolve: resolve)
  }

  private static func decode(from reader: inout WireReader, resolve: (FunctionReference) -> Value?) throws(ScriptError) -> ChannelMessage {
    switch try reader.byte() {
    case 1:
      let state = Activity.State(rawValue: try reader.byte()) ?? .running
      let since = try reader.double()
      let until = try reader.double()
      // Shown as durations (ps, the timeline): a number that is not one would trap there.
      guard since.isFinite, until.isFinite else { throw WireReader.malformed("an activity time that is not a number") }
      return .activity(Activity(state, try reader.string(), since: since, until: until < 0 ? nil : until))
    case 2:
      let characterWrites = try reader.byte() == 1
      var definitions: [(name: String, function: Value)] = []
      for _ in 0..<(try reader.count()) {
        let name = try reader.name()
        definitions.append((name, try reader.value(resolve: resolve)))
      }
      var orders: [TaskOrder] = []
      for _ in 0..<(try reader.count()) {
        let id = try reader.int()
        let function = try reader.value(resolve: resolve)
        guard let shape = TaskOrder.Shape(rawValue: try reader.byte()) else {
          throw ScriptError(.processError, "unknown task shape on a control channel")
        }
        orders.append(TaskOrder(id: id, function: function, items: try reader.values(resolve: resolve), shape: shape))
      }
      return .tasks(TaskBatch(orders: orders, characterWrites: characterWrites, definitions: definitions))
    case 3:
      return .stop
    case 4:
      let busy = try reader.double()
      var outcomes: [TaskOutcome] = []
      for _ in 0..<(try reader.count()) {
        let id = try reader.int()
        switch try reader.byte() {
        case 0: outcomes.append(TaskOutcome(id: id, result: .success(try reader.values(resolve: resolve))))
        case 1:
          guard case .error(let error) = try reader.value(resolve: resolve) else { throw WireReader.malformed }
          outcomes.append(TaskOutcome(id: id, result: .failure(error)))
        default: throw WireReader.malformed
        }
      }
      return .results(busySeconds: busy, outcomes)
    case 5:
      let pid = Int32(try reader.int(in: 0...Int(Int32.max), "pid"))
      return .hello(pid: pid, name: try reader.name())
    case 6:
      let id = try reader.int()
      guard let operation = QueueRequest.Operation(rawValue: try reader.byte()) else { throw WireReader.malformed("an unknown queue operation") }
      let queue = try reader.name()
      let value = try reader.value(resolve: resolve)
      let block = try reader.byte() == 1
      let timeout = try reader.double()
      guard !timeout.isNaN else { throw WireReader.malformed("a timeout that is not a number") }
      let maxsize = try reader.int()
      guard maxsize >= 0 else { throw WireReader.malformed("a negative maxsize") }
      let joinable = try reader.byte() == 1
      // Negative: none. Longer than WireLimits.maxTimeout: none either (it would never pass),
      // and a deadline that far would overflow where it is shown.
      return .queueRequest(
        QueueRequest(
          id: id, operation: operation, queue: queue, value: value, block: block,
          timeout: timeout < 0 || timeout > WireLimits.maxTimeout ? nil : timeout, maxsize: maxsize, joinable: joinable))
    case 7:
      let id = try reader.int()
      let failed = try reader.byte() == 1
      switch (failed, try reader.value(resolve: resolve)) {
      case (true, .error(let error)): return .queueReply(id: id, .failure(error))
      case (false, let value): return .queueReply(id: id, .success(value))
      default: throw WireReader.malformed
      }
    case 8:
      switch try reader.byte() {
      case 0: return .runOutcome(.value(try reader.value(resolve: resolve)))
      case 1:
        guard case .error(let error) = try reader.value(resolve: resolve) else { throw WireReader.malformed }
        return .runOutcome(.raised(error))
      case 2: return .runOutcome(.uncrossable(typeName: try reader.string()))
      case 3: return .runOutcome(.ended(.exited(Int32(try reader.int(in: 0...255, "exit status")))))
      case 4: return .runOutcome(.ended(.signaled(Int32(try reader.int(in: 1...64, "signal")))))
      default: throw WireReader.malformed
      }
    case 9:
      // An event takes at least 26 bytes: time, pid, name length, worker, kind.
      var events: [ProcessEvent] = []
      for _ in 0..<(try reader.count(minimumSize: 26)) { events.append(try ProcessEvent.decode(from: &reader)) }
      return .events(events)
    case let tag:
      throw ScriptError(.processError, "unknown message \(tag) on a control channel")
    }
  }
}

/// One task for a pool worker: call `function` once per item, in order; the shape says how
/// an item becomes the call's arguments.
struct TaskOrder {
  var id: Int
  var function: Value
  var items: TaskValues
  /// How each item becomes the arguments of a call.
  enum Shape: UInt8 {
    /// The item is the one argument (`map`).
    case single = 0
    /// The item is a list of arguments (`starmap`).
    case spread = 1
    /// The item is `[arguments, [[name, value], ...]]` (`apply` with keywords).
    case withKeywords = 2
  }

  var shape: Shape
}

/// One message's worth of work for a pool worker, with what it must take on first: the
/// session's `output chars` setting (its own copy was fixed at fork), and the global functions
/// defined or changed since it last heard, by global name, so that a function defined after
/// the fork can call another one defined after it.
struct TaskBatch {
  var orders: [TaskOrder]
  var characterWrites: Bool
  var definitions: [(name: String, function: Value)]
}

/// What a task gave: one value per argument list, or the first error.
struct TaskOutcome {
  var id: Int
  var result: Result<TaskValues, ScriptError>
}

/// A queue operation sent to the session, which owns every queue. `id` 0 asks for no reply
/// (a put on an unbounded queue: it cannot block or fail, so the producer does not wait).
struct QueueRequest {
  enum Operation: UInt8 {
    /// `received` confirms that a get's item arrived (see QueueBroker.respond).
    case create, put, get, qsize, empty, full, taskDone, join, cancel, received
    /// A managed object's operation (ManagedStore): `queue` names the object, `value` holds
    /// the operation and its arguments.
    case manage
  }

  var id: Int
  var operation: Operation
  var queue: String
  var value: Value = .none
  var block = true
  var timeout: Double?
  var maxsize = 0
  var joinable = false
}

extension QueueRequest {
  /// Whether the answer depends only on the queue's state now (it never waits): such
  /// questions are answered after every process's finished puts are read.
  var answersNow: Bool {
    switch operation {
    case .qsize, .empty, .full: true
    case .get, .put: !block || timeout == 0
    default: false
    }
  }
}

extension TaskOrder {
  /// The item of a call with keywords: its arguments and its `name=value` pairs as lists,
  /// which every process can decode.
  static func keywordItem(_ arguments: [Value], _ keywords: [(name: String, value: Value)]) -> Value {
    .list([.list(arguments), .list(keywords.map { .list([.string($0.name), $0.value]) })])
  }

  static func splitKeywords(_ item: Value) -> ([Value], [String: Value]) {
    guard case .list(let parts) = item, parts.count == 2, case .list(let arguments) = parts[0], case .list(let pairs) = parts[1] else {
      return ([], [:])
    }
    var keywords: [String: Value] = [:]
    for pair in pairs {
      if case .list(let kv) = pair, kv.count == 2, case .string(let name) = kv[0] { keywords[name] = kv[1] }
    }
    return (arguments, keywords)
  }
}
