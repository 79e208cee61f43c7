// Every value a script can hold. Lists, tuples and dicts are Swift values (copied on write), so
// a child process and its session can never share one by accident: what a child changes stays its own.

public enum Value: @unchecked Sendable {
  case none
  case bool(Bool)
  case int(Int)
  case float(Double)
  case string(String)
  case list([Value])
  /// An immutable sequence: `(1, 2)`, `(1,)`, `()`.
  case tuple([Value])
  /// One reference: a dict keeps its arrays in one object of its own (see Dict).
  case dict(Dict)
  /// `range(start, stop, step)`, kept lazy so `range(1000000)` costs nothing until iterated.
  /// Boxed (`indirect`), like errors, so every value stays 17 bytes: values are copied
  /// everywhere, and an 80-byte payload in one case would make every copy pay for it.
  indirect case range(Int, Int, Int)
  case function(Function)
  case builtin(Builtin)
  /// A process, pool, async result, queue or pipe end, owned by the engine.
  case handle(any Handle)
  /// A caught error: `catch e` binds one.
  indirect case error(ScriptError)

  public var typeName: String {
    switch self {
    case .none: "none"
    case .bool: "bool"
    case .int: "int"
    case .float: "float"
    case .string: "string"
    case .list: "list"
    case .tuple: "tuple"
    case .dict: "dict"
    case .range: "range"
    case .function, .builtin: "function"
    case .handle(let h): h.typeName
    case .error: "error"
    }
  }

  /// The name Python gives the type, for messages Python users know by heart:
  /// "unhashable type: 'list'", "'<' not supported between instances of 'int' and 'str'".
  public var pythonTypeName: String {
    switch self {
    case .string: "str"
    case .none: "NoneType"
    default: typeName
    }
  }

  /// The type name with its article, for messages: "an int", "a list", "none".
  public var typeNameWithArticle: String { withArticle(typeName) }

  /// `len` of a list, tuple, dict or string, which each knows; nil for any other value.
  /// Asked of the value where it stands: `len` binds no copy of the payload.
  var storedLength: Int? {
    switch self {
    case .list(let items), .tuple(let items): items.count
    case .dict(let d): d.count
    case .string(let s): s.characterCount
    default: nil
    }
  }

  public var isTruthy: Bool {
    switch self {
    case .none: false
    case .bool(let b): b
    case .int(let i): i != 0
    case .float(let d): d != 0
    case .string(let s): !s.isEmpty
    case .list(let l), .tuple(let l): !l.isEmpty
    case .dict(let d): d.count > 0
    case .range(let a, let b, let s): !IntRange(a, b, s).isEmpty
    default: true
    }
  }
}

extension Value {
  // Move a payload out of a value (which becomes none), so that no copy of the enum keeps a
  // second reference to the buffer and the caller can change it in place. Each is a function
  // of its own: a `switch` or `if case` keeps a copy of its subject while its body runs.

  /// A list or a string: what `+=` on a variable extends in place.
  var growsInPlace: Bool {
    switch self {
    case .list, .string: true
    default: false
    }
  }

  static func moveList(_ value: inout Value) -> [Value]? {
    guard case .list(let items) = value else { return nil }
    value = .none
    return items
  }

  static func moveDict(_ value: inout Value) -> Dict? {
    guard case .dict(let d) = value else { return nil }
    value = .none
    return d
  }

  static func moveString(_ value: inout Value) -> String? {
    guard case .string(let s) = value else { return nil }
    value = .none
    return s
  }
}

/// A type name with "a" or "an" before it as it is spoken, for error messages: `withArticle("int")`
/// is "an int", `withArticle("async result")` "an async result", `withArticle("pool")` "a pool".
/// "none" stays bare: "len() of none" reads better than "of a none".
public func withArticle(_ name: String) -> String {
  guard name != "none" else { return name }
  switch name.unicodeScalars.first {
  case "a", "e", "i", "o", "u", "A", "E", "I", "O", "U": return "an " + name
  default: return "a " + name
  }
}

/// A function implemented in Swift: the language core's and the engine's builtins.
public final class Builtin: @unchecked Sendable {
  public typealias Body = (_ call: BuiltinCall) throws(ScriptError) -> Value
  public let name: String
  public let body: Body

  public init(_ name: String, _ body: @escaping Body) {
    self.name = name
    self.body = body
  }
}

/// What a builtin is called with: evaluated arguments, keyword arguments and the call's place.
public struct BuiltinCall {
  public var arguments: [Value]
  public var keywords: [String: Value]
  public var location: SourceLocation
  /// Unowned(unsafe): the interpreter outlives every call it makes, and a checked unowned
  /// reference costs two atomic operations for each builtin or method called.
  public unowned(unsafe) let interpreter: Interpreter

  public func argument(_ i: Int, _ what: String) throws(ScriptError) -> Value {
    guard i < arguments.count else {
      throw ScriptError(.typeError, "missing argument \(i + 1) (\(what))", at: location)
    }
    return arguments[i]
  }
}

/// An engine object a script can hold. Its attributes and methods are the host's to resolve
/// (the command table declares them), so the language knows no engine type.
public protocol Handle: AnyObject {
  var typeName: String { get }
  /// What the REPL prints, e.g. `<Process w1 pid=4311 started>`.
  var display: String { get }
}
