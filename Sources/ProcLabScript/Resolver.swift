// Gives each function's local variables a slot in its call frame, once, after the parser
// has read the function: a call then reads and writes an array, not a dictionary by name.
// As in Python, a name assigned anywhere in a function is local to it everywhere in it,
// unless a `global NAME` statement anywhere in the function says it is the global.
// A comprehension's variables get slots of their own, so they never leak (Python 3).

struct Resolver {
  /// The name of every slot given out so far, in slot order.
  private var slotNames: [String]
  /// Outside any function: names stay global, and each comprehension gets a frame of its own.
  private var topLevel = false

  static func resolve(_ function: Function) throws(ScriptError) {
    var globals: Set<String> = []
    try collectGlobals(function.body) { name, statement throws(ScriptError) in
      if function.slotNames.contains(name) {
        throw .syntax("'\(name)' is a parameter of \(function.name)() and cannot be global", at: statement.location)
      }
      globals.insert(name)
    }
    var resolver = Resolver(slotNames: function.slotNames)
    var slots: [String: Int] = [:]
    for (i, name) in function.slotNames.enumerated() where slots[name] == nil { slots[name] = i }
    collectBindings(function.body) { name in
      if slots[name] == nil, !globals.contains(name) { slots[name] = resolver.newSlot(name) }
    }
    for statement in function.body { resolver.rewrite(statement, slots) }
    // Defaults are evaluated in the caller's frame, so a comprehension there needs its own.
    var outside = Resolver(slotNames: [], topLevel: true)
    for expr in function.defaults.compactMap({ $0 }) { outside.rewrite(expr, [:]) }
    function.slotNames = resolver.slotNames
    function.slotCount = resolver.slotNames.count
  }

  /// A statement outside any function: only its comprehensions need slots.
  static func resolveTopLevel(_ statement: Stmt) {
    var resolver = Resolver(slotNames: [], topLevel: true)
    resolver.rewrite(statement, [:])
  }

  /// A comprehension outside any function: its variables live in a frame of its own.
  private static func resolve(_ comprehension: Comprehension) {
    var resolver = Resolver(slotNames: [])
    resolver.rewrite(comprehension, [:])
    comprehension.frameSize = resolver.slotNames.count
  }

  private mutating func newSlot(_ name: String) -> Int {
    slotNames.append(name)
    return slotNames.count - 1
  }

  /// The names of every `global` statement in the function, nested blocks included (nested
  /// functions are their own scope).
  private static func collectGlobals(_ statements: [Stmt], _ declare: (String, Stmt) throws(ScriptError) -> Void) throws(ScriptError) {
    for statement in statements {
      switch statement.kind {
      case .global(let names):
        for name in names { try declare(name, statement) }
      case .ifElse(_, let then, let otherwise):
        try collectGlobals(then, declare)
        try collectGlobals(otherwise ?? [], declare)
      case .forIn(_, _, let body), .whileLoop(_, let body), .with(_, let body), .block(let body):
        try collectGlobals(body, declare)
      case .tryCatch(let body, _, let handler):
        try collectGlobals(body, declare)
        try collectGlobals(handler, declare)
      case .time(_, let body), .repeatRuns(_, let body):
        try collectGlobals([body], declare)
      case .expression, .assign, .augmented, .command, .define, .expect, .returnValue, .breakLoop, .continueLoop, .raise:
        break
      }
    }
  }

  /// Every name the statements bind: assignment targets (unpacking included), loop variables,
  /// caught errors, nested definitions. Nested function bodies are their own scope.
  private static func collectBindings(_ statements: [Stmt], _ bind: (String) -> Void) {
    for statement in statements {
      switch statement.kind {
      case .assign(let targets, _):
        for target in targets { names(in: target, bind) }
      case .augmented(let target, _, _), .define(_, let target):
        names(in: target, bind)
      case .forIn(let target, _, let body):
        names(in: target, bind)
        collectBindings(body, bind)
      case .tryCatch(let body, let target, let handler):
        names(in: target, bind)
        collectBindings(body, bind)
        collectBindings(handler, bind)
      case .ifElse(_, let then, let otherwise):
        collectBindings(then, bind)
        collectBindings(otherwise ?? [], bind)
      case .whileLoop(_, let body), .with(_, let body), .block(let body):
        collectBindings(body, bind)
      case .time(_, let body), .repeatRuns(_, let body):
        collectBindings([body], bind)
      case .expression, .command, .expect, .returnValue, .breakLoop, .continueLoop, .global, .raise:
        break
      }
    }
  }

