// Methods of dicts (`d.get(k)`, `d.pop(k)`). As with lists, a method that changes the dict
// works on a copy that the caller writes back to the variable.

enum DictMethods {
  /// Every method name, as `dir` lists them.
  static let names = ["get", "items", "keys", "pop", "update", "values"]

  static func changesDict(_ name: String) -> Bool { name == "pop" || name == "update" }

  /// Runs the method on `d`; nil when there is no such method.
  static func call(_ d: inout Dict, _ name: String, _ call: BuiltinCall) throws(ScriptError) -> Value? {
    switch name {
    case "keys": return .list(d.keys)
    case "values": return .list(d.values)
    case "items": return items(of: d)
    case "get":
      let key = try call.argument(0, "a key")
      return try d.value(for: key) ?? call.arguments.dropFirst().first ?? call.keywords["default"] ?? Value.none
    case "pop":
      let key = try call.argument(0, "a key")
      if let value = try d.remove(key) { return value }
      if let fallback = call.arguments.dropFirst().first ?? call.keywords["default"] { return fallback }
      throw ScriptError(.keyError, key.repr)
    case "update":
      var pairs: [(Value, Value)] = call.keywords.sorted { $0.key < $1.key }.map { (.string($0.key), $0.value) }
      if let other = call.arguments.first {
        pairs = try DictMethods.pairs(of: other, interrupts: call.interpreter.host) + pairs
      }
      for (key, value) in pairs { try d.set(value, for: key) }
      return Value.none
    default:
      return nil
    }
  }

  private static func items(of d: Dict) -> Value {
    .list(zip(d.keys, d.values).map { .tuple([$0, $1]) })
  }

  /// `d.keys()`, `d.get(k)`, `d.get(k, v)` and the like for a compiled call site, as
  /// StringMethods.quick: nil for an unhashable key, which `call` reports.
  static func quick(_ d: Dict, _ method: ValueMethod) -> Value? {
    switch method {
    case .keys: .list(d.keys)
    case .values: .list(d.values)
    case .items: items(of: d)
    default: nil
    }
  }

  static func quick(_ d: Dict, _ method: ValueMethod, _ key: Value, default fallback: Value = .none) -> Value? {
    guard method == .get else { return nil }
    do { return try d.value(for: key) ?? fallback } catch { return nil }
  }

  /// The pairs of a dict, or of a sequence of two-item tuples or lists (`dict([("a", 1)])`).
  static func pairs(of value: Value, interrupts host: ScriptHost) throws(ScriptError) -> [(Value, Value)] {
    if case .dict(let other) = value { return Array(zip(other.keys, other.values)) }
    guard let items = try value.sequenceElements(interrupts: host) else {
      throw ScriptError(.typeError, "expected a dict or a list of pairs, not \(value.typeNameWithArticle)")
    }
    var pairs: [(Value, Value)] = []
    for item in items {
      guard let pair = item.elementsIfSequence, pair.count == 2, !(item.isDict) else {
        throw ScriptError(.valueError, "expected a pair (key, value), got \(item.repr)")
      }
      pairs.append((pair[0], pair[1]))
    }
    return pairs
  }
}

extension Value {
  var isDict: Bool {
    if case .dict = self { return true }
    return false
  }
}
