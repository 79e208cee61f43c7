// Loops in compiled code. Each round checks for Ctrl-C first, as the tree walker does.

final class WhileCode: StmtCode {
  let condition: ExprCode
  let body: StmtCode

  init(_ condition: ExprCode, _ body: StmtCode) {
    self.condition = condition
    self.body = body
  }

  override func run(_ vm: Interpreter) throws(ScriptError) -> Jump {
    while try condition.truth(vm) {
      try vm.checkInterrupt()
      switch try body.run(vm) {
      case .broke: return .normal
      case .returned: return .returned
      case .normal, .continued: continue
      }
    }
    return .normal
  }
}

final class ForCode: StmtCode {
  let target: TargetCode
  let sequence: ExprCode
  let body: StmtCode
  /// Where "cannot loop over" points: the sequence's start.
  let location: SourceLocation

  /// The loop variable's slot when it is a local: a range's ints are stored there directly.
  let targetSlot: Int?

  init(_ target: TargetCode, _ sequence: ExprCode, _ body: StmtCode, at location: SourceLocation) {
    self.target = target
    self.sequence = sequence
    self.body = body
    self.location = location
    targetSlot = (target as? LocalVariable)?.index
  }

  override func run(_ vm: Interpreter) throws(ScriptError) -> Jump {
    let items = try sequence.value(vm)
    if case .range(let start, let stop, let stride) = items { return try run(vm, start, stop, stride) }
    var jump = Jump.normal
    try vm.forEachItem(of: items, at: location) { item throws(ScriptError) -> Bool in
      try vm.checkInterrupt()
      try target.assign(item, vm)
      switch try body.run(vm) {
      case .broke: return false
      case .returned:
        jump = .returned
        return false
      case .normal, .continued: return true
      }
    }
    return jump
  }

  /// `for i in range(...)`, the commonest loop, without a closure call per round.
  private func run(_ vm: Interpreter, _ start: Int, _ stop: Int, _ stride: Int) throws(ScriptError) -> Jump {
    // Counted down, so that a round tests one number; the count is how many ints the range
    // has, and the int after the last (which may be past Int.max) is never stored.
    var remaining = IntRange(start, stop, stride).count
    var i = start
    while remaining > 0 {
      remaining &-= 1
      try vm.checkInterrupt()
      if let targetSlot { vm.stack.setInt(i, inSlot: vm.frameBase + targetSlot) } else { try target.assignInt(i, vm) }
      switch try body.run(vm) {
      case .broke: return .normal
      case .returned: return .returned
      case .normal, .continued: break
      }
      i &+= stride
    }
    return .normal
  }
}
