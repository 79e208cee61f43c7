// A pool of worker processes, as Python's multiprocessing.Pool, kept honest: tasks wait in
// the session and go to the least busy worker; a worker that dies fails only the task it
// was running, the rest go to others, and a replacement is forked. Nothing ever hangs.
import Glibc
import ProcLabScript

public final class Pool: Handle {
  /// `broken`: the initializer failed in a worker, so no worker can start (Python's pool
  /// would start new ones for ever).
  public enum State: String { case running, closed, terminated, broken }

  public let number: Int
  public let size: Int
  public let maxTasksPerChild: Int?
  /// Called in each worker as it starts, with these arguments (Python's initializer).
  private let initializer: Value?
  private let initializerArguments: [Value]
  public private(set) var state = State.running
  var workers: [PoolWorker] = []
  /// Workers that died or finished: their names, PIDs and how they ended, for `pool`.
  private(set) var departed: [(name: String, pid: Int32, end: String)] = []
  private var queue: [PoolTask] = []
  private var queueHead = 0
  private var nextTaskId = 1
  private var workerCount = 0
  /// Average run time of recent tasks: quick tasks go to workers in batches, slow ones
  /// one at a time so that no task waits behind another while a worker is idle.
  private var averageTaskSeconds = 1.0
  /// The session's global functions as of the last dispatch, and a number that changes
  /// whenever they do: a worker on an older generation is sent what it lacks. The list holds
  /// the same functions in the order the globals were walked, to check them without hashing.
  private var functions: [String: Function] = [:]
  private var functionList: [(name: String, function: Function)] = []
  private var functionsGeneration = 0
  private unowned let engine: Engine
  private let interpreter: Interpreter
  /// Every worker's nice, policy and CPUs, replacements included.
  private let scheduling: SchedulingOptions

  init(number: Int, options: PoolOptions, engine: Engine, interpreter: Interpreter) throws(ScriptError) {
    self.number = number
    self.size = options.size
    self.maxTasksPerChild = options.maxTasksPerChild
    self.initializer = options.initializer
    self.initializerArguments = options.initializerArguments
    self.scheduling = options.scheduling
    self.engine = engine
    self.interpreter = interpreter
    for _ in 0..<size { try startWorker() }
  }

  public var typeName: String { "pool" }

  public var display: String {
    "<Pool \(number): \(workers.count) worker\(workers.count == 1 ? "" : "s"), \(state.rawValue)>"
  }

  public var workerPids: [Int32] { workers.map(\.pid) }
  var workerStarts: [Double] { workers.map(\.startedAt) }

  var pendingCount: Int { queue.count - queueHead }

  // MARK: workers

  private func startWorker() throws(ScriptError) {
    workerCount += 1
    let name = number == 1 ? "ForkPoolWorker-\(workerCount)" : "Pool\(number)Worker-\(workerCount)"
    guard let child = try engine.forkChild(named: name, scheduling: scheduling) else {
      engine.runPoolWorker(interpreter, maxTasks: maxTasksPerChild, initializer: initializer, initializerArguments: initializerArguments)
    }
    // The child has every global function the session has now.
    refreshFunctions()
    let worker = PoolWorker(
      name: name, pid: child.pid, channel: Channel(fd: child.channel, loop: engine.loop), pidfd: child.pidfd,
      functions: functions, generation: functionsGeneration)
    worker.channel.enlargeSendBuffer(to: Pool.channelBuffer)
    workers.append(worker)
    engine.events.record(child.pid, name, .started("pool worker"), poolWorker: true)
    engine.armWaitWatch()  // it looks at the locks a worker holds, for the timeline
    engine.loop.watch(child.channel) { [unowned self, unowned worker] in self.receive(from: worker) }
    engine.loop.watchExit(of: child.pid, pidfd: child.pidfd) { [unowned self, unowned worker] in self.workerEnded(worker) }
  }

