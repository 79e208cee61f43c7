// Pipes in the table: Python's Pipe() and the language's pipe(), a pipe end's methods, and
// the shell forms `send a 1`, `recv b timeout=1`, `poll b`.
import ProcLabEngine
import ProcLabScript

enum PipeCommands {
  private static func end(_ arguments: Arguments) -> PipeEnd { arguments.receiver(as: PipeEnd.self) }

  static let pipeEnd = ObjectSpec(
    type: PipeEnd.self, typeName: "pipe end",
    attributes: [
      AttributeSpec(name: "closed", summary: "whether this process closed its end") { .bool(($0 as! PipeEnd).isClosed) },
      AttributeSpec(name: "readable", summary: "whether this end can receive") { .bool(($0 as! PipeEnd).canReceive) },
      AttributeSpec(name: "writable", summary: "whether this end can send") { .bool(($0 as! PipeEnd).canSend) },
    ],
    methods: [
      MethodSpec("send", [Parameter("obj", .any)], summary: "send a value to the other end") { arguments throws(ScriptError) in
        try end(arguments).send(arguments[0])
        return .none
      },
      MethodSpec("recv", [Parameter("timeout", .seconds, default: Value.none)], summary: "the next value; EOFError once the other end is closed everywhere") {
        arguments throws(ScriptError) in
        try end(arguments).receive(timeout: arguments.seconds(0))
      },
      MethodSpec("poll", [Parameter("timeout", .seconds, default: .float(0))], summary: "whether a value can be read now (or within the timeout; none waits)") {
        arguments throws(ScriptError) in
        .bool(try end(arguments).poll(timeout: arguments.seconds(0)))
      },
      MethodSpec("close", summary: "close this process's copy of the end") { arguments in
        end(arguments).close()
        return .none
      },
    ])

  private static let receiver = CommandSpec.Receiver.first(Parameter("end", .handle("pipe end"), placeholder: "PIPE_END")) { value, _ in
    guard case .handle(let handle) = value else { preconditionFailure("checked as a pipe end") }
    return handle
  }

  static let commands: [CommandSpec] = [
    CommandSpec("send", method: pipeEnd.method("send")!, receiver: receiver, example: "a, b = Pipe()\nsend a \"hello\"\nprint(recv b)"),
    CommandSpec("recv", method: pipeEnd.method("recv")!, receiver: receiver, example: "v = recv b timeout=1"),
    CommandSpec("poll", method: pipeEnd.method("poll")!, receiver: receiver, example: "if (poll b) { print(recv b) }"),
  ]

  /// Python's `Pipe(duplex=True)`, and `pipe()` as the language first named it.
  private static func pipeFunction(_ name: String) -> FunctionSpec {
    FunctionSpec(
      name, [Parameter("duplex", .bool, default: .bool(true))],
      summary: "two connected ends a, b of a real pipe; duplex=false: a only receives, b only sends", example: "a, b = \(name)()"
    ) { arguments throws(ScriptError) in
      let (a, b) = try arguments.engine.makePipe(duplex: arguments.bool(0))
      return .tuple([.handle(a), .handle(b)])
    }
  }

  static let functions: [FunctionSpec] = [
    pipeFunction("Pipe"), pipeFunction("pipe"),
  ]
}
