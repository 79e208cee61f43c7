// A queue as the session holds it: the items, the bound, the unfinished-task count of a
// joinable queue, and the processes waiting to get, put or join, oldest first.
import ProcLabScript

final class SharedQueue {
  let name: String
  let maxsize: Int
  let joinable: Bool
  private var items: [Value] = []
  private var head = 0
  var unfinished = 0
  var getters: [QueueWaiter] = []
  var putters: [QueueWaiter] = []
  var joiners: [QueueWaiter] = []

  init(name: String, maxsize: Int, joinable: Bool) {
    self.name = name
    self.maxsize = maxsize
    self.joinable = joinable
  }

  var count: Int { items.count - head }
  var isFull: Bool { maxsize > 0 && count >= maxsize }
  var first: ArraySlice<Value> { items[head...] }

  func append(_ value: Value) {
    items.append(value)
  }

  /// Puts an item back at the front (one a dead getter never confirmed).
  func prepend(_ value: Value) {
    if head > 0 {
      head -= 1
      items[head] = value
    } else {
      items.insert(value, at: 0)
    }
  }

  /// The items and unfinished count, to be put back by `restore` (a `repeat` run's changes undone).
  var contents: (items: [Value], unfinished: Int) { (Array(first), unfinished) }

  func restore(_ contents: (items: [Value], unfinished: Int)) {
    items = contents.items
    head = 0
    unfinished = contents.unfinished
  }

  func removeFirst() -> Value {
    let value = items[head]
    head += 1
    if head > 1024 && head * 2 > items.count {
      items.removeFirst(head)
      head = 0
    }
    return value
  }
}

/// A get, put or join that could not finish at once, parked until it can or its timeout passes.
final class QueueWaiter {
  enum Kind { case get, put, join }

  let kind: Kind
  /// The value a blocked put will add.
  let value: Value
  /// Who asked: the session itself (nil) or a process's connection and request id.
  let connection: QueueConnection?
  let requestId: Int
  let since: Double
  let deadline: Double?
  var timer: Int?
  /// The queue a get waits on (its item is tracked in flight once handed over).
  var queue: String?
  /// Set when it is done; the session's own waits watch this.
  var outcome: Result<Value, ScriptError>?

  init(_ kind: Kind, value: Value, connection: QueueConnection?, requestId: Int, deadline: Double?) {
    self.kind = kind
    self.value = value
    self.connection = connection
    self.requestId = requestId
    self.since = CPUClock.monotonicSeconds()
    self.deadline = deadline
  }

  var who: String { connection.map { "\($0.name) (pid \($0.pid))" } ?? "MainProcess (the session)" }
}

/// One process's connection to the session's queues.
final class QueueConnection {
  let channel: Channel
  var pid: Int32 = 0
  var name = "?"
  /// Items handed to this process's gets and not yet confirmed, by request id.
  var inFlight: [Int: (queue: String, value: Value)] = [:]
  /// The pipe its puts on unbounded queues come down, and when they last came (see pace).
  var posts: Channel?
  var lastPosts = 0.0

  init(channel: Channel) {
    self.channel = channel
  }
}
