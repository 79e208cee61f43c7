// Scheduling in the table: the options spawn, Process() and `pool start` share (nice=, cpu=,
// policy=, priority=), `renice` and `pin`, and what a process object says of its scheduling.
import ProcLabEngine
import ProcLabScript

enum SchedulingCommands {
  /// nice=N cpu=[0] policy="fifo"|"rr"|"other" priority=P, as keyword options. Appended last to
  /// a signature: `options(arguments, from:)` reads them from that index.
  static let parameters = [
    Parameter("nice", .count(SchedulingOptions.niceRange), .keyword, default: Value.none, placeholder: "N"),
    Parameter("cpu", .any, .keyword, default: Value.none, placeholder: "[CPU, ...]"),
    Parameter("policy", .word(SchedulingOptions.Policy.allCases.map(\.rawValue)), .keyword, default: Value.none),
    Parameter("priority", .count(SchedulingOptions.priorityRange), .keyword, default: Value.none, placeholder: "1-99"),
  ]

  /// The checked options from the four parameters starting at `index`.
  static func options(_ arguments: Arguments, from index: Int) throws(ScriptError) -> SchedulingOptions {
    let cpus = arguments[index + 1] == .none ? nil : try cpuList(arguments[index + 1], "cpu")
    let policy = arguments[index + 2] == .none ? nil : SchedulingOptions.Policy(rawValue: arguments.text(index + 2))
    return try SchedulingOptions(nice: arguments.optionalInt(index), cpus: cpus, policy: policy, priority: arguments.optionalInt(index + 3))
  }

  /// `cpu=0` or `cpu=[0, 1]` (a list, tuple or range of CPU numbers).
  private static func cpuList(_ value: Value, _ parameter: String) throws(ScriptError) -> [Int] {
    if case .int(let cpu) = value { return [cpu] }
    let wrong = ScriptError(.typeError, "\(parameter) must be a CPU number or a list of them (cpu=[0, 1]), not \(value.typeNameWithArticle)")
    if case .string = value { throw wrong }
    if case .dict = value { throw wrong }
    guard let items = try value.elementsWithinBudget() else { throw wrong }
    guard items.count <= 1024 else { throw ScriptError(.valueError, "\(parameter) names \(items.count) CPUs; a machine has at most 1024 here") }
    var cpus: [Int] = []
    for item in items {
      guard case .int(let cpu) = item else {
        throw ScriptError(.typeError, "\(parameter) must list CPU numbers (whole numbers), not \(item.typeNameWithArticle)")
      }
      cpus.append(cpu)
    }
    return cpus
  }

  static let commands: [CommandSpec] = [
    CommandSpec(
      "renice", [Parameter("processes", .processes(pids: false), placeholder: "PROCESS"), Parameter("nice", .count(SchedulingOptions.niceRange), placeholder: "N")],
      summary: "change a running process's nice value (19 least CPU, -20 most; lowering needs root)",
      example: "p = spawn burn(5)\nrenice p 10\nprint(p.nice)   # 10"
    ) { arguments, _ throws(ScriptError) in
      for record in arguments.processes(0) { try arguments.engine.renice(record, to: arguments.int(1)) }
      return .none
    },
    CommandSpec(
      "pin", [Parameter("processes", .processes(pids: false), placeholder: "PROCESS"), Parameter("cpus", .any, placeholder: "[CPU, ...]")],
      summary: "let a running process run only on these CPUs (its affinity mask)",
      example: "p = spawn burn(5)\npin p [0]\nprint(p.cpus)   # [0]"
    ) { arguments, _ throws(ScriptError) in
      let cpus = try cpuList(arguments[1], "pin's cpus")
      for record in arguments.processes(0) { try arguments.engine.pin(record, to: cpus) }
      return .none
    },
  ]

  /// `.cpu`, `.ready`, `.switches`, `.started`, `.ended`, `.nice`, `.policy`, `.cpus` of a
  /// process: from the kernel while it lives, as it was when it ended after that.
  static let processAttributes: [AttributeSpec] = [
    fact("cpu", "seconds on a CPU (user + system), from /proc/PID/schedstat") { .float($0.counters.onCPU) },
    fact("ready", "seconds it was ready but waited for a CPU (run-queue time)") { .float($0.counters.waited) },
    fact("switches", "context switches: [voluntary, involuntary]") { .list([.int($0.voluntarySwitches), .int($0.involuntarySwitches)]) },
    AttributeSpec(name: "started", summary: "when it started, on the now() clock (none before start)") {
      let record = $0 as! ProcessRecord
      return record.isStarted ? .float(record.startedAt) : .none
    },
    AttributeSpec(name: "ended", summary: "when it ended, on the now() clock (none while it runs)") {
      ($0 as! ProcessRecord).endedAt.map { .float($0) } ?? .none
    },
    fact("nice", "its nice value, -20 (most CPU) to 19 (least)") { .int($0.nice) },
    fact("policy", "its scheduling policy: other, fifo or rr") { .string($0.policy.rawValue) },
    fact("cpus", "the CPUs it may run on (its affinity mask)") { .list($0.cpus.map { .int($0) }) },
  ]

  private static func fact(_ name: String, _ summary: String, _ read: @escaping @Sendable (SchedulingFacts) -> Value) -> AttributeSpec {
    AttributeSpec(name: name, summary: summary) { handle in
      (handle as! ProcessRecord).schedulingFacts.map(read) ?? .none
    }
  }
}
