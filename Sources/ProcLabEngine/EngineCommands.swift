// The commands that act on processes: spawn, join, kill, suspend, resume, signal, output.
// Arguments arrive unevaluated, so `join all` and `signal=KILL` can be words, not variables.
import Glibc
import ProcLabScript

extension Engine {
  public static let commandWords: Set<String> = Set([
    "spawn", "join", "kill", "suspend", "resume", "signal", "output", "queue", "send", "recv", "poll",
  ])
    .union(poolWords)

  /// Runs an engine command; nil when the word is not one of the engine's.
  public func run(_ command: Command, in interpreter: Interpreter) throws(ScriptError) -> Value? {
    switch command.word {
    case "spawn": return .handle(try spawnCommand(command, interpreter))
    case "join":
      _ = try join(try targets(of: command, interpreter, allowAll: true), timeout: try timeoutOption(command, interpreter))
      return Value.none
    case "kill":
      let signal = try command.option("signal").map { e throws(ScriptError) in try signalNumber(e, interpreter) } ?? SIGTERM
      try signalEach(command, interpreter, signal)
    case "suspend": try signalEach(command, interpreter, SIGSTOP)
    case "resume": try signalEach(command, interpreter, SIGCONT)
    case "signal":
      let positional = command.positional
      guard positional.count == 2 else { throw usage(command, "signal PROCESS NAME (e.g. signal p USR1)") }
      try send(try signalNumber(positional[1], interpreter), to: try process(positional[0], interpreter), tree: try flag(command, "tree", interpreter))
    case "output": return try outputCommand(command)
    case "queue": return try runQueueCommand(command, in: interpreter)
    case "send", "recv", "poll": return try pipeCommand(command, interpreter)
    default: return try runPoolCommand(command, in: interpreter)
    }
    return Value.none
  }

  /// `send END VALUE`, `recv END [timeout=S]`, `poll END [timeout=S]`.
  private func pipeCommand(_ command: Command, _ interpreter: Interpreter) throws(ScriptError) -> Value {
    let positional = command.positional
    guard let endExpr = positional.first, case .handle(let handle) = try interpreter.evaluate(endExpr), let end = handle as? PipeEnd else {
      throw usage(command, command.word == "send" ? "send PIPE_END VALUE" : "\(command.word) PIPE_END [timeout=SECONDS]")
    }
    switch command.word {
    case "send":
      guard positional.count == 2 else { throw usage(command, "send PIPE_END VALUE") }
      try end.send(try interpreter.evaluate(positional[1]))
      return .none
    case "recv": return try end.receive(timeout: try timeoutOption(command, interpreter))
    default: return .bool(try end.poll(timeout: try timeoutOption(command, interpreter) ?? 0))
    }
  }

  private func spawnCommand(_ command: Command, _ interpreter: Interpreter) throws(ScriptError) -> ProcessRecord {
    guard let call = command.positional.first, case .call(let calleeExpr, let arguments) = call.kind, command.positional.count == 1 else {
      throw usage(command, "spawn FUNCTION(ARGS) [name=\"...\"]  (e.g. p = spawn work(3) name=\"w1\")")
    }
    let callee = try interpreter.evaluate(calleeExpr)
    let (values, keywords) = try interpreter.evaluateArguments(arguments)
    guard keywords.isEmpty else { throw ScriptError(.typeError, "spawn passes positional arguments only", at: call.location) }
    var name: String?
    if let nameExpr = command.option("name") {
      name = try Engine.text(try interpreter.evaluate(nameExpr), "a process name")
    }
    if let unknown = command.arguments.first(where: { $0.name != nil && $0.name != "name" }) {
      throw ScriptError(.typeError, "spawn has no option '\(unknown.name!)' (expected name=)", at: unknown.value.location)
    }
    // The call as it runs, arguments evaluated: `work(3)`, not `work(i)`.
    let target = "\(calleeExpr.text)(\(values.map(\.repr).joined(separator: ", ")))"
    return try spawn(callee, values, target: target, name: name, interpreter: interpreter, at: call.location)
  }

  /// The processes a command names: handles, lists of handles, or the word `all`.
  private func targets(of command: Command, _ interpreter: Interpreter, allowAll: Bool) throws(ScriptError) -> [ProcessRecord] {
    let positional = command.positional
    guard !positional.isEmpty else { throw usage(command, "\(command.word) PROCESS... \(allowAll ? "| all " : "")") }
    return try records(named: positional, interpreter, allowAll: allowAll)
  }

