// Ints written in the code, alone (`return 0`) or on the right of an operator (`n < 2`,
// `n - 1`, `i % 7`), the commonest operands of a loop or a recursion. A constant's value is
// made from the int, not copied out of a stored value (a copy of an enum goes through the
// general copy, which checks its case for a reference to retain); an operator on a local
// reads the local's int in place. Anything else, and every error, takes BinaryCode's path.

final class IntConstantCode: ExprCode {
  let int: Int

  init(_ int: Int) { self.int = int }

  override func value(_ vm: Interpreter) throws(ScriptError) -> Value { .int(int) }

  override func truth(_ vm: Interpreter) throws(ScriptError) -> Bool { int != 0 }

  override var changesNoVariable: Bool { true }
}

/// `left OP int`.
final class IntRightCode: ExprCode {
  let op: BinaryOperator
  let left: ExprCode
  let right: Int
  /// The left operand's slot when it is a local.
  let leftSlot: Int?
  let location: SourceLocation

  init(_ op: BinaryOperator, _ left: ExprCode, _ right: Int, at location: SourceLocation) {
    self.op = op
    self.left = left
    self.right = right
    leftSlot = (left as? LocalRead)?.variable.index
    self.location = location
  }

  override var changesNoVariable: Bool { left.changesNoVariable }

  override func value(_ vm: Interpreter) throws(ScriptError) -> Value {
    if let leftSlot, let a = vm.stack.int(inSlot: vm.frameBase + leftSlot), let result = BinaryCode.integer(op, a, right) {
      return result
    }
    let l = try left.value(vm)
    if case .int(let a) = l, let result = BinaryCode.integer(op, a, right) { return result }
    return try Operators.binary(op, l, .int(right), at: location)
  }

  override func truth(_ vm: Interpreter) throws(ScriptError) -> Bool {
    if let result = comparedInPlace(vm) { return result }
    let l = try left.value(vm)
    if case .int(let a) = l, let result = BinaryCode.comparison(op, a, right) { return result }
    return try Operators.binary(op, l, .int(right), at: location).isTruthy
  }

  /// A comparison of a local's int, read in place; nil for anything else, which `truth` then
  /// computes in full. IfReturnCode asks it directly, without a call of this node's `truth`.
  @inline(__always)
  func comparedInPlace(_ vm: Interpreter) -> Bool? {
    guard let leftSlot, let a = vm.stack.int(inSlot: vm.frameBase + leftSlot) else { return nil }
    return BinaryCode.comparison(op, a, right)
  }
}
