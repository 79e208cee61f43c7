// Builds the syntax tree from tokens (recursive descent, one method per rule of
// docs/LANGUAGE.md): statements and commands here, expressions in Parser+Expressions.swift.
// Command words come from the host, so the grammar knows no engine.

public struct Parser {
  let tokens: [Token]
  let source: SourceText
  let file: String
  let commandWords: Set<String>
  /// Whether the session has a global of this name now: a bound command word is a name.
  let isBound: (String) -> Bool
  var position = 0
  /// True while reading a command's arguments: there a command word is a plain word
  /// (`pool map f xs`), unless it is inside parentheses (`put q (get r)`).
  var readingArguments = false
  /// The names bound so far in this text: the top level's, then each enclosing function's
  /// (parameters and the locals assigned before this point). Such a name is never a command.
  var scopes: [Set<String>] = [[]]
  /// Brackets, blocks, prefix operators and statements open around the current token.
  var nesting = 0
  /// How deep the tree being built is: the nesting plus the operators chained at each level
  /// (`1 + 2 + 3` is two levels deep) and the `else if`s before this one.
  var height = 0
  /// The parser, the resolver and the interpreter recurse once per level of the tree, so a
  /// deeper one is a SyntaxError here rather than a stack overflow later.
  public static let maximumNesting = 200
  public static let maximumHeight = 1000
  /// The stack address below which the parser stops, for the thread it runs on.
  let stackLimit = StackGuard.limit

  /// `isBound` tells whether the session already has a global of a name (the interpreter
  /// checks its globals): `wait` is then that value, not the `wait` command.
  public init(
    text: String, file: String, commandWords: Set<String>, origin: SourceLocation? = nil,
    isBound: @escaping (String) -> Bool = { _ in false }
  ) throws(ScriptError) {
    var lexer = Lexer(text: text, file: file, origin: origin)
    self.tokens = try lexer.tokenize()
    self.source = SourceText(Array(text.unicodeScalars))
    self.file = file
    self.commandWords = commandWords
    self.isBound = isBound
  }

