// Builds the syntax tree from tokens (recursive descent, one method per rule of
// docs/LANGUAGE.md). Command words come from the host, so the grammar knows no engine.

public struct Parser {
  private let tokens: [Token]
  private let scalars: [Unicode.Scalar]
  private let file: String
  private let commandWords: Set<String>
  private var position = 0
  /// True while reading a command's arguments: there a command word is a plain word
  /// (`pool map f xs`), unless it is inside parentheses (`put q (get r)`).
  private var readingArguments = false

  public init(text: String, file: String, commandWords: Set<String>, origin: SourceLocation? = nil) throws(ScriptError) {
    var lexer = Lexer(text: text, file: file, origin: origin)
    self.tokens = try lexer.tokenize()
    self.scalars = Array(text.unicodeScalars)
    self.file = file
    self.commandWords = commandWords
  }

  /// Parses a whole program.
  public mutating func parseProgram() throws(ScriptError) -> [Stmt] {
    var statements: [Stmt] = []
    skipSeparators()
    while !check(.end) {
      statements.append(try statement())
      try endOfStatement()
      skipSeparators()
    }
    return statements
  }

  /// True when the text stops inside an open (), [] or {}: the REPL then asks for more lines.
  public static func needsMoreInput(_ text: String) -> Bool {
    var lexer = Lexer(text: text, file: "")
    guard let tokens = try? lexer.tokenize() else { return false }
    var depth = 0
    for token in tokens {
      if case .op(let op) = token.kind {
        if op == "{" || op == "(" || op == "[" { depth += 1 }
        if op == "}" || op == ")" || op == "]" { depth -= 1 }
      }
    }
    return depth > 0
  }

  // MARK: statements

  private mutating func statement() throws(ScriptError) -> Stmt {
    let first = current
    switch first.kind {
    case .name("def"): return try functionDefinition()
    case .name("if"): return try ifStatement()
    case .name("for"):
      advance()
      let variableToken = current
      let variable = try expectName("a loop variable after 'for'")
      try expectWord("in")
      let sequence = try expression()
      let body = try block()
      let target = Expr(.name(variable), at: variableToken.location, text: variable)
      return stmt(.forIn(target, sequence, body), from: first)
    case .name("while"):
      advance()
      let condition = try expression()
      let body = try block()
      return stmt(.whileLoop(condition, body), from: first)
    case .name("try"):
      advance()
      let body = try block()
      skipNewlinesBefore("catch")
      try expectWord("catch")
      let nameToken = current
      let name = try expectName("a name for the error after 'catch'")
      let handler = try block()
      return stmt(.tryCatch(body, Expr(.name(name), at: nameToken.location, text: name), handler), from: first)
    case .name("return"):
      advance()
      let value = atStatementEnd ? nil : try expression()
      return stmt(.returnValue(value), from: first)
    case .name("break"):
      advance()
      return stmt(.breakLoop, from: first)
    case .name("continue"):
      advance()
      return stmt(.continueLoop, from: first)
    case .name("expect"):
      advance()
      let condition = try expression()
      return stmt(.expect(condition), from: first)
    case .name("global"):
      advance()
      var names = [try expectName("a variable name after 'global'")]
      while match(.op(",")) { names.append(try expectName("a variable name after ','")) }
      return stmt(.global(names), from: first)
    case .name("time") where !isNameUse(at: position):
      advance()
      var repeats: Expr?
      if check(.op("-")), case .name("n") = peek(1).kind {
        advance()
        advance()
        repeats = try argumentExpression()
      }
      guard !atStatementEnd else { throw error("expected a statement to time after 'time'") }
      let body = try statement()
      return stmt(.time(repeats, body), from: first)
    case .op("{"):
      let body = try block()
      return stmt(.block(body), from: first)
    default:
      if isCommandStart(at: position) {
        let cmd = try command(valueIsUsed: false)
        return stmt(.command(cmd), from: first)
      }
      return try assignmentOrExpression()
    }
  }

