// The pool commands (`pool start|map|starmap|imap|imap_unordered|apply|apply_async|close|
// join|terminate`), `get`, `wait`, the serial `map`, and the same as methods on a pool.
import CSystem
import Glibc
import ProcLabScript

/// How far a long pool map has come, for the shell's progress line.
public struct MapProgress {
  public var label: String
  public var done: Int
  public var total: Int
  public var elapsed: Double
}

extension Engine {
  static let poolWords: Set<String> = ["pool", "get", "wait", "map"]

  func runPoolCommand(_ command: Command, in interpreter: Interpreter) throws(ScriptError) -> Value? {
    switch command.word {
    case "pool": return try poolCommand(command, interpreter)
    case "get", "wait":
      guard let target = command.positional.first else { throw usage(command, "\(command.word) RESULT [timeout=SECONDS]") }
      let result = try asyncResult(try interpreter.evaluate(target), at: target.location)
      let timeout = try timeoutOption(command, interpreter)
      if command.word == "get" { return try result.get(timeout: timeout) }
      _ = try result.wait(timeout: timeout)
      return Value.none
    case "map":
      let positional = command.positional
      guard positional.count == 2 else { throw usage(command, "map FUNCTION ITERABLE  (serial, in this process)") }
      let function = try interpreter.evaluate(positional[0])
      var results: [Value] = []
      for item in try items(positional[1], interpreter) {
        results.append(try interpreter.call(function, [item], at: command.location))
      }
      return .list(results)
    default: return nil
    }
  }

  private func poolCommand(_ command: Command, _ interpreter: Interpreter) throws(ScriptError) -> Value {
    let positional = command.positional
    guard let subcommandExpr = positional.first else { throw usage(command, "pool start|map|apply_async|close|join|terminate ...") }
    guard case .name(let subcommand) = subcommandExpr.kind else {
      throw ScriptError(.usageError, "expected a pool command (start, map, apply_async, ...), got \(subcommandExpr.text)", at: subcommandExpr.location)
    }
    let arguments = Array(positional.dropFirst())
    if subcommand == "start" {
      var size = Int(proclab_nproc_online())
      if let sizeExpr = arguments.first {
        guard case .int(let n) = try interpreter.evaluate(sizeExpr), n >= 1, n <= 256 else {
          throw ScriptError(.valueError, "a pool needs 1 to 256 workers", at: sizeExpr.location)
        }
        size = n
      }
      var maxTasks: Int?
      if let expr = command.option("maxtasksperchild") {
        guard case .int(let n) = try interpreter.evaluate(expr), n >= 1 else {
          throw ScriptError(.valueError, "maxtasksperchild must be a whole number, at least 1", at: expr.location)
        }
        maxTasks = n
      }
      return .handle(try startPool(size: size, maxTasksPerChild: maxTasks, named: command.valueIsUsed, interpreter))
    }
    let pool = try selectedPool(command, interpreter)
    return try runPoolOperation(subcommand, on: pool, command: command, arguments: arguments, interpreter)
  }

  /// `pool start N`: alone it (re)starts the session's default pool; assigned
  /// (`pl = pool start 4`) it makes a separate, named pool.
  func startPool(size: Int, maxTasksPerChild: Int?, named: Bool, _ interpreter: Interpreter) throws(ScriptError) -> Pool {
    if !named, let old = defaultPool {
      old.terminate()
      pools.removeAll { $0 === old }
    }
    poolCount += 1
    let pool = try Pool(number: poolCount, size: size, maxTasksPerChild: maxTasksPerChild, engine: self, interpreter: interpreter)
    pools.append(pool)
    if !named { defaultPool = pool }
    return pool
  }

  /// The pool a command works on: `pool=pl`, else the default one, started on first use.
  private func selectedPool(_ command: Command, _ interpreter: Interpreter) throws(ScriptError) -> Pool {
    if let expr = command.option("pool") {
      guard case .handle(let handle) = try interpreter.evaluate(expr), let pool = handle as? Pool else {
        throw ScriptError(.typeError, "pool= expects a pool", at: expr.location)
      }
      return pool
    }
    if let defaultPool { return defaultPool }
    return try startPool(size: Int(proclab_nproc_online()), maxTasksPerChild: nil, named: false, interpreter)
  }

