// Runs what the table declares: a shell-style command from the syntax tree, a method or an
// attribute of an engine object, a function. Arguments are evaluated, bound to the declared
// signature and checked, all before the handler runs.
import ProcLabEngine
import ProcLabScript

extension Session {
  func runCommand(_ command: Command) throws(ScriptError) -> Value {
    guard let spec = CommandTable.command(named: command.word) else {
      throw ScriptError(.nameError, "unknown command '\(command.word)'\(didYouMean(command.word, among: CommandTable.words))", at: command.location)
    }
    do {
      return try run(command, as: spec)
    } catch {
      throw error.located(at: command.location)
    }
  }

  private func run(_ command: Command, as declared: CommandSpec) throws(ScriptError) -> Value {
    var spec = declared
    var positional = command.positional[...]
    if !spec.subcommands.isEmpty, let first = positional.first, case .name(let word) = first.kind,
      interpreter.globals[word] == nil, let sub = spec.subcommand(word)
    {
      spec = sub
      positional = positional.dropFirst()
    } else if !spec.subcommands.isEmpty, spec.signature.parameters.isEmpty, let first = positional.first {
      let words = spec.subcommands.map(\.subcommandWord)
      throw ScriptError(
        .usageError,
        "unknown \(spec.word) command '\(first.text)'\(didYouMean(first.text, among: words)) (expected \(words.joined(separator: ", ")))",
        at: first.location)
    }
    if let reads = spec.reads {
      for argument in command.arguments {
        guard let name = argument.name, !spec.signature.keywordNames.contains(name) else { continue }
        _ = try spec.signature.bind([], [(name, .none)])
      }
      return try reads(command, self)
    }
    var target: TargetCall?
    if spec.takesCall {
      guard let first = positional.first, case .call(let calleeExpr, let argumentExprs) = first.kind else {
        throw ScriptError(.typeError, "\(spec.word) takes a call, such as \(spec.word) work(3); usage: \(spec.usage)")
      }
      let callee = try interpreter.evaluate(calleeExpr)
      let (values, keywords) = try interpreter.evaluateArguments(argumentExprs)
      let ordered = argumentExprs.compactMap { argument in argument.name.map { ($0, keywords[$0]!) } }
      let shown = values.map(\.repr) + ordered.map { "\($0.0)=\($0.1.repr)" }
      target = TargetCall(callee: callee, arguments: values, keywords: ordered, text: "\(calleeExpr.text)(\(shown.joined(separator: ", ")))")
      positional = positional.dropFirst()
    }
    let parameters = spec.signature.parameters
    let positionalParameters = parameters.filter { $0.passing != .keyword }
    var values: [Value] = []
    for (i, expr) in positional.enumerated() {
      let type = positionalParameters[safe: min(i, positionalParameters.count - 1)]?.type
      values.append(try evaluate(expr, as: type))
    }
    var keywords: [(name: String, value: Value)] = []
    for argument in command.arguments {
      guard let name = argument.name else { continue }
      keywords.append((name, try evaluate(argument.value, as: parameters.first { $0.name == name }?.type)))
    }
    let bound = try spec.signature.bind(values, keywords)
    let arguments = Arguments(values: bound, session: self, location: command.location, receiver: nil, valueIsUsed: command.valueIsUsed)
    return try spec.run(arguments, target)
  }

  /// A command argument: a bare word where the parameter takes words and no variable has
  /// that name (`join all`, `signal=KILL`), else the expression's value.
  private func evaluate(_ expr: Expr, as type: ArgumentType?) throws(ScriptError) -> Value {
    if case .name(let word) = expr.kind, let type, type.takesBareWord(word) {
      if case .identifier = type { return .string(word) }
      if interpreter.globals[word] == nil { return .string(word) }
    }
    if case .path? = type { return try evaluatePath(expr) }
    return try interpreter.evaluate(expr)
  }

  /// A file name argument: an unquoted one (`t.svg` reads as the attribute svg of t) gets a
  /// hint to quote it instead of a NameError about `t`.
  func evaluatePath(_ expr: Expr) throws(ScriptError) -> Value {
    do {
      return try interpreter.evaluate(expr)
    } catch where error.kind == .nameError || error.kind == .attributeError {
      throw ScriptError(.typeError, "file names go in quotes: \"\(expr.text)\"", at: expr.location)
    }
  }

  public func attribute(_ name: String, of handle: any Handle) throws(ScriptError) -> Value? {
    try CommandTable.object(of: handle)?.attribute(name)?.read(handle)
  }

  public func callMethod(_ name: String, on handle: any Handle, _ call: BuiltinCall) throws(ScriptError) -> Value? {
    guard let method = CommandTable.object(of: handle)?.method(name) else { return nil }
    let keywords = call.keywords.map { (name: $0.key, value: $0.value) }
    let bound = try method.signature.bind(call.arguments, keywords)
    return try method.run(Arguments(values: bound, session: self, location: call.location, receiver: handle, valueIsUsed: true))
  }

  public func memberNames(of handle: any Handle) -> [String] {
    CommandTable.object(of: handle)?.memberNames ?? []
  }

  /// The table's functions as the interpreter's builtins.
  func tableBuiltins() -> [String: Builtin] {
    var builtins: [String: Builtin] = [:]
    for function in CommandTable.functions {
      builtins[function.signature.name] = Builtin(function.signature.name) { [unowned self] call throws(ScriptError) in
        let keywords = call.keywords.map { (name: $0.key, value: $0.value) }
        let bound = try function.signature.bind(call.arguments, keywords)
        return try function.run(Arguments(values: bound, session: self, location: call.location, receiver: nil, valueIsUsed: true))
      }
    }
    return builtins
  }
}

extension Array {
  subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
