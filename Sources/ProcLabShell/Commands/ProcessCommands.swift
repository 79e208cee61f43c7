// Processes in the table: `spawn`, `join`, signals, `output`; Python's Process(),
// active_children(), current_process(), parent_process(); a process's attributes and methods.
import Glibc
import ProcLabEngine
import ProcLabScript

enum ProcessCommands {
  static let process = ObjectSpec(
    type: ProcessRecord.self, typeName: "process",
    attributes: [
      AttributeSpec(name: "pid", summary: "the PID (none before start)") { record($0).isStarted ? .int(Int(record($0).pid)) : .none },
      AttributeSpec(name: "name", summary: "the name (Process-N unless given)") { .string(record($0).name) },
      AttributeSpec(name: "exitcode", summary: "none while running, the exit status, or -N if killed by signal N") {
        record($0).exitCode.map { .int($0) } ?? .none
      },
      AttributeSpec(name: "alive", summary: "started and not ended (as is_alive())") { .bool(record($0).isAlive) },
      AttributeSpec(name: "target", summary: "the call it runs, e.g. work(3)") { .string(record($0).target) },
    ] + SchedulingCommands.processAttributes,
    methods: [
      MethodSpec("start", summary: "fork the process; it runs its target") { arguments throws(ScriptError) in
        try arguments.engine.start(arguments.receiver(as: ProcessRecord.self), interpreter: arguments.interpreter)
        return .none
      },
      MethodSpec("join", [Parameter("timeout", .seconds, default: Value.none)], summary: "wait until it ends (or the timeout passes)") {
        arguments throws(ScriptError) in
        _ = try arguments.engine.join([arguments.receiver(as: ProcessRecord.self)], timeout: arguments.seconds(0))
        return .none
      },
      MethodSpec("is_alive", summary: "started and not ended yet") { arguments in
        .bool(arguments.receiver(as: ProcessRecord.self).isAlive)
      },
      MethodSpec("terminate", summary: "send SIGTERM") { arguments throws(ScriptError) in
        try arguments.engine.send(SIGTERM, to: arguments.receiver(as: ProcessRecord.self), tree: false)
        return .none
      },
      MethodSpec("kill", summary: "send SIGKILL") { arguments throws(ScriptError) in
        try arguments.engine.send(SIGKILL, to: arguments.receiver(as: ProcessRecord.self), tree: false)
        return .none
      },
    ])

  /// What current_process() and parent_process() give: a process's name and PID.
  static let identity = ObjectSpec(
    type: ProcessIdentity.self, typeName: "process",
    attributes: [
      AttributeSpec(name: "pid", summary: "the PID") { .int(Int(($0 as! ProcessIdentity).pid)) },
      AttributeSpec(name: "name", summary: "the name: MainProcess for the session") { .string(($0 as! ProcessIdentity).name) },
    ],
    methods: [])

  private static func record(_ handle: any Handle) -> ProcessRecord { handle as! ProcessRecord }

  static let commands: [CommandSpec] = [
    CommandSpec(
      "spawn",
      [
        Parameter("name", .text, .keyword, default: Value.none, placeholder: "\"NAME\""),
        Parameter("orphan", .bool, .keyword, default: .bool(false)),
      ] + SchedulingCommands.parameters,
      summary:
        "start a real OS process (a fork of the session) that runs the call; orphan=true outlives its parent; nice=, cpu=, policy=, priority= set its scheduling (help sched)",
      example:
        "def work(n) { print(f\"worker {n} pid {pid()}\") }\np = spawn work(1) name=\"w1\"\ndef parent() { spawn work(2) orphan=true; exit 0 }   # adopted by the session\nq = spawn work(3) cpu=[0] nice=10 policy=\"other\"",
      takesCall: true
    ) { arguments, call throws(ScriptError) in
      let call = call!
      let plan = ProcessPlan(
        callee: call.callee, arguments: call.arguments, keywords: Dictionary(call.keywords, uniquingKeysWith: { $1 }),
        location: arguments.location, text: call.text)
      try arguments.interpreter.checkCall(call.callee, arguments: call.arguments, keywords: call.keywords.map(\.name), at: arguments.location)
      let name: String? = arguments[0] == .none ? nil : arguments.text(0)
      let scheduling = try SchedulingCommands.options(arguments, from: 2)
      return .handle(try arguments.engine.spawn(plan, name: name, orphan: arguments.bool(1), scheduling: scheduling, interpreter: arguments.interpreter))
    },
    CommandSpec(
      "join", [Parameter("processes", .processes(pids: false), .variadic, placeholder: "PROCESS|all"), Parameter("timeout", .seconds, .keyword, default: Value.none)],
      summary: "wait until processes end (Ctrl-C stops waiting, they keep running)",
      example: "join p timeout=2\njoin all"
    ) { arguments, _ throws(ScriptError) in
      guard !arguments.list(0).isEmpty else { throw ScriptError(.typeError, "join needs a process, a list of them, or all: join p, join all") }
      _ = try arguments.engine.join(arguments.processes(0), timeout: arguments.seconds(1))
      return .none
    },
    signalCommand(
      "kill", signal: nil, summary: "send a signal (default SIGTERM); tree=true signals its descendants too",
      example: "kill p signal=KILL\njoin p\nprint(p.exitcode)   # -9"),
    signalCommand("suspend", signal: SIGSTOP, summary: "stop a process with SIGSTOP (kernel state T)", example: "suspend p\nps"),
    signalCommand("resume", signal: SIGCONT, summary: "continue a suspended process with SIGCONT", example: "resume p"),
    CommandSpec(
      "signal", [Parameter("process", .processes(pids: true), placeholder: "PROCESS"), Parameter("signal", .signal), Parameter("tree", .bool, .keyword, default: .bool(false))],
      summary: "send any signal by name or number", example: "signal p USR1"
    ) { arguments, _ throws(ScriptError) in
      try deliver(Int32(arguments.int(1)), to: arguments, processes: 0, tree: arguments.bool(2))
      return .none
    },
    CommandSpec(
      "output", [Parameter("mode", .word(["raw", "tagged", "grouped", "chars"]), default: Value.none)],
      summary: "children's output: as written, tagged per line, grouped per process, or a char per write",
      example: "output tagged\nspawn work(1)"
    ) { arguments, _ in
      let output = arguments.engine.output
      guard arguments[0] != .none else { return .string(output.characterWrites ? "chars" : output.mode.rawValue) }
      let word = arguments.text(0)
      output.characterWrites = word == "chars"
      output.mode = OutputMode(rawValue: word) ?? .raw
      return .none
    },
  ]

