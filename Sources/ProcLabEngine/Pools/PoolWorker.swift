// The two sides of a pool worker: the session's record of one (PoolWorker) and the loop a
// worker process runs (runPoolWorker): take tasks from the channel, run them, send results.
import Glibc
import ProcLabScript

/// The session's view of one worker process.
final class PoolWorker {
  let name: String
  let pid: Int32
  let channel: Channel
  var pidfd: Int32
  /// Tasks sent and not yet answered, in the order the worker runs them.
  var outstanding: [PoolTask] = []
  var tasksSent = 0
  var tasksDone = 0
  /// When the task at the front of `outstanding` started (as far as the session can tell).
  var frontSince = CPUClock.monotonicSeconds()
  var stopping = false
  /// Tasks given to this worker by the dispatch under way, sent together in one message.
  var batch: [TaskOrder] = []
  /// The global functions this worker has, by name (its copy of the session's at the fork,
  /// and the definitions sent since), and the generation of the pool's table they match.
  var functions: [String: Function]
  var functionsGeneration: Int
  let startedAt = CPUClock.monotonicSeconds()

  init(name: String, pid: Int32, channel: Channel, pidfd: Int32, functions: [String: Function], generation: Int) {
    self.name = name
    self.pid = pid
    self.channel = channel
    self.pidfd = pidfd
    self.functions = functions
    self.functionsGeneration = generation
  }

  var origin: String { "\(name) (pid \(pid))" }
}

/// A task waiting in the pool or running on a worker, and who wants its outcome.
struct PoolTask {
  var order: TaskOrder
  /// For display: `sq(3)`, or `sq over items 0-12` for a map chunk.
  var label: String
  // Strong: an interrupted map is gone from the stack while its tasks still finish.
  var owner: TaskOwner
}

/// Receives the outcome of the tasks it submitted (an async result, a map).
protocol TaskOwner: AnyObject {
  func deliver(_ id: Int, _ result: Result<TaskValues, ScriptError>)
}

extension Engine {
  /// How a worker whose initializer failed ends, so its pool knows not to start another.
  static let initializerFailedStatus: Int32 = 121

  /// The loop of a worker process; it never returns. Results are sent in batches when tasks
  /// are quick, and at once after a task that took a while, so a worker killed mid-task has
  /// reported every task it finished (but for the last millisecond's).
  func runPoolWorker(_ interpreter: Interpreter, maxTasks: Int?, initializer: Value?, initializerArguments: [Value]) -> Never {
    guard let channel = parentChannel else { exitChild(code: 1) }
    channel.enlargeSendBuffer(to: Pool.channelBuffer)
    if let initializer {
      do {
        _ = try interpreter.call(initializer, initializerArguments, at: Engine.taskLocation)
      } catch {
        // The pool stops starting workers (see Pool.workerEnded) instead of failing for ever.
        Descriptors.writeAll(2, "Process \(processName) (pid \(getpid())), in the pool's initializer:\n" + error.report(sources: interpreter.sources))
        exitChild(code: Engine.initializerFailedStatus)
      }
    }
    let origin = "\(processName) (pid \(getpid()))"
    var compiled: [String: Value] = [:]
    // A function that cannot be found or compiled fails the tasks that call it; failing the
    // whole message instead would leave its tasks unanswered and the session waiting.
    let resolve: (FunctionReference) -> Value? = { reference in
      Engine.resolveFunction(reference, interpreter, &compiled) ?? Engine.missingFunction(reference.name)
    }
    var done = 0
    while true {
      var orders: [TaskOrder] = []
      var stop = false
      let open = channel.receiveBlocking { frame in
        switch try? ChannelMessage.decode(frame, resolve: resolve) {
        case .tasks(let batch):
          output.characterWrites = batch.characterWrites
          for definition in batch.definitions { interpreter.globals[definition.name] = definition.function }
          orders += batch.orders
        case .stop: stop = true
        default: break
        }
      }
      guard open else { exitChild(code: 0) }
      _ = SignalTraps.takeInterrupt()
      var outcomes: [TaskOutcome] = []
      var busyStart = CPUClock.monotonicSeconds()
      for order in orders {
        var result: Result<TaskValues, ScriptError>
        do throws(ScriptError) {
          result = .success(try Engine.run(order, interpreter))
        } catch {
          var error = error
          if error.origin == nil { error.origin = origin }
          result = .failure(error)
        }
        outcomes.append(TaskOutcome(id: order.id, result: result))
        done += 1
        let now = CPUClock.monotonicSeconds()
        let finishedBudget = maxTasks.map { done >= $0 } ?? false
        if now - busyStart > 0.001 || finishedBudget {
          send(outcomes, busy: now - busyStart, on: channel)
          outcomes = []
          busyStart = now
        }
        if finishedBudget { exitChild(code: 0) }
      }
      if !outcomes.isEmpty { send(outcomes, busy: CPUClock.monotonicSeconds() - busyStart, on: channel) }
      if stop { exitChild(code: 0) }
    }
  }

