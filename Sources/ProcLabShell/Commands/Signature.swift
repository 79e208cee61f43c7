// A declared call shape and the binding of arguments to it, as Python binds them: positional
// arguments in order, then keywords by name, defaults for the rest. Every mistake (too many,
// unknown or repeated names, a missing one, a wrong type) is a TypeError that names the
// argument and shows the accepted shape, raised before the command runs.
import ProcLabScript

final class Signature: Sendable {
  /// How the call is written, which decides how errors and usage lines read.
  enum Form: Sendable {
    /// `q.get(true, 2)`, `Queue(5)`: Python's call.
    case call
    /// `queue get q timeout=2`: a shell-style command; keywords are "options".
    case command
  }

  let name: String
  let parameters: [Parameter]
  let form: Form

  /// Worked out once: calls bind in hot loops (`for i in range(n) { q.put(i) }`).
  /// Names a keyword may have: every parameter that is not variadic.
  let keywordNames: [String]
  /// Whether a `**name` parameter takes the keywords no other parameter does.
  private let collectsKeywords: Bool
  /// `get()` for a call, `queue get` for a command: what messages name.
  let callName: String
  /// Every parameter positional-or-keyword: positional arguments fill them in order.
  private let isPlain: Bool

  /// A command whose first argument is a call left unevaluated (`spawn F(ARGS)`).
  let takesCall: Bool

  init(_ name: String, _ parameters: [Parameter], form: Form = .call, takesCall: Bool = false) {
    self.name = name
    self.parameters = parameters
    self.form = form
    self.takesCall = takesCall
    keywordNames = parameters.filter { $0.passing != .variadic && $0.passing != .keywords }.map(\.name)
    collectsKeywords = parameters.contains { $0.passing == .keywords }
    callName = form == .call ? "\(name)()" : name
    isPlain = parameters.allSatisfy { $0.passing == .positional }
  }

  /// `get(block=true, timeout=none)`.
  var pythonUsage: String {
    "\(name)(" + parameters.map(\.pythonForm).joined(separator: ", ") + ")"
  }

  /// `queue get QUEUE [block=true|false] [timeout=SECONDS]`, `spawn F(ARGS) [name="NAME"]`.
  var commandUsage: String {
    var words = [name]
    if takesCall { words.append("F(ARGS)") }
    for parameter in parameters {
      switch parameter.passing {
      case .variadic: words.append(parameter.placeholder + "...")
      case .positional: words.append(parameter.isRequired ? parameter.placeholder : "[\(parameter.placeholder)]")
      case .keyword: words.append("[\(parameter.name)=\(parameter.placeholder)]")
      case .keywords: words.append("[NAME=VALUE...]")
      }
    }
    return words.joined(separator: " ")
  }

  var usage: String { form == .call ? pythonUsage : commandUsage }

  /// Where one parameter's value comes from, once arguments are arranged.
  enum Slot<Argument> {
    case given(Argument)
    /// Not given: its default.
    case fixed(Value)
    /// A variadic parameter: the positional arguments left over.
    case collected([Argument])
    /// A `**name` parameter: the keywords no other parameter takes, in the order given.
    case collectedKeywords([(name: String, value: Argument)])
  }

