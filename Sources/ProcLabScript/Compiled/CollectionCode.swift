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

/// An f-string: a chain of steps, each a literal text and the code of the value after it,
/// then the text after the last value. A chain of `let` fields walked by recursion rather
/// than an array of parts: each call is on a field of the running node, which retains
/// nothing, where iterating an array retained the array and each part's code.
final class FormatCode: ExprCode {
  let first: FormatStep?
  let tail: String

  init(_ first: FormatStep?, tail: String) {
    self.first = first
    self.tail = tail
  }

  /// The f-string of `parts`: neighbouring texts joined, long ones split (see `longestChain`).
  convenience init(_ parts: [(text: String, code: ExprCode?)]) {
    var steps: [(text: String, code: ExprCode)] = []
    var text = ""
    for part in parts {
      text += part.text
      if let code = part.code {
        steps.append((text, code))
        text = ""
      }
    }
    self.init(FormatCode.chain(steps), tail: text)
  }

  /// The most steps one chain has, so that walking it by recursion stays shallow.
  static let longestChain = 32

  /// A chain of `steps`; past `longestChain` steps, a chain of f-strings of that many each.
  private static func chain(_ steps: [(text: String, code: ExprCode)]) -> FormatStep? {
    guard steps.count > longestChain else {
      return steps.reversed().reduce(nil) { next, step in FormatStep(step.text, step.code, next: next) }
    }
    let groups = stride(from: 0, to: steps.count, by: longestChain).map { start in
      (text: "", code: FormatCode(chain(Array(steps[start..<min(start + longestChain, steps.count)])), tail: "") as ExprCode)
    }
    return chain(groups)
  }

  override func value(_ vm: Interpreter) throws(ScriptError) -> Value {
    var text = ""
    try first?.append(to: &text, vm)
    text += tail
    return .string(text)
  }
}

final class FormatStep {
  let text: String
  let code: ExprCode
  let next: FormatStep?

  init(_ text: String, _ code: ExprCode, next: FormatStep?) {
    self.text = text
    self.code = code
    self.next = next
  }

  func append(to text: inout String, _ vm: Interpreter) throws(ScriptError) {
    text += self.text
    // What `description` gives, without making it first for the commonest values.
    switch try code.value(vm) {
    case .string(let s): text += s
    case .int(let i): text += String(i)
    case let value: text += value.description
    }
    try next?.append(to: &text, vm)
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
