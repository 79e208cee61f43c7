// Statements in compiled code, each doing what Interpreter.execute does for its kind.

/// An empty block.
final class EmptyCode: StmtCode {
  override func run(_ vm: Interpreter) throws(ScriptError) -> Jump { .normal }
}

/// Two statements, or two halves of a longer block (see Compiler.block): fields, not an
/// array, so running it retains nothing (running the statements of an array retained each).
final class PairCode: StmtCode {
  let first: StmtCode
  let second: StmtCode

  init(_ first: StmtCode, _ second: StmtCode) {
    self.first = first
    self.second = second
  }

  override func run(_ vm: Interpreter) throws(ScriptError) -> Jump {
    let jump = try first.run(vm)
    if jump != .normal { return jump }
    return try second.run(vm)
  }
}

final class ExpressionStmtCode: StmtCode {
  let expression: ExprCode

  init(_ expression: ExprCode) { self.expression = expression }

  override func run(_ vm: Interpreter) throws(ScriptError) -> Jump {
    try expression.effect(vm)
    return .normal
  }
}

final class AssignCode: StmtCode {
  let target: TargetCode
  let value: ExprCode

  init(_ target: TargetCode, _ value: ExprCode) {
    self.target = target
    self.value = value
  }

  override func run(_ vm: Interpreter) throws(ScriptError) -> Jump {
    try target.assign(try value.value(vm), vm)
    return .normal
  }
}

/// `a, b = value`.
final class UnpackCode: StmtCode {
  let targets: [Expr]
  let value: ExprCode
  let location: SourceLocation

  init(_ targets: [Expr], _ value: ExprCode, at location: SourceLocation) {
    self.targets = targets
    self.value = value
    self.location = location
  }

  override func run(_ vm: Interpreter) throws(ScriptError) -> Jump {
    try vm.unpack(try value.value(vm), into: targets, at: location)
    return .normal
  }
}

/// `x OP= y` on a variable: ints add in place of the variable; a list or string grows in
/// place as the tree walker's `+=` does; anything else is `x = x OP y`.
final class AugmentedCode: StmtCode {
  let variable: VariableCode
  let op: BinaryOperator
  let operand: ExprCode
  let location: SourceLocation

  /// The variable's slot when it is a local: an int in it is read in place.
  let localSlot: Int?

  init(_ variable: VariableCode, _ op: BinaryOperator, _ operand: ExprCode, at location: SourceLocation) {
    self.variable = variable
    self.op = op
    self.operand = operand
    self.location = location
    localSlot = (variable as? LocalVariable)?.index
  }

  override func run(_ vm: Interpreter) throws(ScriptError) -> Jump {
    if let localSlot, let a = vm.stack.int(inSlot: vm.frameBase + localSlot) {
      let right = try operand.value(vm)
      if case .int(let b) = right, let result = BinaryCode.arithmetic(op, a, b) {
        vm.stack.setInt(result, inSlot: vm.frameBase + localSlot)
        return .normal
      }
      try variable.assign(try Operators.binary(op, .int(a), right, at: location), vm)
      return .normal
    }
    var current = try variable.read(vm)
    let right = try operand.value(vm)
    if case .int(let a) = current, case .int(let b) = right, let result = BinaryCode.arithmetic(op, a, b) {
      try variable.assignInt(result, vm)
      return .normal
    }
    if op == .add, current.growsInPlace, let slot = variable.slot(vm), try vm.appendInPlace(&current, right, slot, at: location) {
      return .normal
    }
    try variable.assign(try Operators.binary(op, current, right, at: location), vm)
    return .normal
  }
}

/// `if`; an `else if` is an IfCode as the `else` part. One branch a node, in fields rather
/// than an array: reading a field of the running node retains nothing.
final class IfCode: StmtCode {
  let condition: ExprCode
  let then: StmtCode
  let otherwise: StmtCode?

