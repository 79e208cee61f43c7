// Pools in the table: Python's Pool() and its methods, async results, and the shell forms
// `pool map f xs`, `pool apply_async f(x)`, `get r`, `wait r`, and the serial `map`.
import ProcLabEngine
import ProcLabScript

enum PoolCommands {
  private static let chunksize = Parameter("chunksize", .count(1...Int.max), default: Value.none, placeholder: "K")
  private static let callback = Parameter("callback", .callable, default: Value.none)
  private static let errorCallback = Parameter("error_callback", .callable, default: Value.none)
  private static let timeout = Parameter("timeout", .seconds, default: Value.none)

  static let pool = ObjectSpec(
    type: Pool.self, typeName: "pool",
    attributes: [
      AttributeSpec(name: "size", summary: "number of workers") { .int(($0 as! Pool).size) },
      AttributeSpec(name: "processes", summary: "number of workers (Python's name)") { .int(($0 as! Pool).size) },
      AttributeSpec(name: "state", summary: "running, closed or terminated") { .string(($0 as! Pool).state.rawValue) },
      AttributeSpec(name: "pids", summary: "the workers' PIDs") { .list(($0 as! Pool).workerPids.map { .int(Int($0)) }) },
    ],
    methods: [
      mapMethod(.map), mapMethod(.starmap), mapMethod(.imap), mapMethod(.imap_unordered),
      MethodSpec(
        "apply", [Parameter("func", .callable), Parameter("args", .items, default: .tuple([])), Parameter("kwds", .any, default: .dict(Dict()))],
        summary: "call func(*args, **kwds) on a worker and wait for its value"
      ) { arguments throws(ScriptError) in
        try applyAsync(arguments, callbacks: false).get(timeout: nil)
      },
      MethodSpec(
        "apply_async",
        [Parameter("func", .callable), Parameter("args", .items, default: .tuple([])), Parameter("kwds", .any, default: .dict(Dict())), callback, errorCallback],
        summary: "start func(*args, **kwds) on a worker; get() its value later"
      ) { arguments throws(ScriptError) in
        .handle(try applyAsync(arguments, callbacks: true))
      },
      mapAsyncMethod(.map), mapAsyncMethod(.starmap),
      MethodSpec("close", summary: "no new tasks; workers exit once the queued ones are done") { arguments in
        arguments.receiver(as: Pool.self).close()
        return .none
      },
      MethodSpec("join", summary: "wait until every worker has exited (after close or terminate)") { arguments throws(ScriptError) in
        try arguments.receiver(as: Pool.self).join()
        return .none
      },
      MethodSpec("terminate", summary: "kill the workers now; unfinished tasks fail") { arguments in
        arguments.receiver(as: Pool.self).terminate()
        return .none
      },
    ])

  private static func mapMethod(_ kind: MapKind) -> MethodSpec {
    let summaries: [MapKind: String] = [
      .map: "func on each item on the workers, results in order",
      .starmap: "func(*item) for each item (a list of argument lists)",
      .imap: "as map (here the results come as one list, in order)",
      .imap_unordered: "as map, results in the order they finish",
    ]
    return MethodSpec(kind.rawValue, [Parameter("func", .callable), Parameter("iterable", .items), chunksize], summary: summaries[kind]!) {
      arguments throws(ScriptError) in
      .list(
        try arguments.engine.map(
          arguments[0], arguments.list(1), on: arguments.receiver(as: Pool.self), kind: kind, chunksize: arguments.optionalInt(2),
          label: arguments[0].functionName, at: arguments.location))
    }
  }

  private static func mapAsyncMethod(_ kind: MapKind) -> MethodSpec {
    MethodSpec(
      "\(kind.rawValue)_async", [Parameter("func", .callable), Parameter("iterable", .items), chunksize, callback, errorCallback],
      summary: "start a \(kind.rawValue); get() the list of results later"
    ) { arguments throws(ScriptError) in
      .handle(
        try arguments.engine.mapAsync(
          arguments[0], arguments.list(1), on: arguments.receiver(as: Pool.self), kind: kind, chunksize: arguments.optionalInt(2),
          label: arguments[0].functionName, at: arguments.location, callback: optional(arguments[3]), errorCallback: optional(arguments[4])))
    }
  }