  /// Parses a whole program.
  public mutating func parseProgram() throws(ScriptError) -> [Stmt] {
    var statements: [Stmt] = []
    skipSeparators()
    while !check(.end) {
      let statement = try statement()
      Resolver.resolveTopLevel(statement)
      statements.append(statement)
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
    try Interruption.poll()
    try enter()
    defer { leave() }
    let first = current
    if let hint = pythonHabit() { throw error(hint) }
    switch first.kind {
    case .name("def"): return try functionDefinition()
    case .name("if"): return try ifStatement()
    case .name("for"):
      advance()
      let target = try loopTargets()
      try expectWord("in")
      let sequence = try expression()
      let body = try block(header: first)
      return stmt(.forIn(target, sequence, body), from: first)
    case .name("while"):
      advance()
      let condition = try expression()
      let body = try block(header: first)
      return stmt(.whileLoop(condition, body), from: first)
    case .name("with"):
      advance()
      let held = try expression()
      let body = try block(header: first)
      return stmt(.with(held, body), from: first)
    case .name("try"):
      advance()
      let body = try block(header: first)
      skipNewlinesBefore("catch")
      skipNewlinesBefore("except")
      if check(.name("except")) { throw error(SyntaxHints.except) }
      let catchToken = current
      try expectWord("catch")
      let nameToken = current
      let name = try expectName("a name for the error after 'catch'")
      bind(name)
      let handler = try block(header: catchToken)
      return stmt(.tryCatch(body, Expr(.name(name), at: nameToken.location, text: name), handler), from: first)
    case .name("return"):
      advance()
      let value = atStatementEnd ? nil : try expressionList()
      return stmt(.returnValue(value), from: first)
    case .name("raise"):
      advance()
      let value = atStatementEnd ? nil : try expression()
      return stmt(.raise(value), from: first)
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
    case .name("time") where !isNameUse(at: position) && !isKnownName("time") && !isFollowedByOperator(at: position):
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
    case .name("repeat") where !isNameUse(at: position) && !isKnownName("repeat") && !isFollowedByOperator(at: position):
      advance()
      guard !atStatementEnd else { throw error("expected a number of runs after 'repeat' (repeat 20 STATEMENT)") }
      let count = try argumentExpression()
      guard !atStatementEnd else { throw error("expected a statement to repeat after 'repeat \(count.text)'") }
      let body = try statement()
      return stmt(.repeatRuns(count, body), from: first)
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

  /// `def NAME(a, b=1, *args, c, **kwargs) { }`: parameters after `*args` (or a bare `*`)
  /// take only keywords.
  private mutating func functionDefinition() throws(ScriptError) -> Stmt {
    let first = current
    advance()
    let nameToken = current
    let name = try expectName("a function name after 'def'")
    bind(name)
    try expectOp("(", "'(' after the function name")
    var parameters: [String] = []
    var defaults: [Expr?] = []
    var positionalCount: Int?
    var variadic: String?
    var keywordVariadic: String?
    while !check(.op(")")) {
      if let keywordVariadic { throw error("no parameter may follow **\(keywordVariadic)") }
      if match(.op("**")) {
        keywordVariadic = try expectName("a name after '**'")
      } else if match(.op("*")) {
        guard positionalCount == nil else { throw error("only one '*' may stand in a parameter list") }
        positionalCount = parameters.count
        if !check(.op(",")) { variadic = try expectName("a name after '*'") }
      } else {
        let parameter = try expectName("a parameter name")
        guard !parameters.contains(parameter) else { throw error("duplicate parameter '\(parameter)'") }
        parameters.append(parameter)
        defaults.append(match(.op("=")) ? try expression() : nil)
      }
      if !match(.op(",")) { break }
    }
    try expectOp(")", "')' to close the parameter list")
    scopes.append(Set(parameters + [variadic, keywordVariadic].compactMap { $0 }))
    defer { scopes.removeLast() }
    let body = try block(header: first)
    let function = Function(
      name: name, parameters: parameters, defaults: defaults, positionalCount: positionalCount, variadic: variadic,
      keywordVariadic: keywordVariadic, body: body, at: first.location, lazySource: NodeText(text(from: first)))
    try Resolver.resolve(function)
    return stmt(.define(function, Expr(.name(name), at: nameToken.location, text: name)), from: first)
  }

  private mutating func ifStatement() throws(ScriptError) -> Stmt {
    let first = current
    advance()
    let condition = try expression()
    let then = try block(header: first)
    var otherwise: [Stmt]?
    skipNewlinesBefore("else")
    skipNewlinesBefore("elif")
    if check(.name("elif")) { throw error(SyntaxHints.elif) }
    let elseToken = current
    if matchWord("else") {
      if check(.name("if")) {
        try link()
        defer { height -= 1 }
        otherwise = [try ifStatement()]
      } else {
        otherwise = try block(header: elseToken)
      }
    }
    return stmt(.ifElse(condition, then, otherwise), from: first)
  }

  /// The variable of a `for`: a name, or names to unpack each item into (`for a, b in pairs`).
  private mutating func loopTargets() throws(ScriptError) -> Expr {
    let first = current
    var names: [Expr] = []
    repeat {
      let token = current
      let name = try expectName("a loop variable after 'for'")
      bind(name)
      names.append(Expr(.name(name), at: token.location, text: name))
    } while match(.op(","))
    return names.count == 1 ? names[0] : Expr(.tuple(names), at: first.location, text: text(from: first))
  }

  /// A Python habit at the start of a statement, as the fix to type instead; nil when none.
  private func pythonHabit() -> String? {
    guard case .name(let word) = current.kind, !isKnownName(word) else { return nil }
    let next = peek(1).kind
    switch word {
    case "elif": return SyntaxHints.elif
    case "except": return SyntaxHints.except
    case "pass" where atEndOfStatement(next): return SyntaxHints.pass
    case "import", "from":
      if case .name = next { return SyntaxHints.modules }
      return nil
    default: return nil
    }
  }

  func atEndOfStatement(_ kind: TokenKind) -> Bool {
    switch kind {
    case .newline, .end, .op(";"), .op("}"): true
    default: false
    }
  }

  /// A block in braces; `header` is the statement's first token, to show `if x:` as `if x { ... }`.
  private mutating func block(header: Token? = nil) throws(ScriptError) -> [Stmt] {
    let open = current
    if check(.op(":")), let header { throw error(SyntaxHints.braces(text(from: header).string)) }
    try expectOp("{", "'{' to open a block")
    try enter()
    defer { leave() }
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
      Resolver.names(in: targets[0]) { bind($0) }
      let operand = try expression()
      return stmt(.augmented(targets[0], BinaryOperator(rawValue: String(op.dropLast()))!, operand), from: first)
    }
    guard match(.op("=")) else {
      // `1, 2` alone is a tuple, as in Python: the REPL shows `(1, 2)`.
      guard targets.count == 1 else {
        return stmt(.expression(Expr(.tuple(targets), at: first.location, text: text(from: first))), from: first)
      }
      if case .name(let word) = targets[0].kind, !atStatementEnd { try checkMisspeltCommand(word) }
      return stmt(.expression(targets[0]), from: first)
    }
    for target in targets {
      try checkAssignable(target)
      Resolver.names(in: target) { bind($0) }
    }
    let value: Expr
    if isCommandStart(at: position) {
      let cmd = try command()
      value = Expr(.command(cmd), at: cmd.location, text: cmd.text)
    } else {
      value = try expressionList()
    }
    return stmt(.assign(targets, value), from: first)
  }

  /// A name, an index, an engine object's attribute (`counter.value`), or a tuple or list of
  /// targets to unpack into (`(a, b) = pair`).
  private func checkAssignable(_ target: Expr) throws(ScriptError) {
    switch target.kind {
    case .name, .index, .attribute: return
    case .tuple(let items), .list(let items):
      for item in items { try checkAssignable(item) }
    default: throw .syntax("cannot assign to '\(target.text)': expected a name, an index or an attribute", at: target.start)
    }
  }

  /// `print "x"` and `spwan f(1)`: a name followed by arguments, as a command would be.
  private func checkMisspeltCommand(_ word: String) throws(ScriptError) {
    if word == "print" { throw error(SyntaxHints.print(restOfStatement())) }
    guard !isKnownName(word), current.spaceBefore else { return }
    let suggestion = didYouMean(word, among: commandWords)
    if !suggestion.isEmpty {
      throw ScriptError(.nameError, "name '\(word)' is not defined" + suggestion, at: tokens[position - 1].location)
    }
  }

  /// The source text from the current token to the end of the statement.
  private func restOfStatement() -> String {
    var end = position
    while !atEndOfStatement(tokens[end].kind) { end += 1 }
    guard end > position else { return "" }
    return source.text(tokens[position].start, tokens[end - 1].end)
  }

  // MARK: commands

  /// A command word starts a command unless it is a name: one the user has bound (a
  /// parameter, a local, a global, a name assigned earlier in the text), or one used as a
  /// name (`get = 1`, `map.x`, `wait + 1`, `f(time)`). `grouped` is true first inside
  /// parentheses, where `(output)` is the command alone.
  func isCommandStart(at i: Int, grouped: Bool = false) -> Bool {
    guard case .name(let word) = tokens[i].kind, commandWords.contains(word) else { return false }
    return !isNameUse(at: i) && !isKnownName(word) && !isOperand(at: i, grouped: grouped)
  }

  func isNameUse(at i: Int) -> Bool {
    let next = tokens[i + 1]
    guard case .op(let op) = next.kind else { return false }
    if ["=", "+=", "-=", "*=", "/=", ".", "==", "!=", ","].contains(op) { return true }
    if op == "[" && !next.spaceBefore { return true }
    return false
  }

  /// What follows the word makes it a value: `)`, `]`, `:`, a binary operator between
  /// spaces, or a word such as `and`, `in`, `for` (`[wait for wait in xs]`).
  private func isOperand(at i: Int, grouped: Bool) -> Bool {
    switch tokens[i + 1].kind {
    case .op(")"): return !grouped
    case .op("]"), .op(":"): return true
    case .name(let word): return ["and", "or", "in", "is", "not", "for", "if", "else"].contains(word)
    default: return isFollowedByOperator(at: i)
    }
  }

  /// `word + 1`: a binary operator with a space on each side follows the word.
  func isFollowedByOperator(at i: Int) -> Bool {
    guard i + 2 < tokens.count, case .op(let op) = tokens[i + 1].kind, Parser.binaryOperators.contains(op) else { return false }
    return tokens[i + 1].spaceBefore && tokens[i + 2].spaceBefore
  }

  static let binaryOperators: Set<String> = ["+", "-", "*", "/", "//", "%", "**", "==", "!=", "<", "<=", ">", ">="]

  /// True when the name is bound in this text so far or in the session.
  func isKnownName(_ name: String) -> Bool {
    scopes.contains { $0.contains(name) } || isBound(name)
  }

  mutating func bind(_ name: String) {
    scopes[scopes.count - 1].insert(name)
  }

  mutating func command(valueIsUsed: Bool = true) throws(ScriptError) -> Command {
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
        try checkNoOperatorAfterArgument(arguments[arguments.count - 1].value)
      }
    }
    return Command(word: word, arguments: arguments, at: first.location, lazyText: NodeText(text(from: first)), valueIsUsed: valueIsUsed)
  }

