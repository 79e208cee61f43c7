// Method calls and item assignment in compiled code: the receiver, container, index and
// arguments are compiled; the common cases (a string's, list's or dict's method named at
// compile time, an item of a variable's list or dict) run here, the rest through the tree
// walker's own functions, which also make the rest's changes in place.

/// `receiver.name(a, b)` with positional arguments.
final class MethodCallCode: ExprCode {
  let receiver: ExprCode
  /// Where the receiver comes from: `xs.append(x)` changes the variable `xs`.
  let receiverSource: Expr
  let name: String
  let arguments: [ExprCode]
  let location: SourceLocation
  /// The method of the last engine object's type called here (see HandleMethod).
  private var cached: HandleMethod?
  /// `l.acquire()` on a local: the slot whose object a call with no arguments borrows, and
  /// the bare method last found for its type (see HandleMethod.bare). The call then makes
  /// no copy of the receiver, so no retain and release of it, twice a lock pair.
  private let receiverSlot: Int?
  /// `d.get(k)` on a local: the slot whose dict a dict's method reads in place.
  private let dictSlot: Int?
  /// `w.strip()` on a local, with arguments that change no variable: the slot whose string a
  /// string's method is answered from.
  private let stringSlot: Int?
  private var bareType: ObjectIdentifier?
  private var bare: ((AnyObject) throws(ScriptError) -> Value)?
  /// The string, list or dict method of this name, when there is one taking up to two
  /// arguments: its common shapes are answered without a BuiltinCall (see `quick`).
  private let valueMethod: ValueMethod?
  /// The first two arguments in fields of their own, for the calls `quick` answers: calling
  /// a field's code retains nothing, where taking it from the array retained it. A call
  /// with fewer arguments holds a constant in their place, which it never runs.
  private let first: ExprCode
  private let second: ExprCode

  init(_ receiver: ExprCode, _ receiverSource: Expr, _ name: String, _ arguments: [ExprCode], at location: SourceLocation) {
    self.receiver = receiver
    self.receiverSource = receiverSource
    self.name = name
    self.arguments = arguments
    self.location = location
    receiverSlot = arguments.isEmpty ? (receiver as? LocalRead)?.variable.index : nil
    valueMethod = arguments.count <= 2 ? ValueMethod(rawValue: name) : nil
    dictSlot = valueMethod?.isDictMethod == true ? (receiver as? LocalRead)?.variable.index : nil
    let argumentsChangeNoVariable = arguments.allSatisfy(\.changesNoVariable)
    stringSlot = valueMethod?.isStringMethod == true && argumentsChangeNoVariable ? (receiver as? LocalRead)?.variable.index : nil
    first = arguments.count > 0 ? arguments[0] : ConstantCode(.none)
    second = arguments.count > 1 ? arguments[1] : ConstantCode(.none)
  }

  override func value(_ vm: Interpreter) throws(ScriptError) -> Value {
    if let stringSlot, let valueMethod {
      // `w.upper()` on a local holding a string: answered from the slot, after the argument
      // (which changes no variable), without the receiver's node, the engine-object check and
      // the general dispatch; any other value goes the general way.
      let slot = vm.frameBase + stringSlot
      if arguments.isEmpty {
        if let result = vm.stack.quickStringMethod(inSlot: slot, valueMethod) { return result }
      } else if arguments.count == 1, vm.stack.isAssigned(slot) {
        let a = try first.value(vm)
        switch vm.stack.quickStringMethod(inSlot: slot, valueMethod, a) {
        case let result?: return result
        case nil: return try callGeneral(with: [a], vm)
        }
      }
    }
    if let receiverSlot, let object = vm.stack.object(inSlot: vm.frameBase + receiverSlot) {
      let outcome = object._withUnsafeGuaranteedRef { receiver -> Result<Value, ScriptError>? in
        guard let bare = bareMethod(of: receiver, vm) else { return nil }
        do throws(ScriptError) { return .success(try bare(receiver)) } catch { return .failure(error) }
      }
      if let outcome {
        do { return try outcome.get() } catch { throw error.located(at: location) }
      }
    }
    if let valueMethod, let dictSlot, vm.stack.isAssigned(vm.frameBase + dictSlot) {
      // `d.get(k, 0)` on a local: the arguments, then the dict taken out of its slot while
      // the method reads it and put back (a copy would retain it: two atomic operations).
      let a = arguments.count > 0 ? try first.value(vm) : Value.none
      let b = arguments.count > 1 ? try second.value(vm) : Value.none
      if let d = vm.stack.takeDict(inSlot: vm.frameBase + dictSlot) {
        defer { vm.stack[vm.frameBase + dictSlot] = .dict(d) }
        let result =
          switch arguments.count {
          case 0: DictMethods.quick(d, valueMethod)
          case 1: DictMethods.quick(d, valueMethod, a)
          default: DictMethods.quick(d, valueMethod, a, default: b)
          }
        if let result { return result }
      }
      var target = try receiver.value(vm)
      return try callGeneral(on: &target, Array([a, b].prefix(arguments.count)), vm)
    }
    var target = try receiver.value(vm)
    var values: [Value] = []
    if let valueMethod {
      // Each argument is evaluated once, before the method runs, on either path.
      switch arguments.count {
      case 0:
        if let result = MethodCallCode.quick(target, valueMethod) { return result }
      case 1:
        let a = try first.value(vm)
        if let result = MethodCallCode.quick(target, valueMethod, a) { return result }
        values = [a]
      default:
        let a = try first.value(vm)
        let b = try second.value(vm)
        if case .dict(let d) = target, let result = DictMethods.quick(d, valueMethod, a, default: b) { return result }
        values = [a, b]
      }
    } else {
      // Not for none: reserving room in the empty array allocates a buffer of its own.
      if !arguments.isEmpty { values.reserveCapacity(arguments.count) }
      for argument in arguments { values.append(try argument.value(vm)) }
    }
    return try callGeneral(on: &target, values, vm)
  }

