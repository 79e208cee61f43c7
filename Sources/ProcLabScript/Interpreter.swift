// Walks the syntax tree: statements here, expressions in Evaluation.swift, operators in
// Operators.swift. Variables live in one global table and one table per active call.
import Glibc

public final class Interpreter {
  // unowned(unsafe): the host outlives its interpreter, and this is read on every call.
  public unowned(unsafe) let host: ScriptHost
  /// `host.checkInterrupt()` for the hot paths: loops and calls.
  let checkInterrupt: InterruptCheck
  public let sources = SourceRegistry()
  public let globals = GlobalTable()
  /// The locals of every active call, one frame after another; a frame starts at `frameBase`.
  /// A nil slot is a local not assigned yet (reading it falls back to the global of that name).
  var stack = ValueStack()
  var frameBase = 0
  var callDepth = 0
  /// The function whose frame is at `frameBase` (nil at the top level), for the local names a
  /// NameError can suggest. Unowned: the function's value outlives its call.
  private var currentFunction: Unmanaged<Function>?
  /// The errors whose `catch` blocks are running, innermost last: what a bare `raise` re-raises.
  var handling: [ScriptError] = []
  /// The value of the `return` a compiled statement ended with (see Jump).
  var returnedValue: Value = .none
  let coreBuiltins: [String: Builtin]
  let hostBuiltins: [String: Builtin]
  private static let maximumCallDepth = 1000
  /// Below this address an expression, statement or call nested in others raises
  /// RecursionError before the real stack runs out, in any build; set again by each entry
  /// point, for the thread it runs on.
  var stackLimit = StackGuard.limit

  public init(host: ScriptHost) {
    self.host = host
    self.checkInterrupt = InterruptCheck(host)
    self.coreBuiltins = CoreBuiltins.all
    self.hostBuiltins = host.builtins
    globals.owner = self
  }

  deinit {
    globals.unbindAll()
    stack.release()
  }

  /// Parses `text` as the source named `file` and, unless told not to, keeps it for error
  /// reports (a fragment compiled at its original place must not replace the whole file).
  /// `origin` is where the text starts in `file` (a `def` compiled again by a pool worker).
  public func parse(_ text: String, file: String, origin: SourceLocation? = nil, keepSource: Bool = true) throws(ScriptError) -> [Stmt] {
    if keepSource { sources.add(name: file, text: text) }
    var parser = try Parser(
      text: text, file: file, commandWords: host.commandWords, origin: origin,
      isBound: { [unowned self] name in self.globals[name] != nil })
    return try parser.parseProgram()
  }

  /// Runs top-level statements; returns the value of the last one when it was an expression
  /// or a command (the REPL shows it).
  @discardableResult
  public func runTopLevel(_ statements: [Stmt]) throws(ScriptError) -> Value? {
    stackLimit = StackGuard.limit
    var last: Value?
    let compiler = Compiler(globals: globals)
    for statement in statements {
      host.willExecute(statement)
      last = nil
      switch statement.kind {
      case .expression(let expr):
        last = try compiler.expression(expr).value(self)
      case .command(let command):
        last = try runCommand(command)
      default:
        if try compiler.statement(statement).run(self) == .returned {
          returnedValue = .none
          throw ScriptError(.syntaxError, "'return' outside a function", at: statement.location)
        }
      }
    }
    return last
  }

  /// Every name a user can refer to now: for completion.
  public var visibleNames: [String] {
    Array(globals.keys) + Array(coreBuiltins.keys) + Array(hostBuiltins.keys)
  }

  // MARK: statements

  enum Flow {
    case normal, broke, continued
    case returned(Value)
  }

  func execute(_ statements: [Stmt]) throws(ScriptError) -> Flow {
    for statement in statements {
      let flow = try execute(statement)
      if case .normal = flow { continue }
      return flow
    }
    return .normal
  }

