// A queue as a script holds it: `q.put(x)`, `q.get(timeout=2)`, `q.qsize()`... Every process
// that has the handle (or just the queue's name) reaches the same queue in the session.
import ProcLabScript

public final class QueueHandle: Handle {
  public let name: String
  public let maxsize: Int
  public let joinable: Bool
  unowned let engine: Engine

  init(name: String, maxsize: Int, joinable: Bool, engine: Engine) {
    self.name = name
    self.maxsize = maxsize
    self.joinable = joinable
    self.engine = engine
  }

  public var typeName: String { "queue" }

  public var display: String {
    "<Queue \(name)\(maxsize > 0 ? " maxsize=\(maxsize)" : "")\(joinable ? " joinable" : "")>"
  }

  public func attribute(_ attribute: String) throws(ScriptError) -> Value? {
    switch attribute {
    case "name": .string(name)
    case "maxsize": .int(maxsize)
    default: nil
    }
  }

  public func method(_ method: String, _ call: BuiltinCall) throws(ScriptError) -> Value? {
    let options = QueueOptions(block: call.keywords["block"]?.isTruthy ?? true, timeout: try call.keywords["timeout"].flatMap { v throws(ScriptError) in
      v == .none ? nil : try Engine.seconds(v)
    })
    let operation: QueueRequest.Operation
    var value = Value.none
    switch method {
    case "put", "put_nowait":
      value = try call.argument(0, "the item to put")
      operation = .put
    case "get", "get_nowait": operation = .get
    case "qsize": operation = .qsize
    case "empty": operation = .empty
    case "full": operation = .full
    case "task_done": operation = .taskDone
    case "join": operation = .join
    default: return nil
    }
    let block = method.hasSuffix("_nowait") ? false : options.block
    return try engine.queueOperation(operation, on: QueueTarget(name: name, unbounded: maxsize == 0), value: value, block: block, timeout: options.timeout)
  }
}

struct QueueOptions {
  var block: Bool
  var timeout: Double?
}

/// The queue an operation is for: its name, and whether it is known to be unbounded (a put
/// on it then needs no answer).
public struct QueueTarget {
  public var name: String
  var unbounded: Bool
}