  /// The method found by the receiver's type and name, with evaluated arguments, the
  /// receiver evaluated after them.
  private func callGeneral(with values: [Value], _ vm: Interpreter) throws(ScriptError) -> Value {
    var target = try receiver.value(vm)
    return try callGeneral(on: &target, values, vm)
  }

  /// The method found by the receiver's type and name, with evaluated arguments.
  private func callGeneral(on target: inout Value, _ values: [Value], _ vm: Interpreter) throws(ScriptError) -> Value {
    if case .handle(let handle) = target, let method = method(of: handle, vm) {
      do { return try method.call(handle, values, location) } catch { throw error.located(at: location) }
    }
    let call = BuiltinCall(arguments: values, keywords: [:], location: location, interpreter: vm)
    return try vm.callMethod(name, on: &target, from: receiverSource, call)
  }

  private func bareMethod(of receiver: AnyObject, _ vm: Interpreter) -> ((AnyObject) throws(ScriptError) -> Value)? {
    let type = ObjectIdentifier(Swift.type(of: receiver))
    if bareType != type, let handle = receiver as? any Handle {
      bareType = type
      bare = method(of: handle, vm)?.bare
    }
    return bare
  }

  /// A string's, list's, tuple's or dict's method without arguments or with one, when the
  /// receiver has it and the call has a shape its `quick` answers.
  private static func quick(_ target: Value, _ method: ValueMethod) -> Value? {
    switch target {
    case .string(let s): StringMethods.quick(s, method)
    case .dict(let d): DictMethods.quick(d, method)
    default: nil
    }
  }

  private static func quick(_ target: Value, _ method: ValueMethod, _ argument: Value) -> Value? {
    switch target {
    case .string(let s): StringMethods.quick(s, method, argument)
    case .list(let items), .tuple(let items): ListMethods.quick(items, method, argument)
    case .dict(let d): DictMethods.quick(d, method, argument)
    default: nil
    }
  }

  private func method(of handle: any Handle, _ vm: Interpreter) -> HandleMethod? {
    let type = ObjectIdentifier(Swift.type(of: handle))
    if let cached, cached.type == type { return cached }
    cached = vm.host.method(name, of: handle)
    return cached
  }
}

/// `xs.append(item)` on a variable, the commonest way to build a list: the list is taken out
/// of the variable while it grows, as Interpreter.callMethod does, without making an array of
/// arguments or looking the method up by name. A receiver that is not a list, or a local not
/// assigned yet, takes callMethod's path.
final class AppendCode: ExprCode {
  let variable: VariableCode
  let receiverSource: Expr
  let item: ExprCode
  let location: SourceLocation

  /// The variable's slot when it is a local: its list is taken out of the slot itself.
  let localSlot: Int?

  init(_ variable: VariableCode, _ receiverSource: Expr, _ item: ExprCode, at location: SourceLocation) {
    self.variable = variable
    self.receiverSource = receiverSource
    self.item = item
    self.location = location
    localSlot = (variable as? LocalVariable)?.index
  }

  override func value(_ vm: Interpreter) throws(ScriptError) -> Value {
    try append(vm) ?? .none
  }

  override func effect(_ vm: Interpreter) throws(ScriptError) {
    _ = try append(vm)
  }

  /// Appends; nil when a list grew here, else what the general `append` gave.
  @inline(__always)
  private func append(_ vm: Interpreter) throws(ScriptError) -> Value? {
    // An unbound name raises before the item is evaluated, as in Python; a bound one gives
    // its list after the item, so `xs.append(xs.pop())` appends to the list the pop
    // shortened, as Python's does.
    let bound = if let localSlot { vm.stack.isAssigned(vm.frameBase + localSlot) } else { variable.slot(vm) != nil }
    guard bound else {
      var receiver = try variable.read(vm)
      return try callAppend(on: &receiver, try self.item.value(vm), vm)
    }
    let item = try self.item.value(vm)
    if let localSlot, var items = vm.stack.takeList(inSlot: vm.frameBase + localSlot) {
      defer { vm.stack.putBack(.list(items), inSlot: vm.frameBase + localSlot) }
      do { try ListMethods.append(item, to: &items) } catch { throw error.located(at: location) }
      return nil
    }
    var receiver = try variable.read(vm)
    guard let slot = variable.slot(vm), var items = Value.moveList(&receiver) else {
      return try callAppend(on: &receiver, item, vm)
    }
    vm.put(.none, slot)
    defer { vm.put(.list(items), slot) }
    do { try ListMethods.append(item, to: &items) } catch { throw error.located(at: location) }
    return nil
  }

