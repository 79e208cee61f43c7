// One parameter of a command or method as the table declares it: its name, how it may be
// given, what it accepts and its default. Checking a value against it happens while binding,
// before the command runs, so a wrong call changes nothing.
import ProcLabEngine
import ProcLabScript

final class Parameter: Sendable {
  enum Passing: Sendable {
    /// Python's positional-or-keyword parameter.
    case positional
    /// `*name`: every remaining positional argument, as a list.
    case variadic
    /// Only as `name=value` (a shell-style option, or Python's keyword-only parameter).
    case keyword
    /// `**name`: every keyword no other parameter takes, as a dict of names (Namespace(a=1)).
    case keywords
  }

  let name: String
  let passing: Passing
  let type: ArgumentType
  /// nil: the parameter is required (a variadic one may be empty).
  let defaultValue: Value?
  /// Shown in usage lines for the shell form: `timeout=SECONDS`, `PROCESS`.
  let placeholder: String

  init(_ name: String, _ type: ArgumentType, _ passing: Passing = .positional, default defaultValue: Value? = nil, placeholder: String? = nil) {
    self.name = name
    self.passing = passing
    self.type = type
    self.defaultValue = defaultValue
    self.placeholder = placeholder ?? type.placeholder ?? name.uppercased()
  }

  var isRequired: Bool { defaultValue == nil && passing != .variadic && passing != .keywords }

  /// The checked value of an arranged slot; `evaluate` turns a given argument into a value
  /// (a command's expression read as this parameter's type, or a call's value as it is).
  @inline(__always)
  func value<Argument>(
    of slot: Signature.Slot<Argument>, of function: @autoclosure () -> String, _ evaluate: (Argument) throws(ScriptError) -> Value
  ) throws(ScriptError) -> Value {
    switch slot {
    case .given(let argument):
      return try type.check(try evaluate(argument), name, of: function())
    case .fixed(let value):
      return value
    case .collected(let arguments):
      var values: [Value] = []
      values.reserveCapacity(arguments.count)
      for argument in arguments { values.append(try type.check(try evaluate(argument), name, of: function())) }
      return .list(values)
    case .collectedKeywords(let arguments):
      // In name order: a call's keywords reach the table as a dictionary, in no fixed order.
      var names = Dict()
      for (key, argument) in arguments.sorted(by: { $0.name < $1.name }) { try names.set(try type.check(try evaluate(argument), key, of: function()), for: .string(key)) }
      return .dict(names)
    }
  }

  /// `timeout=none` in a Python-style signature, `obj` when required, `*args`.
  var pythonForm: String {
    switch (passing, defaultValue) {
    case (.variadic, _): "*\(name)"
    case (.keywords, _): "**\(name)"
    case (_, let value?): "\(name)=\(value.repr)"
    case (_, nil): name
    }
  }
}

/// What a parameter accepts. `check` turns an argument into the value handlers read, or
/// raises the error that names the parameter.
enum ArgumentType: Sendable {
  case any
  /// Anything: its truth (`block=0` is false, as in Python).
  case bool
  /// A whole number in a range (`Pool(4)`, `maxsize=`).
  case count(ClosedRange<Int>)
  /// none (wait for ever) or seconds; negative is 0, as Python returns at once.
  case seconds
  case text
  /// A function or builtin.
  case callable
  /// A list, tuple, range, string or dict: its items.
  case items
  /// One of a few words, bare or quoted (`output tagged`).
  case word([String])
  /// A signal by name (`KILL`, `SIGUSR1`) or number.
  case signal
  /// An engine object of this type name (`process`, `pool`, `queue`, ...).
  case handle(String)
  /// A queue handle, or a queue's name (bare or quoted): a process started before the
  /// queue existed can still name it.
  case queue
  /// Processes: a handle, a list of them, or `all` (the unjoined ones); with `pids`, also a
  /// PID of one of the session's processes or pool workers (an int).
  case processes(pids: Bool)
  /// One process (or a list of one), or one of a few words, bare or quoted: `ps all`, `ps tree`.
  case processOrWord([String])
  /// A name written bare or quoted (`queue q`, `help spawn`): the word itself even when a
  /// variable has that name.
  case identifier
  /// A file name, in quotes.
  case path

