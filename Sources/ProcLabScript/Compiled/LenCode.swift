// `len(x)` in compiled code: the builtin's answer for a list, tuple, dict or string read
// straight from the value, with no array of arguments and no BuiltinCall. A `len` that is
// not the core builtin (a global of the script's named so) is called as any callee is.

final class LenCode: ExprCode {
  /// The cell of the global `len`: while it is unbound, `len` is the builtin of that name.
  let cell: GlobalCell
  let argument: ExprCode
  let location: SourceLocation
  /// The call as any other, for a `len` that is not the core builtin.
  let general: Call1Code
  /// Whether the builtin named `len` is the core one (a host could give its own), once known.
  private var builtinIsCore: Bool?

  init(_ callee: GlobalRead, _ argument: ExprCode, at location: SourceLocation) {
    cell = callee.variable.cell
    self.argument = argument
    self.location = location
    general = Call1Code(callee, argument, at: location)
  }

  override func value(_ vm: Interpreter) throws(ScriptError) -> Value {
    // As in any call, `len` is found before the argument is evaluated.
    guard cell.value == nil, try isCore(vm) else { return try general.value(vm) }
    let value = try argument.value(vm)
    if let count = value.storedLength { return .int(count) }
    return try vm.call(.builtin(LenCode.builtin), [value], keywords: [], at: location)
  }

  @inline(__always)
  private func isCore(_ vm: Interpreter) throws(ScriptError) -> Bool {
    if let builtinIsCore { return builtinIsCore }
    return try findIsCore(vm)
  }

  private func findIsCore(_ vm: Interpreter) throws(ScriptError) -> Bool {
    guard case .builtin(let found) = try vm.lookup(cell.name, at: location) else { return false }
    builtinIsCore = found === LenCode.builtin
    return found === LenCode.builtin
  }

  /// The core builtin `len`.
  private static let builtin = CoreBuiltins.all["len"]!
}
