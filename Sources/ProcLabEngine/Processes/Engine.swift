// The process engine: its state, and forking children from the single-threaded session (spawn,
// fork()) and starting them afresh; Engine+Processes, +Activity and +Ending do the rest.
import CSystem
import Glibc
import ProcLabScript

public final class Engine {
  public let loop = EventLoop()
  public let output: OutputRouter
  /// Children in the order they started (joined ones stay, for `ps all`, but only the last
  /// `keptEnded` of them: older ones are counted in `forgotten`, so a long session's
  /// bookkeeping stays bounded).
  public internal(set) var processes: [ProcessRecord] = []
  /// Joined processes dropped from `processes`: how many, and how they ended.
  public internal(set) var forgotten = ForgottenProcesses()
  /// Every child this process ever started (`processes` may have forgotten some).
  public private(set) var processesStarted = 0
  static let keptEnded = 1000
  /// Processes made with Process() and not started yet.
  public private(set) var unstarted: [ProcessRecord] = []
  /// The children not yet both joined and reaped: the only ones the hot paths look at,
  /// so a session that has run thousands of processes forks as fast as a new one.
  var current: [ProcessRecord] = []
  /// "MainProcess" in the session; the child's own name in a child.
  public private(set) var processName = "MainProcess"
  /// The name of the process that started this one; nil in the session.
  public private(set) var parentName: String?
  public private(set) var isChild = false
  /// What this process is doing, for its own row of `ps` (and its parent's view of it).
  public internal(set) var activity = Activity(.running, "running", since: CPUClock.monotonicSeconds())
  /// Runs before the session ends on SIGTERM, SIGHUP or SIGQUIT (the shell restores the terminal).
  public var beforeTermination: (() -> Void)?
  /// Told how a long pool map advances (nil when it ends); the shell draws a progress line.
  public var onProgress: ((MapProgress?) -> Void)?
  /// What happened to which process when: the timeline is drawn from it.
  public let events = EventLog()
  /// Pools of worker processes; `defaultPool` is the one `pool map` uses without `pool=`.
  var pools: [Pool] = []
  var defaultPool: Pool?
  var poolCount = 0
  /// The session's PID, in every process: descendants find the session's queues by it.
  let sessionPid = getpid()
  /// The session owns the queues; other processes reach them through a client.
  var broker: QueueBroker?
  var queueClient: QueueClient?
  /// The interpreter whose functions can be sent as values (queue items, pipe messages).
  /// unowned(unsafe): the session holds both for its whole life; a weak reference would give
  /// the interpreter a side table and slow every retain of it on the hot paths.
  public unowned(unsafe) var interpreter: Interpreter?
  var compiledFunctions: [String: Value] = [:]
  var pipeCount = 0
  var queueCount = 0
  /// Anonymous queues the session let go of, kept until no process that may hold them lives.
  var releasedQueues: [(name: String, madeAt: Double)] = []
  /// Pool callbacks due to run, with their argument (see runPendingCallbacks). The
  /// interpreter's check calls the engine only while Attention is raised: a callback due raises it.
  var pendingCallbacks: [(function: Value, argument: Value)] = [] {
    didSet { if !pendingCallbacks.isEmpty { Attention.raise() } }
  }
  /// The directory temp_dir() made, and the process that made it (only it removes it).
  var temporary: (path: String, owner: pid_t)?
  /// A Ctrl-C stopped the wait for the children at the end of the session (see finish).
  public internal(set) var interruptedAtEnd = false
  /// An orphan was adopted: SIGCHLD is trapped and reaps adopted orphans (see Engine+Orphans).
  var adopting = false
  /// Script functions that `on_signal` installed, by signal number.
  var signalHandlers: [Int32: Value] = [:]
  /// The session's watch over waits on locks and joins (Sync/Engine+Sync.swift).
  var syncWatch = SyncWatch()

  /// In a child: the channel to the process that forked it.
  var parentChannel: Channel?
  private var namePrefix = "Process-"
  private var spawnCount = 0
  private var forkCount = 0
  /// `repeat` runs started by this process, for their names (Run-1, Run-2, ...).
  var runCount = 0
  /// The timer that samples the children's scheduling counters, while any of them lives.
  var samplingTimer: Int?

