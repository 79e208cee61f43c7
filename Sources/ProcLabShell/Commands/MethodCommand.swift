// Commands that are methods called on an object the command names: `queue get q timeout=1`
// is `q.get(timeout=1)`, `send a 1` is `a.send(1)`, `pool map f xs pool=pl` is
// `pl.map(f, xs)`. Declared from the method, so both forms bind and run the same way.
import ProcLabEngine
import ProcLabScript

extension CommandSpec {
  /// Where the object comes from.
  enum Receiver: Sendable {
    /// The first argument (`queue get Q`, `send END VALUE`).
    case first(Parameter, resolve: @Sendable (Value, Session) -> any Handle)
    /// A `name=` option, else a default (`pool=P`, else the default pool).
    case option(Parameter, fallback: @Sendable (Session) throws(ScriptError) -> any Handle)
  }

  /// The method's required parameters stay positional; its optional ones become options.
  convenience init(_ word: String, method: MethodSpec, receiver: Receiver, summary: String? = nil, example: String) {
    let own = method.signature.parameters.map { parameter in
      parameter.isRequired || parameter.passing == .variadic
        ? parameter
        : Parameter(parameter.name, parameter.type, .keyword, default: parameter.defaultValue, placeholder: parameter.placeholder)
    }
    let parameters: [Parameter]
    switch receiver {
    case .first(let parameter, _): parameters = [parameter] + own
    case .option(let parameter, _): parameters = own + [parameter]
    }
    self.init(word, parameters, summary: summary ?? method.summary, example: example, method: method, receiver: receiver) {
      _, _ throws(ScriptError) in
      preconditionFailure("the runner calls a method command's method")
    }
  }

  /// Runs the method on the object the arguments name (`values` bound to this command's
  /// parameters): the object first, or the `pool=` option last, which the method skips.
  func runMethod(
    _ method: MethodSpec, _ values: [Value], session: Session, at location: SourceLocation, valueIsUsed: Bool
  ) throws(ScriptError) -> Value {
    var arguments = Arguments(values: values, session: session, location: location, receiver: nil, valueIsUsed: valueIsUsed)
    switch receiver! {
    case .first(_, let resolve):
      if case .handle(let given) = values[0] { arguments.receiver = given } else { arguments.receiver = resolve(values[0], session) }
      arguments.offset = 1
    case .option(_, let fallback):
      if case .handle(let given) = values[values.count - 1] { arguments.receiver = given } else { arguments.receiver = try fallback(session) }
    }
    return try method.run(arguments)
  }
}
