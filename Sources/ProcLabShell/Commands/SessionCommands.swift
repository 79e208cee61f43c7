// The session's own commands in the table: ps, timeline, time, repeat, load, record, history, help,
// exit. They look at the session rather than act on processes.
import ProcLabEngine
import ProcLabScript

enum SessionCommands {
  static let commands: [CommandSpec] = [
    CommandSpec(
      "ps", [Parameter("which", .processOrWord(["all", "tree"]), default: Value.none, placeholder: "all|tree|PROCESS")],
      summary: "the process table: PIDs, state (proclab's and the kernel's), CPU, memory, what each does",
      example:
        "ps\nps all     # also processes already joined\nps tree    # the tree: the session, its children, theirs\nps p       # one process in detail"
    ) { arguments, _ throws(ScriptError) in
      let engine = arguments.engine
      if arguments[0] == .string("tree") {
        engine.output.print(ProcessTableView.render(engine.snapshot(includeJoined: false), asTree: true))
      } else if case .list(let items) = arguments[0] {
        guard items.count == 1, let record = arguments.processes(0).first else {
          throw ScriptError(.typeError, "ps shows one process in detail: ps p (or ps all for every process)")
        }
        engine.output.print(ProcessDetailView.render(engine.detail(of: record)))
      } else {
        engine.output.print(ProcessTableView.render(engine.snapshot(includeJoined: arguments[0] != .none)))
        if arguments[0] != .none, let summary = engine.forgotten.summary { engine.output.print("(\(summary))\n") }
      }
      return .none
    },
    CommandSpec(
      "timeline", [Parameter("last", .any, .keyword, default: Value.none, placeholder: "SECONDS")],
      summary: "one lane per process over time for the last command; svg/html write it for slides",
      example: "def nap(s) { sleep(s) }\na = spawn nap(0.3)\nb = spawn nap(0.3)\njoin all\ntimeline\ntimeline last=5s\ntimeline svg \"/tmp/timeline.svg\""
    ) { command, session throws(ScriptError) in
      try session.timelineCommand(command, session.interpreter)
      return .none
    },
    statement(
      "time", "[-n RUNS] STATEMENT", summary: "run a statement and print real, user and sys time (children's CPU included)",
      example: "time sleep(0.2)\ntime -n 10 sq(12)", instead: "write `time STATEMENT` on its own line (now() measures inside expressions)"),
    statement(
      "repeat", "N STATEMENT",
      summary: "run a statement (or { block }) N times, each in a fresh child; tally what the runs gave, with their times",
      example: "repeat 20 pid() % 2\nrepeat 5 { xs = [1, 2]; xs[pid() % 3] }",
      instead: "write `repeat N STATEMENT` (or `repeat N { ... }`) on its own line"),
    CommandSpec(
      "load", [Parameter("file", .path)], summary: "run a script file inside this session",
      example: "load \"samples/e02-start-join-in-order.plab\""
    ) { arguments, _ throws(ScriptError) in
      try arguments.session.load(arguments.text(0))
      return .none
    },
    CommandSpec(
      "record", [], summary: "save every entry from now on in a script that proclab play replays (record stop ends)",
      example: "record \"/tmp/lesson.plab\"\n# a comment typed here is saved too\np = spawn work(1); join p\nrecord stop"
    ) { command, session throws(ScriptError) in
      try session.runRecord(command, in: session.interpreter)
      return .none
    },
    CommandSpec("history", [], summary: "this session's entries so far, numbered", example: "history") { arguments, _ in
      arguments.session.runHistory()
      return .none
    },
    CommandSpec(
      "help", [Parameter("topic", .identifier, default: Value.none, placeholder: "NAME")],
      summary: "the groups of commands, one command or function with an example, or a concept", example: "help spawn\nhelp queue\nhelp states"
    ) { arguments, _ throws(ScriptError) in
      let text: String
      if arguments[0] == .none {
        text = HelpText.overview()
      } else {
        let name = arguments.text(0)
        let variable = arguments.interpreter.globals[name].flatMap { HelpText.about(variable: name, holding: $0) }
        guard let about = HelpText.about(name) ?? variable else {
          throw ScriptError(.nameError, "no help for '\(name)'\(didYouMean(name, among: HelpText.topics)); type help for the list")
        }
        text = about
      }
      arguments.engine.output.print(text)
      return .none
    },
    exitCommand("exit"), exitCommand("quit"),
  ]

  /// A statement the parser reads (`time`, `repeat`): declared here for help and completion;
  /// used where a value is wanted it says how to write it.
  private static func statement(_ word: String, _ placeholder: String, summary: String, example: String, instead: String) -> CommandSpec {
    CommandSpec(word, [Parameter("statement", .any, placeholder: placeholder)], summary: summary, example: example) { _, _ throws(ScriptError) in
      throw ScriptError(.usageError, "\(word) is a statement, not a value: \(instead)")
    }
  }

  /// As sys.exit: none is 0, an int is the status, anything else is printed and gives 1.
  private static func exitCommand(_ word: String) -> CommandSpec {
    CommandSpec(
      word, [Parameter("status", .any, default: Value.none, placeholder: "CODE")],
      summary: "end the session (Ctrl-D too); running children are stopped", example: word
    ) { arguments, _ throws(ScriptError) in
      switch arguments[0] {
      case .none: throw .exit(status: 0, at: arguments.location)
      case .int(let code): throw .exit(status: Int32(truncatingIfNeeded: code), at: arguments.location)
      case let other: throw .exit(status: 1, message: other.description, at: arguments.location)
      }
    }
  }
}