  private func receive(from worker: PoolWorker) {
    var malformed = false
    // A function in a result is the session's own definition, or compiled from its text as
    // in any other process; one that cannot be compiled becomes a NameError on call.
    // (A strong local: an unowned capture costs a retain and release per decoded value.)
    let engine = self.engine
    let resolve = { (reference: FunctionReference) in engine.resolve(reference) ?? Engine.missingFunction(reference.name) }
    let open = worker.channel.receive { frame in
      // Results rarely hold a function: read them first with no way to look one up (a
      // resolver that can makes reading every value about 15% slower), and only a frame
      // that holds one again with it.
      guard !malformed,
        let message = (try? ChannelMessage.decode(frame, resolve: { _ in nil })) ?? (try? ChannelMessage.decode(frame, resolve: resolve))
      else {
        malformed = true
        return
      }
      if case .activity(let activity) = message {
        // What a task does inside (sleeping, waiting on a queue) shows in its lane.
        engine.events.record(worker.pid, worker.name, .activity(activity.state, activity.text), at: activity.since, poolWorker: true)
        return
      }
      guard case .results(let busy, let outcomes) = message else { return }
      let now = CPUClock.monotonicSeconds()
      if let first = worker.outstanding.first {
        let more = outcomes.count > 1 ? " and \(outcomes.count - 1) more" : ""
        engine.events.record(worker.pid, worker.name, .ranTasks(since: worker.frontSince, first.label + more), at: now, poolWorker: true)
      }
      if !outcomes.isEmpty {
        averageTaskSeconds = 0.7 * averageTaskSeconds + 0.3 * busy / Double(outcomes.count)
      }
      // A worker answers its tasks in the order it was sent them: those answered come off the
      // front together, in one move of the rest (one per task cost a move of up to 256 tasks
      // each, most of the session's time in a map with chunksize=1).
      var answered = 0
      for outcome in outcomes {
        let task: PoolTask
        if answered < worker.outstanding.count && worker.outstanding[answered].order.id == outcome.id {
          task = worker.outstanding[answered]
          answered += 1
        } else if let index = worker.outstanding[answered...].firstIndex(where: { $0.order.id == outcome.id }) {
          task = worker.outstanding.remove(at: index)
        } else {
          continue
        }
        worker.tasksDone += 1
        task.owner.deliver(outcome.id, outcome.result)
      }
      worker.outstanding.removeFirst(answered)
      worker.frontSince = now
    }
    if malformed { dropMalformed(worker) }
    if !open { engine.loop.unwatch(worker.channel.fd) }
    dispatch()
  }

  /// A worker sent a frame that does not decode: its outstanding tasks could never be
  /// answered, so they fail now and the worker is stopped (a replacement starts, see
  /// workerEnded). The rest of the pool goes on.
  private func dropMalformed(_ worker: PoolWorker) {
    let error = ScriptError(.processError, "worker \(worker.name) (pid \(worker.pid)) sent a message that cannot be read", origin: worker.origin)
    let lost = worker.outstanding
    worker.outstanding = []
    for task in lost { task.owner.deliver(task.order.id, .failure(error)) }
    worker.stopping = true
    kill(worker.pid, SIGKILL)
  }

  /// A worker process ended. If it was running a task, that task fails now, naming the
  /// worker and how it ended; its other tasks go back to the queue; a replacement starts.
  private func workerEnded(_ worker: PoolWorker) {
    receive(from: worker)
    var status: Int32 = 0
    var end = "ended"
    if waitpid(worker.pid, &status, 0) == worker.pid {
      end = ProcessRecord.Termination(waitStatus: status).description
    }
    engine.loop.unwatchExit(of: worker.pid, pidfd: worker.pidfd)
    engine.loop.unwatch(worker.channel.fd)
    if worker.pidfd >= 0 { Glibc.close(worker.pidfd) }
    Glibc.close(worker.channel.fd)
    workers.removeAll { $0 === worker }
    departed.append((worker.name, worker.pid, end))
    if departed.count > 200 { departed.removeFirst(100) }  // `pool` shows the last 5
    engine.events.record(worker.pid, worker.name, .exited(end), poolWorker: true)
    engine.events.record(worker.pid, worker.name, .reaped, poolWorker: true)
    // Locks and semaphore units it held go back, with the warning a spawned process's gets.
    engine.releaseHolds(of: worker.pid, named: worker.name, ended: end)
    if ProcessRecord.Termination(waitStatus: status) == .exited(Engine.initializerFailedStatus) {
      state = .broken
      let error = ScriptError(
        .processError, "the pool's initializer failed in \(worker.name) (pid \(worker.pid)), see its error above: no worker can start; make a new pool",
        origin: worker.origin)
      for task in worker.outstanding { task.owner.deliver(task.order.id, .failure(error)) }
      worker.outstanding = []
      failQueued(error)
    } else if let running = worker.outstanding.first {
      let error = ScriptError(
        .processError, "worker \(worker.name) (pid \(worker.pid)) \(end) while running \(running.label)",
        origin: worker.origin)
      running.owner.deliver(running.order.id, .failure(error))
      requeueFront(Array(worker.outstanding.dropFirst()))
    }
    worker.outstanding = []
    if state != .terminated && state != .broken && (state == .running || pendingCount > 0) {
      do {
        try startWorker()
      } catch {
        failQueued(error)
      }
    }
    dispatch()
  }

  // MARK: tasks

  /// Makes room for `count` more tasks in the queue at once (a map's chunks).
  func reserve(tasks count: Int) {
    queue.reserveCapacity(queue.count + count)
  }