  /// Deep trees recurse in `evaluate` and `execute`: past the stack's limit that is a
  /// RecursionError, as a deep call chain is.
  @inline(__always)
  func checkStack(at location: SourceLocation) throws(ScriptError) {
    guard StackGuard.currentAddress() > stackLimit else {
      throw ScriptError(.recursionError, "nested too deeply for the stack that is left", at: location)
    }
  }

  func execute(_ statement: Stmt) throws(ScriptError) -> Flow {
    try checkStack(at: statement.location)
    switch statement.kind {
    case .expression(let expr):
      _ = try evaluate(expr)
    case .command(let command):
      _ = try runCommand(command)
    case .assign(let targets, let valueExpr):
      let value = try evaluate(valueExpr)
      if targets.count == 1 {
        try assign(value, to: targets[0])
      } else {
        try unpack(value, into: targets, at: statement.location)
      }
    case .augmented(let target, let op, let operand):
      // As Python: the container (or receiver) and the index are evaluated once, so
      // `counts[queue get q] += 1` takes one item, not two.
      switch target.kind {
      case .index(let containerExpr, let indexExpr):
        var container = try evaluate(containerExpr)
        let index = try evaluate(indexExpr)
        let current = try Operators.index(container, index, at: target.location)
        let result = try Operators.binary(op, current, try evaluate(operand), at: statement.location)
        try assignItem(result, in: &container, from: containerExpr, at: index, indexExpr.location, target: target.location)
        return .normal
      case .attribute(let receiverExpr, let name):
        let receiver = try evaluate(receiverExpr)
        let current = try attribute(of: receiver, name, at: target.location)
        let result = try Operators.binary(op, current, try evaluate(operand), at: statement.location)
        try setAttribute(name, of: receiver, to: result, at: target.location)
        return .normal
      default:
        break
      }
      var current = try evaluate(target)
      let right = try evaluate(operand)
      if op == .add, current.growsInPlace, let slot = variableSlot(target),
        try appendInPlace(&current, right, slot, at: statement.location)
      {
        return .normal
      }
      try assign(try Operators.binary(op, current, right, at: statement.location), to: target)
    case .define(let function, let target):
      try assign(.function(function), to: target)
    case .ifElse(var condition, var then, var otherwise):
      // An `else if` chain runs as a loop, not one nested call per branch.
      while true {
        if try evaluate(condition).isTruthy { return try execute(then) }
        guard let rest = otherwise else { break }
        guard rest.count == 1, case .ifElse(let c, let t, let o) = rest[0].kind else { return try execute(rest) }
        (condition, then, otherwise) = (c, t, o)
      }
    case .forIn(let target, let sequenceExpr, let body):
      return try runFor(target, try evaluate(sequenceExpr), body, at: sequenceExpr.start)
    case .whileLoop(let condition, let body):
      while try evaluate(condition).isTruthy {
        try checkInterrupt()
        let flow = try execute(body)
        if case .broke = flow { break }
        if case .returned = flow { return flow }
      }
    case .with(let heldExpr, let body):
      return try runWith(heldExpr, body)
    case .tryCatch(let body, let target, let handler):
      do {
        return try execute(body)
      } catch {
        if !error.kind.isCatchable { throw error }
        try assign(.error(error), to: target)
        handling.append(error)
        defer { handling.removeLast() }
        return try execute(handler)
      }
    case .raise(let expr):
      throw try raised(expr, at: statement.location)
    case .expect(let condition):
      guard try evaluate(condition).isTruthy else {
        throw ScriptError(.assertionError, "expected \(condition.text)", at: condition.start)
      }
    case .time(let repeatsExpr, let body):
      try time(repeatsExpr, body, at: statement.location) { () throws(ScriptError) -> Bool in
        if case .returned = try execute(body) { return true }
        return false
      }
    case .repeatRuns(let countExpr, let body):
      let count = try evaluate(countExpr)
      guard case .int(let n) = count, (1...Interpreter.maxRepeatRuns).contains(n) else {
        throw ScriptError(
          .valueError, "repeat expects a whole number of runs from 1 to \(Interpreter.maxRepeatRuns), not \(count.repr)", at: countExpr.start)
      }
      try host.repeatRuns(count: n, text: statement.text, at: statement.location) { () throws(ScriptError) in
        try value(of: body)
      }
    case .returnValue(let expr):
      return .returned(try expr.map { e throws(ScriptError) in try evaluate(e) } ?? .none)
    case .breakLoop:
      return .broke
    case .continueLoop:
      return .continued
    case .block(let body):
      return try execute(body)
    case .global:
      break  // settled by the Resolver; at the top level every name is global already
    }
    return .normal
  }

