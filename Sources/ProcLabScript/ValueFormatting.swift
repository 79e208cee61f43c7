// How values read as text: `str()` and print show strings bare, the REPL and lists
// show them quoted, as Python's str and repr do. Equality and ordering live here too.

extension Value: CustomStringConvertible {
  /// The text `print` and `str()` produce.
  public var description: String {
    if case .string(let s) = self { return s }
    return repr
  }

  /// The text the REPL echoes and lists show: strings quoted.
  public var repr: String {
    switch self {
    case .none: return "none"
    case .bool(let b): return b ? "true" : "false"
    case .int(let i): return String(i)
    case .float(let d): return Value.formatFloat(d)
    case .string(let s): return Value.quote(s)
    case .list(let items): return "[" + items.map(\.repr).joined(separator: ", ") + "]"
    case .tuple(let items):
      return items.count == 1 ? "(\(items[0].repr),)" : "(" + items.map(\.repr).joined(separator: ", ") + ")"
    case .dict(let d):
      return "{" + zip(d.keys, d.values).map { "\($0.repr): \($1.repr)" }.joined(separator: ", ") + "}"
    case .range(let a, let b, let s): return s == 1 ? "range(\(a), \(b))" : "range(\(a), \(b), \(s))"
    case .function(let f): return "<function \(f.name)>"
    case .builtin(let b): return "<builtin \(b.name)>"
    case .handle(let h): return h.display
    case .error(let e): return "<\(e.kind): \(e.message)>"
    }
  }

  static func formatFloat(_ d: Double) -> String {
    if d.isFinite, d == d.rounded(), abs(d) < 1e16 { return String(Int(d)) + ".0" }
    return String(d)
  }

  static func quote(_ s: String) -> String {
    var out = "\""
    for c in s.unicodeScalars {
      switch c {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      default: out.unicodeScalars.append(c)
      }
    }
    return out + "\""
  }
}

extension Value: Equatable {
  public static func == (lhs: Value, rhs: Value) -> Bool {
    switch (lhs, rhs) {
    case (.none, .none): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.int(let a), .int(let b)): return a == b
    case (.float(let a), .float(let b)): return a == b
    case (.int(let a), .float(let b)), (.float(let b), .int(let a)): return Double(a) == b
    case (.string(let a), .string(let b)): return a == b
    case (.list(let a), .list(let b)), (.tuple(let a), .tuple(let b)): return a == b
    case (.dict(let a), .dict(let b)): return Dict.equal(a, b)
    case (.range(let a, let b, let s), .range(let c, let d, let t)):
      return IntRange(a, b, s) == IntRange(c, d, t)
    case (.range(let a, let b, let s), .list(let items)), (.list(let items), .range(let a, let b, let s)):
      let range = IntRange(a, b, s)
      guard range.count == UInt(items.count) else { return false }
      return items.indices.allSatisfy { items[$0] == .int(range.element(UInt($0))) }
    case (.function(let a), .function(let b)): return a === b
    case (.builtin(let a), .builtin(let b)): return a === b
    case (.handle(let a), .handle(let b)): return a === b
    case (.error(let a), .error(let b)): return a == b
    default: return false
    }
  }

  /// The elements of a list, tuple or range, or a dict's keys (what a loop over it gives);
  /// nil for anything else, and for a range too big for the memory budget (the language's
  /// own callers use `sequenceElements(interrupts:)`, which says MemoryError instead).
  public var elementsIfSequence: [Value]? {
    switch self {
    case .list(let items), .tuple(let items): return items
    case .dict(let d): return d.keys
    case .handle(let handle as SequenceHandle): return try? handle.elements()
    case .range(let a, let b, let s):
      let range = IntRange(a, b, s)
      let n = range.count
      guard n <= UInt(MemoryBudget.bytes / MemoryBudget.bytesPerItem) else { return nil }
      return (0..<Int(n)).map { .int(range.element(UInt($0))) }
    default: return nil
    }
  }
}
