// Shared memory in the table: Python's Value(typecode, init) and Array(typecode,
// size_or_list), with `.value`, items, `get_lock()` and `lock=false`.
import ProcLabEngine
import ProcLabScript

enum SharedMemoryCommands {
  private static let lockOption = Parameter("lock", .any, .keyword, default: .bool(true))

  static let valueObject = ObjectSpec(
    type: SharedValue.self, typeName: "shared value",
    attributes: [
      AttributeSpec(
        name: "value", summary: "the number, read or written in place (`v.value += 1` is a read, an add and a write)",
        read: { ($0 as! SharedValue).value }, write: { handle, value throws(ScriptError) in try (handle as! SharedValue).set(value) }),
      AttributeSpec(name: "typecode", summary: "its C type: i, l, b, B, d, f or c") { .string(($0 as! SharedValue).typecode.code) },
      AttributeSpec(name: "name", summary: "its name (Value-1)") { .string(($0 as! SharedValue).name) },
    ],
    methods: [
      MethodSpec("get_lock", summary: "the lock that guards it (an RLock unless given): with v.get_lock() { v.value += 1 }") {
        arguments throws(ScriptError) in
        let value = arguments.receiver(as: SharedValue.self)
        guard let lock = value.lock else { throw ScriptError(.attributeError, "\(value.name) was made with lock=false: it has no get_lock()") }
        return .handle(lock)
      }
    ])

  static let arrayObject = ObjectSpec(
    type: SharedArray.self, typeName: "shared array",
    attributes: [
      AttributeSpec(name: "typecode", summary: "its C type: i, l, b, B, d, f or c") { .string(($0 as! SharedArray).typecode.code) },
      AttributeSpec(name: "name", summary: "its name (Array-1)") { .string(($0 as! SharedArray).name) },
    ],
    methods: [
      MethodSpec("get_lock", summary: "the lock that guards it (an RLock unless given)") { arguments throws(ScriptError) in
        let array = arguments.receiver(as: SharedArray.self)
        guard let lock = array.lock else { throw ScriptError(.attributeError, "\(array.name) was made with lock=false: it has no get_lock()") }
        return .handle(lock)
      }
    ])

  static let objects = [valueObject, arrayObject]

  private static func typecode(_ arguments: Arguments, _ function: String) throws(ScriptError) -> SharedTypecode {
    guard let code = SharedTypecode(code: arguments.text(0)) else {
      throw ScriptError(.valueError, "\(function)() typecode must be one of \(SharedTypecode.codes), not \(arguments[0].repr)")
    }
    return code
  }

  /// `lock=true` (a new RLock), `lock=false` (none), or a Lock or RLock to share.
  private static func lockChoice(_ value: Value, _ function: String) throws(ScriptError) -> Engine.LockChoice {
    if case .handle(let handle as SharedLock) = value { return .given(handle) }
    switch value {
    case .bool(true): return .new
    case .bool(false): return .none
    default: throw ScriptError(.typeError, "\(function)() argument 'lock' must be true, false or a lock, not \(value.typeNameWithArticle)")
    }
  }

  static let functions: [FunctionSpec] = [
    FunctionSpec(
      "Value", [Parameter("typecode", .text), Parameter("value", .any, default: Value.none), lockOption],
      summary: "a number in shared memory every process of the session sees (help shm)",
      example: "counter = Value(\"i\", 0)\nwith counter.get_lock() { counter.value += 1 }"
    ) { arguments throws(ScriptError) in
      let code = try typecode(arguments, "Value")
      let initial = arguments[1] == .none ? code.zero : arguments[1]
      return .handle(try arguments.engine.makeValue(code, initial, lock: try lockChoice(arguments[2], "Value")))
    },
    FunctionSpec(
      "Array", [Parameter("typecode", .text), Parameter("size_or_initializer", .any), lockOption],
      summary: "numbers in shared memory: a size (zeros) or a list of first values", example: "a = Array(\"d\", 4)\na[0] = 1.5\nprint(list(a))"
    ) { arguments throws(ScriptError) in
      let code = try typecode(arguments, "Array")
      let lock = try lockChoice(arguments[2], "Array")
      if case .int(let count) = arguments[1] {
        guard count >= 0 else { throw ScriptError(.valueError, "Array() size must be at least 0, got \(count)") }
        return .handle(try arguments.engine.makeArray(code, count: count, items: nil, lock: lock))
      }
      guard let items = try arguments[1].elementsWithinBudget() else {
        throw ScriptError(.typeError, "Array() argument 'size_or_initializer' must be an int or a list, not \(arguments[1].typeNameWithArticle)")
      }
      return .handle(try arguments.engine.makeArray(code, count: items.count, items: items, lock: lock))
    },
  ]
}
