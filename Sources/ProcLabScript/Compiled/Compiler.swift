// Turns resolved statements and expressions (see Resolver) into compiled code, once: a
// function's body on its first call, a top-level statement before it runs. Locals become
// frame slots, globals the cells of the interpreter's table; the rest is left to the tree
// walker, node by node (see FallbackExpr and FallbackStmt for which).

final class Compiler {
  private let globals: GlobalTable
  /// How deep in nested nodes the compiler is. Below `maximumDepth` nodes are left to the
  /// tree walker, whose checks report a nesting too deep for the stack: compiled nodes run
  /// without such checks, so they may only nest this much.
  private var depth = 0
  static let maximumDepth = 64

  init(globals: GlobalTable) { self.globals = globals }

  /// Compiles the body of a function for `globals` unless it is compiled for them already
  /// (on its first call; then kept by the function).
  @inline(__always)
  static func prepare(_ function: Function, globals: GlobalTable) {
    if function.compiledFor == ObjectIdentifier(globals) { return }
    let compiler = Compiler(globals: globals)
    // A body ending in `return VALUE` (most do) runs its other statements, then gives
    // VALUE's value straight back, with no return to pass through `returnedValue`.
    if case .returnValue(let value?)? = function.body.last?.kind {
      let rest = function.body.dropLast().filter { if case .global = $0.kind { false } else { true } }
      function.code = FunctionCode(
        body: rest.isEmpty ? nil : compiler.block(Array(rest)), tail: compiler.expression(value), globals: globals)
    } else {
      function.code = FunctionCode(body: compiler.block(function.body), tail: nil, globals: globals)
    }
  }

  func block(_ statements: [Stmt]) -> StmtCode {
    let compiled = statements.compactMap { s -> StmtCode? in
      if case .global = s.kind { return nil }  // settled by the Resolver
      return statement(s)
    }
    return compiled.isEmpty ? EmptyCode() : sequence(compiled[...])
  }

  /// Statements run in order as a balanced tree of pairs: nested as deep as the log of their
  /// number, so a long block does not nest its statements' calls.
  private func sequence(_ codes: ArraySlice<StmtCode>) -> StmtCode {
    if codes.count == 1 { return codes[codes.startIndex] }
    let middle = codes.startIndex + codes.count / 2
    return PairCode(sequence(codes[..<middle]), sequence(codes[middle...]))
  }

  private func isIf(_ statement: Stmt) -> Bool {
    if case .ifElse = statement.kind { return true }
    return false
  }

  func statement(_ statement: Stmt) -> StmtCode {
    depth += 1
    defer { depth -= 1 }
    guard depth <= Compiler.maximumDepth else { return FallbackStmt(statement) }
    switch statement.kind {
    case .expression(let e):
      return ExpressionStmtCode(expression(e))
    case .command(let command):
      return CommandStmtCode(command)
    case .assign(let targets, let value):
      if targets.count == 1 { return AssignCode(target(targets[0]), expression(value)) }
      return UnpackCode(targets, expression(value), at: statement.location)
    case .augmented(let target, let op, let operand):
      guard let variable = variable(target) else { return FallbackStmt(statement) }
      return AugmentedCode(variable, op, expression(operand), at: statement.location)
    case .define(let function, let target):
      return AssignCode(self.target(target), ConstantCode(.function(function)))
    case .ifElse(let condition, let then, let otherwise):
      // An `else if` chain nests one IfCode a link; past the depth limit, the rest of a
      // long chain runs in the tree walker, which loops over it.
      let rest = otherwise.map { rest in
        rest.count == 1 && isIf(rest[0]) ? self.statement(rest[0]) : block(rest)
      }
      if rest == nil, then.count == 1, case .returnValue(let value?) = then[0].kind {
        return IfReturnCode(expression(condition), expression(value))
      }
      return IfCode(expression(condition), block(then), otherwise: rest)
    case .forIn(let target, let sequence, let body):
      return ForCode(self.target(target), expression(sequence), block(body), at: sequence.start)
    case .whileLoop(let condition, let body):
      return WhileCode(expression(condition), block(body))
    case .tryCatch(let body, let target, let handler):
      return TryCode(block(body), self.target(target), block(handler))
    case .expect(let condition):
      return ExpectCode(expression(condition), condition)
    case .time(let repeats, let body):
      return TimeCode(repeats, self.statement(body), statement, body)
    case .returnValue(let value):
      return ReturnCode(value.map { expression($0) })
    case .breakLoop:
      return JumpCode(.broke)
    case .continueLoop:
      return JumpCode(.continued)
    case .block(let body):
      return block(body)
    default:
      // `raise`, `repeat` (each run in a child), a `global` standing alone, and any kind of
      // statement added to the language before the compiler learns it.
      return FallbackStmt(statement)
    }
  }