  var placeholder: String? {
    switch self {
    case .seconds: "SECONDS"
    case .bool: "true|false"
    case .word(let words): words.joined(separator: "|")
    case .signal: "SIGNAL"
    case .path: "\"FILE\""
    case .callable: "FUNCTION"
    case .items: "ITERABLE"
    default: nil
    }
  }

  /// Whether a bare name in a shell-style command is this word here, when no variable has
  /// that name: `join all`, `kill p signal=KILL`, `queue get q`, `output tagged`.
  func takesBareWord(_ word: String) -> Bool {
    switch self {
    case .word, .signal, .queue, .identifier: true
    case .processes(let pids): !pids && word == "all"
    case .processOrWord(let words): words.contains(word)
    default: false
    }
  }

  /// `parameter` and `function` are built only when there is an error to report.
  func check(_ value: Value, _ parameter: @autoclosure () -> String, of function: @autoclosure () -> String) throws(ScriptError) -> Value {
    if case .any = self { return value }
    func wrong(_ expected: String) -> ScriptError {
      ScriptError(.typeError, "\(function()) argument '\(parameter())' must be \(expected), not \(value.typeNameWithArticle)")
    }
    switch self {
    case .any:
      return value
    case .bool:
      return .bool(value.isTruthy)
    case .count(let range):
      guard case .int(let n) = value else { throw wrong("a whole number") }
      guard range.contains(n) else {
        let most = range.upperBound == Int.max ? "" : " and at most \(range.upperBound)"
        throw ScriptError(.valueError, "\(function()) argument '\(parameter())' must be at least \(range.lowerBound)\(most), got \(n)")
      }
      return value
    case .seconds:
      switch value {
      case .none: return value
      case .int(let i): return .float(Double(max(0, i)))
      case .float(let d) where d.isNaN: throw ScriptError(.valueError, "\(function()) argument '\(parameter())' is not a number (nan)")
      case .float(let d): return d == .infinity ? .none : .float(max(0, d))
      default: throw wrong("a number of seconds or none")
      }
    case .text, .path, .identifier:
      guard case .string = value else { throw wrong("a string") }
      return value
    case .callable:
      switch value {
      case .function, .builtin: return value
      default: throw wrong("a function")
      }
    case .items:
      if case .string(let s) = value { return .list(s.map { .string(String($0)) }) }
      guard let items = try value.elementsWithinBudget() else { throw wrong("a list, range or string") }
      return .list(items)
    case .word(let words):
      guard case .string(let word) = value else { throw wrong("one of " + words.joined(separator: ", ")) }
      guard words.contains(word) else {
        throw ScriptError(
          .valueError, "\(function()) argument '\(parameter())' must be one of \(words.joined(separator: ", ")), not '\(word)'\(didYouMean(word, among: words))")
      }
      return value
    case .signal:
      let number: Int32?
      switch value {
      case .int(let i): number = SignalName.number(String(i))
      case .string(let s): number = SignalName.number(s)
      default: throw wrong("a signal name or number")
      }
      guard let number else {
        throw ScriptError(.valueError, "unknown signal \(value.description) (expected a name like TERM, KILL, INT, USR1)")
      }
      return .int(Int(number))
    case .handle(let typeName):
      guard case .handle(let handle) = value, handle.typeName == typeName else { throw wrong(withArticle(typeName)) }
      return value
    case .queue:
      switch value {
      case .string: return value
      case .handle(let handle) where handle is QueueHandle: return value
      default: throw wrong("a queue")
      }
    case .processes(let pids):
      let expected = pids ? "a process, a list of processes or a PID" : "a process, a list of processes or all"
      let items: [Value]
      switch value {
      case .string("all") where !pids: return value
      case .int where pids: return .list([value])
      case .handle: items = [value]
      case .list(let list): items = list
      default: throw wrong(expected)
      }
      for item in items {
        guard case .handle(let handle) = item, handle is ProcessRecord else { throw wrong(expected) }
      }
      return .list(items)
    case .processOrWord(let words):
      if case .string(let word) = value, words.contains(word) { return value }
      return try ArgumentType.processes(pids: false).check(value, parameter(), of: function())
    }
  }
}
