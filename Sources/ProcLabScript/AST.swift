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
    /// `(a, b)`, `(a,)`, `()`; also the targets of `for a, b in pairs`.
    case tuple([Expr])
    /// `{key: value, ...}` in expression position.
    case dict([(key: Expr, value: Expr)])
    /// `[x * x for x in xs if x > 1]` and `{k: v for k in xs}`.
    case comprehension(Comprehension)
    case format([FormatPart])
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr)
    case and(Expr, Expr)
    case or(Expr, Expr)
    /// `A if C else B`: the condition, then A and B.
    case conditional(Expr, Expr, Expr)
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
  private var lazyText: NodeText
  /// The source text of the expression (for `expect`, `spawn` and the process table).
  public var text: String { lazyText.string() }

  public init(_ kind: Kind, at location: SourceLocation, text: String, start: SourceLocation? = nil) {
    self.kind = kind
    self.location = location
    self.start = start ?? location
    self.lazyText = NodeText(text)
  }

  init(_ kind: Kind, at location: SourceLocation, text: SourceSlice, start: SourceLocation? = nil) {
    self.kind = kind
    self.location = location
    self.start = start ?? location
    self.lazyText = NodeText(text)
  }
}

/// The scalars of one parsed text, shared by its nodes.
final class SourceText: @unchecked Sendable {
  let scalars: [Unicode.Scalar]

  init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

  func text(_ start: Int, _ end: Int) -> String {
    guard end > start else { return "" }
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars[start..<end])
    return String(view)
  }
}

/// Where a node's text lies in its source. Nodes keep this, not a String: each level of a
/// nested construct copying the text of every level inside it made parsing quadratic.
struct SourceSlice {
  let source: SourceText
  let start: Int
  let end: Int

  var string: String { source.text(start, end) }
}

/// A node's text: given, or a slice of its source made into a String on first use and kept.
struct NodeText {
  private var value: String?
  private let slice: SourceSlice?

  init(_ text: String) {
    value = text
    slice = nil
  }

  init(_ slice: SourceSlice) {
    value = nil
    self.slice = slice
  }

  mutating func string() -> String {
    if let value { return value }
    let made = slice?.string ?? ""
    value = made
    return made
  }
}

/// A call argument: positional, `name=value`, or spread: `*xs` (positional) or `**d` (keywords).
public struct Argument {
  public enum Spread: Sendable { case positional, keywords }
  public var name: String?
  public var value: Expr
  public var spread: Spread? = nil
}

/// A comprehension: what each round gives, and its `for` and `if` clauses in order.
public final class Comprehension: @unchecked Sendable {
  public enum Element {
    case item(Expr)
    case pair(key: Expr, value: Expr)
  }

  public enum Clause {
    /// `for TARGET in SEQUENCE`: the target is a name or a tuple of targets.
    case loop(Expr, Expr)
    case filter(Expr)
  }

  public let element: Element
  public let clauses: [Clause]
  /// The slots of a frame of its own, when it stands outside any function: its variables
  /// must not become globals (Python 3). Zero inside a function, whose frame holds them.
  public internal(set) var frameSize = 0

  public init(element: Element, clauses: [Clause]) {
    self.element = element
    self.clauses = clauses
  }
}

/// A shell-like command: a word, then arguments and `key=value` options, left unevaluated
/// so that each command decides what its words mean (`join all`, `kill p signal=KILL`).
public final class Command: @unchecked Sendable {
  public let word: String
  public let arguments: [Argument]
  public let location: SourceLocation
  private var lazyText: NodeText
  public var text: String { lazyText.string() }
  /// True when the command's value is used (`x = pool start 2`, `(get r)`), false when it
  /// stands alone as a statement; `pool start` makes a named pool only in the first case.
  public let valueIsUsed: Bool

  public convenience init(word: String, arguments: [Argument], at location: SourceLocation, text: String, valueIsUsed: Bool) {
    self.init(word: word, arguments: arguments, at: location, lazyText: NodeText(text), valueIsUsed: valueIsUsed)
  }

  init(word: String, arguments: [Argument], at location: SourceLocation, lazyText: NodeText, valueIsUsed: Bool) {
    self.word = word
    self.arguments = arguments
    self.location = location
    self.lazyText = lazyText
    self.valueIsUsed = valueIsUsed
    self.positional = arguments.compactMap { $0.name == nil ? $0.value : nil }
  }

  /// The arguments without a `name=`, kept from construction: commands run in hot loops.
  public let positional: [Expr]

