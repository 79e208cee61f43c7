// The functions that touch the operating system: output, time, identity, randomness, signals
// and files. Each is a thin call into the engine or libc; the language core knows none of them.
import CSystem
import Glibc
import ProcLabEngine
import ProcLabScript

enum EngineFunctions {
  static let functions: [FunctionSpec] = [
    FunctionSpec(
      "print",
      [
        Parameter("values", .any, .variadic), Parameter("sep", .text, .keyword, default: .string(" ")),
        Parameter("end", .text, .keyword, default: .string("\n")),
        // Every print is one unbuffered write already, so flush=true holds whatever is passed.
        Parameter("flush", .bool, .keyword, default: .bool(false)),
      ],
      summary: "write values (one write per call)", example: "print(\"pid\", pid())"
    ) { arguments throws(ScriptError) in
      arguments.engine.output.print(arguments.list(0).map(\.description).joined(separator: arguments.text(1)) + arguments.text(2))
      try arguments.engine.output.checkStdout()
      return .none
    },
    FunctionSpec("sleep", [Parameter("seconds", .seconds)], summary: "wait; children are served meanwhile", example: "sleep(0.5)") {
      arguments throws(ScriptError) in
      guard let seconds = arguments.seconds(0) else { throw ScriptError(.typeError, "sleep() needs a number of seconds, not none") }
      try arguments.engine.sleep(seconds)
      return .none
    },
    FunctionSpec(
      "fork", [], summary: "the real fork: the child's PID in the parent, 0 in the child", example: "if fork() == 0 { print(\"child\", pid()) }"
    ) { arguments throws(ScriptError) in
      .int(try arguments.engine.forkHere())
    },
    FunctionSpec("now", [], summary: "monotonic seconds (float), for measuring", example: "t0 = now()") { _ in .float(CPUClock.monotonicSeconds()) },
    FunctionSpec("date", [], summary: "local date and time as text", example: "print(date())") { _ in .string(Engine.localDate()) },
    FunctionSpec("pid", [], summary: "this process's PID", example: "print(pid())") { _ in .int(Int(getpid())) },
    FunctionSpec("ppid", [], summary: "the parent's PID", example: "print(ppid())") { _ in .int(Int(getppid())) },
    FunctionSpec("name", [], summary: "this process's name: MainProcess in the session", example: "print(name())") { arguments in
      .string(arguments.engine.processName)
    },
    FunctionSpec("cpu_count", [], summary: "number of CPUs online", example: "print(cpu_count())") { _ in .int(Int(proclab_nproc_online())) },
    FunctionSpec(
      "random", [Parameter("a", .any, default: Value.none), Parameter("b", .any, default: Value.none)],
      summary: "float in [0,1), int in [0,A) or in [A,B]", example: "sleep(random() * 2)"
    ) { arguments throws(ScriptError) in
      switch (arguments[0], arguments[1]) {
      case (.none, .none): return .float(Double.random(in: 0..<1))
      case (.int(let n), .none):
        guard n > 0 else { throw ScriptError(.valueError, "random(n) needs an int n > 0") }
        return .int(Int.random(in: 0..<n))
      case (.int(let a), .int(let b)):
        guard a <= b else { throw ScriptError(.valueError, "random(a, b) needs a <= b") }
        return .int(Int.random(in: a...b))
      default: throw ScriptError(.typeError, "random() takes no argument, an int n, or ints a and b")
      }
    },
    FunctionSpec(
      "on_signal", [Parameter("signal", .signal), Parameter("handler", .callable)],
      summary: "call FUNCTION(name) when this process gets the signal", example: "on_signal(\"USR1\", got)"
    ) { arguments throws(ScriptError) in
      try arguments.engine.onSignal(Int32(arguments.int(0)), call: arguments[1])
      return .none
    },
    FunctionSpec("write_file", [Parameter("path", .text), Parameter("text", .any)], summary: "replace a file's content", example: "write_file(\"/tmp/a.txt\", date())") {
      arguments throws(ScriptError) in
      try Engine.writeFile(arguments.text(0), arguments[1].description, append: false)
      return .none
    },
    FunctionSpec(
      "append_file", [Parameter("path", .text), Parameter("text", .any)], summary: "add to the end of a file",
      example: "append_file(\"/tmp/a.txt\", \"more\\n\")"
    ) { arguments throws(ScriptError) in
      try Engine.writeFile(arguments.text(0), arguments[1].description, append: true)
      return .none
    },
    FunctionSpec(
      "temp_dir", [], summary: "a private directory for this session's files, removed when it ends",
      example: "log = temp_dir() + \"/log\""
    ) { arguments throws(ScriptError) in
      .string(try arguments.engine.temporaryDirectory())
    },
    FunctionSpec("read_file", [Parameter("path", .text)], summary: "a file's content as text", example: "print(read_file(\"/tmp/a.txt\"))") {
      arguments throws(ScriptError) in
      .string(try Engine.readFile(arguments.text(0)))
    },
    FunctionSpec(
      "remove_file", [Parameter("path", .text)], summary: "delete a file (no error if it is already gone)", example: "remove_file(\"/tmp/a.txt\")"
    ) { arguments throws(ScriptError) in
      try Engine.removeFile(arguments.text(0))
      return .none
    },
  ]
}
