// Every message that crosses a control channel, in both directions, encoded and decoded
// in this one place with WireCodec. Each message is one frame (see Channel).
import ProcLabScript

enum ChannelMessage {
  /// Child → session: the child started doing something new (sleeping, blocked on a join).
  case activity(Activity)
  /// Session → pool worker: run these tasks, in order.
  case tasks([TaskOrder])
  /// Session → pool worker: finish and exit.
  case stop
  /// Pool worker → session: outcomes of finished tasks, and the time spent running them.
  case results(busySeconds: Double, [TaskOutcome])

  func encoded() throws(ScriptError) -> [UInt8] {
    var writer = WireWriter()
    switch self {
    case .activity(let activity):
      writer.byte(1)
      writer.byte(activity.state.rawValue)
      writer.double(activity.since)
      writer.double(activity.until ?? -1)
      writer.string(activity.text)
    case .tasks(let orders):
      writer.byte(2)
      writer.int(orders.count)
      for order in orders {
        writer.int(order.id)
        try writer.value(order.function)
        writer.byte(order.spread ? 1 : 0)
        writer.int(order.items.count)
        for item in order.items { try writer.value(item) }
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
          try writer.value(.list(values))
        case .failure(let error):
          writer.byte(1)
          try writer.value(.error(error))
        }
      }
    }
    return writer.bytes
  }

  static func decode(_ bytes: ArraySlice<UInt8>, resolve: (FunctionReference) -> Value?) throws(ScriptError) -> ChannelMessage {
    var reader = WireReader(Array(bytes))
    switch try reader.byte() {
    case 1:
      let state = Activity.State(rawValue: try reader.byte()) ?? .running
      let since = try reader.double()
      let until = try reader.double()
      return .activity(Activity(state, try reader.string(), since: since, until: until < 0 ? nil : until))
    case 2:
      var orders: [TaskOrder] = []
      for _ in 0..<(try reader.count()) {
        let id = try reader.int()
        let function = try reader.value(resolve: resolve)
        let spread = try reader.byte() == 1
        var items: [Value] = []
        let count = try reader.count()
        items.reserveCapacity(count)
        for _ in 0..<count { items.append(try reader.value(resolve: resolve)) }
        orders.append(TaskOrder(id: id, function: function, items: items, spread: spread))
      }
      return .tasks(orders)
    case 3:
      return .stop
    case 4:
      let busy = try reader.double()
      var outcomes: [TaskOutcome] = []
      for _ in 0..<(try reader.count()) {
        let id = try reader.int()
        let failed = try reader.byte() == 1
        let value = try reader.value(resolve: resolve)
        switch (failed, value) {
        case (false, .list(let values)): outcomes.append(TaskOutcome(id: id, result: .success(values)))
        case (true, .error(let error)): outcomes.append(TaskOutcome(id: id, result: .failure(error)))
        default: throw WireReader.malformed
        }
      }
      return .results(busySeconds: busy, outcomes)
    case let tag:
      throw ScriptError("ProcessError", "unknown message \(tag) on a control channel")
    }
  }
}

/// One task for a pool worker: call `function` once per item, in order. Each item is the
/// one argument (`map`), or with `spread` a list of arguments (`starmap`, `apply`).
struct TaskOrder {
  var id: Int
  var function: Value
  var items: [Value]
  var spread: Bool
}

/// What a task gave: one value per argument list, or the first error.
struct TaskOutcome {
  var id: Int
  var result: Result<[Value], ScriptError>
}
