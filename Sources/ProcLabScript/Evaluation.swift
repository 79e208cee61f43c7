// Expression evaluation: names, literals, calls, indexing, attributes and methods of the
// language's own values. Handles (processes, queues, ...) answer for their own attributes.

extension Interpreter {
  public func evaluate(_ expr: Expr) throws(ScriptError) -> Value {
    switch expr.kind {
    case .literal(let value):
      return value
    case .local(let slot, let name):
      return try local(slot, name, at: expr.location)
    case .name(let name):
      return try lookup(name, at: expr.location)
    case .list(let items):
      try checkStack(at: expr.location)
      var values: [Value] = []
      values.reserveCapacity(items.count)
      for item in items { values.append(try evaluate(item)) }
      return .list(values)
    case .tuple(let items):
      try checkStack(at: expr.location)
      var values: [Value] = []
      values.reserveCapacity(items.count)
      for item in items { values.append(try evaluate(item)) }
      return .tuple(values)
    case .dict(let pairs):
      try checkStack(at: expr.location)
      var d = Dict()
      for pair in pairs {
        let key = try evaluate(pair.key)
        do { try d.set(try evaluate(pair.value), for: key) } catch { throw error.located(at: pair.key.start) }
      }
      return .dict(d)
    case .comprehension(let comprehension):
      try checkStack(at: expr.location)
      return try evaluate(comprehension, at: expr.location)
    case .format(let parts):
      try checkStack(at: expr.location)
      var text = ""
      for part in parts {
        switch part {
        case .text(let s): text += s
        case .code(let code): text += try evaluate(code).description
        }
      }
      return .string(text)
    case .unary(let op, let operandExpr):
      try checkStack(at: expr.location)
      return try Operators.unary(op, try evaluate(operandExpr), at: expr.location)
    case .binary(let op, let left, let right):
      try checkStack(at: expr.location)
      return try Operators.binary(op, try evaluate(left), try evaluate(right), at: expr.location)
    case .and(let left, let right):
      try checkStack(at: expr.location)
      let l = try evaluate(left)
      return l.isTruthy ? try evaluate(right) : l
    case .or(let left, let right):
      try checkStack(at: expr.location)
      let l = try evaluate(left)
      return l.isTruthy ? l : try evaluate(right)
    case .conditional(let condition, let value, let otherwise):
      try checkStack(at: expr.location)
      return try evaluate(try evaluate(condition).isTruthy ? value : otherwise)
    case .call(let calleeExpr, let arguments):
      try checkStack(at: expr.location)
      if case .attribute(let receiverExpr, let name) = calleeExpr.kind {
        return try callMethod(receiverExpr, name, arguments, at: expr.location)
      }
      let callee = try evaluate(calleeExpr)
      let (positional, keywords) = try evaluateCallArguments(arguments)
      return try call(callee, positional, keywords: keywords, at: expr.location)
    case .index(let containerExpr, let indexExpr):
      try checkStack(at: expr.location)
      let container = try evaluate(containerExpr)
      return try Operators.index(container, try evaluate(indexExpr), at: expr.location)
    case .slice(let containerExpr, let lower, let upper, let step):
      try checkStack(at: expr.location)
      var container = try evaluate(containerExpr)
      if case .handle(let handle as SequenceHandle) = container {
        guard !handle.isMapping else { throw ScriptError(.typeError, "unhashable type: 'slice'", at: expr.location) }
        do { container = .list(try handle.elements()) } catch { throw error.located(at: expr.location) }
      }
      let bounds = (try evaluateOrNone(lower), try evaluateOrNone(upper), try evaluateOrNone(step))
      return try Operators.slice(container, bounds.0, bounds.1, bounds.2, at: expr.location)
    case .attribute(let receiverExpr, let name):
      try checkStack(at: expr.location)
      return try attribute(of: try evaluate(receiverExpr), name, at: expr.location)
    case .command(let command):
      return try runCommand(command)
    }
  }

  /// A missing part (of a slice) is none, as Python's `xs[None:2]` is `xs[:2]`.
  private func evaluateOrNone(_ expr: Expr?) throws(ScriptError) -> Value {
    guard let expr else { return .none }
    return try evaluate(expr)
  }

  public func evaluateArguments(_ arguments: [Argument]) throws(ScriptError) -> ([Value], [String: Value]) {
    let (positional, keywords) = try evaluateCallArguments(arguments)
    return (positional, Dictionary(keywords, uniquingKeysWith: { _, last in last }))
  }

