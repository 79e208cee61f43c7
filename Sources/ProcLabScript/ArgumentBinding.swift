// Puts a call's arguments into a function's frame as Python does: positional ones first,
// extras into `*args`, keywords by name or into `**kwargs`, then defaults; the arity errors
// read as Python's, so a Python user recognises them.

extension Interpreter {
  /// The slow path of a call: keywords, defaults, `*args`, `**kwargs` (a call with exactly
  /// the positional arguments a plain function takes never comes here).
  func bind(_ arguments: [Value], _ keywords: [(String, Value)], to function: Function, frameAt base: Int, at location: SourceLocation) throws(ScriptError) {
    let parameters = function.parameters
    let positionalCount = function.positionalCount
    if arguments.count > positionalCount, function.variadic == nil {
      throw ScriptError(.typeError, tooManyPositional(function, given: arguments.count), at: location)
    }
    for i in 0..<min(arguments.count, positionalCount) { stack[base + i] = arguments[i] }
    if function.variadic != nil {
      stack[base + function.variadicSlot] = .tuple(arguments.count > positionalCount ? Array(arguments[positionalCount...]) : [])
    }
    var extra = Dict()
    for (name, value) in keywords {
      if let i = parameters.firstIndex(of: name) {
        guard stack[base + i] == nil else {
          throw ScriptError(.typeError, "\(function.name)() got multiple values for argument '\(name)'", at: location)
        }
        stack[base + i] = value
      } else if function.keywordVariadic != nil {
        try extra.set(value, for: .string(name))
      } else {
        throw ScriptError(.typeError, "\(function.name)() got an unexpected keyword argument '\(name)'", at: location)
      }
    }
    if function.keywordVariadic != nil { stack[base + function.keywordVariadicSlot] = .dict(extra) }
    var missing: [String] = []
    var missingKeywordOnly: [String] = []
    for i in 0..<parameters.count where stack[base + i] == nil {
      if let defaultExpr = function.defaults[i] {
        stack[base + i] = try evaluate(defaultExpr)
      } else if i < positionalCount {
        missing.append(parameters[i])
      } else {
        missingKeywordOnly.append(parameters[i])
      }
    }
    if !missing.isEmpty {
      throw ScriptError(.typeError, missingMessage(function, missing, "positional"), at: location)
    }
    if !missingKeywordOnly.isEmpty {
      throw ScriptError(.typeError, missingMessage(function, missingKeywordOnly, "keyword-only"), at: location)
    }
  }

  /// Checks that a call would bind, as `bind` does, without making it or evaluating defaults:
  /// a process checks its target's arguments before it forks, so a wrong call fails in the
  /// caller, not in a new child.
  public func checkCall(_ callee: Value, arguments: [Value], keywords: [String], at location: SourceLocation) throws(ScriptError) {
    switch callee {
    case .function(let function):
      let parameters = function.parameters
      let positionalCount = function.positionalCount
      if arguments.count > positionalCount, function.variadic == nil {
        throw ScriptError(.typeError, tooManyPositional(function, given: arguments.count), at: location)
      }
      var given = Set(parameters.prefix(min(arguments.count, positionalCount)))
      for name in keywords {
        if parameters.contains(name) {
          guard given.insert(name).inserted else {
            throw ScriptError(.typeError, "\(function.name)() got multiple values for argument '\(name)'", at: location)
          }
        } else if function.keywordVariadic == nil {
          throw ScriptError(.typeError, "\(function.name)() got an unexpected keyword argument '\(name)'", at: location)
        }
      }
      let missing = parameters.indices.filter { !given.contains(parameters[$0]) && function.defaults[$0] == nil }
      if let first = missing.first {
        let names = missing.map { parameters[$0] }
        throw ScriptError(.typeError, missingMessage(function, names, first < positionalCount ? "positional" : "keyword-only"), at: location)
      }
    case .builtin:
      return
    default:
      throw ScriptError(.typeError, "\(callee.typeNameWithArticle) is not callable", at: location)
    }
  }

  /// "f() takes 2 positional arguments but 3 were given", "from 1 to 2" with defaults.
  private func tooManyPositional(_ function: Function, given: Int) -> String {
    let most = function.positionalCount
    let least = function.defaults.prefix(most).prefix { $0 == nil }.count
    let takes = least == most ? "\(most)" : "from \(least) to \(most)"
    let noun = most == 1 && least == most ? "argument" : "arguments"
    return "\(function.name)() takes \(takes) positional \(noun) but \(given) \(given == 1 ? "was" : "were") given"
  }

  /// "f() missing 1 required positional argument: 'y'", "... 2 ...: 'x' and 'y'".
  private func missingMessage(_ function: Function, _ names: [String], _ kind: String) -> String {
    let quoted = names.map { "'\($0)'" }
    let list: String
    switch quoted.count {
    case 1: list = quoted[0]
    case 2: list = "\(quoted[0]) and \(quoted[1])"
    default: list = quoted.dropLast().joined(separator: ", ") + ", and " + quoted[quoted.count - 1]
    }
    let noun = names.count == 1 ? "argument" : "arguments"
    return "\(function.name)() missing \(names.count) required \(kind) \(noun): \(list)"
  }
}