  private static func applyAsync(_ arguments: Arguments, callbacks: Bool) throws(ScriptError) -> AsyncResult {
    let function = arguments[0]
    let values = arguments.list(1)
    let keywords = try ProcessCommands.keywordArguments(arguments[2]).sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
    return try submit(
      TargetCall(callee: function, arguments: values, keywords: keywords, text: label(function.functionName, values, keywords)),
      on: arguments.receiver(as: Pool.self), arguments, callback: callbacks ? optional(arguments[3]) : nil,
      errorCallback: callbacks ? optional(arguments[4]) : nil)
  }

  private static func submit(
    _ call: TargetCall, on pool: Pool, _ arguments: Arguments, callback: Value? = nil, errorCallback: Value? = nil
  ) throws(ScriptError) -> AsyncResult {
    try arguments.interpreter.checkCall(call.callee, arguments: call.arguments, keywords: call.keywords.map(\.name), at: arguments.location)
    return try arguments.engine.applyAsync(
      call.callee, call.arguments, keywords: call.keywords, on: pool, label: call.text, at: arguments.location, callback: callback,
      errorCallback: errorCallback)
  }

  private static func label(_ name: String, _ values: [Value], _ keywords: [(name: String, value: Value)]) -> String {
    "\(name)(" + (values.map(\.repr) + keywords.map { "\($0.name)=\($0.value.repr)" }).joined(separator: ", ") + ")"
  }

  private static func optional(_ value: Value) -> Value? { value == .none ? nil : value }

  static let asyncResult = ObjectSpec(
    type: AsyncResult.self, typeName: "async result",
    attributes: [
      AttributeSpec(name: "ready", summary: "whether the outcome is in (as ready())") { .bool(($0 as! AsyncResult).isReady) },
      AttributeSpec(name: "successful", summary: "whether it succeeded; ValueError while not ready") { handle throws(ScriptError) in
        .bool(try (handle as! AsyncResult).successful())
      },
    ],
    methods: [
      MethodSpec("get", [timeout], summary: "the value, or the task's error; TimeoutError when late (the task goes on)") {
        arguments throws(ScriptError) in
        try arguments.receiver(as: AsyncResult.self).get(timeout: arguments.seconds(0))
      },
      MethodSpec("wait", [timeout], summary: "wait for the outcome without taking it") { arguments throws(ScriptError) in
        _ = try arguments.receiver(as: AsyncResult.self).wait(timeout: arguments.seconds(0))
        return .none
      },
      MethodSpec("ready", summary: "whether the outcome is in") { arguments in .bool(arguments.receiver(as: AsyncResult.self).isReady) },
      MethodSpec("successful", summary: "whether the task succeeded; ValueError while not ready") { arguments throws(ScriptError) in
        .bool(try arguments.receiver(as: AsyncResult.self).successful())
      },
    ])

  private static let poolOption = CommandSpec.Receiver.option(
    Parameter("pool", .handle("pool"), .keyword, default: Value.none, placeholder: "P"),
    fallback: { session throws(ScriptError) in try session.engine.defaultPoolStartingIfNeeded() })

  private static let resultReceiver = CommandSpec.Receiver.first(Parameter("result", .handle("async result"), placeholder: "RESULT"), resolve: { value, _ in
    guard case .handle(let handle) = value else { preconditionFailure("checked as an async result") }
    return handle
  })