  /// Python's binding, for values (a call) or unevaluated expressions (a command's plan): each
  /// parameter's source, in declaration order. Every mistake is a TypeError naming the
  /// argument and the accepted shape.
  func arrange<Argument>(_ positional: [Argument], _ keywords: [(name: String, value: Argument)]) throws(ScriptError) -> [Slot<Argument>] {
    // Names first: a misspelt option is the likeliest mistake, and its message the most useful.
    if !collectsKeywords {
      for (name, _) in keywords where !keywordNames.contains(name) { throw unexpected(name) }
    }
    var given = [Argument?](repeating: nil, count: parameters.count)
    var index = 0
    var extra: [Argument] = []
    for argument in positional {
      while index < parameters.count, parameters[index].passing == .keyword || parameters[index].passing == .keywords { index += 1 }
      guard index < parameters.count else { throw tooMany(positional.count) }
      if parameters[index].passing == .variadic {
        extra.append(argument)
      } else {
        given[index] = argument
        index += 1
      }
    }
    var named = Set<String>()
    var otherKeywords: [(name: String, value: Argument)] = []
    for (name, argument) in keywords {
      guard let slot = parameters.firstIndex(where: { $0.name == name && $0.passing != .variadic && $0.passing != .keywords }) else {
        guard !otherKeywords.contains(where: { $0.name == name }) else { throw ScriptError(.typeError, "\(callName) got keyword argument '\(name)' twice: \(usage)") }
        otherKeywords.append((name, argument))
        continue
      }
      guard given[slot] == nil else {
        throw ScriptError(
          .typeError,
          named.contains(name) ? "\(callName) got option '\(name)' twice: \(usage)" : "\(callName) got multiple values for argument '\(name)': \(usage)")
      }
      named.insert(name)
      given[slot] = argument
    }
    var slots: [Slot<Argument>] = []
    slots.reserveCapacity(parameters.count)
    for (parameter, argument) in zip(parameters, given) {
      if parameter.passing == .variadic {
        slots.append(.collected(extra))
      } else if parameter.passing == .keywords {
        slots.append(.collectedKeywords(otherKeywords))
      } else if let argument {
        slots.append(.given(argument))
      } else if let value = parameter.defaultValue {
        slots.append(.fixed(value))
      } else {
        throw ScriptError(.typeError, "\(callName) missing required argument '\(parameter.name)': \(usage)")
      }
    }
    return slots
  }

  /// The value of each parameter, in declaration order (a variadic one as a list), checked.
  func bind(_ positional: [Value], _ keywords: [(name: String, value: Value)]) throws(ScriptError) -> [Value] {
    if isPlain, keywords.isEmpty, positional.count <= parameters.count { return try bindInOrder(positional) }
    var values: [Value] = []
    values.reserveCapacity(parameters.count)
    for (parameter, slot) in zip(parameters, try arrange(positional, keywords)) {
      values.append(try parameter.value(of: slot, of: callName) { $0 })
    }
    return values
  }

  /// The common call: positional arguments only, filling the parameters in order.
  private func bindInOrder(_ positional: [Value]) throws(ScriptError) -> [Value] {
    var values: [Value] = []
    values.reserveCapacity(parameters.count)
    for (i, parameter) in parameters.enumerated() {
      if i < positional.count {
        values.append(try parameter.type.check(positional[i], parameter.name, of: callName))
      } else if let value = parameter.defaultValue {
        values.append(value)
      } else {
        throw ScriptError(.typeError, "\(callName) missing required argument '\(parameter.name)': \(usage)")
      }
    }
    return values
  }

  func tooMany(_ given: Int) -> ScriptError {
    let most = parameters.filter { $0.passing == .positional }.count
    let takes = most == 0 ? "takes no positional arguments" : "takes at most \(most) positional argument\(most == 1 ? "" : "s")"
    return ScriptError(.typeError, "\(callName) \(takes) (\(given) given): \(usage)")
  }

  func unexpected(_ name: String) -> ScriptError {
    let suggestion = closestName(to: name, among: keywordNames)
    let hint = suggestion.map { "; did you mean '\($0)'?" } ?? ""
    switch form {
    case .call:
      return ScriptError(.typeError, "\(callName) got an unexpected keyword argument '\(name)'\(hint)\(suggestion == nil ? ":" : "") \(usage)")
    case .command:
      let options = parameters.filter { $0.passing == .keyword }.map { "\($0.name)=" }
      let takes = options.isEmpty ? "it takes no options" : "its options: " + options.joined(separator: " ")
      return ScriptError(.typeError, "\(self.name) has no option '\(name)'\(hint) (\(takes)); usage: \(usage)")
    }
  }
}