  /// `time [-n N] BODY`: `run` runs the body once and says whether it returned.
  func time(_ repeatsExpr: Expr?, _ body: Stmt, at location: SourceLocation, _ run: () throws(ScriptError) -> Bool) throws(ScriptError) {
    var repeats = 1
    if let repeatsExpr {
      guard case .int(let n) = try evaluate(repeatsExpr), n >= 1 else {
        throw ScriptError(.valueError, "time -n expects a whole number of runs, at least 1", at: repeatsExpr.start)
      }
      repeats = n
    }
    try host.measure(repeats: repeats, text: body.text, at: location) { () throws(ScriptError) in
      if try run() {
        returnedValue = .none
        throw ScriptError(.syntaxError, "'return' inside 'time'", at: body.location)
      }
    }
  }

  /// The most runs one `repeat` makes: each is a fork, so more would only look hung.
  public static let maxRepeatRuns = 100_000

  /// What a statement gives as one run of `repeat`: an expression's or a command's value, a
  /// block's last statement's, the value of a `return` in it; none for anything else.
  private func value(of statement: Stmt) throws(ScriptError) -> Value {
    switch statement.kind {
    case .expression(let expr):
      return try evaluate(expr)
    case .command(let command):
      return try runCommand(command)
    case .block(let body):
      guard let last = body.last else { return .none }
      switch try execute(Array(body.dropLast())) {
      case .normal: return try value(of: last)
      case .returned(let value): return value
      case .broke, .continued: return .none
      }
    default:
      if case .returned(let value) = try execute(statement) { return value }
      return .none
    }
  }

  private func runFor(_ target: Expr, _ sequence: Value, _ body: [Stmt], at location: SourceLocation) throws(ScriptError) -> Flow {
    var result = Flow.normal
    try forEachItem(of: sequence, at: location) { item throws(ScriptError) -> Bool in
      try checkInterrupt()
      try assign(item, to: target)
      let flow = try execute(body)
      switch flow {
      case .broke: return false
      case .returned:
        result = flow
        return false
      default: return true
      }
    }
    return result
  }

  /// Gives `visit` each item a `for` loop over `sequence` visits, until it returns false.
  @inline(__always)
  func forEachItem(of sequence: Value, at location: SourceLocation, _ visit: (Value) throws(ScriptError) -> Bool) throws(ScriptError) {
    switch sequence {
    case .range(let start, let stop, let stride):
      var i = start
      while stride > 0 ? i < stop : i > stop {
        if try !visit(.int(i)) { return }
        // Past Int.max (or Int.min) is past the stop too.
        let next = i.addingReportingOverflow(stride)
        if next.overflow { break }
        i = next.partialValue
      }
    case .list(let items), .tuple(let items):
      for item in items {
        if try !visit(item) { return }
      }
    case .dict(let d):
      for key in d.keys {
        if try !visit(key) { return }
      }
    case .handle(let handle as SequenceHandle):
      let items: [Value]
      do { items = try handle.elements() } catch { throw error.located(at: location) }
      for item in items {
        if try !visit(item) { return }
      }
    case .string(let s):
      for c in s {
        if try !visit(.string(String(c))) { return }
      }
    default:
      throw ScriptError(.typeError, "cannot loop over \(sequence.typeNameWithArticle)", at: location)
    }
  }

  func runCommand(_ command: Command) throws(ScriptError) -> Value {
    do {
      return try host.run(command, in: self)
    } catch {
      throw error.located(at: command.location)
    }
  }

