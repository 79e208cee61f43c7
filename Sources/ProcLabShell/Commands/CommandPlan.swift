// A command as it stands in the script, worked out on its first run and kept on its syntax
// node: the declaration it runs (its subcommand chosen) and where each parameter's value
// comes from. Every shape mistake (an unknown option, one given twice, too many arguments,
// a missing one) is found here, before anything runs; a command in a loop then only
// evaluates its arguments and runs.
import ProcLabScript

final class CommandPlan {
  /// Where a parameter's value comes from: an expression read as the parameter's type, or a
  /// fixed value (its default). A struct of fields, not an enum: a run reads one field
  /// without copying (and counting references to) the rest.
  struct Source {
    let expression: Expr?
    let type: ArgumentType
    let fixed: Value
  }

  let spec: CommandSpec
  /// The call of `spawn f(1)` and `pool apply f(1)`, left unevaluated.
  let call: Expr?
  /// One source per parameter, or nil when a variadic parameter takes what is left: then
  /// the arguments are bound at each run.
  let sources: [Source]?
  /// The arguments after the subcommand word and the call, for the bound-at-each-run path.
  let positional: [Expr]

  init(_ command: Command, _ declared: CommandSpec, _ interpreter: Interpreter) throws(ScriptError) {
    var spec = declared
    var positional = command.positional[...]
    if !spec.subcommands.isEmpty, let first = positional.first, case .name(let word) = first.kind, interpreter.globals[word] == nil,
      let sub = spec.subcommand(word)
    {
      spec = sub
      positional = positional.dropFirst()
    } else if !spec.subcommands.isEmpty, spec.signature.parameters.isEmpty, let first = positional.first {
      let words = spec.subcommands.map(\.subcommandWord)
      throw ScriptError(
        .usageError,
        "unknown \(spec.word) command '\(first.text)'\(didYouMean(first.text, among: words)) (expected \(words.joined(separator: ", ")))",
        at: first.location)
    }
    var call: Expr?
    if spec.takesCall {
      guard let first = positional.first, case .call = first.kind else {
        throw ScriptError(.typeError, "\(spec.word) takes a call, such as \(spec.word) work(3); usage: \(spec.usage)")
      }
      call = first
      positional = positional.dropFirst()
    }
    self.spec = spec
    self.call = call
    self.positional = Array(positional)
    let signature = spec.signature
    // Options first: a misspelt one is the likeliest mistake, and its message the most useful.
    var options: [(name: String, value: Expr)] = []
    for argument in command.arguments {
      guard let name = argument.name else { continue }
      guard signature.keywordNames.contains(name) else { throw signature.unexpected(name) }
      guard !options.contains(where: { $0.name == name }) else {
        throw ScriptError(.typeError, "\(spec.word) got option '\(name)' twice: \(spec.usage)")
      }
      options.append((name, argument.value))
    }
    if spec.reads != nil || signature.parameters.contains(where: { $0.passing == .variadic }) {
      sources = nil
      return
    }
    var sources: [Source] = []
    var next = 0
    for parameter in signature.parameters {
      let option = options.first { $0.name == parameter.name }?.value
      if parameter.passing == .positional, next < positional.count {
        guard option == nil else {
          throw ScriptError(.typeError, "\(spec.word) got multiple values for argument '\(parameter.name)': \(spec.usage)")
        }
        sources.append(Source(expression: self.positional[next], type: parameter.type, fixed: .none))
        next += 1
      } else if let option {
        sources.append(Source(expression: option, type: parameter.type, fixed: .none))
      } else if let value = parameter.defaultValue {
        sources.append(Source(expression: nil, type: .any, fixed: value))
      } else {
        throw ScriptError(.typeError, "\(spec.word) missing required argument '\(parameter.name)': \(spec.usage)")
      }
    }
    guard next == positional.count else { throw signature.tooMany(positional.count) }
    self.sources = sources
  }
}
