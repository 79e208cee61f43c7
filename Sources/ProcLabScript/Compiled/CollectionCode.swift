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

/// An f-string: a chain of steps, each a literal text and the code of the value after it.
/// A chain walked through an unowned reference rather than an array of parts: walking it
/// retains nothing, where iterating an array retained the array and each part's code.
final class FormatCode: ExprCode {
  let first: FormatStep?

  init(_ first: FormatStep?) { self.first = first }

  override func value(_ vm: Interpreter) throws(ScriptError) -> Value {
    var text = ""
    // Unowned(unsafe): this node holds the first step and each step the next.
    unowned(unsafe) var step = first
    while let current = step {
      try current.append(to: &text, vm)
      step = current.next
    }
    return .string(text)
  }
}

final class FormatStep {
  let text: String
  let code: ExprCode?
  let next: FormatStep?

  init(_ text: String, _ code: ExprCode?, next: FormatStep?) {
    self.text = text
    self.code = code
    self.next = next
  }

  /// Builds the chain of `parts`, joining neighbouring texts.
  static func chain(_ parts: [(text: String, code: ExprCode?)]) -> FormatStep? {
    var steps: [(text: String, code: ExprCode?)] = []
    for part in parts {
      if let last = steps.last, last.code == nil {
        steps[steps.count - 1] = (last.text + part.text, part.code)
      } else {
        steps.append(part)
      }
    }
    return steps.reversed().reduce(nil) { next, step in FormatStep(step.text, step.code, next: next) }
  }

  func append(to text: inout String, _ vm: Interpreter) throws(ScriptError) {
    text += self.text
    if let code {
      // What `description` gives, without making it first for the commonest values.
      switch try code.value(vm) {
      case .string(let s): text += s
      case .int(let i): text += String(i)
      case let value: text += value.description
      }
    }
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