  /// The general `append`: a receiver that is not a list (or a builtin's name) gets its error.
  private func callAppend(on receiver: inout Value, _ item: Value, _ vm: Interpreter) throws(ScriptError) -> Value {
    let call = BuiltinCall(arguments: [item], keywords: [:], location: location, interpreter: vm)
    return try vm.callMethod("append", on: &receiver, from: receiverSource, call)
  }
}

/// `container[index] = value`.
final class ItemTarget: TargetCode {
  let container: ExprCode
  let containerSource: Expr
  let index: ExprCode
  let indexLocation: SourceLocation
  let location: SourceLocation

  init(_ container: ExprCode, _ containerSource: Expr, _ index: ExprCode, _ indexLocation: SourceLocation, at location: SourceLocation) {
    self.container = container
    self.containerSource = containerSource
    self.index = index
    self.indexLocation = indexLocation
    self.location = location
  }

  override func assign(_ value: consuming Value, _ vm: Interpreter) throws(ScriptError) {
    var target = try container.value(vm)
    let key = try index.value(vm)
    try vm.assignItem(value, in: &target, from: containerSource, at: key, indexLocation, target: location)
  }
}

/// `variable[index] = value` (`d[k] = v`, `xs[i] = x`): the variable's dict, or its list
/// given an int index in range, changes in place here, as Interpreter.assignItem changes
/// it, without finding the variable again by its expression (a global by its name); the
/// rest (errors too) goes through assignItem.
final class VariableItemTarget: TargetCode {
  let variable: VariableCode
  let containerSource: Expr
  let index: ExprCode
  let indexLocation: SourceLocation
  let location: SourceLocation

  /// The variable's slot when it is a local.
  let localSlot: Int?

  init(_ variable: VariableCode, _ containerSource: Expr, _ index: ExprCode, _ indexLocation: SourceLocation, at location: SourceLocation) {
    self.variable = variable
    self.containerSource = containerSource
    self.index = index
    self.indexLocation = indexLocation
    self.location = location
    localSlot = (variable as? LocalVariable)?.index
  }

  override func assign(_ value: consuming Value, _ vm: Interpreter) throws(ScriptError) {
    if let localSlot, vm.stack.isAssigned(vm.frameBase + localSlot) {
      // A local's dict: the key, then the dict taken out of its slot (not copied: a copy
      // retains it) while it changes, as Python changes the dict the key's code left.
      let key = try index.value(vm)
      if var d = vm.stack.takeDict(inSlot: vm.frameBase + localSlot) {
        defer { vm.stack.putBack(.dict(d), inSlot: vm.frameBase + localSlot) }
        do { try d.set(value, for: key) } catch { throw error.located(at: indexLocation) }
        return
      }
      var target = try variable.read(vm)
      try assign(value, into: &target, at: key, vm)
      return
    }
    // An unbound name raises before the key runs, as Python looks the name up first; a
    // bound one gives its value after the key, which may have changed it (`e[e.pop(k)] = v`).
    guard variable.slot(vm) != nil else {
      var target = try variable.read(vm)
      return try assign(value, into: &target, at: try index.value(vm), vm)
    }
    let key = try index.value(vm)
    var target = try variable.read(vm)
    try assign(value, into: &target, at: key, vm)
  }

  /// The general way, with the variable's value and the key.
  private func assign(_ value: Value, into target: inout Value, at key: Value, _ vm: Interpreter) throws(ScriptError) {
    if let slot = variable.slot(vm) {
      // Taken out of the variable while it changes, so that its buffer has one owner.
      if var d = Value.moveDict(&target) {
        vm.put(.none, slot)
        do { try d.set(value, for: key) } catch {
          vm.put(.dict(d), slot)
          throw error.located(at: indexLocation)
        }
        vm.put(.dict(d), slot)
        return
      }
      if case .int(let k) = key, var items = Value.moveList(&target) {
        let i = k < 0 ? items.count &+ k : k
        guard i >= 0 && i < items.count else {
          target = .list(items)  // for assignItem to report
          return try vm.assignItem(value, in: &target, from: containerSource, at: key, indexLocation, target: location)
        }
        vm.put(.none, slot)
        items[i] = value
        vm.put(.list(items), slot)
        return
      }
    }
    try vm.assignItem(value, in: &target, from: containerSource, at: key, indexLocation, target: location)
  }
}