  private func runPoolOperation(
    _ operation: String, on pool: Pool, command: Command, arguments: [Expr], _ interpreter: Interpreter
  ) throws(ScriptError) -> Value {
    switch operation {
    case "map", "starmap", "imap", "imap_unordered":
      guard arguments.count == 2 else { throw usage(command, "pool \(operation) FUNCTION ITERABLE [chunksize=K]") }
      let function = try interpreter.evaluate(arguments[0])
      var chunksize: Int?
      if let expr = command.option("chunksize") {
        guard case .int(let k) = try interpreter.evaluate(expr), k >= 1 else {
          throw ScriptError(.valueError, "chunksize must be a whole number, at least 1", at: expr.location)
        }
        chunksize = k
      }
      return .list(
        try map(
          function, try items(arguments[1], interpreter), on: pool, operation: operation, chunksize: chunksize,
          label: arguments[0].text, at: command.location))
    case "apply", "apply_async":
      guard arguments.count == 1, case .call(let calleeExpr, let argumentExprs) = arguments[0].kind else {
        throw usage(command, "pool \(operation) FUNCTION(ARGS)")
      }
      let function = try interpreter.evaluate(calleeExpr)
      let (values, _) = try interpreter.evaluateArguments(argumentExprs)
      let label = "\(calleeExpr.text)(\(values.map(\.repr).joined(separator: ", ")))"
      let result = try applyAsync(function, values, on: pool, label: label, at: command.location)
      return operation == "apply" ? try result.get(timeout: nil) : .handle(result)
    // A closed, joined or terminated pool stays listed, and stays the default: a later
    // `pool map` raises ValueError as Python's does, until `pool start` makes a new one.
    case "close":
      pool.close()
    case "join":
      try pool.join()
    case "terminate":
      pool.terminate()
    default:
      throw ScriptError(
        .usageError, "unknown pool command '\(operation)' (expected start, map, starmap, imap, imap_unordered, apply, apply_async, close, join, terminate)",
        at: command.location)
    }
    return .none
  }

  func applyAsync(
    _ function: Value, _ arguments: [Value], on pool: Pool, label: String, at place: SourceLocation
  ) throws(ScriptError) -> AsyncResult {
    let result = AsyncResult(label: label, engine: self, place: place)
    try pool.submit(function, [.list(arguments)], spread: true, label: label, owner: result)
    pool.dispatch()
    return result
  }

  /// Runs a map on the pool and waits for it, showing progress. Ctrl-C cancels the queued
  /// tasks and stops (and replaces) the workers still running this map's tasks.
  func map(
    _ function: Value, _ items: [Value], on pool: Pool, operation: String, chunksize: Int?, label: String,
    at place: SourceLocation
  ) throws(ScriptError) -> [Value] {
    let star = operation == "starmap"
    var size = chunksize ?? 1
    if chunksize == nil, operation == "map" || star {
      // Python's default: about four chunks per worker.
      let (quotient, remainder) = items.count.quotientAndRemainder(dividingBy: max(1, pool.size * 4))
      size = max(1, quotient + (remainder > 0 ? 1 : 0))
    }
    try Crossing.checkEach(items)  // before any chunk is queued: a map runs whole or not at all
    let job = MapJob(total: items.count, keepsFinishOrder: operation == "imap_unordered", place: place)
    var start = 0
    while start < items.count {
      let chunk = items[start..<min(items.count, start + size)]
      if star, let bad = chunk.first(where: { if case .list = $0 { false } else { true } }) {
        throw ScriptError(.typeError, "starmap needs a list of argument lists, got \(bad.repr)")
      }
      let taskLabel = chunk.count == 1 ? "\(label)(\(chunk.first!.repr))" : "\(label) over items \(start)-\(start + chunk.count - 1)"
      job.expect(task: try pool.submit(function, Array(chunk), spread: star, label: taskLabel, owner: job), startingAt: start)
      start += chunk.count
    }
    pool.dispatch()
    let began = CPUClock.monotonicSeconds()
    let title = "pool \(operation) \(label)"
    defer { onProgress?(nil) }
    while !job.finished {
      let outcome = during(Activity(.blocked, "blocked on \(title) (\(job.done)/\(job.total))", since: began)) {
        loop.run(until: CPUClock.monotonicSeconds() + 0.1) { job.finished }
      }
      if outcome == .interrupted {
        let running = pool.cancel(owner: job)
        for worker in running { pool.stop(worker) }
        let stopped = running.isEmpty ? "" : "; stopped \(running.map(\.name).joined(separator: ", ")), which ran its tasks (replacements start)"
        throw ScriptError(.keyboardInterrupt, "interrupted \(title) after \(job.done) of \(job.total) results\(stopped)")
      }
      onProgress?(MapProgress(label: title, done: job.done, total: job.total, elapsed: CPUClock.monotonicSeconds() - began))
    }
    _ = pool.cancel(owner: job)
    return try job.values(ordered: operation != "imap_unordered")
  }

