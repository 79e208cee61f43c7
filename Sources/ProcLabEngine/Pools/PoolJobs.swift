// What waits for pool tasks: an async result (apply_async) and a map over many items.
// Both are task owners: the pool delivers each task's outcome to them as it arrives.
import ProcLabScript

/// `r = pool apply_async f(x)`: `get r`, `wait r`, `r.ready`, `r.successful`.
public final class AsyncResult: Handle, TaskOwner {
  public let label: String
  public private(set) var outcome: Result<Value, ScriptError>?
  unowned let engine: Engine
  /// Where the task was submitted: the place of an error in the call itself.
  let place: SourceLocation
  /// Called in the session with the value, or with the error, once the outcome arrives.
  private let callback: Value?
  private let errorCallback: Value?

  init(label: String, engine: Engine, place: SourceLocation, callback: Value? = nil, errorCallback: Value? = nil) {
    self.label = label
    self.engine = engine
    self.place = place
    self.callback = callback
    self.errorCallback = errorCallback
  }

  func deliver(_ id: Int, _ result: Result<TaskValues, ScriptError>) {
    settle(with: result.map { $0.first ?? .none })
  }

  func settle(with result: Result<Value, ScriptError>) {
    outcome = result.mapError { $0.placed(at: place) }
    switch outcome {
    case .success(let value)?: if let callback { engine.pendingCallbacks.append((callback, value)) }
    case .failure(let error)?: if let errorCallback { engine.pendingCallbacks.append((errorCallback, .error(error))) }
    case nil: break
    }
  }

  public var typeName: String { "async result" }

  public var display: String {
    switch outcome {
    case nil: "<AsyncResult \(label) pending>"
    case .success(let value)?: "<AsyncResult \(label) ready: \(value.repr)>"
    case .failure(let error)?: "<AsyncResult \(label) failed: \(error.kind)>"
    }
  }

  public var isReady: Bool { outcome != nil }

  /// Python's successful(): ValueError while the outcome is not in.
  public func successful() throws(ScriptError) -> Bool {
    guard let outcome else { throw ScriptError(.valueError, "the result of \(label) is not ready yet") }
    if case .success = outcome { return true }
    return false
  }

  /// Waits until the outcome arrives or the timeout passes; false on timeout.
  public func wait(timeout: Double?) throws(ScriptError) -> Bool {
    let deadline = timeout.map { CPUClock.monotonicSeconds() + $0 }
    let waited = engine.during(Activity(.blocked, "blocked on get of \(label)", since: CPUClock.monotonicSeconds(), until: deadline)) {
      engine.loop.run(until: deadline) { outcome != nil }
    }
    if waited == .interrupted {
      throw ScriptError(.keyboardInterrupt, "interrupted while waiting for \(label) (the task goes on; get it later)")
    }
    return waited == .satisfied
  }

  /// `get r [timeout=S]`: the value, or the task's error; TimeoutError when late (the task
  /// keeps running and a later get returns its value, as in Python).
  public func get(timeout: Double?) throws(ScriptError) -> Value {
    guard try wait(timeout: timeout) else {
      throw ScriptError(.timeoutError, "the result of \(label) was not ready after \(timeout ?? 0)s (the task goes on)")
    }
    return try outcome!.get()
  }
}

/// `pool map`, `starmap`, `imap`, `imap_unordered`: chunks of items, results put back in
/// input order (or in the order they finish), the first error ends the map.
final class MapJob: TaskOwner {
  let total: Int
  /// The task of each chunk, in input order (ids ascend: tasks are numbered as they are
  /// submitted), and how many items each chunk has, -1 once its outcome is in.
  private var tasks: [Int] = []
  private var counts: [Int] = []
  /// Each chunk's results once they arrive, by place, and the places in the order they
  /// arrived: put together once, when the map's list is asked for (writing each value into a
  /// list of placeholders would free every placeholder, one by one).
  private var arrived: [TaskValues?] = []
  private var arrivalOrder: [Int] = []
  private(set) var done = 0
  private(set) var failure: ScriptError?
  /// Told once when the map finishes (map_async's result settles then).
  var onFinish: (() -> Void)?
  /// Where the map was asked for: the place of an error in the calls themselves.
  private let place: SourceLocation

  /// `chunks`: how many chunks will be expected, to size the bookkeeping once.
  init(total: Int, chunks: Int, place: SourceLocation) {
    self.total = total
    self.place = place
    tasks.reserveCapacity(chunks)
    counts.reserveCapacity(chunks)
    arrived.reserveCapacity(chunks)
    arrivalOrder.reserveCapacity(chunks)
  }

  /// The next chunk, in input order.
  func expect(task id: Int, count: Int) {
    tasks.append(id)
    counts.append(count)
    arrived.append(nil)
  }

  /// Where a task's chunk is among the chunks: found at once when the map's tasks are
  /// numbered one after the other (always, as the pool numbers them), else by bisection.
  private func chunk(of id: Int) -> Int? {
    guard let first = tasks.first else { return nil }
    let guess = id - first
    if guess >= 0 && guess < tasks.count && tasks[guess] == id { return guess }
    var low = 0
    var high = tasks.count
    while low < high {
      let middle = (low + high) / 2
      if tasks[middle] < id { low = middle + 1 } else { high = middle }
    }
    return low < tasks.count && tasks[low] == id ? low : nil
  }

  var finished: Bool { failure != nil || done == total }

  func deliver(_ id: Int, _ result: Result<TaskValues, ScriptError>) {
    guard let ordinal = chunk(of: id), counts[ordinal] >= 0 else { return }
    let count = counts[ordinal]
    counts[ordinal] = -1
    switch result {
    case .success(let values) where values.count == count:
      arrived[ordinal] = values
      arrivalOrder.append(ordinal)
      done += values.count
    case .success(let values):
      // Only a worker that lost its way sends another number: the map fails, it cannot hang.
      if failure == nil {
        failure = ScriptError(.processError, "a pool worker sent \(values.count) results for a chunk of \(count) items")
      }
    case .failure(let error):
      if failure == nil { failure = error.placed(at: place) }
    }
    if finished, let onFinish {
      self.onFinish = nil
      onFinish()
    }
  }

  /// The results in input order (`ordered`) or in the order their chunks finished.
  func values(ordered: Bool) throws(ScriptError) -> [Value] {
    if let failure { throw failure }
    guard done > 0 else { return [] }
    return [Value](unsafeUninitializedCapacity: done) { slots, initialized in
      var next = slots.baseAddress!
      for ordinal in ordered ? Array(arrived.indices) : arrivalOrder {
        switch arrived[ordinal] {
        case nil: continue
        case .ints(let numbers)?:
          for n in numbers { next.initialize(to: .int(n)); next += 1 }
        case .values(let values)?:
          values.withUnsafeBufferPointer { if let first = $0.baseAddress { next.initialize(from: first, count: $0.count) } }
          next += values.count
        }
      }
      initialized = done
    }
  }
}

extension ScriptError {
  /// A worker raises an error in the call of a task's function itself (a wrong number of
  /// arguments, a value that is not a function) at the task placeholder; the mistake is the
  /// script's, at the command that submitted the task.
  func placed(at place: SourceLocation) -> ScriptError {
    guard location == Engine.taskLocation else { return self }
    var copy = self
    copy.location = place
    return copy
  }
}