  init(_ condition: ExprCode, _ then: StmtCode, otherwise: StmtCode?) {
    self.condition = condition
    self.then = then
    self.otherwise = otherwise
  }

  override func run(_ vm: Interpreter) throws(ScriptError) -> Jump {
    if try condition.truth(vm) { return try then.run(vm) }
    guard let otherwise else { return .normal }
    return try otherwise.run(vm)
  }
}

final class ReturnCode: StmtCode {
  let value: ExprCode?

  init(_ value: ExprCode?) { self.value = value }

  override func run(_ vm: Interpreter) throws(ScriptError) -> Jump {
    vm.returnedValue = try value?.value(vm) ?? .none
    return .returned
  }
}

/// `if CONDITION { return VALUE }` with no `else`, the first line of most recursions: one
/// node, so the return costs no call of a node of its own.
final class IfReturnCode: StmtCode {
  let condition: ExprCode
  let value: ExprCode
  /// `if n < 2`: the condition when it compares a local with an int, which is then checked
  /// without a call of its node (IntRightCode is final: a direct call, inlined).
  private let comparison: IntRightCode?

  init(_ condition: ExprCode, _ value: ExprCode) {
    self.condition = condition
    self.value = value
    comparison = condition as? IntRightCode
  }

  override func run(_ vm: Interpreter) throws(ScriptError) -> Jump {
    if let holds = comparison?.comparedInPlace(vm) {
      guard holds else { return .normal }
    } else {
      guard try condition.truth(vm) else { return .normal }
    }
    vm.returnedValue = try value.value(vm)
    return .returned
  }
}

final class JumpCode: StmtCode {
  let jump: Jump

  init(_ jump: Jump) { self.jump = jump }

  override func run(_ vm: Interpreter) throws(ScriptError) -> Jump { jump }
}

final class CommandStmtCode: StmtCode {
  let command: Command

  init(_ command: Command) { self.command = command }

  override func run(_ vm: Interpreter) throws(ScriptError) -> Jump {
    _ = try vm.runCommand(command)
    return .normal
  }
}

final class ExpectCode: StmtCode {
  let condition: ExprCode
  let source: Expr

  init(_ condition: ExprCode, _ source: Expr) {
    self.condition = condition
    self.source = source
  }

  override func run(_ vm: Interpreter) throws(ScriptError) -> Jump {
    guard try condition.truth(vm) else {
      throw ScriptError(.assertionError, "expected \(source.text)", at: source.start)
    }
    return .normal
  }
}

/// `try { } catch NAME { }`: as the tree walker, Ctrl-C and exit are not caught.
final class TryCode: StmtCode {
  let body: StmtCode
  let target: TargetCode
  let handler: StmtCode

  init(_ body: StmtCode, _ target: TargetCode, _ handler: StmtCode) {
    self.body = body
    self.target = target
    self.handler = handler
  }

  override func run(_ vm: Interpreter) throws(ScriptError) -> Jump {
    do {
      return try body.run(vm)
    } catch {
      if !error.kind.isCatchable { throw error }
      try target.assign(.error(error), vm)
      vm.handling.append(error)
      defer { vm.handling.removeLast() }
      return try handler.run(vm)
    }
  }
}

/// `time [-n N] STATEMENT`, its statement compiled.
final class TimeCode: StmtCode {
  let repeats: Expr?
  let body: StmtCode
  let statement: Stmt
  let bodySource: Stmt

  init(_ repeats: Expr?, _ body: StmtCode, _ statement: Stmt, _ bodySource: Stmt) {
    self.repeats = repeats
    self.body = body
    self.statement = statement
    self.bodySource = bodySource
  }

  override func run(_ vm: Interpreter) throws(ScriptError) -> Jump {
    try vm.time(repeats, bodySource, at: statement.location) { () throws(ScriptError) -> Bool in
      try self.body.run(vm) == .returned
    }
    return .normal
  }
}