  // MARK: variables

  func lookup(_ name: String, at location: SourceLocation) throws(ScriptError) -> Value {
    if let value = globals[name] { return value }
    if let builtin = hostBuiltins[name] ?? coreBuiltins[name] { return .builtin(builtin) }
    let hint = SyntaxHints.pythonName(name).map { ": " + $0 } ?? didYouMean(name, among: namesInScope)
    throw ScriptError(.nameError, "name '\(name)' is not defined" + hint, at: location)
  }

  /// Every name a NameError may suggest: the current function's locals, globals, builtins,
  /// command words and keywords.
  private var namesInScope: [String] {
    (currentFunction?.takeUnretainedValue().slotNames ?? []) + visibleNames + Array(host.commandWords) + Array(Parser.keywords)
  }

  func local(_ slot: Int, _ name: String, at location: SourceLocation) throws(ScriptError) -> Value {
    if let value = stack[frameBase + slot] { return value }
    throw unassignedLocal(name, at: location)
  }

  /// A local read before the function gave it a value: Python's UnboundLocalError (a kind of
  /// NameError there), with what to do. The global of that name, if any, is not read instead:
  /// a name assigned anywhere in a function is its local everywhere in it.
  func unassignedLocal(_ name: String, at location: SourceLocation) -> ScriptError {
    let hint = globals[name] == nil ? "" : "; to change the global, write `global \(name)` in the function"
    return ScriptError(.nameError, "cannot access local variable '\(name)' where it is not associated with a value: it is assigned in this function, so it is local in all of it\(hint)", at: location)
  }

  func assign(_ value: Value, to target: Expr) throws(ScriptError) {
    switch target.kind {
    case .name(let name):
      globals[name] = value
    case .local(let slot, _):
      stack[frameBase + slot] = value
    case .tuple(let targets), .list(let targets):
      try unpack(value, into: targets, at: target.location)
    case .index(let containerExpr, let indexExpr):
      var container = try evaluate(containerExpr)
      try assignItem(value, in: &container, from: containerExpr, at: try evaluate(indexExpr), indexExpr.location, target: target.location)
    case .attribute(let receiverExpr, let name):
      try setAttribute(name, of: try evaluate(receiverExpr), to: value, at: target.location)
    default:
      throw ScriptError(.syntaxError, "cannot assign to '\(target.text)'", at: target.location)
    }
  }

  /// `with X { }`: enters X (acquires the lock or semaphore), runs the block, and exits X on
  /// every way out of it: the end, `return`, `break`, an error, Ctrl-C (a KeyboardInterrupt).
  private func runWith(_ heldExpr: Expr, _ body: [Stmt]) throws(ScriptError) -> Flow {
    let held = try evaluate(heldExpr)
    guard case .handle(let handle as ContextHandle) = held else {
      throw ScriptError(.typeError, "'with' needs a lock, semaphore or condition, not \(held.typeNameWithArticle)", at: heldExpr.start)
    }
    do { try handle.enter() } catch { throw error.located(at: heldExpr.start) }
    let flow: Flow
    do {
      flow = try execute(body)
    } catch {
      // The block's error wins over one from leaving (Python's __exit__ sees it and the error
      // raised on exit replaces it; here the first cause is the one worth reading).
      try? handle.exit()
      throw error
    }
    do { try handle.exit() } catch { throw error.located(at: heldExpr.start) }
    return flow
  }

  /// `receiver.name = value`: only engine objects have attributes that can be set.
  func setAttribute(_ name: String, of receiver: Value, to value: Value, at location: SourceLocation) throws(ScriptError) {
    guard case .handle(let handle) = receiver else {
      throw ScriptError(.attributeError, "cannot set attribute '\(name)' of \(receiver.typeNameWithArticle)", at: location)
    }
    let wasSet: Bool
    do {
      if let own = handle as? AttributeHandle {
        try own.setAttribute(name, to: value)
        wasSet = true
      } else {
        wasSet = try host.setAttribute(name, of: handle, to: value)
      }
    } catch {
      throw error.located(at: location)
    }
    guard wasSet else {
      throw ScriptError(.attributeError, "attribute '\(name)' of \(receiver.typeNameWithArticle) cannot be set", at: location)
    }
  }