  func expression(_ expr: Expr) -> ExprCode {
    depth += 1
    defer { depth -= 1 }
    guard depth <= Compiler.maximumDepth else { return FallbackExpr(expr) }
    switch expr.kind {
    case .literal(.int(let int)):
      return IntConstantCode(int)
    case .literal(let value):
      return ConstantCode(value)
    case .local(let slot, let name):
      return LocalRead(LocalVariable(slot, name, at: expr.location))
    case .name(let name):
      return GlobalRead(GlobalVariable(globals.cell(name), at: expr.location))
    case .list(let items):
      return SequenceCode(items.map { expression($0) }, isTuple: false)
    case .tuple(let items):
      return SequenceCode(items.map { expression($0) }, isTuple: true)
    case .format(let parts):
      return FormatCode(
        parts.map { part in
          switch part {
          case .text(let s): (s, nil)
          case .code(let code): ("", expression(code))
          }
        })
    case .unary(let op, let operand):
      return UnaryCode(op, expression(operand), at: expr.location)
    case .binary(let op, let left, let right):
      if case .literal(.int(let int)) = right.kind { return IntRightCode(op, expression(left), int, at: expr.location) }
      return BinaryCode(op, expression(left), expression(right), at: expr.location)
    case .and(let left, let right):
      return AndCode(expression(left), expression(right))
    case .or(let left, let right):
      return OrCode(expression(left), expression(right))
    case .conditional(let condition, let value, let otherwise):
      return ConditionalCode(expression(condition), expression(value), expression(otherwise))
    case .call(let callee, let arguments):
      // Keywords and spreads need the binding of ArgumentBinding: left to the tree walker.
      guard arguments.allSatisfy({ $0.name == nil && $0.spread == nil }) else { return FallbackExpr(expr) }
      if case .attribute(let receiver, let name) = callee.kind {
        if name == "append", arguments.count == 1, let list = variable(receiver) {
          return AppendCode(list, receiver, expression(arguments[0].value), at: expr.location)
        }
        return MethodCallCode(expression(receiver), receiver, name, arguments.map { expression($0.value) }, at: expr.location)
      }
      if arguments.count == 1, case .name("len") = callee.kind, let len = expression(callee) as? GlobalRead {
        return LenCode(len, expression(arguments[0].value), at: expr.location)
      }
      if arguments.count == 1 { return Call1Code(expression(callee), expression(arguments[0].value), at: expr.location) }
      return CallCode(expression(callee), arguments.map { expression($0.value) }, at: expr.location)
    case .index(let container, let index):
      return IndexCode(expression(container), expression(index), at: expr.location)
    case .command(let command):
      return CommandCode(command)
    default:
      // Dict displays, comprehensions, slices, attributes, and any kind of expression added
      // to the language before the compiler learns it.
      return FallbackExpr(expr)
    }
  }

  func target(_ expr: Expr) -> TargetCode {
    if let variable = variable(expr) { return variable }
    if case .index(let container, let index) = expr.kind {
      if let variable = variable(container) {
        return VariableItemTarget(variable, container, expression(index), index.location, at: expr.location)
      }
      return ItemTarget(expression(container), container, expression(index), index.location, at: expr.location)
    }
    return FallbackTarget(expr)
  }

  private func variable(_ expr: Expr) -> VariableCode? {
    switch expr.kind {
    case .local(let slot, let name): LocalVariable(slot, name, at: expr.location)
    case .name(let name): GlobalVariable(globals.cell(name), at: expr.location)
    default: nil
    }
  }
}

/// A function's compiled body, and the global table its cells belong to (a function is
/// compiled again if another interpreter calls it). The cycle a recursive function makes
/// (its global's cell holds it, its code holds the cell) is broken when the interpreter
/// goes: it unbinds every global.
final class FunctionCode {
  /// The statements, but for a final `return VALUE`, which is `tail`; nil when there are none.
  let body: StmtCode?
  let tail: ExprCode?
  let globals: GlobalTable

  init(body: StmtCode?, tail: ExprCode?, globals: GlobalTable) {
    self.body = body
    self.tail = tail
    self.globals = globals
  }
}
