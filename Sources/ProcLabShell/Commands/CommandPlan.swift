// A command as it stands in the script, worked out on its first run and kept on its syntax
// node: the declaration it runs (its subcommand chosen) and where each parameter's value
// comes from. Every shape mistake (an unknown option, one given twice, too many arguments,
// a missing one) is found here, before anything runs; a command in a loop then only
// evaluates its arguments and runs.
import ProcLabScript

final class CommandPlan {
  let spec: CommandSpec
  /// The call of `spawn f(1)` and `pool apply f(1)`, left unevaluated.
  let call: Expr?
  /// Where each parameter's value comes from (none for a command that reads its own
  /// arguments).
  let sources: [Signature.Slot<Expr>]

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
    let options = command.arguments.compactMap { argument in argument.name.map { (name: $0, value: argument.value) } }
    if spec.reads != nil {
      // Its own grammar reads the words; the table still refuses options it does not declare.
      for option in options where !spec.signature.keywordNames.contains(option.name) { throw spec.signature.unexpected(option.name) }
      sources = []
    } else {
      sources = try spec.signature.arrange(Array(positional), options)
    }
  }
}
