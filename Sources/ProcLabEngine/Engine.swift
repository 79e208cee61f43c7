// The process engine: forks children from the single-threaded session, watches them end,
// joins, signals and reaps them, and ends every one of them when the session ends.
import CSystem
import Glibc
import ProcLabScript

public final class Engine {
  public let loop = EventLoop()
  public let output: OutputRouter
  /// Children in the order they started (joined ones stay, for `ps all`).
  public private(set) var processes: [ProcessRecord] = []
  /// The children not yet both joined and reaped: the only ones the hot paths look at,
  /// so a session that has run thousands of processes forks as fast as a new one.
  private var current: [ProcessRecord] = []
  /// "MainProcess" in the session; the child's own name in a child.
  public private(set) var processName = "MainProcess"
  public private(set) var isChild = false
  /// What this process is doing, for its own row of `ps` (and its parent's view of it).
  public private(set) var activity = Activity(.running, "running", since: CPUClock.monotonicSeconds())
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
  public weak var interpreter: Interpreter?
  var compiledFunctions: [String: Value] = [:]
  var pipeCount = 0
  /// Script functions that `on_signal` installed, by signal number.
  var signalHandlers: [Int32: Value] = [:]

  /// In a child: the channel to the process that forked it.
  var parentChannel: Channel?
  private var namePrefix = "Process-"
  private var spawnCount = 0
  private var forkCount = 0

  public init(interactive: Bool) throws(ScriptError) {
    try SignalTraps.install()
    output = OutputRouter(loop: loop, forwardsRaw: interactive)
    loop.onTermination = { [unowned self] signal in self.terminate(by: signal) }
    loop.onHandledSignals = { [unowned self] in self.runSignalHandlers() }
    events.record(getpid(), processName, .started("the session"))
    broker = try QueueBroker(loop: loop, sessionPid: sessionPid) { [unowned self] reference in self.resolve(reference) }
  }

  // MARK: starting processes

  /// `spawn f(args)`: forks; the child calls `callee` and exits, the session gets the record.
  public func spawn(
    _ callee: Value, _ arguments: [Value], target: String, name: String?, interpreter: Interpreter, at location: SourceLocation
  ) throws(ScriptError) -> ProcessRecord {
    spawnCount += 1
    let name = name ?? "\(namePrefix)\(spawnCount)"
    guard let record = try forkProcess(name: name, target: target) else {
      runAndExit(interpreter) { () throws(ScriptError) in
        _ = try interpreter.call(callee, arguments, at: location)
      }
    }
    return record
  }

  /// The language's `fork()`: returns the child's PID in the session and 0 in the child,
  /// which goes on running the same script and ends when it does.
  public func forkHere() throws(ScriptError) -> Int {
    forkCount += 1
    guard let record = try forkProcess(name: "Fork-\(forkCount)", target: "fork()") else { return 0 }
    return Int(record.pid)
  }

  /// Forks a `spawn` or `fork()` child. Returns the new record in the parent, nil in the child.
  private func forkProcess(name: String, target: String) throws(ScriptError) -> ProcessRecord? {
    reapFinished()
    guard let child = try forkChild(named: name) else { return nil }
    let record = ProcessRecord(
      name: name, pid: child.pid, target: target, channel: Channel(fd: child.channel, loop: loop), pidfd: child.pidfd)
    processes.append(record)
    current.append(record)
    events.record(record.pid, name, .started(target), at: record.startedAt)
    loop.watch(record.pidfd) { [unowned self, unowned record] in self.noticeEnd(of: record) }
    loop.watch(child.channel) { [unowned self, unowned record] in self.receive(from: record) }
    return record
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
    current = []
    output.resetInChild()
    if let parentChannel { close(parentChannel.fd) }
    parentChannel = Channel(fd: channel, loop: nil)
    processName = name
    namePrefix = name + ":"
    spawnCount = 0
    forkCount = 0
    isChild = true
    events.enabled = false
    activity = Activity(.running, "running", since: CPUClock.monotonicSeconds())
    SignalTraps.detachInChild()
  }

