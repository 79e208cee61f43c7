// How values order, as in Python: numbers by value, strings by code point, lists and tuples
// item by item (the first unequal pair decides, then the shorter comes first). Anything else
// is a TypeError naming both types, as Python's message does.

enum Ordering {
  /// -1, 0 or 1; `op` is the operator to name in the error (`<` for sorting).
  static func compare(_ l: Value, _ r: Value, _ op: String, at location: SourceLocation) throws(ScriptError) -> Int {
    switch (l, r) {
    case (.int(let a), .int(let b)): return a < b ? -1 : (a > b ? 1 : 0)
    case (.string(let a), .string(let b)): return a < b ? -1 : (a > b ? 1 : 0)
    case (.list(let a), .list(let b)), (.tuple(let a), .tuple(let b)):
      for (x, y) in zip(a, b) where x != y { return try compare(x, y, op, at: location) }
      return a.count < b.count ? -1 : (a.count > b.count ? 1 : 0)
    default:
      guard let a = l.asDouble, let b = r.asDouble else {
        throw ScriptError(
          .typeError, "'\(op)' not supported between instances of '\(l.pythonTypeName)' and '\(r.pythonTypeName)'", at: location)
      }
      return a < b ? -1 : (a > b ? 1 : 0)
    }
  }
}
