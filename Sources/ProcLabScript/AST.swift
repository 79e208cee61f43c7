// The syntax tree, defined in one place: what the parser builds and the interpreter walks.
// Nodes are classes so that the tree is shared, not copied, as it is passed around.

public final class Expr: @unchecked Sendable {
  public enum Kind {
    case literal(Value)
    /// A global (or builtin) name.
    case name(String)
    /// A local of the enclosing function: its slot in the call's frame (see Resolver).
    case local(Int, String)
    case list([Expr])
    case format([FormatPart])
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr)
    case and(Expr, Expr)
    case or(Expr, Expr)
    case call(Expr, [Argument])
    case index(Expr, Expr)
    /// `xs[start:stop:step]`; a missing part is nil.
    case slice(Expr, Expr?, Expr?, Expr?)
    case attribute(Expr, String)
    /// A command used as a value: `(get r)`, `x = pool map f xs`.
    case command(Command)
  }

  public enum FormatPart {
    case text(String)
    case code(Expr)
  }

  /// Settled by the parser; the Resolver turns a function's local names into slots.
  public internal(set) var kind: Kind
  /// Where errors of this expression point: the operator of a binary operation (`1 / x`
  /// fails at `/`), else where the expression starts.
  public let location: SourceLocation
  /// Where the expression's text starts (differs from `location` for operators).
  public let start: SourceLocation
  /// The source text of the expression (for `expect`, `spawn` and the process table).
  public let text: String

  public init(_ kind: Kind, at location: SourceLocation, text: String, start: SourceLocation? = nil) {
    self.kind = kind
    self.location = location
    self.start = start ?? location
    self.text = text
  }
}

/// A call argument: positional, or `name=value`.
public struct Argument {
  public var name: String?
  public var value: Expr
}

/// A shell-like command: a word, then arguments and `key=value` options, left unevaluated
/// so that each command decides what its words mean (`join all`, `kill p signal=KILL`).
public final class Command: @unchecked Sendable {
  public let word: String
  public let arguments: [Argument]
  public let location: SourceLocation
  public let text: String
  /// True when the command's value is used (`x = pool start 2`, `(get r)`), false when it
  /// stands alone as a statement; `pool start` makes a named pool only in the first case.
  public let valueIsUsed: Bool

  public init(word: String, arguments: [Argument], at location: SourceLocation, text: String, valueIsUsed: Bool) {
    self.word = word
    self.arguments = arguments
    self.location = location
    self.text = text
    self.valueIsUsed = valueIsUsed
    self.positional = arguments.compactMap { $0.name == nil ? $0.value : nil }
  }

  /// The arguments without a `name=`, kept from construction: commands run in hot loops.
  public let positional: [Expr]

  public func option(_ name: String) -> Expr? {
    arguments.first { $0.name == name }?.value
  }
}

public final class Stmt: @unchecked Sendable {
  public enum Kind {
    case expression(Expr)
    case assign([Expr], Expr)
    case augmented(Expr, BinaryOperator, Expr)
    case command(Command)
    /// `def`: the function, and the name it is bound to (global, or local in a function).
    case define(Function, Expr)
    case ifElse(Expr, [Stmt], [Stmt]?)
    /// `for VARIABLE in SEQUENCE { }`: the variable is an assignable name.
    case forIn(Expr, Expr, [Stmt])
    case whileLoop(Expr, [Stmt])
    /// `try { } catch NAME { }`.
    case tryCatch([Stmt], Expr, [Stmt])
    case expect(Expr)
    /// `time STATEMENT` or `time -n N STATEMENT`.
    case time(Expr?, Stmt)
    case returnValue(Expr?)
    case breakLoop
    case continueLoop
    case block([Stmt])
    /// `global NAME, ...`: inside a function those names are the globals (see Resolver).
    case global([String])
  }

  public let kind: Kind
  public let location: SourceLocation
  public let text: String

  public init(_ kind: Kind, at location: SourceLocation, text: String) {
    self.kind = kind
    self.location = location
    self.text = text
  }
}

/// A function defined with `def`: parameters (with optional defaults) and a body.
public final class Function: @unchecked Sendable {
  public let name: String
  public let parameters: [String]
  public let defaults: [Expr?]
  public let body: [Stmt]
  public let location: SourceLocation
  /// Frame slots a call needs: parameters first, then the other locals (see Resolver).
  public internal(set) var slotCount: Int
  /// The `def` as written: a pool worker forked before the definition compiles it from this.
  public let source: String

  public init(name: String, parameters: [String], defaults: [Expr?], body: [Stmt], at location: SourceLocation, source: String) {
    self.name = name
    self.parameters = parameters
    self.defaults = defaults
    self.body = body
    self.location = location
    self.source = source
    self.slotCount = parameters.count
  }
}

public enum BinaryOperator: String, Sendable {
  case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%", power = "**"
  case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
  case contains = "in", notContains = "not in"
}

public enum UnaryOperator: String, Sendable {
  case negate = "-", plus = "+", not = "not"
}
