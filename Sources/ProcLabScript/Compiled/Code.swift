// Compiled code: the resolved syntax tree turned once into a tree of small nodes, each of
// which knows its job in advance (a local's slot, a global's cell, a call's arity), so that
// running it neither switches over node kinds nor hashes names. Nodes are classes with one
// overridden method rather than closures: a call through a class's table costs no retain of
// a closure context, and each node's fields are plain `let`s the optimiser can read freely.
// What the compiler does not handle runs the tree walker's code for that node (Fallback*).

/// A compiled expression.
class ExprCode {
  func value(_ vm: Interpreter) throws(ScriptError) -> Value {
    preconditionFailure("\(Self.self) must override value(_:)")
  }

  /// The value's truth: comparisons override it to skip making a bool value.
  func truth(_ vm: Interpreter) throws(ScriptError) -> Bool {
    try value(vm).isTruthy
  }

  /// Computes it for what it does alone (a statement `xs.append(x)`): what gives none
  /// overrides it to skip making a value for nothing to drop.
  func effect(_ vm: Interpreter) throws(ScriptError) {
    _ = try value(vm)
  }

  /// True when computing the value assigns no variable and changes no list or dict (it may
  /// still fail): constants, variables, operators on such values.
  var changesNoVariable: Bool { false }
}

/// How a compiled statement ends; a `return`'s value waits in `Interpreter.returnedValue`,
/// so this stays a byte with nothing to count references of.
enum Jump {
  case normal, broke, continued, returned
}

/// A compiled statement.
class StmtCode {
  func run(_ vm: Interpreter) throws(ScriptError) -> Jump {
    preconditionFailure("\(Self.self) must override run(_:)")
  }
}

/// Where an assignment puts its value.
class TargetCode {
  func assign(_ value: consuming Value, _ vm: Interpreter) throws(ScriptError) {
    preconditionFailure("\(Self.self) must override assign(_:_:)")
  }

  /// `assign(.int(i))`, which a variable does without destroying an int it held.
  func assignInt(_ i: Int, _ vm: Interpreter) throws(ScriptError) {
    try assign(.int(i), vm)
  }
}

/// An expression the compiler leaves to the tree walker (dict displays, comprehensions,
/// slices, attributes, calls with keywords or spreads, very deep nesting).
final class FallbackExpr: ExprCode {
  let expr: Expr

  init(_ expr: Expr) { self.expr = expr }

  override func value(_ vm: Interpreter) throws(ScriptError) -> Value {
    try vm.evaluate(expr)
  }
}

/// A statement the compiler leaves to the tree walker (`raise`, `repeat`, unpacking into
/// something other than names, statements it does not know, very deep nesting).
final class FallbackStmt: StmtCode {
  let statement: Stmt

  init(_ statement: Stmt) { self.statement = statement }

  override func run(_ vm: Interpreter) throws(ScriptError) -> Jump {
    switch try vm.execute(statement) {
    case .normal: return .normal
    case .broke: return .broke
    case .continued: return .continued
    case .returned(let value):
      vm.returnedValue = value
      return .returned
    }
  }
}

/// A target the compiler leaves to the tree walker: `for a, b in pairs`, and any kind of
/// target added to the language before the compiler learns it.
final class FallbackTarget: TargetCode {
  let target: Expr

  init(_ target: Expr) { self.target = target }

  override func assign(_ value: consuming Value, _ vm: Interpreter) throws(ScriptError) {
    try vm.assign(value, to: target)
  }
}