  /// `queue put q b + 1` would put `b` and then fail on `+`: say how to write the sum.
  private func checkNoOperatorAfterArgument(_ argument: Expr) throws(ScriptError) {
    guard case .op(let op) = current.kind, Parser.binaryOperators.contains(op), current.spaceBefore,
      op != "-" || peek(1).spaceBefore, !atEndOfStatement(peek(1).kind)
    else { return }
    throw error(SyntaxHints.commandOperator("\(argument.text) \(op) \(text(of: peek(1)))"))
  }

  /// One command argument: a postfix expression where a space ends it (`put q (1+2)` is two arguments).
  mutating func argumentExpression() throws(ScriptError) -> Expr {
    let first = current
    // A keyword standing alone as a command's last argument is a word (`help raise`): as an
    // expression it could only be an error.
    if case .name(let word) = first.kind, Parser.keywords.contains(word), Parser.constants[word] == nil, Parser.endsArguments(peek(1).kind) {
      advance()
      return Expr(.name(word), at: first.location, text: word)
    }
    if match(.op("-")) {
      let operand = try postfix(spaceSeparates: true)
      return Expr(.unary(.negate, operand), at: first.location, text: text(from: first))
    }
    return try postfix(spaceSeparates: true)
  }

  static let constants: [String: Value] = [
    "true": .bool(true), "false": .bool(false), "none": .none,
    "True": .bool(true), "False": .bool(false), "None": .none,
  ]

