// The queue commands: `queue NAME [maxsize=N] [joinable=true]` makes one; `queue put|get|
// qsize|empty|full|task_done|join Q ...` use one. Q is a queue handle, a string, or a bare
// name: a process started before the queue existed can still name it.
import ProcLabScript

extension Engine {
  static let queueSubcommands: Set<String> = ["put", "get", "qsize", "empty", "full", "task_done", "join", "show"]

  func runQueueCommand(_ command: Command, in interpreter: Interpreter) throws(ScriptError) -> Value {
    let positional = command.positional
    guard let first = positional.first, case .name(let word) = first.kind else {
      throw usage(command, "queue NAME [maxsize=N] [joinable=true] | queue put|get|qsize|empty|full|task_done|join|show NAME ...")
    }
    guard Engine.queueSubcommands.contains(word) else {
      guard positional.count == 1 else {
        throw usage(command, "queue NAME [maxsize=N] [joinable=true] (to use a queue: queue put|get|qsize|empty|full|task_done|join NAME)")
      }
      try allowOptions(["maxsize", "joinable"], in: command)
      return try createQueue(word, command, interpreter)
    }
    guard positional.count >= 2 else { throw usage(command, "queue \(word) QUEUE\(word == "put" ? " VALUE" : "")") }
    try allowOptions(word == "put" || word == "get" ? ["block", "timeout"] : [], in: command)
    let target = try queueTarget(positional[1], interpreter)
    let block = try command.option("block").map { e throws(ScriptError) in try interpreter.evaluate(e).isTruthy } ?? true
    let timeout = try timeoutOption(command, interpreter)
    switch word {
    case "put":
      guard positional.count == 3 else { throw usage(command, "queue put QUEUE VALUE [block=false] [timeout=S]") }
      let value = try interpreter.evaluate(positional[2])
      return try queueOperation(.put, on: target, value: value, block: block, timeout: timeout)
    case "get": return try queueOperation(.get, on: target, block: block, timeout: timeout)
    case "qsize": return try queueOperation(.qsize, on: target)
    case "empty": return try queueOperation(.empty, on: target)
    case "full": return try queueOperation(.full, on: target)
    case "task_done": return try queueOperation(.taskDone, on: target)
    default: return try queueOperation(.join, on: target)
    }
  }

  private func createQueue(_ name: String, _ command: Command, _ interpreter: Interpreter) throws(ScriptError) -> Value {
    var maxsize = 0
    if let expr = command.option("maxsize") {
      guard case .int(let n) = try interpreter.evaluate(expr), n >= 0 else {
        throw ScriptError(.valueError, "maxsize must be a whole number, 0 (unbounded) or more", at: expr.location)
      }
      maxsize = n
    }
    let joinable = try command.option("joinable").map { e throws(ScriptError) in try interpreter.evaluate(e).isTruthy } ?? false
    _ = try queueOperation(.create, on: QueueTarget(name: name, unbounded: maxsize == 0), maxsize: maxsize, joinable: joinable)
    let handle = Value.handle(QueueHandle(name: name, maxsize: maxsize, joinable: joinable, engine: self))
    // `queue q` names the queue and the variable that holds it, as `def f` names a function.
    if !command.valueIsUsed { interpreter.globals[name] = handle }
    return handle
  }

  /// Refuses options a command does not take (`queue join q timeout=1` would else wait forever).
  func allowOptions(_ allowed: Set<String>, in command: Command) throws(ScriptError) {
    for argument in command.arguments {
      guard let name = argument.name, !allowed.contains(name) else { continue }
      let expected = allowed.isEmpty ? "it takes no options" : "expected " + allowed.sorted().map { "\($0)=" }.joined(separator: " or ")
      throw ScriptError(.usageError, "\(command.word) \(command.positional.first?.text ?? "") has no option '\(name)' (\(expected))", at: argument.value.location)
    }
  }

  /// A queue named by a handle, a string, or a bare word that is not a variable.
  public func queueTarget(_ expr: Expr, _ interpreter: Interpreter) throws(ScriptError) -> QueueTarget {
    if case .name(let word) = expr.kind, interpreter.globals[word] == nil {
      return QueueTarget(name: word, unbounded: false)
    }
    switch try interpreter.evaluate(expr) {
    case .handle(let handle as QueueHandle): return QueueTarget(name: handle.name, unbounded: handle.maxsize == 0)
    case .string(let name): return QueueTarget(name: name, unbounded: false)
    case let other: throw ScriptError(.typeError, "expected a queue, got \(other.repr)", at: expr.location)
    }
  }
}
