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

  init(_ receiver: ExprCode, _ receiverSource: Expr, _ name: String, _ arguments: [ExprCode], at location: SourceLocation) {
    self.receiver = receiver
    self.receiverSource = receiverSource
    self.name = name
    self.arguments = arguments
    self.location = location
  }

  override func value(_ vm: Interpreter) throws(ScriptError) -> Value {
    var target = try receiver.value(vm)
    var values: [Value] = []
    values.reserveCapacity(arguments.count)
    for argument in arguments { values.append(try argument.value(vm)) }
    let call = BuiltinCall(arguments: values, keywords: [:], location: location, interpreter: vm)
    return try vm.callMethod(name, on: &target, from: receiverSource, call)
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
