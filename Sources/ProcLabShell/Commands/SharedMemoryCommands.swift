// Shared state in the table: Python's Value(typecode, init) and Array(typecode, size_or_list),
// with `.value`, items, `get_lock()` and `lock=false`; Manager() with its dict, list and
// Namespace, which the session owns.
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

  private static func proxy(_ arguments: Arguments) -> ManagedProxy {
    guard let proxy = arguments.receiver as? ManagedProxy else { preconditionFailure("the table dispatches on the receiver's type") }
    return proxy
  }

  /// A method that is one request to the session: its arguments go as they are.
  private static func request(_ name: String, _ parameters: [Parameter] = [], summary: String, operation: String? = nil) -> MethodSpec {
    MethodSpec(name, parameters, summary: summary) { arguments throws(ScriptError) in
      var values: [Value] = [.string(operation ?? name)]
      for i in parameters.indices {
        if parameters[i].passing == .variadic { values += arguments.list(i) } else { values.append(arguments[i]) }
      }
      return try proxy(arguments).call(values)
    }
  }

  private static let item = Parameter("x", .any)

  static let managerObject = ObjectSpec(
    type: ManagerHandle.self, typeName: "manager", attributes: [],
    methods: [
      MethodSpec("dict", [Parameter("d", .any, default: Value.none)], summary: "a dict the session owns, for every process") { arguments throws(ScriptError) in
        guard arguments[0] == .none || { if case .dict = arguments[0] { true } else { false } }() else {
          throw ScriptError(.typeError, "dict() takes a dict to start from, not \(arguments[0].typeNameWithArticle)")
        }
        return .handle(try arguments.receiver(as: ManagerHandle.self).make("dict", from: arguments[0]))
      },
      MethodSpec("list", [Parameter("items", .items, default: .list([]))], summary: "a list the session owns, for every process") { arguments throws(ScriptError) in
        .handle(try arguments.receiver(as: ManagerHandle.self).make("list", from: arguments[0]))
      },
      MethodSpec(
        "Namespace", [Parameter("attributes", .any, .keywords)],
        summary: "an object whose attributes the session keeps (ns.x = 1); Namespace(a=1, b=\"x\") starts with them"
      ) { arguments throws(ScriptError) in
        .handle(try arguments.receiver(as: ManagerHandle.self).make("Namespace", from: arguments[0]))
      },
    ])

  static let dictObject = ObjectSpec(
    type: ManagedDict.self, typeName: "dict proxy",
    attributes: [AttributeSpec(name: "name", summary: "its name in the session (dict-1)") { .string(($0 as! ManagedDict).name) }],
    methods: [
      request("get", [Parameter("key", .any), Parameter("default", .any, default: Value.none)], summary: "the value of key, or default"),
      request("keys", summary: "its keys now, as a list", operation: "items"),
      request("values", summary: "its values now, as a list"),
      request("items", summary: "its (key, value) pairs now, as a list", operation: "pairs"),
      request("pop", [Parameter("key", .any), Parameter("default", .any, .variadic)], summary: "remove key and give its value (or default; KeyError without)"),
      request("setdefault", [Parameter("key", .any), Parameter("default", .any, default: Value.none)], summary: "the value of key, set to default first if missing"),
      request("update", [Parameter("d", .any)], summary: "set every key of a dict"),
      request("clear", summary: "remove every key"),
      request("copy", summary: "a plain dict of its contents now"),
    ])

  static let listObject = ObjectSpec(
    type: ManagedList.self, typeName: "list proxy",
    attributes: [AttributeSpec(name: "name", summary: "its name in the session (list-1)") { .string(($0 as! ManagedList).name) }],
    methods: [
      request("append", [item], summary: "add x at the end, as one change in the session"),
      request("extend", [Parameter("items", .items)], summary: "add every item at the end"),
      request("insert", [Parameter("i", .any), item], summary: "put x before position i"),
      request("pop", [Parameter("i", .any, default: Value.none)], summary: "remove and give the item at i (the last by default)"),
      request("remove", [item], summary: "remove the first x (ValueError if none)"),
      request("index", [item], summary: "the position of the first x"),
      request("count", [item], summary: "how many items equal x"),
      request("clear", summary: "remove every item"),
      request("copy", summary: "a plain list of its items now", operation: "items"),
    ])

  static let objects = [valueObject, arrayObject, managerObject, dictObject, listObject]

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
      "Manager", [], summary: "makes dicts, lists and Namespaces the session owns, which every process changes whole (help shm)",
      example: "m = Manager()\nd = m.dict()\ndef put(k) { d[k] = k * k }\nfor k in range(3) { spawn put(k) }\njoin all\nprint(d.copy())"
    ) { arguments in .handle(arguments.engine.makeManager()) },
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
