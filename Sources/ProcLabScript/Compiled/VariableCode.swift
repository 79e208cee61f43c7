// Variables in compiled code: a local is a slot of the current frame, a global a cell of
// the global table found at compile time. A local not assigned yet reads as the global of
// its name, and a global not bound as the builtin of that name, as in the tree walker.

/// A local or a global, readable and assignable; what `x += y` works on.
class VariableCode: TargetCode {
  let name: String
  let location: SourceLocation

  init(_ name: String, at location: SourceLocation) {
    self.name = name
    self.location = location
  }

  func read(_ vm: Interpreter) throws(ScriptError) -> Value {
    preconditionFailure("\(Self.self) must override read(_:)")
  }

  /// Where the value lives now, for changes in place; nil while the variable is unbound.
  func slot(_ vm: Interpreter) -> Interpreter.Slot? {
    preconditionFailure("\(Self.self) must override slot(_:)")
  }
}

final class LocalVariable: VariableCode {
  let index: Int

  init(_ index: Int, _ name: String, at location: SourceLocation) {
    self.index = index
    super.init(name, at: location)
  }

  override func read(_ vm: Interpreter) throws(ScriptError) -> Value {
    // An int is read from the slot as it stands: copying a whole value goes through the
    // general copy of the enum, a call that checks the case for a reference to retain.
    if let i = vm.stack.int(inSlot: vm.frameBase + index) { return .int(i) }
    if let value = vm.stack[vm.frameBase + index] { return value }
    throw vm.unassignedLocal(name, at: location)
  }

  override func assign(_ value: consuming Value, _ vm: Interpreter) throws(ScriptError) {
    vm.stack[vm.frameBase + index] = value
  }

  override func assignInt(_ i: Int, _ vm: Interpreter) throws(ScriptError) {
    vm.stack.setInt(i, inSlot: vm.frameBase + index)
  }

  override func slot(_ vm: Interpreter) -> Interpreter.Slot? {
    vm.stack.isAssigned(vm.frameBase + index) ? .local(vm.frameBase + index) : nil
  }
}

final class GlobalVariable: VariableCode {
  let cell: GlobalCell
  /// The builtin of this name once looked up: builtins never change, and a global of the
  /// same name, checked first, hides it.
  private var builtin: Builtin?

  init(_ cell: GlobalCell, at location: SourceLocation) {
    self.cell = cell
    super.init(cell.name, at: location)
  }

  override func read(_ vm: Interpreter) throws(ScriptError) -> Value {
    if case .int(let i)? = cell.value { return .int(i) }  // as LocalVariable.read
    if let value = cell.value { return value }
    if let builtin { return .builtin(builtin) }
    let found = try vm.lookup(name, at: location)
    if case .builtin(let b) = found { builtin = b }
    return found
  }

  override func assign(_ value: consuming Value, _ vm: Interpreter) throws(ScriptError) {
    cell.store(value)
  }

  override func assignInt(_ i: Int, _ vm: Interpreter) throws(ScriptError) {
    cell.setInt(i)
  }

  override func slot(_ vm: Interpreter) -> Interpreter.Slot? {
    cell.value == nil ? nil : .global(cell)
  }
}

/// Reading a local as an expression (the variable's class is final: a direct call).
final class LocalRead: ExprCode {
  let variable: LocalVariable

  init(_ variable: LocalVariable) { self.variable = variable }

  override var changesNoVariable: Bool { true }

  override func value(_ vm: Interpreter) throws(ScriptError) -> Value {
    try variable.read(vm)
  }
}

final class GlobalRead: ExprCode {
  let variable: GlobalVariable

  init(_ variable: GlobalVariable) { self.variable = variable }

  override var changesNoVariable: Bool { true }

  override func value(_ vm: Interpreter) throws(ScriptError) -> Value {
    try variable.read(vm)
  }
}
