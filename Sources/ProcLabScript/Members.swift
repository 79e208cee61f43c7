// The attribute and method names of every value, declared once: `dir(x)` lists them and
// an AttributeError suggests the closest. Engine objects answer through the host.

enum Members {
  static let errorAttributes = ["kind", "line", "message", "origin", "trace", "where"]

  /// The names `x.NAME` can use on `value`, sorted.
  static func names(of value: Value, host: ScriptHost) -> [String] {
    switch value {
    case .string: return StringMethods.names
    case .list: return ListMethods.names
    case .tuple: return ListMethods.tupleNames
    case .dict: return DictMethods.names
    case .error: return errorAttributes
    case .handle(let handle): return host.memberNames(of: handle).sorted()
    default: return []
    }
  }
}

/// A method of strings, lists, tuples or dicts, named once where a compiled call is made
/// (see MethodCallCode), so that calling it compares no names: the methods whose common
/// shapes `quick` answers in StringMethods, ListMethods and DictMethods.
enum ValueMethod: String {
  case upper, lower, strip, startswith, endswith, split, join
  case index, count
  case get, keys, values, items

  /// Strings have it: a call on a local holding one is answered from its slot.
  var isStringMethod: Bool {
    switch self {
    case .upper, .lower, .strip, .startswith, .endswith, .split, .join: true
    default: false
    }
  }

  /// Only dicts have it: a call on a variable holding one reads the dict where it stands.
  var isDictMethod: Bool {
    switch self {
    case .get, .keys, .values, .items: true
    default: false
    }
  }
}
