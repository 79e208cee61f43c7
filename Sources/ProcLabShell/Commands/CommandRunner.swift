// Runs what the table declares: a shell-style command from the syntax tree, a method or an
// attribute of an engine object, a function. Arguments are evaluated, bound to the declared
// signature and checked, all before the handler runs.
import ProcLabEngine
import ProcLabScript

extension Session {
  func runCommand(_ command: Command, _ interpreter: Interpreter) throws(ScriptError) -> Value {
    do {
      return try run(command, as: try plan(of: command, interpreter), interpreter)
    } catch {
      throw error.located(at: command.location)
    }
  }

  /// The command's plan, made on its first run and kept on its node.
  private func plan(of command: Command, _ interpreter: Interpreter) throws(ScriptError) -> CommandPlan {
    if let known = command.resolved { return unsafeDowncast(known, to: CommandPlan.self) }
    guard let spec = CommandTable.command(named: command.word) else {
      throw ScriptError(.nameError, "unknown command '\(command.word)'\(didYouMean(command.word, among: CommandTable.words))")
    }
    let plan = try CommandPlan(command, spec, interpreter)
    command.resolved = plan
    return plan
  }

  private func run(_ command: Command, as plan: CommandPlan, _ interpreter: Interpreter) throws(ScriptError) -> Value {
    let spec = plan.spec
    if let reads = spec.reads { return try reads(command, self) }
    var target: TargetCall?
    if let call = plan.call, case .call(let calleeExpr, let argumentExprs) = call.kind {
      let callee = try interpreter.evaluate(calleeExpr)
      let (values, keywords) = try interpreter.evaluateArguments(argumentExprs)
      let ordered = argumentExprs.compactMap { argument in argument.name.map { ($0, keywords[$0]!) } }
      let shown = values.map(\.repr) + ordered.map { "\($0.0)=\($0.1.repr)" }
      target = TargetCall(callee: callee, arguments: values, keywords: ordered, text: "\(calleeExpr.text)(\(shown.joined(separator: ", ")))")
    }
    let signature = spec.signature
    var values: [Value] = []
    values.reserveCapacity(plan.sources.count)
    for i in plan.sources.indices {
      switch plan.sources[i] {
      // The two cases of a command in a loop, spelt out: this is its hot path.
      case .fixed(let value):
        values.append(value)
      case .given(let expr):
        let type = signature.parameters[i].type
        values.append(try type.check(try evaluate(expr, as: type, interpreter), signature.parameters[i].name, of: signature.callName))
      case .collected, .collectedKeywords:
        let parameter = signature.parameters[i]
        values.append(
          try parameter.value(of: plan.sources[i], of: signature.callName) { expr throws(ScriptError) in try evaluate(expr, as: parameter.type, interpreter) })
      }
    }
    if let method = spec.method {
      return try spec.runMethod(method, values, session: self, at: command.location, valueIsUsed: command.valueIsUsed)
    }
    let arguments = Arguments(values: values, session: self, location: command.location, receiver: nil, valueIsUsed: command.valueIsUsed)
    return try spec.run(arguments, target)
  }

  /// A command argument: a bare word where the parameter takes words and no variable has
  /// that name (`join all`, `signal=KILL`), else the expression's value.
  private func evaluate(_ expr: Expr, as type: ArgumentType, _ interpreter: Interpreter) throws(ScriptError) -> Value {
    if case .name(let word) = expr.kind, type.takesBareWord(word) {
      if case .identifier = type { return .string(word) }
      return interpreter.globals[word] ?? .string(word)
    }
    if case .path = type { return try evaluatePath(expr, interpreter) }
    return try interpreter.evaluate(expr)
  }

  /// A file name argument: an unquoted one (`t.svg` reads as the attribute svg of t) gets a
  /// hint to quote it instead of a NameError about `t`.
  func evaluatePath(_ expr: Expr, _ interpreter: Interpreter) throws(ScriptError) -> Value {
    do {
      return try interpreter.evaluate(expr)
    } catch where error.kind == .nameError || error.kind == .attributeError {
      throw ScriptError(.typeError, "file names go in quotes: \"\(expr.text)\"", at: expr.location)
    }
  }

  public func attribute(_ name: String, of handle: any Handle) throws(ScriptError) -> Value? {
    try CommandTable.object(of: handle)?.attribute(name)?.read(handle)
  }

  public func setAttribute(_ name: String, of handle: any Handle, to value: Value) throws(ScriptError) -> Bool {
    guard let write = CommandTable.object(of: handle)?.attribute(name)?.write else { return false }
    try write(handle, value)
    return true
  }

  public func callMethod(_ name: String, on handle: any Handle, _ call: BuiltinCall) throws(ScriptError) -> Value? {
    guard let method = CommandTable.object(of: handle)?.method(name) else { return nil }
    let bound = try method.signature.bind(call.arguments, call.keywords.map { ($0.key, $0.value) })
    return try method.run(Arguments(values: bound, session: self, location: call.location, receiver: handle, valueIsUsed: true))
  }

  /// A method for a compiled call site to keep: a call without arguments binds the defaults
  /// once, here, not at every call. unowned(unsafe): the session outlives its interpreter and
  /// every call site in it, and a checked unowned reference costs two atomics a call.
  public func method(_ name: String, of handle: any Handle) -> HandleMethod? {
    guard let method = CommandTable.object(of: handle)?.method(name) else { return nil }
    let defaults = try? method.signature.bind([], [])
    return HandleMethod(type: ObjectIdentifier(type(of: handle)), bare: method.bare) { [unowned(unsafe) self] receiver, values, location throws(ScriptError) in
      let bound: [Value]
      if values.isEmpty, let defaults {
        bound = defaults
      } else {
        bound = try method.signature.bind(values, [])
      }
      return try method.run(Arguments(values: bound, session: self, location: location, receiver: receiver, valueIsUsed: true))
    }
  }

  public func memberNames(of handle: any Handle) -> [String] {
    CommandTable.object(of: handle)?.memberNames ?? []
  }

  /// The table's functions as the interpreter's builtins.
  func tableBuiltins() -> [String: Builtin] {
    var builtins: [String: Builtin] = [:]
    for function in CommandTable.functions {
      builtins[function.signature.name] = Builtin(function.signature.name) { [unowned self] call throws(ScriptError) in
        let bound = try function.signature.bind(call.arguments, call.keywords.map { ($0.key, $0.value) })
        return try function.run(Arguments(values: bound, session: self, location: call.location, receiver: nil, valueIsUsed: true))
      }
    }
    return builtins
  }
}

extension Array {
  subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
