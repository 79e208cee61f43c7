// The session's pools as a typed API: start one, the default one, apply, map (blocking or
// async), and what `pool` shows. The command layer turns script calls into these.
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

/// The kinds of map a pool runs, by their Python names.
public enum MapKind: String, Sendable {
  case map, starmap, imap, imap_unordered

  /// imap_unordered gives results in the order they finish.
  var keepsFinishOrder: Bool { self == .imap_unordered }
}

/// What a pool is made with: Python's `Pool(processes, initializer, initargs, maxtasksperchild)`.
public struct PoolOptions {
  public var size: Int
  public var maxTasksPerChild: Int?
  public var initializer: Value?
  public var initializerArguments: [Value]
  /// Applied in each worker before it takes a task (`pool start 2 cpu=[0]`).
  public var scheduling = SchedulingOptions()

  public init(size: Int? = nil, maxTasksPerChild: Int? = nil, initializer: Value? = nil, initializerArguments: [Value] = []) {
    self.size = size ?? Int(proclab_nproc_online())
    self.maxTasksPerChild = maxTasksPerChild
    self.initializer = initializer
    self.initializerArguments = initializerArguments
  }
}

extension Engine {
  /// A new pool. `asDefault` replaces the session's default pool (`pool start N` alone);
  /// otherwise the pool is the caller's own (`pl = Pool(4)`).
  public func startPool(_ options: PoolOptions, asDefault: Bool) throws(ScriptError) -> Pool {
    guard let interpreter else { throw ScriptError(.processError, "no interpreter to run pool tasks") }
    if asDefault, let old = defaultPool {
      old.terminate()
      pools.removeAll { $0 === old }
    }
    poolCount += 1
    let pool = try Pool(number: poolCount, options: options, engine: self, interpreter: interpreter)
    pools.append(pool)
    if asDefault { defaultPool = pool }
    return pool
  }

  /// The pool `pool map` uses without `pool=`: started with a worker per CPU on first use.
  /// A closed or terminated default stays the default (a later map raises ValueError, as
  /// Python's does) until `pool start` makes a new one.
  public func defaultPoolStartingIfNeeded() throws(ScriptError) -> Pool {
    if let defaultPool { return defaultPool }
    return try startPool(PoolOptions(), asDefault: true)
  }

  /// `apply_async`: one call on a worker; the result arrives in the returned handle. The
  /// callbacks run in this process once the outcome is in.
  public func applyAsync(
    _ function: Value, _ arguments: [Value], keywords: [(name: String, value: Value)] = [], on pool: Pool, label: String,
    at place: SourceLocation, callback: Value? = nil, errorCallback: Value? = nil
  ) throws(ScriptError) -> AsyncResult {
    let result = AsyncResult(label: label, engine: self, place: place, callback: callback, errorCallback: errorCallback)
    if keywords.isEmpty {
      try pool.submit(function, [.list(arguments)][...], shape: .spread, label: label, owner: result)
    } else {
      try pool.submit(function, [TaskOrder.keywordItem(arguments, keywords)][...], shape: .withKeywords, label: label, owner: result)
    }
    pool.dispatch()
    return result
  }

  /// Submits a map's chunks; the job collects the results.
  private func submitMap(
    _ function: Value, _ items: [Value], on pool: Pool, kind: MapKind, chunksize: Int?, label: String, at place: SourceLocation
  ) throws(ScriptError) -> MapJob {
    var size = chunksize ?? 1
    if chunksize == nil, kind == .map || kind == .starmap {
      // Python's default: about four chunks per worker.
      let (quotient, remainder) = items.count.quotientAndRemainder(dividingBy: max(1, pool.size * 4))
      size = max(1, quotient + (remainder > 0 ? 1 : 0))
    }
    try Crossing.checkEach(items)  // before any chunk is queued: a map runs whole or not at all
    let chunks = (items.count + size - 1) / size
    let job = MapJob(total: items.count, chunks: chunks, place: place)
    pool.reserve(tasks: chunks)
    var start = 0
    while start < items.count {
      let chunk = items[start..<min(items.count, start + size)]
      let taskLabel = chunk.count == 1 ? "\(label)(\(chunk.first!.repr))" : "\(label) over items \(start)-\(start + chunk.count - 1)"
      let id = try pool.submit(
        function, chunk, shape: kind == .starmap ? .spread : .single, label: taskLabel, owner: job, itemsChecked: true)
      job.expect(task: id, count: chunk.count)
      start += chunk.count
    }
    pool.dispatch()
    return job
  }

  /// Runs a map on the pool and waits for it, showing progress. Ctrl-C cancels the queued
  /// tasks and stops (and replaces) the workers still running this map's tasks.
  public func map(
    _ function: Value, _ items: [Value], on pool: Pool, kind: MapKind, chunksize: Int?, label: String, at place: SourceLocation
  ) throws(ScriptError) -> [Value] {
    let job = try submitMap(function, items, on: pool, kind: kind, chunksize: chunksize, label: label, at: place)
    let began = CPUClock.monotonicSeconds()
    let title = "pool \(kind.rawValue) \(label)"
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
    return try job.values(ordered: !kind.keepsFinishOrder)
  }

  /// `map_async`, `starmap_async`: the map runs on; its list of results arrives in the handle.
  public func mapAsync(
    _ function: Value, _ items: [Value], on pool: Pool, kind: MapKind, chunksize: Int?, label: String, at place: SourceLocation,
    callback: Value? = nil, errorCallback: Value? = nil
  ) throws(ScriptError) -> AsyncResult {
    let result = AsyncResult(label: "\(kind.rawValue) \(label)", engine: self, place: place, callback: callback, errorCallback: errorCallback)
    let job = try submitMap(function, items, on: pool, kind: kind, chunksize: chunksize, label: label, at: place)
    job.onFinish = { [unowned result, unowned job] in result.settle(with: Result { () throws(ScriptError) in .list(try job.values(ordered: true)) }) }
    if job.finished { job.onFinish?() }
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

  /// Callbacks of async results whose outcome arrived, run at the next safe point in this
  /// process (between statements, or while it waits at the prompt), as Python runs them on
  /// its result thread.
  public func runPendingCallbacks() {
    guard !pendingCallbacks.isEmpty, let interpreter else { return }
    let due = pendingCallbacks
    pendingCallbacks = []
    for (function, argument) in due {
      do {
        _ = try interpreter.call(function, [argument], at: Engine.taskLocation)
      } catch {
        Descriptors.writeAll(2, "in a pool callback in \(processName) (pid \(getpid())):\n" + error.report(sources: interpreter.sources))
      }
    }
  }
}

extension Value {
  /// `sq` for a function, for labels of tasks.
  public var functionName: String {
    switch self {
    case .function(let f): f.name
    case .builtin(let b): b.name
    default: repr
    }
  }
}