  private func records(named positional: [Expr], _ interpreter: Interpreter, allowAll: Bool) throws(ScriptError) -> [ProcessRecord] {
    var records: [ProcessRecord] = []
    for expr in positional {
      if allowAll, case .name("all") = expr.kind {
        records += unjoined
        continue
      }
      let value = try interpreter.evaluate(expr)
      if case .list(let items) = value {
        for item in items { records.append(try Engine.process(item, at: expr.location)) }
      } else {
        records.append(try Engine.process(value, at: expr.location))
      }
    }
    return records
  }

  private func process(_ expr: Expr, _ interpreter: Interpreter) throws(ScriptError) -> ProcessRecord {
    try Engine.process(try interpreter.evaluate(expr), at: expr.location)
  }

  static func process(_ value: Value, at location: SourceLocation) throws(ScriptError) -> ProcessRecord {
    guard case .handle(let handle) = value, let record = handle as? ProcessRecord else {
      throw ScriptError(.typeError, "expected a process, got \(value.repr)", at: location)
    }
    return record
  }

  /// Signals each named process. A PID (an int) may name a pool worker or this process
  /// itself, so a worker can be killed mid-task to see the pool survive it.
  private func signalEach(_ command: Command, _ interpreter: Interpreter, _ signal: Int32) throws(ScriptError) {
    let tree = try flag(command, "tree", interpreter)
    guard !command.positional.isEmpty else { throw usage(command, "\(command.word) PROCESS... [tree=true]") }
    for expr in command.positional {
      if case .int(let pid) = try interpreter.evaluate(expr) {
        try send(signal, toPid: Int32(clamping: pid), tree: tree, at: expr.location)
        continue
      }
      for record in try records(named: [expr], interpreter, allowAll: false) {
        try send(signal, to: record, tree: tree)
      }
    }
  }

  private func send(_ signal: Int32, toPid pid: Int32, tree: Bool, at location: SourceLocation) throws(ScriptError) {
    if let record = processes.first(where: { $0.pid == pid }) {
      try send(signal, to: record, tree: tree)
      return
    }
    let isWorker = pools.contains { $0.workers.contains { $0.pid == pid } }
    guard isWorker || pid == getpid() else {
      throw ScriptError(.valueError, "\(pid) is not a process of this session (nor one of its pool workers)", at: location)
    }
    if tree {
      for descendant in ProcFS.descendants(of: pid).reversed() { kill(descendant, signal) }
    }
    guard kill(pid, signal) == 0 else { throw Descriptors.systemError("kill(\(pid))") }
  }

  func timeoutOption(_ command: Command, _ interpreter: Interpreter) throws(ScriptError) -> Double? {
    guard let expr = command.option("timeout") else { return nil }
    let value = try interpreter.evaluate(expr)
    if case .none = value { return nil }
    do {
      return try Engine.seconds(value)
    } catch {
      throw error.located(at: expr.location)
    }
  }

  private func flag(_ command: Command, _ name: String, _ interpreter: Interpreter) throws(ScriptError) -> Bool {
    guard let expr = command.option(name) else { return false }
    return try interpreter.evaluate(expr).isTruthy
  }

  /// A signal given as a bare name (`KILL`, `SIGUSR1`), a string or a number.
  private func signalNumber(_ expr: Expr, _ interpreter: Interpreter) throws(ScriptError) -> Int32 {
    if case .name(let word) = expr.kind {
      if let number = SignalName.number(word) { return number }
      if interpreter.globals[word] == nil {
        throw ScriptError(.valueError, "unknown signal \(word) (expected a name like TERM, KILL, INT, USR1)", at: expr.location)
      }
    }
    let value = try interpreter.evaluate(expr)
    let number: Int32?
    switch value {
    case .int(let i): number = SignalName.number(String(i))
    case .string(let s): number = SignalName.number(s)
    default: number = nil
    }
    guard let number else {
      throw ScriptError(.valueError, "unknown signal \(value.repr) (expected a name like TERM, KILL, INT, USR1)", at: expr.location)
    }
    return number
  }

  private func outputCommand(_ command: Command) throws(ScriptError) -> Value {
    guard let expr = command.positional.first else {
      return .string(output.characterWrites ? "chars" : output.mode.rawValue)
    }
    guard case .name(let word) = expr.kind else { throw usage(command, "output raw|tagged|grouped|chars") }
    if word == "chars" {
      output.mode = .raw
      output.characterWrites = true
    } else if let mode = OutputMode(rawValue: word) {
      output.mode = mode
      output.characterWrites = false
    } else {
      throw ScriptError(.valueError, "unknown output mode '\(word)' (expected raw, tagged, grouped or chars)", at: expr.location)
    }
    return .none
  }

  func usage(_ command: Command, _ text: String) -> ScriptError {
    ScriptError(.usageError, "usage: \(text)", at: command.location)
  }
}