  private mutating func functionDefinition() throws(ScriptError) -> Stmt {
    let first = current
    advance()
    let nameToken = current
    let name = try expectName("a function name after 'def'")
    try expectOp("(", "'(' after the function name")
    var parameters: [String] = []
    var defaults: [Expr?] = []
    while !check(.op(")")) {
      parameters.append(try expectName("a parameter name"))
      defaults.append(match(.op("=")) ? try expression() : nil)
      if !match(.op(",")) { break }
    }
    try expectOp(")", "')' to close the parameter list")
    let body = try block()
    let function = Function(
      name: name, parameters: parameters, defaults: defaults, body: body, at: first.location, source: text(from: first))
    try Resolver.resolve(function)
    return stmt(.define(function, Expr(.name(name), at: nameToken.location, text: name)), from: first)
  }

  private mutating func ifStatement() throws(ScriptError) -> Stmt {
    let first = current
    advance()
    let condition = try expression()
    let then = try block()
    var otherwise: [Stmt]?
    skipNewlinesBefore("else")
    if matchWord("else") {
      otherwise = check(.name("if")) ? [try ifStatement()] : try block()
    }
    return stmt(.ifElse(condition, then, otherwise), from: first)
  }

  private mutating func block() throws(ScriptError) -> [Stmt] {
    let open = current
    try expectOp("{", "'{' to open a block")
    var body: [Stmt] = []
    skipSeparators()
    while !check(.op("}")) {
      if check(.end) {
        throw .syntax("expected '}' to close the block opened at \(open.location.line):\(open.location.column)", at: current.location)
      }
      body.append(try statement())
      if !check(.op("}")) { try endOfStatement() }
      skipSeparators()
    }
    advance()
    return body
  }

  private mutating func assignmentOrExpression() throws(ScriptError) -> Stmt {
    let first = current
    var targets = [try expression()]
    while match(.op(",")) { targets.append(try expression()) }
    if case .op(let op) = current.kind, ["+=", "-=", "*=", "/=", "%=", "//="].contains(op), targets.count == 1 {
      advance()
      try checkAssignable(targets[0])
      let operand = try expression()
      return stmt(.augmented(targets[0], BinaryOperator(rawValue: String(op.dropLast()))!, operand), from: first)
    }
    guard match(.op("=")) else {
      guard targets.count == 1 else { throw error("expected '=' after the names to assign") }
      return stmt(.expression(targets[0]), from: first)
    }
    for target in targets { try checkAssignable(target) }
    let value: Expr
    if isCommandStart(at: position) {
      let cmd = try command()
      value = Expr(.command(cmd), at: cmd.location, text: cmd.text)
    } else {
      value = try expression()
    }
    return stmt(.assign(targets, value), from: first)
  }

  private func checkAssignable(_ target: Expr) throws(ScriptError) {
    switch target.kind {
    case .name, .index: return
    default: throw .syntax("cannot assign to '\(target.text)': expected a name or an index", at: target.start)
    }
  }

  // MARK: commands

  /// A command word starts a command unless it is used as a name (`get = 1`, `map.x`)
  /// or called like a function with no space before '(' (which is also a command, see `command`).
  private func isCommandStart(at i: Int) -> Bool {
    guard case .name(let word) = tokens[i].kind, commandWords.contains(word) else { return false }
    return !isNameUse(at: i)
  }

  private func isNameUse(at i: Int) -> Bool {
    let next = tokens[i + 1]
    guard case .op(let op) = next.kind else { return false }
    if ["=", "+=", "-=", "*=", "/=", ".", "==", "!=", ","].contains(op) { return true }
    if op == "[" && !next.spaceBefore { return true }
    return false
  }

  private mutating func command(valueIsUsed: Bool = true) throws(ScriptError) -> Command {
    let first = current
    guard case .name(let word) = first.kind else { throw error("expected a command") }
    advance()
    var arguments: [Argument] = []
    if check(.op("(")) && !current.spaceBefore {
      arguments = try callArguments()
    } else {
      let outer = readingArguments
      readingArguments = true
      defer { readingArguments = outer }
      while !atArgumentsEnd {
        if case .name(let key) = current.kind, peek(1).kind == .op("="), !peek(1).spaceBefore {
          advance()
          advance()
          arguments.append(Argument(name: key, value: try argumentExpression()))
        } else {
          arguments.append(Argument(name: nil, value: try argumentExpression()))
        }
      }
    }
    return Command(word: word, arguments: arguments, at: first.location, text: text(from: first), valueIsUsed: valueIsUsed)
  }

