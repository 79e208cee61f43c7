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

  init(_ target: TargetCode, _ sequence: ExprCode, _ body: StmtCode, at location: SourceLocation) {
    self.target = target
    self.sequence = sequence
    self.body = body
    self.location = location
  }

  override func run(_ vm: Interpreter) throws(ScriptError) -> Jump {
    var jump = Jump.normal
    try vm.forEachItem(of: try sequence.value(vm), at: location) { item throws(ScriptError) -> Bool in
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
}