  /// Runs a child's work; an uncaught error prints under the child's name and gives exit code 1.
  private func runAndExit(_ interpreter: Interpreter, _ work: () throws(ScriptError) -> Void) -> Never {
    do {
      try work()
      exitChild(code: 0)
    } catch {
      // `exit N` in a child ends it with status N, as sys.exit does in Python.
      if error.kind == "SystemExit" { exitChild(code: Int32(clamping: Int(error.message) ?? 0)) }
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
    let live = current.filter(\.isAlive)
    if !live.isEmpty {
      _ = try? join(live, timeout: nil)
    }
    stopAll()
    _exit(code)
  }

  // MARK: watching processes end

  /// The pidfd became readable: the child ended. Its status is read without reaping it, so
  /// until someone joins it the kernel shows it as a zombie (Z), as it really is.
  private func noticeEnd(of record: ProcessRecord) {
    var info = siginfo_t()
    guard waitid(P_PID, id_t(record.pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0,
      info._sifields._sigchld.si_pid == record.pid
    else { return }
    record.termination = Engine.termination(from: info)
    record.endedAt = CPUClock.monotonicSeconds()
    events.record(record.pid, record.name, .exited(record.endDescription ?? "ended"), at: record.endedAt!)
    record.suspended = false
    loop.unwatch(record.pidfd)
    close(record.pidfd)
    record.pidfd = -1
    receive(from: record)
  }

  private func receive(from record: ProcessRecord) {
    guard let channel = record.channel else { return }
    let open = channel.receive { frame in
      if case .activity(let activity) = try? ChannelMessage.decode(frame, resolve: { _ in nil }) {
        record.activity = activity
        events.record(record.pid, record.name, .activity(activity.state, activity.text), at: activity.since)
      }
    }
    if !open {
      loop.unwatch(channel.fd)
      close(channel.fd)
      record.channel = nil
    }
  }

  private func reap(_ record: ProcessRecord) {
    guard record.termination != nil, !record.reaped else { return }
    var status: Int32 = 0
    var usage = rusage()
    if wait4(record.pid, &status, 0, &usage) == record.pid {
      record.finalCPU = CPUTimes(user: usage.ru_utime.seconds, system: usage.ru_stime.seconds)
      record.reaped = true
      events.record(record.pid, record.name, .reaped)
    } else if errno == ECHILD {
      record.reaped = true
    }
  }

  /// Reaps children that ended but were never joined (Python does this at each start()).
  private func reapFinished() {
    for record in current where record.termination != nil && !record.reaped { reap(record) }
    forgetFinished()
  }

  /// Drops records that are joined and reaped from the hot list (`processes` keeps them).
  private func forgetFinished() {
    current.removeAll { $0.joined && $0.reaped }
  }

  // MARK: commands on processes

  /// Waits until every record has ended, or the timeout passes; false on timeout.
  /// Throws KeyboardInterrupt on Ctrl-C, leaving the processes running.
  public func join(_ records: [ProcessRecord], timeout: Double?) throws(ScriptError) -> Bool {
    let names = records.map(\.name).joined(separator: ", ")
    let deadline = timeout.map { CPUClock.monotonicSeconds() + $0 }
    let ended = { records.allSatisfy { !$0.isAlive } }
    // A short-lived child often ends within a few tens of µs: look for that before sleeping,
    // since waking a sleeping session on another CPU costs about as long again.
    let spinUntil = min(CPUClock.monotonicSeconds() + 0.00005, deadline ?? .infinity)
    while !ended() && CPUClock.monotonicSeconds() < spinUntil && !SignalTraps.interruptIsPending { loop.serveReady() }
    let outcome = ended() ? EventLoop.Outcome.satisfied : during(Activity(.blocked, "blocked on join of \(names)", since: CPUClock.monotonicSeconds(), until: deadline)) {
      loop.run(until: deadline, done: ended)
    }
    for record in records where !record.isAlive {
      reap(record)
      record.joined = true
    }
    forgetFinished()
    output.drainAll()
    if outcome == .interrupted { throw ScriptError("KeyboardInterrupt", "interrupted while joining \(names)") }
    return outcome == .satisfied
  }

  /// Records not yet joined: what `join all` waits for.
  public var unjoined: [ProcessRecord] { current.filter { !$0.joined } }

  /// Sends a signal. With `tree`, the whole tree is stopped first, signalled, then continued,
  /// so no process in it can finish in between (a parent whose child died first would
  /// otherwise exit normally before its own signal arrives).
  public func send(_ signal: Int32, to record: ProcessRecord, tree: Bool) throws(ScriptError) {
    guard record.isAlive else { return }
    let descendants = tree ? ProcFS.descendants(of: record.pid) : []
    let stopFirst = tree && signal != SIGSTOP && signal != SIGCONT
    if stopFirst {
      for pid in [record.pid] + descendants { kill(pid, SIGSTOP) }
    }
    for descendant in descendants.reversed() { kill(descendant, signal) }
    guard kill(record.pid, signal) == 0 else { throw Descriptors.systemError("kill(\(record.pid))") }
    // A stopped process keeps a terminating signal pending until it runs again (bash's
    // kill continues stopped jobs for the same reason).
    if stopFirst || (record.suspended && signal != SIGSTOP && signal != SIGCONT) {
      for pid in [record.pid] + descendants { kill(pid, SIGCONT) }
      record.suspended = false
    }
    // Return only once the kernel shows the change, so a `ps` right after sees it.
    var info = siginfo_t()
    if signal == SIGSTOP {
      _ = waitid(P_PID, id_t(record.pid), &info, WSTOPPED | WEXITED | WNOWAIT)
    } else if signal == SIGCONT {
      _ = waitid(P_PID, id_t(record.pid), &info, WCONTINUED | WEXITED | WNOWAIT)
    }
    record.signalsSent.append(SignalName.name(signal))
    if signal == SIGSTOP || signal == SIGTSTP {
      record.suspended = true
      events.record(record.pid, record.name, .suspended)
    } else if signal == SIGCONT {
      record.suspended = false
      events.record(record.pid, record.name, .resumed)
    } else {
      events.record(record.pid, record.name, .signalled(SignalName.name(signal)))
    }
  }

  /// `sleep(s)`: serves children while it waits; Ctrl-C cuts it short.
  public func sleep(_ seconds: Double) throws(ScriptError) {
    let deadline = CPUClock.monotonicSeconds() + max(0, seconds)
    let outcome = during(Activity(.sleeping, "sleeping", since: CPUClock.monotonicSeconds(), until: deadline)) {
      loop.run(until: deadline) { false }
    }
    if outcome == .interrupted { throw ScriptError("KeyboardInterrupt", "interrupted during sleep") }
  }

  /// Throws KeyboardInterrupt after a Ctrl-C; ends the session after SIGTERM and friends;
  /// runs the script's handlers of signals that arrived.
  public func checkInterrupt() throws(ScriptError) {
    if SignalTraps.signalsArrived { runSignalHandlers() }
    if let signal = SignalTraps.pendingTermination { terminate(by: signal) }
    if SignalTraps.takeInterrupt() { throw ScriptError("KeyboardInterrupt", "interrupted") }
  }

  /// Calls the `on_signal` handler of each signal that arrived, with the signal's name. An
  /// error in a handler is reported and does not stop the code the signal interrupted.
  func runSignalHandlers() {
    guard let interpreter else { return }
    for signal in SignalTraps.takeArrived() {
      guard let handler = signalHandlers[signal] else { continue }
      do {
        _ = try interpreter.call(handler, [.string(SignalName.name(signal))], at: SourceLocation(file: "<signal>", line: 1, column: 1))
      } catch {
        Descriptors.writeAll(2, "in the handler of \(SignalName.name(signal)) in \(processName) (pid \(getpid())):\n" + error.report(sources: interpreter.sources))
      }
    }
  }

  /// Sets what this process is doing for the length of `work`, telling the parent if any.
  public func during<T>(_ doing: Activity, _ work: () throws(ScriptError) -> T) rethrows -> T {
    let before = activity
    report(doing)
    defer {
      var back = before
      back.since = CPUClock.monotonicSeconds()
      report(back)
    }
    return try work()
  }

  /// The session waits at the prompt: `ps` and the timeline show it blocked on the terminal.
  public func waitForInput() {
    report(Activity(.blocked, "waiting for input at the prompt", since: CPUClock.monotonicSeconds()))
  }

  /// What this process is running now (the session's current statement, for `ps`).
  public func setActivity(_ text: String) {
    report(Activity(.running, text, since: CPUClock.monotonicSeconds()))
  }

  func report(_ doing: Activity) {
    activity = doing
    events.record(getpid(), processName, .activity(doing.state, doing.text), at: doing.since)
    try? parentChannel?.send(ChannelMessage.activity(doing))
  }

  // MARK: ending

  /// Ends the session's processes. With `waitFirst`, waits for them as Python does at the end
  /// of a script (a Ctrl-C stops the wait); then kills what is left, and reaps everything.
  /// Returns the processes it had to kill.
  @discardableResult
  public func finish(waitFirst: Bool) -> [ProcessRecord] {
    if waitFirst {
      _ = loop.run { current.allSatisfy { !$0.isAlive } }
    }
    let killed = current.filter(\.isAlive)
    for pool in pools { pool.terminate() }
    pools = []
    defaultPool = nil
    stopAll()
    return killed
  }

  /// Kills every live child (and so, by PR_SET_PDEATHSIG, their descendants) and reaps all.
  private func stopAll() {
    for pool in pools {
      for worker in pool.workers { kill(worker.pid, SIGKILL) }
    }
    for record in current where record.isAlive {
      for descendant in ProcFS.descendants(of: record.pid) { kill(descendant, SIGKILL) }
      kill(record.pid, SIGKILL)
    }
    for record in current where !record.reaped {
      var status: Int32 = 0
      _ = waitpid(record.pid, &status, 0)
      record.reaped = true
      if record.termination == nil { record.termination = .signaled(SIGKILL) }
    }
    output.drainAll()
  }

  private func terminate(by signal: Int32) -> Never {
    if !isChild { beforeTermination?() }
    stopAll()
    _exit(128 + signal)
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