  /// Calls a task's function once per item, in order; the first error ends the task. The
  /// items are taken apart once per task, not once per item (ints need no value kept for
  /// them, and a slice of values is retained once).
  private static func run(_ order: TaskOrder, _ interpreter: Interpreter) throws(ScriptError) -> TaskValues {
    var values = TaskValuesGatherer(capacity: order.items.count)
    // Read once: a static constant is looked up through a once-check at each use.
    let location = Engine.taskLocation
    switch order.items {
    case .ints(let numbers):
      for n in numbers { values.append(try call(order, with: .int(n), at: location, interpreter)) }
    case .values(let items):
      for item in items { values.append(try call(order, with: item, at: location, interpreter)) }
    }
    return values.gathered
  }

  @inline(__always)
  private static func call(_ order: TaskOrder, with item: Value, at location: SourceLocation, _ interpreter: Interpreter) throws(ScriptError) -> Value {
    switch order.shape {
    case .single:
      return try interpreter.call(order.function, argument: item, at: location)
    case .spread:
      guard let arguments = item.elementsIfSequence else {
        throw ScriptError(.typeError, "starmap needs an iterable of argument lists, got \(item.repr)")
      }
      return try interpreter.call(order.function, arguments, at: location)
    case .withKeywords:
      let (arguments, keywords) = TaskOrder.splitKeywords(item)
      return try interpreter.call(order.function, arguments, keywords: keywords, at: location)
    }
  }

  /// Sends finished tasks' outcomes in one frame. A result that cannot cross (a queue, a
  /// process) becomes that task's TypeError, placed at the command that submitted it; the
  /// other outcomes go as they are, and the worker goes on taking tasks.
  private func send(_ outcomes: [TaskOutcome], busy: Double, on channel: Channel) {
    if let frame = try? ChannelMessage.results(busySeconds: busy, outcomes).encodedFrame() {
      channel.send(frameBytes: frame)
      return
    }
    let origin = "\(processName) (pid \(getpid()))"
    let checked = outcomes.map { outcome in
      guard case .success(let values) = outcome.result else { return outcome }
      do throws(CrossingError) {
        for value in values { try Crossing.check(value) }
        return outcome
      } catch {
        var failure = error.scriptError
        failure.message = "the task's result: " + failure.message
        failure.location = Engine.taskLocation
        failure.origin = origin
        return TaskOutcome(id: outcome.id, result: .failure(failure))
      }
    }
    // Last resort, so that no task is left unanswered: every one of them fails.
    let frame =
      (try? ChannelMessage.results(busySeconds: busy, checked).encodedFrame())
      ?? (try? ChannelMessage.results(
        busySeconds: busy,
        outcomes.map {
          TaskOutcome(id: $0.id, result: .failure(ScriptError(.typeError, "the task's outcome cannot be sent to the session", origin: origin)))
        }
      ).encodedFrame())
    if let frame { channel.send(frameBytes: frame) }
  }

  /// Where a worker's call of a task's function happens. An error placed here (a wrong call,
  /// a value that is not a function) is the submitting command's: the session moves it there.
  static let taskLocation = SourceLocation(file: "<pool task>", line: 1, column: 1)

  /// Stands in for a function a worker cannot find: calling it raises NameError.
  static func missingFunction(_ name: String) -> Value {
    .builtin(
      Builtin(name) { call throws(ScriptError) in
        throw ScriptError(.nameError, "function '\(name)' is not defined in this process", at: call.location)
      })
  }

  /// A function named in a task: the worker's own definition when it is the same text,
  /// else compiled from the source sent along (defined after the worker was forked), at its
  /// original place so that errors inside it point at the right line.
  static func resolveFunction(_ reference: FunctionReference, _ interpreter: Interpreter, _ compiled: inout [String: Value]) -> Value? {
    let name = reference.name
    guard let source = reference.source, let location = reference.location else {
      return try? interpreter.evaluate(Expr(.name(name), at: taskLocation, text: name))
    }
    if case .function(let known)? = interpreter.globals[name], known.source == source { return .function(known) }
    if let cached = compiled[source] { return cached }
    let placed = String(repeating: "\n", count: max(0, location.line - 1)) + String(repeating: " ", count: max(0, location.column - 1)) + source
    guard let statements = try? interpreter.parse(placed, file: location.file, keepSource: false),
      case .define(let function, _)? = statements.first?.kind
    else { return nil }
    compiled[source] = .function(function)
    return .function(function)
  }
}
