// Methods of strings (`s.upper()`, `", ".join(xs)`): the few a process experiment needs.

enum StringMethods {
  /// Every method name, as `dir` lists them.
  static let names = ["endswith", "join", "lower", "split", "startswith", "strip", "upper"]

  static func call(_ s: String, _ name: String, _ call: BuiltinCall) throws(ScriptError) -> Value? {
    switch name {
    case "upper": return .string(s.uppercased())
    case "lower": return .string(s.lowercased())
    case "strip": return .string(s.trimmingSpaces)
    case "startswith": return .bool(s.hasPrefix(try text(call, 0)))
    case "endswith": return .bool(s.hasSuffix(try text(call, 0)))
    case "split":
      if call.arguments.isEmpty {
        return .list(s.split(whereSeparator: \.isWhitespace).map { .string(String($0)) })
      }
      let separator = try text(call, 0)
      guard !separator.isEmpty else { throw ScriptError(.valueError, "empty separator") }
      return .list(s.split(separator: separator, omittingEmptySubsequences: false).map { .string(String($0)) })
    case "join":
      guard let items = try call.arguments.first?.sequenceElements(interrupts: call.interpreter.host) else {
        throw ScriptError(.typeError, "join() takes a list")
      }
      return .string(items.map(\.description).joined(separator: s))
    default: return nil
    }
  }

  private static func text(_ call: BuiltinCall, _ i: Int) throws(ScriptError) -> String {
    guard case .string(let s) = try call.argument(i, "a string") else {
      throw ScriptError(.typeError, "expected a string argument")
    }
    return s
  }
}
