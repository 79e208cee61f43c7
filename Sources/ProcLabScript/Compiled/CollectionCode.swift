// List and tuple displays and f-strings in compiled code.

final class SequenceCode: ExprCode {
  let items: [ExprCode]
  let isTuple: Bool

  init(_ items: [ExprCode], isTuple: Bool) {
    self.items = items
    self.isTuple = isTuple
  }

  override func value(_ vm: Interpreter) throws(ScriptError) -> Value {
    var values: [Value] = []
    values.reserveCapacity(items.count)
    for item in items { values.append(try item.value(vm)) }
    return isTuple ? .tuple(values) : .list(values)
  }
}

final class FormatCode: ExprCode {
  enum Part {
    case text(String)
    case code(ExprCode)
  }

  let parts: [Part]

  init(_ parts: [Part]) { self.parts = parts }

  override func value(_ vm: Interpreter) throws(ScriptError) -> Value {
    var text = ""
    for part in parts {
      switch part {
      case .text(let s): text += s
      case .code(let code): text += try code.value(vm).description
      }
    }
    return .string(text)
  }
}

/// A command used as a value: the host runs it, as in the tree walker.
final class CommandCode: ExprCode {
  let command: Command

  init(_ command: Command) { self.command = command }

  override func value(_ vm: Interpreter) throws(ScriptError) -> Value {
    try vm.runCommand(command)
  }
}