  public init(interactive: Bool) throws(ScriptError) {
    // Set here, before any fork: a lazy global first set in each child costs it a page copy.
    ProcessIdentity.pid = getpid()
    try SignalTraps.install()
    output = OutputRouter(loop: loop, forwardsRaw: interactive)
    loop.onTermination = { [unowned self] signal in self.terminate(by: signal) }
    loop.onHandledSignals = { [unowned self] in self.runSignalHandlers() }
    loop.onAdoption = { [unowned self] in self.noticeAdoption() }
    loop.onChildExits = { [unowned self] in if self.adopting { self.reapAdopted() } }
    Engine.becomeSubreaper()
    events.record(getpid(), processName, .started("the session"))
    broker = try QueueBroker(loop: loop) { [unowned self] reference in self.functionOrStandIn(reference) }
    try SharedArena.mapAtSessionStart()
    SharedArena.engine = self
  }

  // MARK: starting processes

  /// `spawn f(args)`: forks; the child calls `callee` and exits, the session gets the record.
  /// With `orphan`, a child's child outlives its parent and is adopted by the session (in the
  /// session itself it changes nothing: the session adopts orphans, it never leaves one).
  public func spawn(
    _ plan: ProcessPlan, name: String?, orphan: Bool = false, scheduling: SchedulingOptions = SchedulingOptions(), interpreter: Interpreter
  ) throws(ScriptError) -> ProcessRecord {
    let record = makeProcess(plan, name: name, scheduling: scheduling)
    record.orphan = orphan && isChild
    do {
      try start(record, interpreter: interpreter)
    } catch {
      // Refused (a scheduling option, a fork limit): nothing was spawned, so no `new` row stays.
      unstarted.removeAll { $0 === record }
      throw error
    }
    return record
  }

  /// Python's `Process(target=...)`: a process not started yet (state new in `ps`).
  public func makeProcess(_ plan: ProcessPlan, name: String?, scheduling: SchedulingOptions = SchedulingOptions()) -> ProcessRecord {
    spawnCount += 1
    let record = ProcessRecord(name: name ?? "\(namePrefix)\(spawnCount)", plan: plan)
    record.scheduling.options = scheduling
    unstarted.append(record)
    return record
  }

  /// Forks the process of a record made by makeProcess; the child runs its plan and exits.
  public func start(_ record: ProcessRecord, interpreter: Interpreter) throws(ScriptError) {
    guard let plan = record.plan else { throw ScriptError(.runtimeError, "\(record.name) was started already: a process can only be started once") }
    reapFinished()
    interpreter.prepare(plan.callee)
    let forkedAt = CPUClock.monotonicSeconds()
    guard let child = try forkChild(named: record.name, orphan: record.orphan, scheduling: record.scheduling.options) else {
      runAndExit(interpreter) { () throws(ScriptError) in
        _ = try interpreter.call(plan.callee, plan.arguments, keywords: plan.keywords, at: plan.location)
      }
    }
    unstarted.removeAll { $0 === record }
    record.started(pid: child.pid, channel: Channel(fd: child.channel, loop: loop), pidfd: child.pidfd, at: forkedAt)
    follow(record, channel: child.channel)
    startSampling()
  }

  /// The language's `fork()`: returns the child's PID in the session and 0 in the child,
  /// which goes on running the same script and ends when it does.
  public func forkHere() throws(ScriptError) -> Int {
    forkCount += 1
    reapFinished()
    guard let child = try forkChild(named: "Fork-\(forkCount)") else { return 0 }
    let record = ProcessRecord(name: "Fork-\(forkCount)", plan: nil)
    record.started(pid: child.pid, channel: Channel(fd: child.channel, loop: loop), pidfd: child.pidfd)
    follow(record, channel: child.channel)
    return Int(child.pid)
  }

  /// Takes a forked child into the tables and watches its end and its channel.
  func follow(_ record: ProcessRecord, channel: Int32) {
    processes.append(record)
    processesStarted += 1
    current.append(record)
    events.record(record.pid, record.name, .started(record.target), at: record.startedAt)
    loop.watchExit(of: record.pid, pidfd: record.pidfd) { [unowned self, unowned record] in self.noticeEnd(of: record) }
    loop.watch(channel) { [unowned self, unowned record] in self.receive(from: record) }
    if !syncWatch.armed { armWaitWatch() }
  }

