// What a handler gets: the bound, checked arguments of one call, read by parameter position
// with the Swift type each needs, and the session and place the call came from.
import ProcLabEngine
import ProcLabScript

struct Arguments {
  /// The bound values; a handler's own start at `offset` (a command made from a method
  /// passes its object first, and the method reads after it, without a copy).
  let values: [Value]
  var offset = 0
  // unowned(unsafe): the session outlives every call it runs, and this is built per call.
  unowned(unsafe) let session: Session
  /// The call's place: errors raised while it runs point here.
  let location: SourceLocation
  /// The object a method was called on (`q` in `q.get()`), or the one a command names.
  var receiver: (any Handle)?
  /// False when a command stands alone as a statement (`queue q` then names a variable).
  let valueIsUsed: Bool

  var engine: Engine { session.engine }
  var interpreter: Interpreter { session.interpreter }

  subscript(_ i: Int) -> Value { values[offset + i] }

  func bool(_ i: Int) -> Bool { self[i].isTruthy }

  func int(_ i: Int) -> Int {
    if case .int(let n) = self[i] { return n }
    return 0
  }

  func optionalInt(_ i: Int) -> Int? {
    if case .int(let n) = self[i] { return n }
    return nil
  }

  /// nil for none: wait without a limit.
  func seconds(_ i: Int) -> Double? {
    if case .float(let d) = self[i] { return d }
    return nil
  }

  func text(_ i: Int) -> String {
    if case .string(let s) = self[i] { return s }
    return self[i].description
  }

  func list(_ i: Int) -> [Value] {
    if case .list(let items) = self[i] { return items }
    return self[i].elementsIfSequence ?? []
  }

  func handle<T: Handle>(_ i: Int, as type: T.Type) -> T {
    guard case .handle(let handle) = self[i], let object = handle as? T else {
      preconditionFailure("the binding checked this argument's type")
    }
    return object
  }

  func receiver<T: Handle>(as type: T.Type) -> T {
    guard let object = receiver as? T else { preconditionFailure("the table dispatches on the receiver's type") }
    return object
  }

  /// The name of a queue given by its handle or by its name.
  func queueName(_ i: Int) -> String {
    if case .handle(let handle) = self[i], let queue = handle as? QueueHandle { return queue.name }
    return text(i)
  }

  /// The processes of a `.processes` argument, or of each of a variadic one; `all` is those
  /// not joined yet. PIDs are left out (see `pids`).
  func processes(_ i: Int) -> [ProcessRecord] {
    Arguments.processes(in: self[i], engine)
  }

  private static func processes(in value: Value, _ engine: Engine) -> [ProcessRecord] {
    switch value {
    case .string("all"): return engine.unjoined
    case .handle(let handle as ProcessRecord): return [handle]
    case .list(let items): return items.flatMap { processes(in: $0, engine) }
    default: return []
    }
  }

  /// The PIDs in a `.processes(pids: true)` argument, or in each of a variadic one.
  func pids(_ i: Int) -> [Int32] {
    func pids(in value: Value) -> [Int32] {
      switch value {
      case .int(let pid): [Int32(clamping: pid)]
      case .list(let items): items.flatMap(pids(in:))
      default: []
      }
    }
    return pids(in: self[i])
  }
}
