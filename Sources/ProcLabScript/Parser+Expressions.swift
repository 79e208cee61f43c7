// Expressions, one method per rule of the grammar in docs/LANGUAGE.md, from `or` down to
// literals, lists, tuples, dicts and comprehensions.

extension Parser {
  public mutating func expression() throws(ScriptError) -> Expr {
    try enter()
    defer { leave() }
    let first = current
    let value = try orExpression()
    // `A if C else B`, as in Python. A comprehension's clauses read or-expressions, so its
    // `if` filters stay filters.
    guard check(.name("if")) else { return value }
    let ifToken = current
    advance()
    let condition = try orExpression()
    guard matchWord("else") else {
      throw error("expected 'else' in a conditional expression: \(text(from: first).string) else OTHER")
    }
    let otherwise = try expression()
    return Expr(.conditional(condition, value, otherwise), at: ifToken.location, text: text(from: first), start: first.location)
  }

  /// An f-string's `{x!r:>8.2f}`: the expression, then `repr` (`!r`, `!a`) or `str` (`!s`),
  /// then `format(value, spec)`, as Python applies them. The builtins themselves are called,
  /// whatever the script names `format`.
  func formatted(_ code: String, at location: SourceLocation) throws(ScriptError) -> Expr {
    var depth = 0
    var quote: Character?
    var expressionEnd = code.endIndex
    var conversion: Character?
    var spec: String?
    var i = code.startIndex
    while i < code.endIndex {
      let c = code[i]
      let next = code.index(after: i)
      if let open = quote {
        if c == open { quote = nil }
      } else if c == "\"" || c == "'" {
        quote = c
      } else if "([".contains(c) {
        depth += 1
      } else if ")]".contains(c) {
        depth -= 1
      } else if depth == 0, c == "!", next < code.endIndex, "rsa".contains(code[next]) {
        let after = code.index(after: next)
        if after == code.endIndex || code[after] == ":" {
          expressionEnd = i
          conversion = code[next]
          if after < code.endIndex { spec = String(code[code.index(after: after)...]) }
          break
        }
      } else if depth == 0, c == ":" {
        expressionEnd = i
        spec = String(code[next...])
        break
      }
      i = next
    }
    var expr = try embedded(String(code[..<expressionEnd]), at: location)
    func call(_ name: String, _ arguments: [Expr]) -> Expr {
      let callee = Expr(.literal(.builtin(CoreBuiltins.all[name]!)), at: location, text: name)
      return Expr(.call(callee, arguments.map { Argument(name: nil, value: $0) }), at: location, text: code)
    }
    if let conversion { expr = call(conversion == "s" ? "str" : "repr", [expr]) }
    if let spec { expr = call("format", [expr, Expr(.literal(.string(spec)), at: location, text: spec)]) }
    return expr
  }

  /// `a, b` where a value may be a tuple without parentheses: `return a, b`, `x = 1, 2`.
  mutating func expressionList() throws(ScriptError) -> Expr {
    let first = current
    let head = try expression()
    guard check(.op(",")) else { return head }
    var items = [head]
    while match(.op(",")), !atStatementEnd { items.append(try expression()) }
    return Expr(.tuple(items), at: first.location, text: text(from: first))
  }

  private mutating func orExpression() throws(ScriptError) -> Expr {
    let first = current
    var left = try andExpression()
    var links = 0
    defer { height -= links }
    while check(.name("or")) {
      let op = current
      try link()
      links += 1
      advance()
      let right = try andExpression()
      left = Expr(.or(left, right), at: op.location, text: text(from: first), start: first.location)
    }
    return left
  }

  private mutating func andExpression() throws(ScriptError) -> Expr {
    let first = current
    var left = try notExpression()
    var links = 0
    defer { height -= links }
    while check(.name("and")) {
      let op = current
      try link()
      links += 1
      advance()
      let right = try notExpression()
      left = Expr(.and(left, right), at: op.location, text: text(from: first), start: first.location)
    }
    return left
  }

  private mutating func notExpression() throws(ScriptError) -> Expr {
    let first = current
    if matchWord("not") {
      try enter()
      defer { leave() }
      let operand = try notExpression()
      return Expr(.unary(.not, operand), at: first.location, text: text(from: first))
    }
    return try comparison()
  }

  private mutating func comparison() throws(ScriptError) -> Expr {
    let first = current
    let left = try additive()
    let opToken = current
    var op: String?
    if case .op(let o) = current.kind, ["==", "!=", "<", "<=", ">", ">="].contains(o) {
      op = o
      advance()
    } else if matchWord("in") {
      op = "in"
    } else if matchWord("is") {
      op = matchWord("not") ? "is not" : "is"
    } else if check(.name("not")), peek(1).kind == .name("in") {
      advance()
      advance()
      op = "not in"
    }
    guard let op else { return left }
    let right = try additive()
    return binary(BinaryOperator(rawValue: op)!, left, right, at: opToken, from: first)
  }