  /// The words no name may be; "did you mean" offers them too.
  public static let keywords: Set<String> = [
    "def", "if", "else", "for", "in", "while", "try", "catch", "return", "break", "continue",
    "expect", "and", "or", "not", "global", "raise", "is", "lambda", "with",
  ]

  /// Parses the `{code}` of an f-string at its place in the enclosing file, knowing the names
  /// bound around it.
  func embedded(_ code: String, at location: SourceLocation) throws(ScriptError) -> Expr {
    let known = scopes
    let isBound = self.isBound
    var parser = try Parser(
      text: code, file: location.file, commandWords: commandWords, origin: location,
      isBound: { name in known.contains { $0.contains(name) } || isBound(name) })
    parser.nesting = nesting
    parser.height = height
    let expr = try parser.expression()
    guard parser.check(.end) else { throw .syntax("f-string: unexpected text after the expression", at: parser.current.location) }
    return expr
  }

  // MARK: nesting

  /// One level deeper: a bracket, block, prefix operator or statement inside another.
  mutating func enter() throws(ScriptError) {
    nesting += 1
    height += 1
    guard nesting <= Parser.maximumNesting else {
      throw error("nested too deeply: more than \(Parser.maximumNesting) levels of brackets, blocks and statements")
    }
    guard height <= Parser.maximumHeight else { throw tooDeep() }
    guard StackGuard.currentAddress() > stackLimit else {
      throw error("nested too deeply for the stack that is left (\(nesting) levels here)")
    }
  }

