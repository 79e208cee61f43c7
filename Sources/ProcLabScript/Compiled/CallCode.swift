// Calls with positional arguments only, the common case, in compiled code. A script
// function taking exactly that many parameters gets its arguments written straight into its
// new frame: no array of arguments, no keywords. Any other callee (a builtin, a function
// with defaults, *args or keyword-only parameters) takes the general path, as before.

final class CallCode: ExprCode {
  let callee: ExprCode
  /// The callee's cell when it is a global, as in Call1Code.
  let calleeCell: GlobalCell?
  let arguments: [ExprCode]
  let location: SourceLocation

  init(_ callee: ExprCode, _ arguments: [ExprCode], at location: SourceLocation) {
    self.callee = callee
    calleeCell = (callee as? GlobalRead)?.variable.cell
    self.arguments = arguments
    self.location = location
  }

  override func value(_ vm: Interpreter) throws(ScriptError) -> Value {
    // Borrowed, as in Call1Code.
    if let borrowed = calleeCell?.function, borrowed._withUnsafeGuaranteedRef({ $0.plainArity }) == arguments.count {
      return try vm.call(borrowed, evaluating: arguments, at: location)
    }
    let target = try callee.value(vm)
    if case .function(let function) = target, function.plainArity == arguments.count {
      return try withExtendedLifetime(function) { () throws(ScriptError) in
        try vm.call(Unmanaged.passUnretained(function), evaluating: arguments, at: location)
      }
    }
    var values: [Value] = []
    values.reserveCapacity(arguments.count)
    for argument in arguments { values.append(try argument.value(vm)) }
    return try vm.call(target, values, keywords: [], at: location)
  }
}

/// A call with one positional argument (`fib(n - 1)`, a pool's `f(x)`): the argument in a
/// field, not an array, so making the call retains no array.
final class Call1Code: ExprCode {
  let callee: ExprCode
  /// The callee's cell when it is a global (`fib(n - 1)`): the function is borrowed from it
  /// rather than made a value first and then taken out of it.
  let calleeCell: GlobalCell?
  let argument: ExprCode
  let location: SourceLocation

  init(_ callee: ExprCode, _ argument: ExprCode, at location: SourceLocation) {
    self.callee = callee
    calleeCell = (callee as? GlobalRead)?.variable.cell
    self.argument = argument
    self.location = location
  }

  override func value(_ vm: Interpreter) throws(ScriptError) -> Value {
    // Borrowed, not retained: two atomic operations a call (see GlobalCell.function).
    if let borrowed = calleeCell?.function, borrowed._withUnsafeGuaranteedRef({ $0.plainArity }) == 1 {
      return try call(borrowed, vm)
    }
    let target = try callee.value(vm)
    if case .function(let function) = target, function.plainArity == 1 {
      return try withExtendedLifetime(function) { () throws(ScriptError) in try call(Unmanaged.passUnretained(function), vm) }
    }
    return try vm.call(target, [try argument.value(vm)], keywords: [], at: location)
  }

  @inline(__always)
  private func call(_ function: Unmanaged<Function>, _ vm: Interpreter) throws(ScriptError) -> Value {
    let value = try argument.value(vm)
    let base = vm.stack.count
    vm.stack.append(value)
    defer { vm.stack.truncate(to: base) }
    return try vm.enter(function, frameAt: base, at: location)
  }
}

extension Interpreter {
  /// Evaluates `arguments` in the caller's frame onto the top of the stack, where they are
  /// the first slots of the callee's frame, then runs the callee.
  func call(_ function: Unmanaged<Function>, evaluating arguments: [ExprCode], at location: SourceLocation) throws(ScriptError) -> Value {
    let base = stack.count
    defer { stack.truncate(to: base) }
    for argument in arguments { stack.append(try argument.value(self)) }
    return try enter(function, frameAt: base, at: location)
  }

  /// Runs `function` (kept alive by the caller) with its arguments on the stack from `base`:
  /// makes room for its other locals, then checks as any call does, Ctrl-C and the depth of
  /// calls, after the arguments were evaluated (as `callFunction` does).
  @inline(__always)
  func enter(_ function: Unmanaged<Function>, frameAt base: Int, at location: SourceLocation) throws(ScriptError) -> Value {
    stack.appendUnassigned(function._withUnsafeGuaranteedRef { $0.slotCount } - (stack.count - base))
    try checkInterrupt()
    try checkDepth(at: location)
    return try run(function, frameAt: base, calledAt: location)
  }
}
