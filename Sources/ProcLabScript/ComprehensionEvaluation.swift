// Runs comprehensions: each `for` clause loops, each `if` filters, the innermost point adds
// an item (or a key and value). At the top level the loop variables live in a frame of their
// own, so they never become globals.

extension Interpreter {
  func evaluate(_ comprehension: Comprehension, at location: SourceLocation) throws(ScriptError) -> Value {
    let callerBase = frameBase
    let base = stack.count
    if comprehension.frameSize > 0 {
      stack.appendUnassigned(comprehension.frameSize)
      frameBase = base
    }
    defer {
      if comprehension.frameSize > 0 {
        stack.truncate(to: base)
        frameBase = callerBase
      }
    }
    switch comprehension.element {
    case .item(let element):
      var items: [Value] = []
      try run(comprehension.clauses[...]) { () throws(ScriptError) in
        let item = try evaluate(element)
        if items.count == items.capacity { try MemoryBudget.checkItems(items.count, adding: items.count) }
        items.append(item)
      }
      return .list(items)
    case .pair(let keyExpr, let valueExpr):
      var d = Dict()
      try run(comprehension.clauses[...]) { () throws(ScriptError) in
        let key = try evaluate(keyExpr)
        do throws(ScriptError) { try d.set(try evaluate(valueExpr), for: key) } catch { throw error.located(at: keyExpr.start) }
      }
      return .dict(d)
    }
  }

  private func run(_ clauses: ArraySlice<Comprehension.Clause>, _ innermost: () throws(ScriptError) -> Void) throws(ScriptError) {
    guard let clause = clauses.first else { return try innermost() }
    switch clause {
    case .loop(let target, let sequenceExpr):
      let sequence = try evaluate(sequenceExpr)
      if case .range(let a, let b, let s) = sequence {
        // Lazily, as a `for` loop: `[x for x in range(10**12) if x == 5]` needs no list.
        try IntRange(a, b, s).forEach(interrupts: host) { i throws(ScriptError) in
          try checkInterrupt()
          try assign(.int(i), to: target)
          try run(clauses.dropFirst(), innermost)
        }
        return
      }
      for item in try items(of: sequence, at: sequenceExpr.start) {
        try checkInterrupt()
        try assign(item, to: target)
        try run(clauses.dropFirst(), innermost)
      }
    case .filter(let condition):
      if try evaluate(condition).isTruthy { try run(clauses.dropFirst(), innermost) }
    }
  }

  /// What a loop over `value` visits: items of a list, tuple or range, a dict's keys, a
  /// string's characters.
  func items(of value: Value, at location: SourceLocation) throws(ScriptError) -> [Value] {
    if case .string(let s) = value { return s.map { .string(String($0)) } }
    guard let items = try value.sequenceElements(interrupts: host) else {
      throw ScriptError(.typeError, "cannot loop over \(value.typeNameWithArticle)", at: location)
    }
    return items
  }
}