  /// Queues a task and sends what can be sent now. `itemsChecked`: the caller made sure the
  /// items can cross (a map checks all of its items once, before its first chunk).
  @discardableResult
  func submit(
    _ function: Value, _ items: ArraySlice<Value>, shape: TaskOrder.Shape, label: String, owner: TaskOwner, itemsChecked: Bool = false
  ) throws(ScriptError) -> Int {
    guard state == .running else {
      throw ScriptError(.valueError, "Pool not running: it is \(state.rawValue) and takes no new tasks")
    }
    // Refused now, at the call: later the task would fail with nobody at the call to see why.
    try Crossing.checkEach([function])
    if !itemsChecked { try Crossing.checkEach(items) }
    let id = nextTaskId
    nextTaskId += 1
    queue.append(PoolTask(order: TaskOrder(id: id, function: function, items: .values(items), shape: shape), label: label, owner: owner))
    return id
  }

  /// Sends queued tasks to the least busy workers: one at a time to the worker with the
  /// fewest outstanding (round robin on ties), up to 256 each when tasks are quick and one
  /// each when they are slow; then each worker gets its share in one message. So no task
  /// waits behind another on a worker while another worker could take it.
  func dispatch() {
    if pendingCount > 0 {
      let window = averageTaskSeconds < 0.002 ? 256 : 1
      var open = workers.filter { !$0.stopping && $0.outstanding.count < window && hasBudget($0) }
      var given = false
      // Where the search for the least busy worker starts, so that ties go round robin. Each
      // dispatch starts at the first worker: one task at a time keeps going to the same warm
      // worker while it is idle.
      var cursor = 0
      while pendingCount > 0 && !open.isEmpty {
        var chosen = cursor % open.count
        for step in 1..<open.count {
          let index = (cursor + step) % open.count
          if open[index].outstanding.count < open[chosen].outstanding.count { chosen = index }
        }
        let worker = open[chosen]
        given = true
        let task = queue[queueHead]
        queueHead += 1
        if worker.outstanding.isEmpty { worker.frontSince = CPUClock.monotonicSeconds() }
        worker.outstanding.append(task)
        worker.batch.append(task.order)
        worker.tasksSent += 1
        if worker.outstanding.count >= window || !hasBudget(worker) {
          open.remove(at: chosen)
          cursor = chosen
        } else {
          cursor = chosen + 1
        }
      }
      if given { sendBatches() }
    }
    if queueHead > 1024 && queueHead * 2 > queue.count {
      queue.removeFirst(queueHead)
      queueHead = 0
    }
    stopIdleWorkersIfClosed()
  }

  /// Sends each worker its batch, with the session's `output chars` setting and the global
  /// functions it lacks, in frames of about `itemsPerFrame` items (a map's big chunks one to a
  /// frame, quick tasks many to one: a worker starts on its first frame while it still reads
  /// the others). A worker's frames
  /// go in one write, after all of them are encoded: the worker it wakes may take the
  /// session's CPU at once (on a busy machine, or one with no more CPUs than workers), and
  /// must not wait for its next frames until the session runs again (seen with strace, frame
  /// by frame: the worker finished its first chunk and then waited about a millisecond).
  private func sendBatches() {
    refreshFunctions()
    let characterWrites = engine.output.characterWrites
    for worker in workers where !worker.batch.isEmpty {
      var definitions: [(name: String, function: Value)] = []
      if worker.functionsGeneration != functionsGeneration {
        for (name, function) in functions where worker.functions[name] !== function {
          definitions.append((name, .function(function)))
        }
        worker.functions = functions
        worker.functionsGeneration = functionsGeneration
      }
      let orders = worker.batch
      worker.batch = []
      var frames: [UInt8] = []
      var start = 0
      while start < orders.count {
        var end = start + 1
        var items = orders[start].items.count
        while end < orders.count && items + orders[end].items.count <= Pool.itemsPerFrame {
          items += orders[end].items.count
          end += 1
        }
        let group = start == 0 && end == orders.count ? orders : Array(orders[start..<end])
        let batch = TaskBatch(orders: group, characterWrites: characterWrites, definitions: start == 0 ? definitions : [])
        if let frame = encode(batch, for: worker) {
          if frames.isEmpty { frames = frame } else { frames += frame }
        }
        start = end
      }
      if !frames.isEmpty { worker.channel.send(frameBytes: frames) }
    }
  }

  /// The socket buffer of each side of a worker's channel: a few chunks of a big map.
  static let channelBuffer: Int32 = 1 << 20

  /// About this many items go in one frame of tasks (see sendBatches).
  private static let itemsPerFrame = 4096