  private mutating func additive() throws(ScriptError) -> Expr {
    let first = current
    var left = try multiplicative()
    var links = 0
    defer { height -= links }
    while case .op(let op) = current.kind, op == "+" || op == "-" {
      let opToken = current
      try link()
      links += 1
      advance()
      let right = try multiplicative()
      left = binary(BinaryOperator(rawValue: op)!, left, right, at: opToken, from: first)
    }
    return left
  }

  private mutating func multiplicative() throws(ScriptError) -> Expr {
    let first = current
    var left = try unary()
    var links = 0
    defer { height -= links }
    while case .op(let op) = current.kind, ["*", "/", "//", "%"].contains(op) {
      let opToken = current
      try link()
      links += 1
      advance()
      let right = try unary()
      left = binary(BinaryOperator(rawValue: op)!, left, right, at: opToken, from: first)
    }
    return left
  }

  private mutating func unary() throws(ScriptError) -> Expr {
    let first = current
    if case .op(let op) = current.kind, op == "-" || op == "+" {
      advance()
      try enter()
      defer { leave() }
      let operand = try unary()
      return Expr(.unary(UnaryOperator(rawValue: op)!, operand), at: first.location, text: text(from: first))
    }
    return try power()
  }

  private mutating func power() throws(ScriptError) -> Expr {
    let first = current
    let base = try postfix(spaceSeparates: false)
    let opToken = current
    guard match(.op("**")) else { return base }
    try enter()
    defer { leave() }
    let exponent = try unary()
    return binary(.power, base, exponent, at: opToken, from: first)
  }

  /// A binary operation fails at its operator (`1 / x` at `/`); its text is the whole operation.
  private func binary(_ op: BinaryOperator, _ left: Expr, _ right: Expr, at opToken: Token, from first: Token) -> Expr {
    Expr(.binary(op, left, right), at: opToken.location, text: text(from: first), start: first.location)
  }

  mutating func postfix(spaceSeparates: Bool) throws(ScriptError) -> Expr {
    let first = current
    var expr = try primary()
    var links = 0
    defer { height -= links }
    while true {
      if spaceSeparates && current.spaceBefore { return expr }
      try link()
      links += 1
      if check(.op("(")) {
        let arguments = try callArguments()
        expr = Expr(.call(expr, arguments), at: first.location, text: text(from: first))
      } else if match(.op("[")) {
        expr = try subscriptExpression(expr, from: first)
      } else if match(.op(".")) {
        let name = try expectName("an attribute name after '.'")
        expr = Expr(.attribute(expr, name), at: first.location, text: text(from: first))
      } else {
        return expr
      }
    }
  }

  /// After the '[': an index `xs[i]` or a slice `xs[a:b]`, `xs[a:b:step]`, any part optional.
  private mutating func subscriptExpression(_ container: Expr, from first: Token) throws(ScriptError) -> Expr {
    let lower = check(.op(":")) ? nil : try expression()
    if let lower, !check(.op(":")) {
      try expectOp("]", "']' to close the index")
      return Expr(.index(container, lower), at: first.location, text: text(from: first))
    }
    advance()
    let upper = check(.op(":")) || check(.op("]")) ? nil : try expression()
    var step: Expr?
    if match(.op(":")), !check(.op("]")) { step = try expression() }
    try expectOp("]", "']' to close the slice")
    return Expr(.slice(container, lower, upper, step), at: first.location, text: text(from: first))
  }

  /// `(a, k=v, *xs, **d)`; a lone comprehension without brackets is its list: `sum(x for x in xs)`.
  mutating func callArguments() throws(ScriptError) -> [Argument] {
    try expectOp("(", "'('")
    var arguments: [Argument] = []
    while !check(.op(")")) {
      if case .name(let key) = current.kind, peek(1).kind == .op("=") {
        advance()
        advance()
        arguments.append(Argument(name: key, value: try expression()))
      } else if match(.op("**")) {
        arguments.append(Argument(name: nil, value: try expression(), spread: .keywords))
      } else if match(.op("*")) {
        arguments.append(Argument(name: nil, value: try expression(), spread: .positional))
      } else {
        let first = current
        let value = try expression()
        if arguments.isEmpty, check(.name("for")) {
          return [Argument(name: nil, value: try comprehension(.item(value), closing: ")", from: first))]
        }
        arguments.append(Argument(name: nil, value: value))
      }
      if !match(.op(",")) { break }
    }
    try expectOp(")", "')' to close the argument list")
    return arguments
  }

