// Queues in the table: Python's Queue() and JoinableQueue() with their methods, and the shell
// forms `queue q maxsize=2`, `queue put q 1`, `queue get q timeout=1`, `queue show`.
import ProcLabEngine
import ProcLabScript

enum QueueCommands {
  private static let block = Parameter("block", .bool, default: .bool(true))
  private static let timeout = Parameter("timeout", .seconds, default: Value.none)

  private static func target(_ arguments: Arguments) -> QueueTarget {
    arguments.receiver(as: QueueHandle.self).target
  }

  static let queue = ObjectSpec(
    type: QueueHandle.self, typeName: "queue",
    attributes: [
      AttributeSpec(name: "name", summary: "the queue's name") { .string(($0 as! QueueHandle).name) },
      AttributeSpec(name: "maxsize", summary: "the bound (0: unbounded)") { ($0 as! QueueHandle).maxsize.map { .int($0) } ?? .none },
    ],
    methods: [
      MethodSpec("put", [Parameter("obj", .any), block, timeout], summary: "add an item; when full, wait (block), or raise Full") {
        arguments throws(ScriptError) in
        try arguments.engine.put(arguments[0], on: target(arguments), block: arguments.bool(1), timeout: arguments.seconds(2))
        return .none
      },
      MethodSpec("get", [block, timeout], summary: "take the first item; when empty, wait (block), or raise Empty") {
        arguments throws(ScriptError) in
        try arguments.engine.get(from: target(arguments), block: arguments.bool(0), timeout: arguments.seconds(1))
      },
      MethodSpec("put_nowait", [Parameter("obj", .any)], summary: "put(obj, false): Full at once when full") { arguments throws(ScriptError) in
        try arguments.engine.put(arguments[0], on: target(arguments), block: false)
        return .none
      },
      MethodSpec("get_nowait", summary: "get(false): Empty at once when empty") { arguments throws(ScriptError) in
        try arguments.engine.get(from: target(arguments), block: false)
      },
      MethodSpec("qsize", summary: "how many items it holds now") { arguments throws(ScriptError) in
        try arguments.engine.ask(.qsize, about: target(arguments))
      },
      MethodSpec("empty", summary: "whether it holds no item now (racy: another process may put next)") { arguments throws(ScriptError) in
        try arguments.engine.ask(.empty, about: target(arguments))
      },
      MethodSpec("full", summary: "whether it holds maxsize items now") { arguments throws(ScriptError) in
        try arguments.engine.ask(.full, about: target(arguments))
      },
      MethodSpec("task_done", summary: "a joinable queue: one item taken is finished") { arguments throws(ScriptError) in
        try arguments.engine.taskDone(on: target(arguments))
        return .none
      },
      MethodSpec("join", summary: "a joinable queue: wait until every item put is done") { arguments throws(ScriptError) in
        try arguments.engine.join(queue: target(arguments))
        return .none
      },
    ])

  private static let receiver = CommandSpec.Receiver.first(Parameter("queue", .queue, placeholder: "QUEUE")) { value, session in
    if case .handle(let handle) = value { return handle }
    return session.engine.queueHandle(named: value.description)
  }

  private static func subcommand(_ word: String, example: String) -> CommandSpec {
    CommandSpec("queue \(word)", method: queue.method(word)!, receiver: receiver, example: example)
  }

  static let commands: [CommandSpec] = [
    CommandSpec(
      "queue", [Parameter("name", .identifier), Parameter("maxsize", .count(0...Int.max), .keyword, default: .int(0), placeholder: "N"), Parameter("joinable", .bool, .keyword, default: .bool(false))],
      summary: "FIFO queues every process can use; get and put block, time out or not (help queue)",
      example: "queue q maxsize=2\nqueue put q 1\ndef consumer() { print(queue get q timeout=2) }\nspawn consumer()\nqueue show q",
      subcommands: [
        subcommand("put", example: "queue put q 1 timeout=2"), subcommand("get", example: "queue get q block=false"),
        subcommand("qsize", example: "queue qsize q"), subcommand("empty", example: "queue empty q"), subcommand("full", example: "queue full q"),
        subcommand("task_done", example: "queue task_done q"), subcommand("join", example: "queue join q"),
        CommandSpec("queue show", [Parameter("queue", .queue, default: Value.none, placeholder: "QUEUE")], summary: "items and waiting processes of one queue or all", example: "queue show q") {
          arguments, _ throws(ScriptError) in
          var name: String?
          if arguments[0] != .none { name = arguments.queueName(0) }
          arguments.engine.output.print(QueueView.render(try arguments.engine.queueReport(name)))
          return .none
        },
      ]
    ) { arguments, _ throws(ScriptError) in
      let name = arguments.text(0)
      let handle = try arguments.engine.makeQueue(name: name, maxsize: arguments.int(1), joinable: arguments.bool(2))
      // `queue q` names the queue and the variable that holds it, as `def f` names a function.
      if !arguments.valueIsUsed { arguments.interpreter.globals[name] = .handle(handle) }
      return .handle(handle)
    }
  ]

  static let functions: [FunctionSpec] = [
    FunctionSpec(
      "Queue", [Parameter("maxsize", .count(0...Int.max), default: .int(0))], summary: "a queue every process can use (maxsize 0: unbounded)",
      example: "q = Queue(5)\nq.put(1)\nprint(q.get(true, 2))"
    ) { arguments throws(ScriptError) in
      .handle(try arguments.engine.makeQueue(maxsize: arguments.int(0), joinable: false))
    },
    FunctionSpec(
      "JoinableQueue", [Parameter("maxsize", .count(0...Int.max), default: .int(0))], summary: "a queue with task_done() and join()",
      example: "q = JoinableQueue()\nq.put(1)\nq.get()\nq.task_done()\nq.join()"
    ) { arguments throws(ScriptError) in
      .handle(try arguments.engine.makeQueue(maxsize: arguments.int(0), joinable: true))
    },
  ]
}