  /// One frame of tasks; nil when it cannot be encoded, and then its tasks fail with the error.
  private func encode(_ batch: TaskBatch, for worker: PoolWorker) -> [UInt8]? {
    do {
      return try ChannelMessage.tasks(batch).scriptFrame()
    } catch {
      for order in batch.orders {
        if let index = worker.outstanding.firstIndex(where: { $0.order.id == order.id }) {
          let task = worker.outstanding.remove(at: index)
          task.owner.deliver(order.id, .failure(error))
        }
      }
      return nil
    }
  }

  /// Looks at the session's global functions; a new generation when any was defined,
  /// redefined or removed since the last look. One pass over the globals, comparing them in
  /// order with the last look's; any difference (even one of order only) makes a new
  /// generation, and the workers are then compared by name.
  private func refreshFunctions() {
    var index = 0
    var same = true
    for (name, value) in interpreter.globals {
      guard case .function(let function) = value else { continue }
      if index == functionList.count || functionList[index].function !== function || functionList[index].name != name {
        same = false
        break
      }
      index += 1
    }
    guard !same || index != functionList.count else { return }
    functions = [:]
    functionList = []
    for (name, value) in interpreter.globals {
      guard case .function(let function) = value else { continue }
      functions[name] = function
      functionList.append((name, function))
    }
    functionsGeneration += 1
  }

  private func hasBudget(_ worker: PoolWorker) -> Bool {
    guard let max = maxTasksPerChild else { return true }
    return worker.tasksSent < max
  }

  private func requeueFront(_ tasks: [PoolTask]) {
    guard !tasks.isEmpty else { return }
    queue.replaceSubrange(queueHead..<queueHead, with: tasks)
  }

  private func failQueued(_ error: ScriptError) {
    while pendingCount > 0 {
      let task = queue[queueHead]
      queueHead += 1
      task.owner.deliver(task.order.id, .failure(error))
    }
  }

  /// Removes the queued tasks of one owner (an interrupted map); returns the workers still
  /// running one of its tasks.
  func cancel(owner: TaskOwner) -> [PoolWorker] {
    // In place: the queue keeps its room for the next map (a new one of thousands of tasks
    // costs a page fault per 4 KiB, each time).
    queue.removeSubrange(0..<queueHead)
    queue.removeAll { $0.owner === owner }
    queueHead = 0
    return workers.filter { $0.outstanding.contains { $0.owner === owner } }
  }

  /// What each worker is doing, for `pool` and `ps`.
  func describe(_ worker: PoolWorker, now: Double) -> (state: String, doing: String) {
    guard let front = worker.outstanding.first else {
      return ("idle", "idle, \(worker.tasksDone) task\(worker.tasksDone == 1 ? "" : "s") done")
    }
    let more = worker.outstanding.count > 1 ? ", \(worker.outstanding.count - 1) more queued" : ""
    return ("running", "running \(front.label) (for \(Activity.seconds(now - worker.frontSince)))\(more)")
  }

  // MARK: lifecycle

  /// `pool close`: no new tasks; workers exit once the queued work is done.
  public func close() {
    guard state == .running else { return }
    state = .closed
    stopIdleWorkersIfClosed()
  }

  private func stopIdleWorkersIfClosed() {
    guard state == .closed, pendingCount == 0 else { return }
    for worker in workers where worker.outstanding.isEmpty && !worker.stopping {
      worker.stopping = true
      try? worker.channel.send(ChannelMessage.stop)
    }
  }

  /// `pool join`: waits until every worker has exited; only after close or terminate.
  public func join() throws(ScriptError) {
    guard state != .running else {
      throw ScriptError(.valueError, "the pool is still running: close (or terminate) it before joining")
    }
    let outcome = engine.loop.run { workers.isEmpty }
    if outcome == .interrupted { throw ScriptError(.keyboardInterrupt, "interrupted while joining the pool") }
  }

  /// `pool terminate`: kills the workers at once; queued and running tasks fail.
  public func terminate() {
    guard state != .terminated else { return }
    state = .terminated
    failQueued(ScriptError(.processError, "the pool was terminated"))
    for worker in workers { kill(worker.pid, SIGKILL) }
    _ = engine.loop.run(until: CPUClock.monotonicSeconds() + 5) { workers.isEmpty }
  }

  /// Kills a worker running interrupted work; a replacement starts (see workerEnded).
  func stop(_ worker: PoolWorker) {
    kill(worker.pid, SIGKILL)
  }

  /// In a forked child: the pool's descriptors are the session's, not the child's.
  func closeInChild() {
    for worker in workers {
      if worker.pidfd >= 0 { Glibc.close(worker.pidfd) }
      Glibc.close(worker.channel.fd)
    }
  }
}