  /// What the host found the word to mean, kept by the host on first run so that a command
  /// in a loop is looked up once (an inline cache, as fast interpreters keep at call sites).
  public var resolved: AnyObject?

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
    /// `with X { }`: holds a lock, semaphore or condition for the block (see ContextHandle).
    case with(Expr, [Stmt])
    /// `try { } catch NAME { }`.
    case tryCatch([Stmt], Expr, [Stmt])
    case expect(Expr)
    /// `time STATEMENT` or `time -n N STATEMENT`.
    case time(Expr?, Stmt)
    /// `repeat N STATEMENT`: the statement (or block) run N times, each in a fresh child.
    case repeatRuns(Expr, Stmt)
    case returnValue(Expr?)
    case breakLoop
    case continueLoop
    case block([Stmt])
    /// `global NAME, ...`: inside a function those names are the globals (see Resolver).
    case global([String])
    /// `raise ERROR`, or a bare `raise` inside `catch` (nil).
    case raise(Expr?)
  }

  public let kind: Kind
  public let location: SourceLocation
  private var lazyText: NodeText
  public var text: String { lazyText.string() }

  public init(_ kind: Kind, at location: SourceLocation, text: String) {
    self.kind = kind
    self.location = location
    self.lazyText = NodeText(text)
  }

  init(_ kind: Kind, at location: SourceLocation, text: SourceSlice) {
    self.kind = kind
    self.location = location
    self.lazyText = NodeText(text)
  }
}

/// A function defined with `def`: parameters (with optional defaults) and a body.
public final class Function: @unchecked Sendable {
  public let name: String
  /// The named parameters: the first `positionalCount` take positional arguments, the rest
  /// (after `*args`) only keywords.
  public let parameters: [String]
  public let defaults: [Expr?]
  public let positionalCount: Int
  /// `*args`: the name that receives extra positional arguments as a tuple.
  public let variadic: String?
  /// `**kwargs`: the name that receives unknown keyword arguments as a dict.
  public let keywordVariadic: String?
  /// With no `*args`, `**kwargs` or keyword-only parameters, calls giving this many positional
  /// arguments take the short path; -1 for other functions. A field of its own: a call checks
  /// it without loading the parameters' array.
  let plainArity: Int
  public let body: [Stmt]
  public let location: SourceLocation
  /// Frame slots a call needs: named parameters first, then `*args`, `**kwargs`, then the
  /// other locals (see Resolver).
  public internal(set) var slotCount: Int
  /// The name of every slot, for "did you mean" in a NameError.
  public internal(set) var slotNames: [String]
  /// The body compiled on the first call (see Compiler); a forked child inherits it.
  var code: FunctionCode? {
    didSet {
      compiledBody = code?.body.map { Unmanaged.passUnretained($0) }
      compiledTail = code?.tail.map { Unmanaged.passUnretained($0) }
      compiledFor = code.map { ObjectIdentifier($0.globals) }
    }
  }
  /// `code`'s parts and global table, read on every call without a retain: `code` owns them.
  var compiledBody: Unmanaged<StmtCode>?
  var compiledTail: Unmanaged<ExprCode>?
  var compiledFor: ObjectIdentifier?
  private var lazySource: NodeText
  /// The `def` as written: a pool worker forked before the definition compiles it from this.
  public var source: String { lazySource.string() }

  public convenience init(
    name: String, parameters: [String], defaults: [Expr?], positionalCount: Int? = nil, variadic: String? = nil,
    keywordVariadic: String? = nil, body: [Stmt], at location: SourceLocation, source: String
  ) {
    self.init(
      name: name, parameters: parameters, defaults: defaults, positionalCount: positionalCount, variadic: variadic,
      keywordVariadic: keywordVariadic, body: body, at: location, lazySource: NodeText(source))
  }

  init(
    name: String, parameters: [String], defaults: [Expr?], positionalCount: Int?, variadic: String?,
    keywordVariadic: String?, body: [Stmt], at location: SourceLocation, lazySource: NodeText
  ) {
    self.name = name
    self.parameters = parameters
    self.defaults = defaults
    self.positionalCount = positionalCount ?? parameters.count
    self.variadic = variadic
    self.keywordVariadic = keywordVariadic
    let isPlain = self.positionalCount == parameters.count && variadic == nil && keywordVariadic == nil
    self.plainArity = isPlain ? parameters.count : -1
    self.body = body
    self.location = location
    self.lazySource = lazySource
    self.slotNames = parameters + [variadic, keywordVariadic].compactMap { $0 }
    self.slotCount = slotNames.count
  }

  /// The slot of `*args`, then of `**kwargs`, after the named parameters.
  var variadicSlot: Int { parameters.count }
  var keywordVariadicSlot: Int { parameters.count + (variadic == nil ? 0 : 1) }
}

public enum BinaryOperator: String, Sendable {
  case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%", power = "**"
  case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
  case contains = "in", notContains = "not in"
  case identical = "is", notIdentical = "is not"
}

public enum UnaryOperator: String, Sendable {
  case negate = "-", plus = "+", not = "not"
}
