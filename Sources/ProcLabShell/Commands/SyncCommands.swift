// Locks, semaphores and events in the table: Python's Lock(), RLock(), Semaphore(n),
// BoundedSemaphore(n) and Event() with their methods, every one living in the session's
// shared arena so any process of the session can use it.
import ProcLabEngine
import ProcLabScript

enum SyncCommands {
  private static let block = Parameter("block", .bool, default: .bool(true))
  private static let timeout = Parameter("timeout", .seconds, default: Value.none)

  private static func lock(_ arguments: Arguments) -> SharedLock { arguments.receiver(as: SharedLock.self) }
  private static func semaphore(_ arguments: Arguments) -> SharedSemaphore { arguments.receiver(as: SharedSemaphore.self) }
  private static func event(_ arguments: Arguments) -> SharedEvent { arguments.receiver(as: SharedEvent.self) }

  static let lockObject = ObjectSpec(
    type: SharedLock.self, typeName: "lock",
    attributes: [
      AttributeSpec(name: "name", summary: "its name in ps and warnings (Lock-1)") { .string(($0 as! SharedLock).name) },
      AttributeSpec(name: "owner", summary: "the PID holding it, or none") { let owner = ($0 as! SharedLock).owner; return owner == 0 ? .none : .int(Int(owner)) },
    ],
    methods: [
      MethodSpec("acquire", [block, timeout], summary: "take it: true once held; false at once (block=false) or when the timeout passes") {
        arguments throws(ScriptError) in
        .bool(try lock(arguments).acquire(block: arguments.bool(0), timeout: arguments.seconds(1)))
      },
      MethodSpec("release", summary: "let it go; ValueError if no one holds a Lock, AssertionError if this process does not hold an RLock") {
        arguments throws(ScriptError) in
        try lock(arguments).release()
        return .none
      },
      MethodSpec("locked", summary: "whether some process holds it now") { arguments in .bool(lock(arguments).isLocked) },
    ])

  static let semaphoreObject = ObjectSpec(
    type: SharedSemaphore.self, typeName: "semaphore",
    attributes: [
      AttributeSpec(name: "name", summary: "its name in ps (Semaphore-1)") { .string(($0 as! SharedSemaphore).name) }
    ],
    methods: [
      MethodSpec("acquire", [block, timeout], summary: "take one unit: true once taken; false at once (block=false) or when the timeout passes") {
        arguments throws(ScriptError) in
        .bool(try semaphore(arguments).acquire(block: arguments.bool(0), timeout: arguments.seconds(1)))
      },
      MethodSpec("release", summary: "give one unit back (a BoundedSemaphore refuses to go above its start: ValueError)") {
        arguments throws(ScriptError) in
        try semaphore(arguments).release()
        return .none
      },
      MethodSpec("get_value", summary: "how many units are free now") { arguments in .int(semaphore(arguments).value) },
    ])

  static let eventObject = ObjectSpec(
    type: SharedEvent.self, typeName: "event",
    attributes: [
      AttributeSpec(name: "name", summary: "its name in ps (Event-1)") { .string(($0 as! SharedEvent).name) }
    ],
    methods: [
      MethodSpec("set", summary: "raise the flag and wake every waiter") { arguments in
        event(arguments).set()
        return .none
      },
      MethodSpec("clear", summary: "lower the flag") { arguments in
        event(arguments).clear()
        return .none
      },
      MethodSpec("is_set", summary: "whether the flag is up") { arguments in .bool(event(arguments).isSet) },
      MethodSpec("wait", [timeout], summary: "wait for the flag: true once up, false when the timeout passes") { arguments throws(ScriptError) in
        .bool(try event(arguments).wait(timeout: arguments.seconds(0)))
      },
    ])

  static let objects = [lockObject, semaphoreObject, eventObject]

  private static let units = Parameter("value", .count(0...Int(Int32.max)), default: .int(1))

  static let functions: [FunctionSpec] = [
    FunctionSpec("Lock", [], summary: "a lock any process of the session can hold (help sync)", example: "l = Lock()\nwith l { print(\"mine\") }") {
      arguments throws(ScriptError) in .handle(try arguments.engine.makeLock(recursive: false))
    },
    FunctionSpec("RLock", [], summary: "a lock its holder may take again (released as often as taken)", example: "r = RLock()\nwith r { with r { print(\"twice\") } }") {
      arguments throws(ScriptError) in .handle(try arguments.engine.makeLock(recursive: true))
    },
    FunctionSpec("Semaphore", [units], summary: "a counter of free units: acquire takes one, waiting at 0", example: "s = Semaphore(2)\nwith s { print(s.get_value()) }") {
      arguments throws(ScriptError) in .handle(try arguments.engine.makeSemaphore(value: arguments.int(0), bounded: false))
    },
    FunctionSpec(
      "BoundedSemaphore", [units], summary: "a Semaphore that may not be released above its start", example: "s = BoundedSemaphore(1)\ns.acquire()\ns.release()"
    ) { arguments throws(ScriptError) in
      .handle(try arguments.engine.makeSemaphore(value: arguments.int(0), bounded: true))
    },
    FunctionSpec("Event", [], summary: "a flag processes wait for: set() wakes them all", example: "go = Event()\ndef r() { go.wait(); print(\"off\") }\nspawn r()\ngo.set()") {
      arguments throws(ScriptError) in .handle(try arguments.engine.makeEvent())
    },
  ]
}
