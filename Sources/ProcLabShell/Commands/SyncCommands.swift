// Locks, semaphores, events, conditions and barriers in the table: Python's Lock(), RLock(),
// Semaphore(n), BoundedSemaphore(n), Event(), Condition(lock) and Barrier(parties) with their
// methods, every one living in the session's shared arena so any process of the session can use it.
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
      MethodSpec(
        "acquire", [block, timeout], summary: "take it: true once held; false at once (block=false) or when the timeout passes",
        bare: { receiver throws(ScriptError) in .bool(try unsafeDowncast(receiver, to: SharedLock.self).acquire()) }
      ) { arguments throws(ScriptError) in
        .bool(try lock(arguments).acquire(block: arguments.bool(0), timeout: arguments.seconds(1)))
      },
      MethodSpec(
        "release", summary: "let it go; ValueError if no one holds a Lock, AssertionError if this process does not hold an RLock",
        bare: { receiver throws(ScriptError) in
          try unsafeDowncast(receiver, to: SharedLock.self).release()
          return .none
        }
      ) { arguments throws(ScriptError) in
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
      MethodSpec(
        "acquire", [block, timeout], summary: "take one unit: true once taken; false at once (block=false) or when the timeout passes",
        bare: { receiver throws(ScriptError) in .bool(try unsafeDowncast(receiver, to: SharedSemaphore.self).acquire()) }
      ) { arguments throws(ScriptError) in
        .bool(try semaphore(arguments).acquire(block: arguments.bool(0), timeout: arguments.seconds(1)))
      },
      MethodSpec(
        "release", summary: "give one unit back (a BoundedSemaphore refuses to go above its start: ValueError)",
        bare: { receiver throws(ScriptError) in
          try unsafeDowncast(receiver, to: SharedSemaphore.self).release()
          return .none
        }
      ) { arguments throws(ScriptError) in
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

  private static func condition(_ arguments: Arguments) -> SharedCondition { arguments.receiver(as: SharedCondition.self) }
  private static func barrier(_ arguments: Arguments) -> SharedBarrier { arguments.receiver(as: SharedBarrier.self) }

  static let conditionObject = ObjectSpec(
    type: SharedCondition.self, typeName: "condition",
    attributes: [
      AttributeSpec(name: "name", summary: "its name in ps (Condition-1)") { .string(($0 as! SharedCondition).name) }
    ],
    methods: [
      MethodSpec("acquire", [block, timeout], summary: "take its lock") { arguments throws(ScriptError) in
        .bool(try condition(arguments).lock.acquire(block: arguments.bool(0), timeout: arguments.seconds(1)))
      },
      MethodSpec("release", summary: "let its lock go") { arguments throws(ScriptError) in
        try condition(arguments).lock.release()
        return .none
      },
      MethodSpec("wait", [timeout], summary: "holding its lock: let it go, sleep until notified, take it back; false on timeout") {
        arguments throws(ScriptError) in
        .bool(try condition(arguments).wait(timeout: arguments.seconds(0)))
      },
      MethodSpec("wait_for", [Parameter("predicate", .callable), timeout], summary: "wait until predicate() is true; its last value") {
        arguments throws(ScriptError) in
        let predicate = arguments[0]
        return try condition(arguments).waitFor(timeout: arguments.seconds(1)) { () throws(ScriptError) in
          try arguments.interpreter.call(predicate, [], at: arguments.location)
        }
      },
      MethodSpec("notify", [Parameter("n", .count(0...Int(Int32.max)), default: .int(1))], summary: "holding its lock: let up to n waiters go on") {
        arguments throws(ScriptError) in
        try condition(arguments).notify(arguments.int(0))
        return .none
      },
      MethodSpec("notify_all", summary: "holding its lock: let every waiter go on") { arguments throws(ScriptError) in
        try condition(arguments).notify(Int(Int32.max))
        return .none
      },
    ])

  static let barrierObject = ObjectSpec(
    type: SharedBarrier.self, typeName: "barrier",
    attributes: [
      AttributeSpec(name: "name", summary: "its name in ps (Barrier-1)") { .string(($0 as! SharedBarrier).name) },
      AttributeSpec(name: "parties", summary: "how many must arrive for all to go on") { .int(($0 as! SharedBarrier).parties) },
      AttributeSpec(name: "n_waiting", summary: "how many wait at it now") { .int(($0 as! SharedBarrier).waiting) },
      AttributeSpec(name: "broken", summary: "whether it is broken (abort, a timeout): waits raise BrokenBarrierError") {
        .bool(($0 as! SharedBarrier).isBroken)
      },
    ],
    methods: [
      MethodSpec("wait", [timeout], summary: "wait until parties processes wait; the arrival's index (0 first); BrokenBarrierError if broken") {
        arguments throws(ScriptError) in
        let barrier = barrier(arguments)
        let action = barrierActions[barrier.offset]
        return .int(
          try barrier.wait(timeout: arguments.seconds(0)) { () throws(ScriptError) in
            if let action { _ = try arguments.interpreter.call(action, [], at: arguments.location) }
          })
      },
      MethodSpec("abort", summary: "break it: every waiter, now and later, gets BrokenBarrierError") { arguments in
        barrier(arguments).abort()
        return .none
      },
      MethodSpec("reset", summary: "mend it, empty; processes waiting now get BrokenBarrierError") { arguments in
        barrier(arguments).reset()
        return .none
      },
    ])

  /// A barrier's action, by the barrier's offset: a function value lives in the process that
  /// made the barrier (and the children forked after), where its last arrival calls it.
  nonisolated(unsafe) private static var barrierActions: [Int: Value] = [:]

  /// `sync show [X]`: one object, or all, with its state and waiters.
  private static func show(_ arguments: Arguments) throws(ScriptError) -> Value {
    let engine = arguments.engine
    switch arguments[0] {
    case .none:
      engine.output.print(SyncView.render(engine.syncReport(), managed: engine.managedReport()))
    case .handle(let object as SharedObject):
      engine.output.print(SyncView.render(engine.syncReport(offset: object.offset)))
    case .handle(let proxy as ManagedProxy):
      engine.output.print(SyncView.render([], managed: engine.managedReport().filter { $0.name == proxy.name }))
    default:
      throw ScriptError(
        .typeError, "sync show takes a lock, semaphore, event, condition, barrier, value, array or managed object, not \(arguments[0].typeNameWithArticle)")
    }
    return .none
  }

  private static let shown = Parameter("object", .any, default: Value.none, placeholder: "OBJECT")

  static let commands: [CommandSpec] = [
    CommandSpec(
      "sync", [shown], summary: "locks, semaphores, events, conditions, barriers and shared values: state and who waits (help sync)",
      example: "l = Lock()\nsync show l",
      subcommands: [
        CommandSpec("sync show", [shown], summary: "one object's state (holder, value) and who waits on it for how long; all without OBJECT", example: "sync show l") {
          arguments, _ throws(ScriptError) in try show(arguments)
        }
      ]
    ) { arguments, _ throws(ScriptError) in try show(arguments) }
  ]

  static let objects = [lockObject, semaphoreObject, eventObject, conditionObject, barrierObject]

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
    FunctionSpec(
      "Condition", [Parameter("lock", .any, default: Value.none)], summary: "wait until notified, holding a lock around the check (an RLock unless given)",
      example: "c = Condition()\nwith c { c.notify_all() }"
    ) { arguments throws(ScriptError) in
      var lock: SharedLock?
      if case .handle(let handle as SharedLock) = arguments[0] {
        lock = handle
      } else if arguments[0] != .none {
        throw ScriptError(.typeError, "Condition() argument 'lock' must be a Lock or RLock, not \(arguments[0].typeNameWithArticle)")
      }
      return .handle(try arguments.engine.makeCondition(lock: lock))
    },
    FunctionSpec(
      "Barrier", [Parameter("parties", .count(1...Int(Int32.max))), Parameter("action", .any, default: Value.none), timeout],
      summary: "wait until parties processes arrive, then all go on", example: "b = Barrier(3)\ndef w() { print(\"at\", b.wait()) }\nfor i in range(3) { spawn w() }"
    ) { arguments throws(ScriptError) in
      let barrier = try arguments.engine.makeBarrier(parties: arguments.int(0), timeout: arguments.seconds(2))
      switch arguments[1] {
      case .none: break
      case .function, .builtin: barrierActions[barrier.offset] = arguments[1]
      default: throw ScriptError(.typeError, "Barrier() argument 'action' must be a function or none, not \(arguments[1].typeNameWithArticle)")
      }
      return .handle(barrier)
    },
    FunctionSpec("Event", [], summary: "a flag processes wait for: set() wakes them all", example: "go = Event()\ndef r() { go.wait(); print(\"off\") }\nspawn r()\ngo.set()") {
      arguments throws(ScriptError) in .handle(try arguments.engine.makeEvent())
    },
  ]
}
