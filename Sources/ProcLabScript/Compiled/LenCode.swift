// `len(x)` in compiled code: the builtin's answer for a list, tuple, dict or string read
// straight from the value, with no array of arguments and no BuiltinCall. A `len` that is
// not the core builtin (a function of the script's named so) is called as any callee is.

final class LenCode: ExprCode {
  let callee: ExprCode
  let argument: ExprCode
  let location: SourceLocation
  /// The call as any other, for a `len` that is not the builtin.
  let general: Call1Code

  /// `callee` reads the global `len`.
  init(_ callee: ExprCode, _ argument: ExprCode, at location: SourceLocation) {
    self.callee = callee
    self.argument = argument
    self.location = location
    general = Call1Code(callee, argument, at: location)
  }

  override func value(_ vm: Interpreter) throws(ScriptError) -> Value {
    // The callee is a global's name: reading it again (in `general`) changes nothing.
    let target = try callee.value(vm)
    guard case .builtin(let builtin) = target, builtin === LenCode.builtin else { return try general.value(vm) }
    let value = try argument.value(vm)
    switch value {
    case .list(let items), .tuple(let items): return .int(items.count)
    case .dict(let d): return .int(d.count)
    case .string(let s): return .int(s.characterCount)
    default: return try vm.call(target, [value], keywords: [], at: location)
    }
  }

  /// The core builtin `len`.
  private static let builtin = CoreBuiltins.all["len"]
}