  /// `container[index] = value`, the container and index evaluated (by the tree walker or by
  /// compiled code); `containerExpr` is where the container came from and gets it back. The
  /// caller's copy of the container is taken (inout), so the buffer can have one owner.
  func assignItem(
    _ value: Value, in container: inout Value, from containerExpr: Expr, at index: Value, _ indexLocation: SourceLocation,
    target location: SourceLocation
  ) throws(ScriptError) {
    if case .handle(let handle as SequenceHandle) = container {
      do { try handle.setItem(index, to: value) } catch { throw error.located(at: location) }
      return
    }
    // A variable's list or dict is taken out of it while it changes, so its buffer has one
    // owner and changes in place (no copy of the whole list per item assigned).
    let slot = variableSlot(containerExpr)
    if var items = Value.moveList(&container) {
      let i: Int
      do { i = try Operators.listIndex(index, count: items.count, at: indexLocation) } catch {
        container = .list(items)
        throw error
      }
      if let slot { put(.none, slot) }
      items[i] = value
      container = .list(items)
    } else if var d = Value.moveDict(&container) {
      if let slot { put(.none, slot) }
      do { try d.set(value, for: index) } catch {
        if let slot { put(.dict(d), slot) }
        throw error.located(at: indexLocation)
      }
      container = .dict(d)
    }
    switch container {
    case .list, .dict: break
    case .tuple:
      throw ScriptError(.typeError, "'tuple' object does not support item assignment", at: location)
    case let other:
      throw ScriptError(.typeError, "cannot assign into \(other.typeNameWithArticle)", at: location)
    }
    if let slot { put(container, slot) } else { try assign(container, to: containerExpr) }
  }

  /// `a, b = value`: a list, tuple (or any sequence) with exactly as many items as targets.
  func unpack(_ value: Value, into targets: [Expr], at location: SourceLocation) throws(ScriptError) {
    let items: [Value]
    if case .range(let a, let b, let s) = value, IntRange(a, b, s).count != UInt(targets.count) {
      throw ScriptError(.valueError, "expected \(targets.count) values to unpack, got \(value.repr)", at: location)
    }
    if case .string(let s) = value { items = s.map { .string(String($0)) } } else {
      guard let elements = try value.sequenceElements(interrupts: host) else {
        throw ScriptError(.typeError, "cannot unpack \(value.typeNameWithArticle)", at: location)
      }
      items = elements
    }
    guard items.count == targets.count else {
      throw ScriptError(.valueError, "expected \(targets.count) values to unpack, got \(value.repr)", at: location)
    }
    for (target, item) in zip(targets, items) { try assign(item, to: target) }
  }

  /// The error a `raise` statement throws: an error value (a new one takes the statement's
  /// place, a caught one keeps its own), an error kind's name alone, or, bare, the error
  /// being handled.
  private func raised(_ expr: Expr?, at location: SourceLocation) throws(ScriptError) -> ScriptError {
    guard let expr else {
      guard let error = handling.last else {
        return ScriptError(.runtimeError, "no error is being handled: a bare raise belongs in a catch block", at: location)
      }
      return error
    }
    switch try evaluate(expr) {
    case .error(let error): return error.located(at: location)
    case .builtin(let builtin) where CoreBuiltins.errorKind(of: builtin) != nil:
      return ScriptError(CoreBuiltins.errorKind(of: builtin)!, "", at: location)
    default: return ScriptError(.typeError, "exceptions must be errors", at: expr.start)
    }
  }

  /// Where a plain variable's value lives now: a local's frame slot, or a global's place in
  /// the table (valid until the table changes). Nil for anything else, or a local not yet set.
  enum Slot {
    case local(Int)
    case global(GlobalCell)
  }