  mutating func leave() {
    nesting -= 1
    height -= 1
  }

  /// One more operator in a chain (`a + b + c`, `f(x)(y)`, `else if`): the tree grows one
  /// level deeper though nothing nests in the text. The caller takes the levels back.
  mutating func link() throws(ScriptError) {
    height += 1
    guard height <= Parser.maximumHeight else { throw tooDeep() }
  }

  private func tooDeep() -> ScriptError {
    error("nested too deeply: more than \(Parser.maximumHeight) levels of operators and brackets in one expression or chain")
  }

  // MARK: token helpers

  var current: Token { tokens[position] }

  func peek(_ offset: Int) -> Token {
    tokens[min(position + offset, tokens.count - 1)]
  }

  func check(_ kind: TokenKind) -> Bool { current.kind == kind }

  mutating func advance() {
    if position < tokens.count - 1 { position += 1 }
  }

  mutating func match(_ kind: TokenKind) -> Bool {
    guard check(kind) else { return false }
    advance()
    return true
  }

  mutating func matchWord(_ word: String) -> Bool { match(.name(word)) }

  var atStatementEnd: Bool {
    switch current.kind {
    case .newline, .end, .op(";"), .op("}"): true
    default: false
    }
  }

  /// Shell-style command arguments end with the statement, and also at `)`, `,` and `]`, so a
  /// command can sit in parentheses, a call's arguments or a list: `[spawn f(1), spawn f(2)]`.
  var atArgumentsEnd: Bool { Parser.endsArguments(current.kind) }

  static func endsArguments(_ kind: TokenKind) -> Bool {
    switch kind {
    case .op(")"), .op(","), .op("]"), .newline, .end, .op(";"), .op("}"): true
    default: false
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
  mutating func skipNewlinesBefore(_ word: String) {
    var i = position
    while tokens[i].kind == .newline { i += 1 }
    if tokens[i].kind == .name(word) { position = i }
  }

  mutating func expectOp(_ op: String, _ what: String) throws(ScriptError) {
    guard match(.op(op)) else { throw error("expected \(what), found \(describe(current))") }
  }

  mutating func expectWord(_ word: String) throws(ScriptError) {
    guard matchWord(word) else { throw error("expected '\(word)', found \(describe(current))") }
  }

  mutating func expectName(_ what: String) throws(ScriptError) -> String {
    guard case .name(let name) = current.kind, !Parser.keywords.contains(name) else {
      throw error("expected \(what), found \(describe(current))")
    }
    advance()
    return name
  }

  func error(_ message: String) -> ScriptError {
    .syntax(message, at: current.location)
  }

  func describe(_ token: Token) -> String {
    switch token.kind {
    case .name(let n): "'\(n)'"
    case .int, .float, .string, .formatString: "'\(text(of: token))'"
    case .op(let o): "'\(o)'"
    case .newline: "the end of the line"
    case .end: "the end of the input"
    }
  }

  func text(of token: Token) -> String {
    source.text(token.start, token.end)
  }

  /// Where the source text from `first` to the last token consumed lies; a node makes it a
  /// String only when asked.
  func text(from first: Token) -> SourceSlice {
    let end = position > 0 ? tokens[position - 1].end : first.end
    return SourceSlice(source: source, start: first.start, end: Swift.max(first.start, end))
  }

  /// Build the node only after every part is parsed: `stmt(.x(try parse()), ...)` would read
  /// the position before the argument advanced it.
  func stmt(_ kind: Stmt.Kind, from first: Token) -> Stmt {
    Stmt(kind, at: first.location, text: text(from: first))
  }
}