  func items(_ expr: Expr, _ interpreter: Interpreter) throws(ScriptError) -> [Value] {
    do {
      return try Engine.items(of: try interpreter.evaluate(expr))
    } catch {
      throw error.located(at: expr.location)
    }
  }

  /// The items a map runs over: a list, a range or a string's characters.
  static func items(of value: Value) throws(ScriptError) -> [Value] {
    if case .string(let s) = value { return s.map { .string(String($0)) } }
    guard let items = value.elementsIfSequence else {
      throw ScriptError(.typeError, "expected a list or range, got \(value.repr)")
    }
    return items
  }

  private func asyncResult(_ value: Value, at location: SourceLocation) throws(ScriptError) -> AsyncResult {
    guard case .handle(let handle) = value, let result = handle as? AsyncResult else {
      throw ScriptError(.typeError, "expected an async result (from pool apply_async), got \(value.repr)", at: location)
    }
    return result
  }

  /// What `pool` shows: each pool's workers with state, tasks done and current task.
  public func poolRows() -> [[String]] {
    let now = CPUClock.monotonicSeconds()
    var rows: [[String]] = []
    for pool in pools {
      for worker in pool.workers {
        let (state, doing) = pool.describe(worker, now: now)
        rows.append(["\(pool.number)", worker.name, String(worker.pid), state, String(worker.tasksDone), doing])
      }
      for gone in pool.departed.suffix(5) {
        rows.append(["\(pool.number)", gone.name, String(gone.pid), "gone", "-", gone.end])
      }
    }
    return rows
  }

  public var poolSummaries: [String] {
    pools.map { pool in
      let queued = pool.pendingCount
      return "\(pool.display)\(pool === defaultPool ? " (default)" : ""), \(queued) task\(queued == 1 ? "" : "s") queued"
    }
  }
}

extension Pool {
  /// `pl.map(f, xs, chunksize=K)`, `pl.apply_async(f, [args])`, `pl.close()`, ...
  public func method(_ name: String, _ call: BuiltinCall) throws(ScriptError) -> Value? {
    let engine = self.engineForMethods
    switch name {
    case "map", "starmap", "imap", "imap_unordered":
      let function = try call.argument(0, "a function")
      let items = try Engine.items(of: try call.argument(1, "a list or range"))
      var chunksize: Int?
      if case .int(let k)? = call.keywords["chunksize"] { chunksize = max(1, k) }
      return .list(
        try engine.map(
          function, items, on: self, operation: name, chunksize: chunksize, label: function.functionName,
          at: call.location))
    case "apply", "apply_async":
      let function = try call.argument(0, "a function")
      var arguments: [Value] = []
      if call.arguments.count > 1, case .list(let list) = call.arguments[1] { arguments = list }
      let label = "\(function.functionName)(\(arguments.map(\.repr).joined(separator: ", ")))"
      let result = try engine.applyAsync(function, arguments, on: self, label: label, at: call.location)
      return name == "apply" ? try result.get(timeout: nil) : .handle(result)
    case "close":
      close()
      return Value.none
    case "join":
      try join()
      return Value.none
    case "terminate":
      terminate()
      return Value.none
    default:
      return nil
    }
  }
}

extension Value {
  var functionName: String {
    switch self {
    case .function(let f): f.name
    case .builtin(let b): b.name
    default: repr
    }
  }
}