  private mutating func primary() throws(ScriptError) -> Expr {
    let first = current
    switch first.kind {
    case .int(let i):
      advance()
      return Expr(.literal(.int(i)), at: first.location, text: text(from: first))
    case .float(let d):
      advance()
      return Expr(.literal(.float(d)), at: first.location, text: text(from: first))
    case .string(let s):
      advance()
      return Expr(.literal(.string(s)), at: first.location, text: text(from: first))
    case .formatString(let pieces):
      advance()
      var parts: [Expr.FormatPart] = []
      for piece in pieces {
        switch piece {
        case .text(let s): parts.append(.text(s))
        case .code(let code, let at): parts.append(.code(try formatted(code, at: at)))
        }
      }
      return Expr(.format(parts), at: first.location, text: text(from: first))
    case .name(let name):
      if let constant = Parser.constants[name] {
        advance()
        return Expr(.literal(constant), at: first.location, text: name)
      }
      if !readingArguments, isCommandStart(at: position) || isCallStyleCommand(name) {
        let cmd = try command()
        return Expr(.command(cmd), at: cmd.location, text: cmd.text)
      }
      if name == "lambda" { throw error(SyntaxHints.lambda) }
      if Parser.keywords.contains(name) { throw error("expected an expression, found the keyword '\(name)'") }
      advance()
      return Expr(.name(name), at: first.location, text: name)
    case .op("["):
      advance()
      var items: [Expr] = []
      while !check(.op("]")) {
        items.append(try expression())
        if items.count == 1, check(.name("for")) { return try comprehension(.item(items[0]), closing: "]", from: first) }
        if !match(.op(",")) { break }
      }
      try expectOp("]", "']' to close the list")
      return Expr(.list(items), at: first.location, text: text(from: first))
    case .op("{"):
      return try dictionary()
    case .op("("):
      advance()
      let outer = readingArguments
      readingArguments = false
      defer { readingArguments = outer }
      let close = "')' to close '(' opened at \(first.location.line):\(first.location.column)"
      if match(.op(")")) { return Expr(.tuple([]), at: first.location, text: text(from: first)) }
      let inner: Expr
      if isCommandStart(at: position, grouped: true) {
        let cmd = try command()
        inner = Expr(.command(cmd), at: cmd.location, text: cmd.text)
      } else {
        inner = try expression()
        if check(.name("for")) { return try comprehension(.item(inner), closing: ")", from: first) }
        if match(.op(",")) {
          var items = [inner]
          while !check(.op(")")) {
            items.append(try expression())
            if !match(.op(",")) { break }
          }
          try expectOp(")", close)
          return Expr(.tuple(items), at: first.location, text: text(from: first))
        }
      }
      try expectOp(")", close)
      return inner
    default:
      throw error("expected an expression")
    }
  }

  /// `join(p, timeout=1)`: a command word called like a function, unless the name is bound.
  private func isCallStyleCommand(_ name: String) -> Bool {
    commandWords.contains(name) && peek(1).kind == .op("(") && !peek(1).spaceBefore && !isKnownName(name)
  }

  /// `{}`, `{k: v, ...}` or `{k: v for ...}`. New lines inside are ignored, as inside `[ ]`.
  private mutating func dictionary() throws(ScriptError) -> Expr {
    let first = current
    advance()
    var pairs: [(key: Expr, value: Expr)] = []
    skipNewlines()
    while !check(.op("}")) {
      let key = try expression()
      if check(.op(",")) || check(.op("}")) { throw .syntax(SyntaxHints.sets, at: first.location) }
      try expectOp(":", "':' between a key and its value")
      let value = try expression()
      if pairs.isEmpty, check(.name("for")) {
        return try comprehension(.pair(key: key, value: value), closing: "}", from: first)
      }
      pairs.append((key, value))
      skipNewlines()
      if !match(.op(",")) { break }
      skipNewlines()
    }
    try expectOp("}", "'}' to close the dict opened at \(first.location.line):\(first.location.column)")
    return Expr(.dict(pairs), at: first.location, text: text(from: first))
  }

  /// After the element: `for TARGETS in SEQUENCE` and `if CONDITION` clauses, then `closing`.
  private mutating func comprehension(_ element: Comprehension.Element, closing: String, from first: Token) throws(ScriptError) -> Expr {
    var clauses: [Comprehension.Clause] = []
    var links = 0
    defer { height -= links }
    while true {
      skipNewlines()
      if matchWord("for") {
        let targetStart = current
        var names: [Expr] = []
        repeat {
          let token = current
          let name = try expectName("a loop variable after 'for'")
          names.append(Expr(.name(name), at: token.location, text: name))
        } while match(.op(","))
        let target = names.count == 1 ? names[0] : Expr(.tuple(names), at: targetStart.location, text: text(from: targetStart))
        try expectWord("in")
        clauses.append(.loop(target, try orExpression()))
        try link()
        links += 1
      } else if matchWord("if") {
        clauses.append(.filter(try orExpression()))
      } else {
        break
      }
    }
    try expectOp(closing, "'\(closing)' to close the comprehension")
    return Expr(.comprehension(Comprehension(element: element, clauses: clauses)), at: first.location, text: text(from: first))
  }

  private mutating func skipNewlines() {
    while check(.newline) { advance() }
  }

}