  /// Positional values, then keywords in the order written; `*xs` and `**d` spread out.
  func evaluateCallArguments(_ arguments: [Argument]) throws(ScriptError) -> ([Value], [(String, Value)]) {
    var positional: [Value] = []
    var keywords: [(String, Value)] = []
    for argument in arguments {
      let value = try evaluate(argument.value)
      switch argument.spread {
      case nil:
        if let name = argument.name { keywords.append((name, value)) } else { positional.append(value) }
      case .positional:
        if case .string(let s) = value {
          positional.append(contentsOf: s.map { .string(String($0)) })
        } else if let items = try value.sequenceElements(interrupts: host) {
          positional.append(contentsOf: items)
        } else {
          throw ScriptError(.typeError, "argument after * must be a sequence, not \(value.typeNameWithArticle)", at: argument.value.start)
        }
      case .keywords:
        guard case .dict(let d) = value else {
          throw ScriptError(.typeError, "argument after ** must be a dict, not \(value.typeNameWithArticle)", at: argument.value.start)
        }
        for (key, item) in zip(d.keys, d.values) {
          guard case .string(let name) = key else {
            throw ScriptError(.typeError, "keywords must be strings, not \(key.typeNameWithArticle)", at: argument.value.start)
          }
          keywords.append((name, item))
        }
      }
      if keywords.count > 1, let last = keywords.last, keywords.dropLast().contains(where: { $0.0 == last.0 }) {
        throw ScriptError(.typeError, "keyword argument repeated: \(last.0)", at: argument.value.start)
      }
    }
    return (positional, keywords)
  }

  func attribute(of value: Value, _ name: String, at location: SourceLocation) throws(ScriptError) -> Value {
    switch value {
    case .error(let error):
      switch name {
      case "kind": return .string(error.kind.name)
      case "message": return .string(error.message)
      case "line": return error.location.map { .int($0.line) } ?? .none
      case "where": return error.location.map { .string($0.description) } ?? .none
      case "origin": return error.origin.map { .string($0) } ?? .none
      case "trace": return .list(error.trace.map { .tuple([.string($0.function), .string($0.location.description)]) })
      default: break
      }
    case .handle(let handle):
      do {
        if let own = handle as? AttributeHandle, let result = try own.attribute(name) { return result }
        if let result = try host.attribute(name, of: handle) { return result }
      } catch {
        throw error.located(at: location)
      }
    default: break
    }
    let suggestion = didYouMean(name, among: Members.names(of: value, host: host))
    throw ScriptError(.attributeError, "\(value.typeNameWithArticle) has no attribute '\(name)'" + suggestion, at: location)
  }

  private func callMethod(_ receiverExpr: Expr, _ name: String, _ arguments: [Argument], at location: SourceLocation) throws(ScriptError) -> Value {
    var receiver = try evaluate(receiverExpr)
    let (positional, keywords) = try evaluateArguments(arguments)
    let call = BuiltinCall(arguments: positional, keywords: keywords, location: location, interpreter: self)
    return try callMethod(name, on: &receiver, from: receiverExpr, call)
  }

  /// `receiver.name(...)`, the receiver and arguments evaluated (by the tree walker or by
  /// compiled code); `receiverExpr` is where the receiver came from, for changes in place.
  /// The caller's copy of the receiver is taken (inout), so a list can have one owner.
  func callMethod(_ name: String, on receiver: inout Value, from receiverExpr: Expr, _ call: BuiltinCall) throws(ScriptError) -> Value {
    let location = call.location
    // A method that changes a variable's list takes it out of the variable first, so the
    // buffer has one owner and `xs.append(x)` is amortised O(1), not a copy of the list.
    if ListMethods.changesList(name), let slot = variableSlot(receiverExpr), var items = Value.moveList(&receiver) {
      put(.none, slot)
      defer { put(.list(items), slot) }
      do {
        if let result = try ListMethods.call(&items, name, call) { return result }
      } catch {
        throw error.located(at: location)
      }
    }
    switch receiver {
    case .list(var items):
      do {
        if let result = try ListMethods.call(&items, name, call) {
          if ListMethods.changesList(name) { try writeBack(.list(items), to: receiverExpr) }
          return result
        }
      } catch {
        throw error.located(at: location)
      }
    case .tuple(let items):
      do {
        var copy = items
        if !ListMethods.changesList(name), let result = try ListMethods.call(&copy, name, call) { return result }
      } catch {
        throw error.located(at: location)
      }
    case .dict(var d):
      do {
        if let result = try DictMethods.call(&d, name, call) {
          if DictMethods.changesDict(name) { try writeBack(.dict(d), to: receiverExpr) }
          return result
        }
      } catch {
        throw error.located(at: location)
      }
    case .string(let s):
      if let result = try StringMethods.call(s, name, call) { return result }
    case .handle(let handle):
      do {
        if let result = try host.callMethod(name, on: handle, call) { return result }
      } catch {
        throw error.located(at: location)
      }
    default: break
    }
    let suggestion = didYouMean(name, among: Members.names(of: receiver, host: host))
    throw ScriptError(.attributeError, "\(receiver.typeNameWithArticle) has no method '\(name)'" + suggestion, at: location)
  }
}
