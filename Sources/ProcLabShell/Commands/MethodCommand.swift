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
    switch receiver {
    case .first(let parameter, let resolve):
      self.init(word, [parameter] + own, summary: summary ?? method.summary, example: example) { arguments, _ throws(ScriptError) in
        let object: any Handle
        if case .handle(let given) = arguments[0] { object = given } else { object = resolve(arguments[0], arguments.session) }
        return try method.run(arguments.with(receiver: object, offset: 1))
      }
    case .option(let parameter, let fallback):
      self.init(word, own + [parameter], summary: summary ?? method.summary, example: example) { arguments, _ throws(ScriptError) in
        let object: any Handle
        if case .handle(let given) = arguments.values.last! { object = given } else { object = try fallback(arguments.session) }
        // The method reads its own arguments from the front; the `pool=` option after them is ignored.
        return try method.run(arguments.with(receiver: object, offset: 0))
      }
    }
  }
}

extension Arguments {
  func with(receiver: any Handle, offset: Int) -> Arguments {
    var arguments = Arguments(values: values, session: session, location: location, receiver: receiver, valueIsUsed: valueIsUsed)
    arguments.offset = offset
    return arguments
  }
}