  /// In a new child: drop every descriptor that belongs to the session and start afresh,
  /// so the child can have children of its own.
  func becomeChild(named name: String, channel: Int32) {
    for record in current {
      if let channel = record.channel { close(channel.fd) }
      if record.pidfd >= 0 { close(record.pidfd) }
    }
    for pool in pools { pool.closeInChild() }
    broker?.closeInChild()
    queueClient?.closeInChild()
    // Keep the parent's records, pools and queues alive in the child, never to be released:
    // releasing them would write to every object (reference counts) and so copy their pages
    // for nothing. A plain class, not a generic container: a generic type's metadata would be
    // built anew in every child.
    _ = Unmanaged.passRetained(ParentState(processes: processes, current: current, pools: pools, broker: broker, client: queueClient))
    pools = []
    defaultPool = nil
    broker = nil
    queueClient = nil
    loop.forgetHandlersInChild()
    processes = []
    processesStarted = 0
    adopting = false
    forgotten = ForgottenProcesses()
    current = []
    output.resetInChild()
    if let parentChannel { close(parentChannel.fd) }
    parentChannel = Channel(fd: channel, loop: nil)
    parentName = processName
    processName = name
    namePrefix = name + ":"
    spawnCount = 0
    forkCount = 0
    runCount = 0
    samplingTimer = nil
    isChild = true
    ProcessIdentity.pid = getpid()
    syncWatch = SyncWatch()
    events.enabled = false
    activity = Activity(.running, "running", since: CPUClock.monotonicSeconds())
    SignalTraps.detachInChild()
  }

  /// Runs a child's work; an uncaught error prints under the child's name and gives exit code 1.
  func runAndExit(_ interpreter: Interpreter, _ work: () throws(ScriptError) -> Void) -> Never {
    runOrExit(interpreter, work)
    exitChild(code: 0)
  }

  /// Runs part of a child's work; an uncaught error (or `exit`) ends the child as runAndExit says.
  func runOrExit(_ interpreter: Interpreter, _ work: () throws(ScriptError) -> Void) {
    do {
      try work()
    } catch {
      // `exit N` in a child ends it with status N, as sys.exit does in Python; `exit "why"`
      // prints why on stderr and ends it with status 1.
      if error.kind == .systemExit {
        if !error.message.isEmpty { Descriptors.writeAll(2, error.message + "\n") }
        exitChild(code: error.exitStatus)
      }
      exitChild(after: error, sources: interpreter.sources)
    }
  }

  /// Prints an error raised in this child under its name and PID, then ends it with code 1.
  public func exitChild(after error: ScriptError, sources: SourceRegistry) -> Never {
    Descriptors.writeAll(2, "Process \(processName) (pid \(getpid())):\n" + error.report(sources: sources))
    exitChild(code: 1)
  }

  /// Ends a child. As in Python, a process first waits for the children it started.
  public func exitChild(code: Int32) -> Never {
    let live = current.filter { $0.isAlive && !$0.orphan }
    if !live.isEmpty {
      _ = try? join(live, timeout: nil)
    }
    stopAll()
    removeTemporaryDirectory()
    _exit(code)
  }
}

/// What `ps all` says of the joined processes it no longer lists.
public struct ForgottenProcesses {
  public private(set) var count = 0
  /// "exited 0": 9,990, "killed by SIGKILL": 10.
  public private(set) var byEnd: [String: Int] = [:]

  mutating func add(_ record: ProcessRecord) {
    count += 1
    byEnd[record.endDescription ?? "ended", default: 0] += 1
  }

  /// "9000 earlier processes not listed: 8990 exited 0, 10 killed by SIGKILL"; nil if none.
  public var summary: String? {
    guard count > 0 else { return nil }
    let ends = byEnd.sorted { $0.value > $1.value }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
    return "\(count) earlier joined process\(count == 1 ? "" : "es") not listed: \(ends)"
  }
}

extension timeval {
  var seconds: Double { Double(tv_sec) + Double(tv_usec) / 1e6 }
}

/// What a child keeps of its parent's engine without ever touching it again (see becomeChild).
private final class ParentState {
  let processes: [ProcessRecord]
  let current: [ProcessRecord]
  let pools: [Pool]
  let broker: QueueBroker?
  let client: QueueClient?

  init(processes: [ProcessRecord], current: [ProcessRecord], pools: [Pool], broker: QueueBroker?, client: QueueClient?) {
    self.processes = processes
    self.current = current
    self.pools = pools
    self.broker = broker
    self.client = client
  }
}