  func variableSlot(_ expr: Expr) -> Slot? {
    switch expr.kind {
    case .local(let slot, _):
      return stack.isAssigned(frameBase + slot) ? .local(frameBase + slot) : nil
    case .name(let name):
      return globals.boundCell(name).map { .global($0) }
    default:
      return nil
    }
  }

  func put(_ value: Value, _ slot: Slot) {
    switch slot {
    case .local(let i): stack[i] = value
    case .global(let cell): cell.store(value)
    }
  }

  /// `xs += ys` and `s += t` on a variable: appends in place (amortised O(1) per item, as
  /// Python's list `+=`), once the variable no longer shares the buffer. `current` is the
  /// variable's value, read before the operand; false when the operands are not a list and
  /// a list or a string and anything.
  func appendInPlace(_ current: inout Value, _ right: Value, _ slot: Slot, at location: SourceLocation) throws(ScriptError) -> Bool {
    if case .list(let more) = right, var items = Value.moveList(&current) {
      do { try MemoryBudget.checkItems(items.count, adding: more.count) } catch {
        current = .list(items)
        throw error.located(at: location)
      }
      put(.none, slot)
      items.append(contentsOf: more)
      put(.list(items), slot)
      return true
    }
    if var text = Value.moveString(&current) {
      let more = right.description
      do { try MemoryBudget.checkString(text.utf8.count + more.utf8.count) } catch {
        current = .string(text)
        throw error.located(at: location)
      }
      put(.none, slot)
      text += more
      put(.string(text), slot)
      return true
    }
    return false
  }

  /// Writes a changed container back where it came from (`xs.append(1)` changes `xs`).
  func writeBack(_ value: Value, to target: Expr) throws(ScriptError) {
    switch target.kind {
    case .name, .local, .index: try assign(value, to: target)
    default: return
    }
  }

  // MARK: calls

  /// Calls a function value with evaluated arguments: used by calls in scripts and by the
  /// engine (a spawned process or a pool worker calls its target through here).
  public func call(_ callee: Value, _ arguments: [Value], keywords: [String: Value] = [:], at location: SourceLocation) throws(ScriptError) -> Value {
    stackLimit = StackGuard.limit
    return try call(callee, arguments, keywords: keywords.map { ($0.key, $0.value) }, at: location)
  }

  /// A call with keyword arguments in the order they were written (`**kwargs` keeps it).
  func call(_ callee: Value, _ arguments: [Value], keywords: [(String, Value)], at location: SourceLocation) throws(ScriptError) -> Value {
    switch callee {
    case .function(let function):
      return try callFunction(function, arguments, keywords, at: location)
    case .builtin(let builtin):
      let byName = keywords.isEmpty ? [:] : Dictionary(keywords, uniquingKeysWith: { _, last in last })
      do {
        return try builtin.body(BuiltinCall(arguments: arguments, keywords: byName, location: location, interpreter: self))
      } catch {
        throw error.located(at: location)
      }
    default:
      throw ScriptError(.typeError, "\(callee.typeNameWithArticle) is not callable", at: location)
    }
  }

  /// A call with one argument, as a pool worker makes for each item of a map: no array.
  public func call(_ callee: Value, argument: Value, at location: SourceLocation) throws(ScriptError) -> Value {
    guard case .function(let function) = callee, function.plainArity == 1 else {
      return try call(callee, [argument], at: location)
    }
    try checkInterrupt()
    try checkDepth(at: location)
    let base = stack.count
    stack.append(argument)
    if function.slotCount > 1 { stack.appendUnassigned(function.slotCount - 1) }
    defer { stack.truncate(to: base) }
    return try run(function, frameAt: base, calledAt: location)
  }

