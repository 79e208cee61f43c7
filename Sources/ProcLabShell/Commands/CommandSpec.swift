// The shapes of the command table's entries: a shell-style command, a function, an object
// type with its attributes and methods. Each is declared once, as data with its handler; the
// parser's words, help, completion and argument checking are all read from these.
import ProcLabEngine
import ProcLabScript

typealias Handler = @Sendable (Arguments) throws(ScriptError) -> Value

/// How a call written as `f(x, y=1)` reaches a command that takes it unevaluated:
/// `spawn work(3) name="w"`, `pool apply_async sq(7)`.
struct TargetCall {
  var callee: Value
  var arguments: [Value]
  var keywords: [(name: String, value: Value)]
  /// `work(3)`: the call as it runs, arguments evaluated.
  var text: String
}

// The entries are classes: a command runs in hot loops, and passing one around then costs one
// reference count, not one per field.

/// A shell-style command: `join p timeout=1`, `queue put q 1`, `pool map f xs`.
final class CommandSpec: Sendable {
  let signature: Signature
  let summary: String
  let example: String
  /// The first argument is a call left unevaluated (`spawn f(1)`), handed over as a TargetCall.
  var takesCall: Bool { signature.takesCall }
  /// Chosen by a first word (`queue put`, `pool map`); the command's own signature applies
  /// when the first argument is none of them.
  let subcommands: [CommandSpec]
  let run: @Sendable (Arguments, TargetCall?) throws(ScriptError) -> Value
  /// `put` for `queue put`: the word after the command's.
  let subcommandWord: String
  /// A command with a small grammar of its own (`timeline last=5s svg "t.svg"`, `record
  /// stop`) reads its arguments itself; the table still declares its options and checks them.
  let reads: (@Sendable (Command, Session) throws(ScriptError) -> Value)?

  /// A command that reads its own arguments.
  init(
    _ word: String, _ parameters: [Parameter], summary: String, example: String,
    reads: @escaping @Sendable (Command, Session) throws(ScriptError) -> Value
  ) {
    signature = Signature(word, parameters, form: .command)
    subcommandWord = word
    self.summary = summary
    self.example = example
    subcommands = []
    method = nil
    receiver = nil
    run = { _, _ in .none }
    self.reads = reads
  }

  /// For a command made from a method (MethodCommand.swift): the method, and where its
  /// object comes from. The runner calls the method itself, with no wrapper in between.
  let method: MethodSpec?
  let receiver: Receiver?

  init(
    _ word: String, _ parameters: [Parameter], summary: String, example: String, takesCall: Bool = false,
    subcommands: [CommandSpec] = [], method: MethodSpec? = nil, receiver: Receiver? = nil,
    run: @escaping @Sendable (Arguments, TargetCall?) throws(ScriptError) -> Value
  ) {
    signature = Signature(word, parameters, form: .command, takesCall: takesCall)
    subcommandWord = String(word.split(separator: " ").last ?? "")
    self.summary = summary
    self.example = example
    self.subcommands = subcommands
    self.method = method
    self.receiver = receiver
    self.run = run
    reads = nil
  }

  var word: String { signature.name }


  func subcommand(_ word: String) -> CommandSpec? {
    subcommands.first { $0.subcommandWord == word }
  }

  /// `spawn F(ARGS) [name="NAME"]`.
  var usage: String { signature.commandUsage }
}

/// A function a script calls by name: `Queue(5)`, `Process(target=f)`, `print(x)`.
final class FunctionSpec: Sendable {
  let signature: Signature
  let summary: String
  let example: String
  let run: Handler

  init(_ name: String, _ parameters: [Parameter], summary: String, example: String, run: @escaping Handler) {
    signature = Signature(name, parameters)
    self.summary = summary
    self.example = example
    self.run = run
  }
}

/// `q.get(timeout=1)`: a method of an engine object.
final class MethodSpec: Sendable {
  let signature: Signature
  let summary: String
  let run: Handler
  /// The call with no arguments, what `run` does with every default, for a compiled call site
  /// to make without binding arguments (see HandleMethod); only methods called in tight loops
  /// (`l.acquire(); l.release()`) have one. Its receiver's type was checked by the caller.
  let bare: (@Sendable (AnyObject) throws(ScriptError) -> Value)?

  init(
    _ name: String, _ parameters: [Parameter] = [], summary: String,
    bare: (@Sendable (AnyObject) throws(ScriptError) -> Value)? = nil, run: @escaping Handler
  ) {
    signature = Signature(name, parameters)
    self.summary = summary
    self.bare = bare
    self.run = run
  }

  var name: String { signature.name }
}

/// `p.pid`: an attribute of an engine object; `v.value = 3` when it has `write`.
struct AttributeSpec: Sendable {
  let name: String
  let summary: String
  let read: @Sendable (any Handle) throws(ScriptError) -> Value
  var write: (@Sendable (any Handle, Value) throws(ScriptError) -> Void)? = nil

  init(name: String, summary: String, read: @escaping @Sendable (any Handle) throws(ScriptError) -> Value) {
    self.name = name
    self.summary = summary
    self.read = read
  }

  init(
    name: String, summary: String, read: @escaping @Sendable (any Handle) throws(ScriptError) -> Value,
    write: @escaping @Sendable (any Handle, Value) throws(ScriptError) -> Void
  ) {
    self.name = name
    self.summary = summary
    self.read = read
    self.write = write
  }
}

/// An engine object's type as scripts see it: what `dir(x)`, `x.` Tab and `help` list.
final class ObjectSpec: Sendable {
  /// The engine class whose handles this describes: dispatch is by class, not by name.
  let type: ObjectIdentifier
  /// The handle's `typeName`: `process`, `pool`, `queue`, `pipe end`, `async result`.
  let typeName: String
  let attributes: [AttributeSpec]
  let methods: [MethodSpec]

  init(type: AnyObject.Type, typeName: String, attributes: [AttributeSpec], methods: [MethodSpec]) {
    self.type = ObjectIdentifier(type)
    self.typeName = typeName
    self.attributes = attributes
    self.methods = methods
  }

  func method(_ name: String) -> MethodSpec? { methods.first { $0.name == name } }
  func attribute(_ name: String) -> AttributeSpec? { attributes.first { $0.name == name } }

  var memberNames: [String] { Array(Set(attributes.map(\.name) + methods.map(\.name))).sorted() }
}