  /// One command argument: a postfix expression where a space ends it (`put q (1+2)` is two arguments).
  private mutating func argumentExpression() throws(ScriptError) -> Expr {
    let first = current
    if match(.op("-")) {
      let operand = try postfix(spaceSeparates: true)
      return Expr(.unary(.negate, operand), at: first.location, text: text(from: first))
    }
    return try postfix(spaceSeparates: true)
  }

  // MARK: expressions

  public mutating func expression() throws(ScriptError) -> Expr {
    try orExpression()
  }

  private mutating func orExpression() throws(ScriptError) -> Expr {
    let first = current
    var left = try andExpression()
    while check(.name("or")) {
      let op = current
      advance()
      let right = try andExpression()
      left = Expr(.or(left, right), at: op.location, text: text(from: first), start: first.location)
    }
    return left
  }

  private mutating func andExpression() throws(ScriptError) -> Expr {
    let first = current
    var left = try notExpression()
    while check(.name("and")) {
      let op = current
      advance()
      let right = try notExpression()
      left = Expr(.and(left, right), at: op.location, text: text(from: first), start: first.location)
    }
    return left
  }

  private mutating func notExpression() throws(ScriptError) -> Expr {
    let first = current
    if matchWord("not") {
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
    while case .op(let op) = current.kind, op == "+" || op == "-" {
      let opToken = current
      advance()
      let right = try multiplicative()
      left = binary(BinaryOperator(rawValue: op)!, left, right, at: opToken, from: first)
    }
    return left
  }

  private mutating func multiplicative() throws(ScriptError) -> Expr {
    let first = current
    var left = try unary()
    while case .op(let op) = current.kind, ["*", "/", "//", "%"].contains(op) {
      let opToken = current
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
    let exponent = try unary()
    return binary(.power, base, exponent, at: opToken, from: first)
  }

  /// A binary operation fails at its operator (`1 / x` at `/`); its text is the whole operation.
  private func binary(_ op: BinaryOperator, _ left: Expr, _ right: Expr, at opToken: Token, from first: Token) -> Expr {
    Expr(.binary(op, left, right), at: opToken.location, text: text(from: first), start: first.location)
  }

  private mutating func postfix(spaceSeparates: Bool) throws(ScriptError) -> Expr {
    let first = current
    var expr = try primary()
    while true {
      if spaceSeparates && current.spaceBefore { return expr }
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

  private mutating func callArguments() throws(ScriptError) -> [Argument] {
    try expectOp("(", "'('")
    var arguments: [Argument] = []
    while !check(.op(")")) {
      if case .name(let key) = current.kind, peek(1).kind == .op("=") {
        advance()
        advance()
        arguments.append(Argument(name: key, value: try expression()))
      } else {
        arguments.append(Argument(name: nil, value: try expression()))
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
        case .code(let code, let at): parts.append(.code(try Parser.embedded(code, at: at, commandWords: commandWords)))
        }
      }
      return Expr(.format(parts), at: first.location, text: text(from: first))
    case .name(let name):
      if let constant = Parser.constants[name] {
        advance()
        return Expr(.literal(constant), at: first.location, text: name)
      }
      if !readingArguments, isCommandStart(at: position) || (commandWords.contains(name) && peek(1).kind == .op("(") && !peek(1).spaceBefore) {
        let cmd = try command()
        return Expr(.command(cmd), at: cmd.location, text: cmd.text)
      }
      if Parser.keywords.contains(name) { throw error("expected an expression, found the keyword '\(name)'") }
      advance()
      return Expr(.name(name), at: first.location, text: name)
    case .op("["):
      advance()
      var items: [Expr] = []
      while !check(.op("]")) {
        items.append(try expression())
        if !match(.op(",")) { break }
      }
      try expectOp("]", "']' to close the list")
      return Expr(.list(items), at: first.location, text: text(from: first))
    case .op("("):
      advance()
      let outer = readingArguments
      readingArguments = false
      defer { readingArguments = outer }
      let inner: Expr
      if isCommandStart(at: position) {
        let cmd = try command()
        inner = Expr(.command(cmd), at: cmd.location, text: cmd.text)
      } else {
        inner = try expression()
      }
      try expectOp(")", "')' to close '(' opened at \(first.location.line):\(first.location.column)")
      return inner
    default:
      throw error("expected an expression")
    }
  }

  private static let constants: [String: Value] = [
    "true": .bool(true), "false": .bool(false), "none": .none,
    "True": .bool(true), "False": .bool(false), "None": .none,
  ]

  private static let keywords: Set<String> = [
    "def", "if", "else", "for", "in", "while", "try", "catch", "return", "break", "continue",
    "expect", "and", "or", "not", "global",
  ]

  /// Parses the `{code}` of an f-string at its place in the enclosing file.
  private static func embedded(_ code: String, at location: SourceLocation, commandWords: Set<String>) throws(ScriptError) -> Expr {
    var parser = try Parser(text: code, file: location.file, commandWords: commandWords, origin: location)
    let expr = try parser.expression()
    guard parser.check(.end) else { throw .syntax("f-string: unexpected text after the expression", at: parser.current.location) }
    return expr
  }

  // MARK: token helpers

  private var current: Token { tokens[position] }

  private func peek(_ offset: Int) -> Token {
    tokens[min(position + offset, tokens.count - 1)]
  }

  private func check(_ kind: TokenKind) -> Bool { current.kind == kind }

  private mutating func advance() {
    if position < tokens.count - 1 { position += 1 }
  }

  private mutating func match(_ kind: TokenKind) -> Bool {
    guard check(kind) else { return false }
    advance()
    return true
  }

  private mutating func matchWord(_ word: String) -> Bool { match(.name(word)) }

  private var atStatementEnd: Bool {
    switch current.kind {
    case .newline, .end, .op(";"), .op("}"): true
    default: false
    }
  }

  /// Shell-style command arguments end with the statement, and also at `)`, `,` and `]`, so a
  /// command can sit in parentheses, a call's arguments or a list: `[spawn f(1), spawn f(2)]`.
  private var atArgumentsEnd: Bool {
    switch current.kind {
    case .op(")"), .op(","), .op("]"): true
    default: atStatementEnd
    }
  }

  private mutating func endOfStatement() throws(ScriptError) {
    guard atStatementEnd else {
      throw error("expected the end of the statement (a new line or ';'), found \(describe(current))")
    }
  }

  private mutating func skipSeparators() {
    while check(.newline) || check(.op(";")) { advance() }
  }

  /// Lets `}` and `else`/`catch` sit on different lines.
  private mutating func skipNewlinesBefore(_ word: String) {
    var i = position
    while tokens[i].kind == .newline { i += 1 }
    if tokens[i].kind == .name(word) { position = i }
  }

  private mutating func expectOp(_ op: String, _ what: String) throws(ScriptError) {
    guard match(.op(op)) else { throw error("expected \(what), found \(describe(current))") }
  }

  private mutating func expectWord(_ word: String) throws(ScriptError) {
    guard matchWord(word) else { throw error("expected '\(word)', found \(describe(current))") }
  }

  private mutating func expectName(_ what: String) throws(ScriptError) -> String {
    guard case .name(let name) = current.kind, !Parser.keywords.contains(name) else {
      throw error("expected \(what), found \(describe(current))")
    }
    advance()
    return name
  }

  private func error(_ message: String) -> ScriptError {
    .syntax(message, at: current.location)
  }

  private func describe(_ token: Token) -> String {
    switch token.kind {
    case .name(let n): "'\(n)'"
    case .int, .float, .string, .formatString: "'\(text(of: token))'"
    case .op(let o): "'\(o)'"
    case .newline: "the end of the line"
    case .end: "the end of the input"
    }
  }

  private func text(of token: Token) -> String {
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars[token.start..<token.end])
    return String(view)
  }

  /// The source text from `first` to the last token consumed.
  private func text(from first: Token) -> String {
    let end = position > 0 ? tokens[position - 1].end : first.end
    guard end > first.start else { return "" }
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars[first.start..<end])
    return String(view)
  }

  /// Build the node only after every part is parsed: `stmt(.x(try parse()), ...)` would read
  /// the position before the argument advanced it.
  private func stmt(_ kind: Stmt.Kind, from first: Token) -> Stmt {
    Stmt(kind, at: first.location, text: text(from: first))
  }
}