  /// The names a target binds: `x`, or each name of `a, (b, c)`.
  static func names(in target: Expr, _ bind: (String) -> Void) {
    switch target.kind {
    case .name(let n): bind(n)
    case .tuple(let items), .list(let items): for item in items { names(in: item, bind) }
    default: break
    }
  }

  private mutating func rewrite(_ statement: Stmt, _ slots: [String: Int]) {
    switch statement.kind {
    case .expression(let e), .expect(let e):
      rewrite(e, slots)
    case .assign(let targets, let value):
      for target in targets { rewrite(target, slots) }
      rewrite(value, slots)
    case .augmented(let target, _, let value):
      rewrite(target, slots)
      rewrite(value, slots)
    case .command(let command):
      rewrite(command, slots)
    case .define(_, let target):
      rewrite(target, slots)
    case .ifElse(let condition, let then, let otherwise):
      rewrite(condition, slots)
      for s in then + (otherwise ?? []) { rewrite(s, slots) }
    case .forIn(let target, let sequence, let body):
      rewrite(target, slots)
      rewrite(sequence, slots)
      for s in body { rewrite(s, slots) }
    case .whileLoop(let condition, let body), .with(let condition, let body):
      rewrite(condition, slots)
      for s in body { rewrite(s, slots) }
    case .tryCatch(let body, let target, let handler):
      rewrite(target, slots)
      for s in body + handler { rewrite(s, slots) }
    case .time(let repeats, let body):
      if let repeats { rewrite(repeats, slots) }
      rewrite(body, slots)
    case .repeatRuns(let count, let body):
      rewrite(count, slots)
      rewrite(body, slots)
    case .returnValue(let e), .raise(let e):
      if let e { rewrite(e, slots) }
    case .block(let body):
      for s in body { rewrite(s, slots) }
    case .breakLoop, .continueLoop, .global:
      break
    }
  }

  private mutating func rewrite(_ command: Command, _ slots: [String: Int]) {
    for argument in command.arguments { rewrite(argument.value, slots) }
  }

  private mutating func rewrite(_ expr: Expr, _ slots: [String: Int]) {
    switch expr.kind {
    case .name(let n):
      if let slot = slots[n] { expr.kind = .local(slot, n) }
    case .literal, .local:
      break
    case .list(let items), .tuple(let items):
      for item in items { rewrite(item, slots) }
    case .dict(let pairs):
      for pair in pairs {
        rewrite(pair.key, slots)
        rewrite(pair.value, slots)
      }
    case .comprehension(let comprehension):
      if topLevel { Resolver.resolve(comprehension) } else { rewrite(comprehension, slots) }
    case .format(let parts):
      for case .code(let code) in parts { rewrite(code, slots) }
    case .unary(_, let operand):
      rewrite(operand, slots)
    case .binary(_, let l, let r), .and(let l, let r), .or(let l, let r), .index(let l, let r):
      rewrite(l, slots)
      rewrite(r, slots)
    case .conditional(let condition, let value, let otherwise):
      for part in [condition, value, otherwise] { rewrite(part, slots) }
    case .call(let callee, let arguments):
      rewrite(callee, slots)
      for argument in arguments { rewrite(argument.value, slots) }
    case .slice(let container, let lower, let upper, let step):
      rewrite(container, slots)
      for part in [lower, upper, step] { if let part { rewrite(part, slots) } }
    case .attribute(let receiver, _):
      rewrite(receiver, slots)
    case .command(let command):
      rewrite(command, slots)
    }
  }

  /// Each `for` clause's names get new slots, seen by the clauses after it and the element;
  /// the first sequence is read in the enclosing scope, as in Python.
  private mutating func rewrite(_ comprehension: Comprehension, _ outer: [String: Int]) {
    var slots = outer
    for clause in comprehension.clauses {
      switch clause {
      case .loop(let target, let sequence):
        rewrite(sequence, slots)
        Resolver.names(in: target) { name in slots[name] = newSlot(name) }
        rewrite(target, slots)
      case .filter(let condition):
        rewrite(condition, slots)
      }
    }
    switch comprehension.element {
    case .item(let e): rewrite(e, slots)
    case .pair(let k, let v):
      rewrite(k, slots)
      rewrite(v, slots)
    }
  }
}