  private func callFunction(_ function: Function, _ arguments: [Value], _ keywords: [(String, Value)], at location: SourceLocation) throws(ScriptError) -> Value {
    try checkInterrupt()
    try checkDepth(at: location)
    let base = stack.count
    stack.appendUnassigned(function.slotCount)
    defer { stack.truncate(to: base) }
    if keywords.isEmpty, arguments.count == function.plainArity {
      for i in 0..<arguments.count { stack[base + i] = arguments[i] }
    } else {
      try bind(arguments, keywords, to: function, frameAt: base, at: location)
    }
    return try run(function, frameAt: base, calledAt: location)
  }

  @inline(__always)
  func checkDepth(at location: SourceLocation) throws(ScriptError) {
    guard callDepth < Interpreter.maximumCallDepth, StackGuard.currentAddress() > stackLimit else {
      throw depthError(at: location)
    }
  }

  @inline(never)
  private func depthError(at location: SourceLocation) -> ScriptError {
    ScriptError(.recursionError, "calls nested too deeply (\(callDepth) calls)", at: location)
  }

  /// Runs a compiled body that something else keeps alive (its function's `code`) without
  /// retaining it: a call's every retain is an atomic operation.
  @inline(__always)
  private func run(_ body: Unmanaged<StmtCode>) throws(ScriptError) -> Jump {
    let outcome = body._withUnsafeGuaranteedRef { code -> Result<Jump, ScriptError> in
      do throws(ScriptError) { return .success(try code.run(self)) } catch { return .failure(error) }
    }
    return try outcome.get()
  }

  /// The value of a function's final `return` (its `code` keeps it alive), as `run(_:)` does.
  @inline(__always)
  private func value(of tail: Unmanaged<ExprCode>) throws(ScriptError) -> Value {
    let outcome = tail._withUnsafeGuaranteedRef { code -> Result<Value, ScriptError> in
      do throws(ScriptError) { return .success(try code.value(self)) } catch { return .failure(error) }
    }
    return try outcome.get()
  }

  /// Compiles a function about to run in a new child here, once, so that every child
  /// inherits the compiled body instead of compiling it (and copying the pages that touches).
  public func prepare(_ callee: Value) {
    if case .function(let function) = callee { Compiler.prepare(function, globals: globals) }
  }

  /// Runs a function's body with its frame at `base` (arguments already in place). An error
  /// leaving it records the call in its trace. Inlined into each kind of call: as a call of
  /// its own it cost fib(27) a tenth of its time.
  @inline(__always)
  func run(_ function: Function, frameAt base: Int, calledAt location: SourceLocation) throws(ScriptError) -> Value {
    try run(Unmanaged.passUnretained(function), frameAt: base, calledAt: location)
  }

  /// The same for a function the caller keeps alive (a global's cell, a value it holds): its
  /// fields are read without a retain, which would cost two atomic operations a call.
  @inline(__always)
  func run(_ function: Unmanaged<Function>, frameAt base: Int, calledAt location: SourceLocation) throws(ScriptError) -> Value {
    let callerBase = frameBase
    let caller = currentFunction
    frameBase = base
    currentFunction = function
    callDepth += 1
    defer {
      frameBase = callerBase
      currentFunction = caller
      callDepth -= 1
      if callDepth == 0, !globals.retired.isEmpty { globals.retired = [] }
    }
    do {
      let table = globals
      var (compiledFor, body, tail) = function._withUnsafeGuaranteedRef { ($0.compiledFor, $0.compiledBody, $0.compiledTail) }
      if compiledFor != ObjectIdentifier(table) {
        (body, tail) = function._withUnsafeGuaranteedRef { compiled in
          Compiler.prepare(compiled, globals: table)
          return (compiled.compiledBody, compiled.compiledTail)
        }
      }
      if let body, try run(body) == .returned {
        // Moved out, not copied: nothing keeps a second reference to what was returned.
        var value = Value.none
        swap(&value, &returnedValue)
        return value
      }
      if let tail { return try value(of: tail) }
    } catch {
      var traced = error
      traced.trace.insert(TraceFrame(function: function.takeUnretainedValue().name, location: location), at: 0)
      throw traced
    }
    return .none
  }
}
