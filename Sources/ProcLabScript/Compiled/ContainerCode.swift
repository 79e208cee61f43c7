// Method calls and item assignment in compiled code: the receiver, container, index and
// arguments are compiled; what the method or assignment does, and its changes in place to
// the variable the list or dict came from, are the tree walker's own functions.

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
  private var bareType: ObjectIdentifier?
  private var bare: ((AnyObject) throws(ScriptError) -> Value)?

  init(_ receiver: ExprCode, _ receiverSource: Expr, _ name: String, _ arguments: [ExprCode], at location: SourceLocation) {
    self.receiver = receiver
    self.receiverSource = receiverSource
    self.name = name
    self.arguments = arguments
    self.location = location
    receiverSlot = arguments.isEmpty ? (receiver as? LocalRead)?.variable.index : nil
  }

  override func value(_ vm: Interpreter) throws(ScriptError) -> Value {
    if let receiverSlot, let object = vm.stack.object(inSlot: vm.frameBase + receiverSlot) {
      let outcome = object._withUnsafeGuaranteedRef { receiver -> Result<Value, ScriptError>? in
        guard let bare = bareMethod(of: receiver, vm) else { return nil }
        do throws(ScriptError) { return .success(try bare(receiver)) } catch { return .failure(error) }
      }
      if let outcome {
        do { return try outcome.get() } catch { throw error.located(at: location) }
      }
    }
    var target = try receiver.value(vm)
    var values: [Value] = []
    // Not for none: reserving room in the empty array allocates a buffer of its own.
    if !arguments.isEmpty { values.reserveCapacity(arguments.count) }
    for argument in arguments { values.append(try argument.value(vm)) }
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

  init(_ variable: VariableCode, _ receiverSource: Expr, _ item: ExprCode, at location: SourceLocation) {
    self.variable = variable
    self.receiverSource = receiverSource
    self.item = item
    self.location = location
  }

  override func value(_ vm: Interpreter) throws(ScriptError) -> Value {
    var receiver = try variable.read(vm)
    let item = try self.item.value(vm)
    guard let slot = variable.slot(vm), var items = Value.moveList(&receiver) else {
      let call = BuiltinCall(arguments: [item], keywords: [:], location: location, interpreter: vm)
      return try vm.callMethod("append", on: &receiver, from: receiverSource, call)
    }
    vm.put(.none, slot)
    defer { vm.put(.list(items), slot) }
    do { try ListMethods.append(item, to: &items) } catch { throw error.located(at: location) }
    return .none
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

  override func assign(_ value: Value, _ vm: Interpreter) throws(ScriptError) {
    var target = try container.value(vm)
    let key = try index.value(vm)
    try vm.assignItem(value, in: &target, from: containerSource, at: key, indexLocation, target: location)
  }
}
