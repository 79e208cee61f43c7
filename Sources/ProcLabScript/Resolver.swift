// Gives each function's local variables a slot in its call frame, once, after the parser
// has read the function: a call then reads and writes an array, not a dictionary by name.
// As in Python, a name assigned anywhere in a function is local to it everywhere in it,
// unless a `global NAME` statement anywhere in the function says it is the global.

enum Resolver {
  static func resolve(_ function: Function) throws(ScriptError) {
    var globals: Set<String> = []
    try collectGlobals(function.body) { name, statement throws(ScriptError) in
      if function.parameters.contains(name) {
        throw .syntax("'\(name)' is a parameter of \(function.name)() and cannot be global", at: statement.location)
      }
      globals.insert(name)
    }
    var slots: [String: Int] = [:]
    for (i, parameter) in function.parameters.enumerated() where slots[parameter] == nil {
      slots[parameter] = i
    }
    var next = function.parameters.count
    collectBindings(function.body) { name in
      if slots[name] == nil, !globals.contains(name) {
        slots[name] = next
        next += 1
      }
    }
    function.slotCount = next
    for statement in function.body { rewrite(statement, slots) }
    for expr in function.defaults.compactMap({ $0 }) { rewrite(expr, [:]) }
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
      case .forIn(_, _, let body), .whileLoop(_, let body), .block(let body):
        try collectGlobals(body, declare)
      case .tryCatch(let body, _, let handler):
        try collectGlobals(body, declare)
        try collectGlobals(handler, declare)
      case .time(_, let body):
        try collectGlobals([body], declare)
      case .expression, .assign, .augmented, .command, .define, .expect, .returnValue, .breakLoop, .continueLoop:
        break
      }
    }
  }

  /// Every name the statements bind: assignment targets, loop variables, caught errors,
  /// nested definitions. Nested function bodies are their own scope.
  private static func collectBindings(_ statements: [Stmt], _ bind: (String) -> Void) {
    for statement in statements {
      switch statement.kind {
      case .assign(let targets, _):
        for target in targets { if case .name(let n) = target.kind { bind(n) } }
      case .augmented(let target, _, _):
        if case .name(let n) = target.kind { bind(n) }
      case .define(_, let target):
        if case .name(let n) = target.kind { bind(n) }
      case .forIn(let target, _, let body):
        if case .name(let n) = target.kind { bind(n) }
        collectBindings(body, bind)
      case .tryCatch(let body, let target, let handler):
        if case .name(let n) = target.kind { bind(n) }
        collectBindings(body, bind)
        collectBindings(handler, bind)
      case .ifElse(_, let then, let otherwise):
        collectBindings(then, bind)
        collectBindings(otherwise ?? [], bind)
      case .whileLoop(_, let body), .block(let body):
        collectBindings(body, bind)
      case .time(_, let body):
        collectBindings([body], bind)
      case .expression, .command, .expect, .returnValue, .breakLoop, .continueLoop, .global:
        break
      }
    }
  }

  private static func rewrite(_ statement: Stmt, _ slots: [String: Int]) {
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
    case .whileLoop(let condition, let body):
      rewrite(condition, slots)
      for s in body { rewrite(s, slots) }
    case .tryCatch(let body, let target, let handler):
      rewrite(target, slots)
      for s in body + handler { rewrite(s, slots) }
    case .time(let repeats, let body):
      if let repeats { rewrite(repeats, slots) }
      rewrite(body, slots)
    case .returnValue(let e):
      if let e { rewrite(e, slots) }
    case .block(let body):
      for s in body { rewrite(s, slots) }
    case .breakLoop, .continueLoop, .global:
      break
    }
  }

  private static func rewrite(_ command: Command, _ slots: [String: Int]) {
    for argument in command.arguments { rewrite(argument.value, slots) }
  }

  private static func rewrite(_ expr: Expr, _ slots: [String: Int]) {
    switch expr.kind {
    case .name(let n):
      if let slot = slots[n] { expr.kind = .local(slot, n) }
    case .literal, .local:
      break
    case .list(let items):
      for item in items { rewrite(item, slots) }
    case .format(let parts):
      for case .code(let code) in parts { rewrite(code, slots) }
    case .unary(_, let operand):
      rewrite(operand, slots)
    case .binary(_, let l, let r), .and(let l, let r), .or(let l, let r), .index(let l, let r):
      rewrite(l, slots)
      rewrite(r, slots)
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
}