  static let commands: [CommandSpec] = [
    CommandSpec(
      "pool", [],
      summary: "worker processes for map and apply_async (help pool); pool alone shows them",
      example: "def sq(x) { return x * x }\npool map sq range(10)\nr = pool apply_async sq(7)\nget r timeout=1\npl = pool start 4 maxtasksperchild=100\npool map sq [1, 2] chunksize=1 pool=pl",
      subcommands: [
        CommandSpec(
          "pool start",
          [Parameter("processes", .count(1...256), default: Value.none, placeholder: "N"), Parameter("maxtasksperchild", .count(1...Int.max), .keyword, default: Value.none, placeholder: "N")]
            + SchedulingCommands.parameters,
          summary: "start a pool: alone it replaces the default pool; assigned (pl = pool start 4) it makes another; nice=, cpu=, policy=, priority= apply to every worker",
          example: "pool start 4\npool start 2 cpu=[0]"
        ) { arguments, _ throws(ScriptError) in
          var options = PoolOptions(size: arguments.optionalInt(0), maxTasksPerChild: arguments.optionalInt(1))
          options.scheduling = try SchedulingCommands.options(arguments, from: 2)
          return .handle(try arguments.engine.startPool(options, asDefault: !arguments.valueIsUsed))
        },
        CommandSpec("pool map", method: pool.method("map")!, receiver: poolOption, example: "pool map sq range(10) chunksize=2"),
        CommandSpec("pool starmap", method: pool.method("starmap")!, receiver: poolOption, example: "pool starmap pow [[2, 3], [3, 2]]"),
        CommandSpec("pool imap", method: pool.method("imap")!, receiver: poolOption, example: "pool imap sq range(10)"),
        CommandSpec("pool imap_unordered", method: pool.method("imap_unordered")!, receiver: poolOption, example: "pool imap_unordered sq range(10)"),
        applyCommand(async: false), applyCommand(async: true),
        CommandSpec("pool close", method: pool.method("close")!, receiver: poolOption, example: "pool close"),
        CommandSpec("pool join", method: pool.method("join")!, receiver: poolOption, example: "pool join"),
        CommandSpec("pool terminate", method: pool.method("terminate")!, receiver: poolOption, example: "pool terminate"),
        CommandSpec("pool show", [], summary: "the pools and their workers (as pool alone)", example: "pool show") { arguments, _ in
          showPools(arguments.session)
        },
      ]
    ) { arguments, _ in
      showPools(arguments.session)
    },
    CommandSpec("get", method: asyncResult.method("get")!, receiver: resultReceiver, example: "r = pool apply_async slow(10)\ntry { get r timeout=0.5 } catch e { print(e.kind) }\nget r"),
    CommandSpec("wait", method: asyncResult.method("wait")!, receiver: resultReceiver, example: "wait r timeout=1\nprint(r.ready())"),
    CommandSpec(
      "map", [Parameter("func", .callable), Parameter("iterable", .items)], summary: "the serial map, in this process (compare with pool map)",
      example: "time map sq range(1000)\ntime pool map sq range(1000)"
    ) { arguments, _ throws(ScriptError) in
      var results: [Value] = []
      for item in arguments.list(1) { results.append(try arguments.interpreter.call(arguments[0], [item], at: arguments.location)) }
      return .list(results)
    },
  ]

  private static func applyCommand(async: Bool) -> CommandSpec {
    let word = async ? "apply_async" : "apply"
    return CommandSpec(
      "pool \(word)", [Parameter("pool", .handle("pool"), .keyword, default: Value.none, placeholder: "P")],
      summary: async ? "start F(ARGS) on a worker; get its value later with get" : "run F(ARGS) on a worker and wait for its value",
      example: "pool \(word) sq(7)", takesCall: true
    ) { arguments, call throws(ScriptError) in
      let pool = try arguments[0] == .none ? arguments.engine.defaultPoolStartingIfNeeded() : arguments.handle(0, as: Pool.self)
      let result = try submit(call!, on: pool, arguments)
      return async ? .handle(result) : try result.get(timeout: nil)
    }
  }

  private static func showPools(_ session: Session) -> Value {
    session.engine.output.print(PoolView.render(summaries: session.engine.poolSummaries, rows: session.engine.poolRows()))
    return .none
  }

  static let functions: [FunctionSpec] = [
    FunctionSpec(
      "Pool",
      [
        Parameter("processes", .count(1...256), default: Value.none), Parameter("initializer", .callable, default: Value.none),
        Parameter("initargs", .items, default: .tuple([])), Parameter("maxtasksperchild", .count(1...Int.max), default: Value.none),
      ],
      summary: "a pool of worker processes (one per CPU by default)",
      example: "pl = Pool(4)\nprint(pl.map(sq, range(10)))\npl.close()\npl.join()"
    ) { arguments throws(ScriptError) in
      let options = PoolOptions(
        size: arguments.optionalInt(0), maxTasksPerChild: arguments.optionalInt(3), initializer: optional(arguments[1]),
        initializerArguments: arguments.list(2))
      return .handle(try arguments.engine.startPool(options, asDefault: false))
    }
  ]
}
