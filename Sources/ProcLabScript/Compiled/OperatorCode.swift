// Operators in compiled code. Two ints take a fast path with the same overflow checks as
// Operators.integer; anything else (and every error) goes through Operators, so results and
// messages are the tree walker's.

final class ConstantCode: ExprCode {
  let constant: Value

  init(_ constant: Value) { self.constant = constant }

  override func value(_ vm: Interpreter) throws(ScriptError) -> Value { constant }

  override var changesNoVariable: Bool { true }
}

final class BinaryCode: ExprCode {
  let op: BinaryOperator
  let left: ExprCode
  let right: ExprCode
  let location: SourceLocation

  init(_ op: BinaryOperator, _ left: ExprCode, _ right: ExprCode, at location: SourceLocation) {
    self.op = op
    self.left = left
    self.right = right
    self.location = location
  }

  override func value(_ vm: Interpreter) throws(ScriptError) -> Value {
    let l = try left.value(vm)
    let r = try right.value(vm)
    if case .int(let a) = l, case .int(let b) = r, let result = BinaryCode.integer(op, a, b) { return result }
    return try Operators.binary(op, l, r, at: location)
  }

  override var changesNoVariable: Bool { left.changesNoVariable && right.changesNoVariable }

  override func truth(_ vm: Interpreter) throws(ScriptError) -> Bool {
    let l = try left.value(vm)
    let r = try right.value(vm)
    if case .int(let a) = l, case .int(let b) = r, let result = BinaryCode.comparison(op, a, b) { return result }
    return try Operators.binary(op, l, r, at: location).isTruthy
  }

  /// The common int operations; nil for the rest and on overflow or a zero divisor, which
  /// Operators then reports.
  @inline(__always)
  static func integer(_ op: BinaryOperator, _ a: Int, _ b: Int) -> Value? {
    if let i = arithmetic(op, a, b) { return .int(i) }
    return comparison(op, a, b).map { .bool($0) }
  }

  /// `+ - * % //` on ints, as Operators.integer computes them; nil for other operators, on
  /// overflow and for a divisor that is not positive (Operators handles those).
  @inline(__always)
  static func arithmetic(_ op: BinaryOperator, _ a: Int, _ b: Int) -> Int? {
    switch op {
    case .add:
      let (sum, overflow) = a.addingReportingOverflow(b)
      return overflow ? nil : sum
    case .subtract:
      let (difference, overflow) = a.subtractingReportingOverflow(b)
      return overflow ? nil : difference
    case .multiply:
      let (product, overflow) = a.multipliedReportingOverflow(by: b)
      return overflow ? nil : product
    case .modulo:
      // Python's sign rule: for a positive divisor, the remainder is never negative.
      guard b > 0 else { return nil }
      let m = a % b
      return m < 0 ? m + b : m
    case .floorDivide:
      guard b > 0 else { return nil }
      let q = a / b
      return q * b > a ? q - 1 : q
    default:
      return nil
    }
  }

  @inline(__always)
  static func comparison(_ op: BinaryOperator, _ a: Int, _ b: Int) -> Bool? {
    switch op {
    case .less: a < b
    case .lessOrEqual: a <= b
    case .greater: a > b
    case .greaterOrEqual: a >= b
    case .equal, .identical: a == b
    case .notEqual, .notIdentical: a != b
    default: nil
    }
  }
}

final class UnaryCode: ExprCode {
  let op: UnaryOperator
  let operand: ExprCode
  let location: SourceLocation

  init(_ op: UnaryOperator, _ operand: ExprCode, at location: SourceLocation) {
    self.op = op
    self.operand = operand
    self.location = location
  }

  override func value(_ vm: Interpreter) throws(ScriptError) -> Value {
    try Operators.unary(op, try operand.value(vm), at: location)
  }

  override func truth(_ vm: Interpreter) throws(ScriptError) -> Bool {
    guard op == .not else { return try value(vm).isTruthy }
    return !(try operand.truth(vm))
  }
}

/// `a and b`: the left value when it is false, else the right one.
final class AndCode: ExprCode {
  let left: ExprCode
  let right: ExprCode

  init(_ left: ExprCode, _ right: ExprCode) {
    self.left = left
    self.right = right
  }

  override func value(_ vm: Interpreter) throws(ScriptError) -> Value {
    let l = try left.value(vm)
    return l.isTruthy ? try right.value(vm) : l
  }

  override func truth(_ vm: Interpreter) throws(ScriptError) -> Bool {
    guard try left.truth(vm) else { return false }
    return try right.truth(vm)
  }
}

/// `a or b`: the left value when it is true, else the right one.
/// `A if C else B`.
final class ConditionalCode: ExprCode {
  let condition: ExprCode
  let then: ExprCode
  let otherwise: ExprCode

  init(_ condition: ExprCode, _ then: ExprCode, _ otherwise: ExprCode) {
    self.condition = condition
    self.then = then
    self.otherwise = otherwise
  }

  override func value(_ vm: Interpreter) throws(ScriptError) -> Value {
    try condition.truth(vm) ? try then.value(vm) : try otherwise.value(vm)
  }
}

final class OrCode: ExprCode {
  let left: ExprCode
  let right: ExprCode

  init(_ left: ExprCode, _ right: ExprCode) {
    self.left = left
    self.right = right
  }

  override func value(_ vm: Interpreter) throws(ScriptError) -> Value {
    let l = try left.value(vm)
    return l.isTruthy ? l : try right.value(vm)
  }

  override func truth(_ vm: Interpreter) throws(ScriptError) -> Bool {
    if try left.truth(vm) { return true }
    return try right.truth(vm)
  }
}

final class IndexCode: ExprCode {
  let container: ExprCode
  let index: ExprCode
  let location: SourceLocation
  /// The container's slot when it is a local and the index cannot change it (`xs[i]`,
  /// `xs[i + 1]`): the item is then read in place, without copying the list out of the slot.
  let localSlot: Int?
  /// The index's slot when it is a local.
  let indexSlot: Int?

  init(_ container: ExprCode, _ index: ExprCode, at location: SourceLocation) {
    self.container = container
    self.index = index
    self.location = location
    localSlot = index.changesNoVariable ? (container as? LocalRead)?.variable.index : nil
    indexSlot = (index as? LocalRead)?.variable.index
  }

  override func value(_ vm: Interpreter) throws(ScriptError) -> Value {
    if let localSlot {
      // `xs[i]` with both locals: the index's int is read in place too.
      if let indexSlot, let k = vm.stack.int(inSlot: vm.frameBase + indexSlot),
        let item = vm.stack.item(inSlot: vm.frameBase + localSlot, at: k)
      {
        return item
      }
      if vm.stack.isAssigned(vm.frameBase + localSlot) {
        let key = try index.value(vm)
        if case .int(let k) = key, let item = vm.stack.item(inSlot: vm.frameBase + localSlot, at: k) { return item }
        return try Operators.index(try container.value(vm), key, at: location)
      }
    }
    return try Operators.index(try container.value(vm), try index.value(vm), at: location)
  }
}