  /// kill, suspend and resume: the same shape, with a fixed signal or a `signal=` option.
  private static func signalCommand(_ word: String, signal: Int32?, summary: String, example: String) -> CommandSpec {
    var parameters = [Parameter("processes", .processes(pids: true), .variadic, placeholder: "PROCESS")]
    if signal == nil { parameters.append(Parameter("signal", .signal, .keyword, default: .int(Int(SIGTERM)))) }
    parameters.append(Parameter("tree", .bool, .keyword, default: .bool(false)))
    let treeIndex = parameters.count - 1
    return CommandSpec(word, parameters, summary: summary, example: example) { arguments, _ throws(ScriptError) in
      guard !arguments.list(0).isEmpty else { throw ScriptError(.typeError, "\(word) needs a process (or a PID): \(word) p") }
      let number = signal ?? Int32(arguments.int(1))
      try deliver(number, to: arguments, processes: 0, tree: arguments.bool(treeIndex))
      return .none
    }
  }

  private static func deliver(_ signal: Int32, to arguments: Arguments, processes index: Int, tree: Bool) throws(ScriptError) {
    for record in arguments.processes(index) { try arguments.engine.send(signal, to: record, tree: tree) }
    for pid in arguments.pids(index) { try arguments.engine.send(signal, toPid: pid, tree: tree) }
  }

  static let functions: [FunctionSpec] = [
    FunctionSpec(
      "Process",
      [
        Parameter("group", .any, default: Value.none), Parameter("target", .callable, default: Value.none), Parameter("name", .text, default: Value.none),
        Parameter("args", .items, default: .tuple([])), Parameter("kwargs", .any, default: .dict(Dict())),
      ] + SchedulingCommands.parameters,
      summary: "a process not started yet (state new); start() forks it; nice=, cpu=, policy=, priority= as for spawn",
      example: "p = Process(target=work, args=(1,), name=\"first\")\np.start()\np.join()"
    ) { arguments throws(ScriptError) in
      guard arguments[0] == .none else { throw ScriptError(.valueError, "group must be none (Python reserves it)") }
      guard arguments[1] != .none else { throw ScriptError(.typeError, "Process() needs target=FUNCTION: Process(target=work, args=(1,))") }
      let callee = arguments[1]
      let values = arguments.list(3)
      let keywords = try keywordArguments(arguments[4])
      try arguments.interpreter.checkCall(callee, arguments: values, keywords: Array(keywords.keys), at: arguments.location)
      let shown = values.map(\.repr) + keywords.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.repr)" }
      let plan = ProcessPlan(
        callee: callee, arguments: values, keywords: keywords, location: arguments.location,
        text: "\(callee.functionName)(\(shown.joined(separator: ", ")))")
      let name: String? = arguments[2] == .none ? nil : arguments.text(2)
      return .handle(arguments.engine.makeProcess(plan, name: name, scheduling: try SchedulingCommands.options(arguments, from: 5)))
    },
    FunctionSpec("active_children", [], summary: "the children still running (finished ones are reaped)", example: "print(len(active_children()))") {
      arguments in
      .list(arguments.engine.activeChildren().map { .handle($0) })
    },
    FunctionSpec("current_process", [], summary: "this process: .name and .pid", example: "print(current_process().name)") { arguments in
      .handle(ProcessIdentity(name: arguments.engine.processName, pid: getpid()))
    },
    FunctionSpec("parent_process", [], summary: "the process that started this one (none in the session)", example: "print(parent_process())") {
      arguments in
      guard let parent = arguments.engine.parentName else { return .none }
      return .handle(ProcessIdentity(name: parent, pid: getppid()))
    },
  ]

  /// `kwargs=` as a dict (or none): the names and values passed to a target.
  static func keywordArguments(_ value: Value) throws(ScriptError) -> [String: Value] {
    switch value {
    case .none: return [:]
    case .dict(let dict):
      var keywords: [String: Value] = [:]
      for (key, item) in zip(dict.keys, dict.values) {
        guard case .string(let name) = key else { throw ScriptError(.typeError, "keywords must be strings, not \(key.repr)") }
        keywords[name] = item
      }
      return keywords
    default: throw ScriptError(.typeError, "kwargs must be a dict of names to values, not \(value.typeNameWithArticle)")
    }
  }
}

/// A process seen by name and PID only: what current_process() and parent_process() return.
final class ProcessIdentity: Handle {
  let name: String
  let pid: Int32

  init(name: String, pid: Int32) {
    self.name = name
    self.pid = pid
  }

  var typeName: String { "process" }
  var display: String { "<Process \(name) pid=\(pid)>" }
}
