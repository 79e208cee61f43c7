// Following the session's children: noticing their end (pidfd), reading what they report,
// reaping, and the commands that act on them: join, signals, suspend and resume, sleep.
import CSystem
import Glibc
import ProcLabScript

extension Engine {
  // MARK: watching processes end

  /// The pidfd became readable (or SIGCHLD came): the child ended. Its status is read without reaping it, so
  /// until someone joins it the kernel shows it as a zombie (Z), as it really is.
  func noticeEnd(of record: ProcessRecord) {
    var info = siginfo_t()
    guard waitid(P_PID, id_t(record.pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0,
      info._sifields._sigchld.si_pid == record.pid
    else { return }
    record.termination = Engine.termination(from: info)
    record.endedAt = CPUClock.monotonicSeconds()
    noteEndOfScheduling(record, at: record.endedAt!)
    events.record(record.pid, record.name, .exited(record.endDescription ?? "ended"), at: record.endedAt!)
    // A child killed by a signal had no time to end its own children: the session (a
    // subreaper) adopted them, and they die by PR_SET_PDEATHSIG, so they must be reaped here.
    if case .signaled = record.termination, !isChild, !adoptedChildren().isEmpty { noticeAdoption() }
    record.suspended = false
    loop.unwatchExit(of: record.pid, pidfd: record.pidfd)
    if record.pidfd >= 0 { close(record.pidfd) }
    record.pidfd = -1
    receive(from: record)
    releaseHolds(of: record)
  }

  func receive(from record: ProcessRecord) {
    guard let channel = record.channel else { return }
    let open = channel.receive { frame in
      switch try? ChannelMessage.decode(frame, resolve: functionOrStandIn) {
      case .activity(let activity):
        record.activity = activity
        events.record(record.pid, record.name, .activity(activity.state, activity.text), at: activity.since)
      case .runOutcome(let outcome):
        record.runOutcome = outcome
      case .events(let happened):
        events.add(happened)
      default:
        break
      }
    }
    if !open {
      loop.unwatch(channel.fd)
      close(channel.fd)
      record.channel = nil
    }
  }

  func reap(_ record: ProcessRecord) {
    guard record.termination != nil, !record.reaped else { return }
    var status: Int32 = 0
    var usage = rusage()
    if wait4(record.pid, &status, 0, &usage) == record.pid {
      record.finalCPU = CPUTimes(user: usage.ru_utime.seconds, system: usage.ru_stime.seconds)
      record.scheduling.finalSwitches = (Int(usage.ru_nvcsw), Int(usage.ru_nivcsw))
      record.reaped = true
      events.record(record.pid, record.name, .reaped)
    } else if errno == ECHILD {
      record.reaped = true
    }
  }

  /// Reaps children that ended but were never joined (Python does this at each start()).
  func reapFinished() {
    for record in current where record.termination != nil && !record.reaped { reap(record) }
    forgetFinished()
  }

  /// Drops records that are joined and reaped from the hot list; `processes` keeps the last
  /// `keptEnded` of them and counts the older ones (trimmed in batches, so the cost per
  /// process stays constant).
  func forgetFinished() {
    current.removeAll { $0.joined && $0.reaped }
    forgetReleasedQueues()
    guard processes.count > 2 * Engine.keptEnded else { return }
    var ended = processes.reduce(0) { $0 + ($1.joined && $1.reaped ? 1 : 0) }
    var kept: [ProcessRecord] = []
    kept.reserveCapacity(processes.count)
    for record in processes {
      if ended > Engine.keptEnded && record.joined && record.reaped {
        forgotten.add(record)
        ended -= 1
      } else {
        kept.append(record)
      }
    }
    processes = kept
  }

  // MARK: commands on processes

  /// Waits until every record has ended, or the timeout passes; false on timeout.
  /// Throws KeyboardInterrupt on Ctrl-C, leaving the processes running.
  public func join(_ records: [ProcessRecord], timeout: Double?) throws(ScriptError) -> Bool {
    if let new = records.first(where: { !$0.isStarted }) {
      throw ScriptError(.assertionError, "can only join a started process: call \(new.name).start() first")
    }
    let names = records.map(\.name).joined(separator: ", ")
    let deadline = timeout.map { CPUClock.monotonicSeconds() + $0 }
    let ended = { records.allSatisfy { !$0.isAlive } }
    // A short-lived child often ends within a few tens of µs: look for that before sleeping,
    // since waking a sleeping session on another CPU costs about as long again.
    let spinUntil = min(CPUClock.monotonicSeconds() + 0.00005, deadline ?? .infinity)
    while !ended() && CPUClock.monotonicSeconds() < spinUntil && !SignalTraps.interruptIsPending { loop.serveReady() }
    var deadlock: ScriptError?
    let outcome = ended() ? EventLoop.Outcome.satisfied : during(Activity(.blocked, "blocked on join of \(names)", since: CPUClock.monotonicSeconds(), until: deadline)) {
      let (outcome, error) = joinWait(records, until: deadline, ended)
      deadlock = error
      return outcome
    }
    for record in records where !record.isAlive {
      reap(record)
      record.joined = true
    }
    forgetFinished()
    output.drainAll()
    if outcome == .interrupted { throw ScriptError(.keyboardInterrupt, "interrupted while joining \(names)") }
    if let deadlock { throw deadlock }
    return outcome == .satisfied
  }

  /// Python's active_children(): the children still running; finished ones are reaped.
  public func activeChildren() -> [ProcessRecord] {
    reapFinished()
    return current.filter(\.isAlive)
  }

  /// Records not yet joined: what `join all` waits for.
  public var unjoined: [ProcessRecord] { current.filter { !$0.joined } }

  /// Sends a signal. With `tree`, the whole tree is stopped first, signalled, then continued,
  /// so no process in it can finish in between (a parent whose child died first would
  /// otherwise exit normally before its own signal arrives).
  public func send(_ signal: Int32, to record: ProcessRecord, tree: Bool) throws(ScriptError) {
    guard record.isStarted else {
      throw ScriptError(.valueError, "\(record.name) has not started: there is no process to signal yet")
    }
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

  /// Signals a process given by PID: one of the session's, one of its pool workers (so a
  /// worker can be killed mid-task to see the pool survive it), or the session itself.
  public func send(_ signal: Int32, toPid pid: Int32, tree: Bool) throws(ScriptError) {
    if let record = current.first(where: { $0.pid == pid }) {
      try send(signal, to: record, tree: tree)
      return
    }
    let isWorker = pools.contains { $0.workers.contains { $0.pid == pid } }
    guard isWorker || pid == getpid() else {
      throw ScriptError(.valueError, "\(pid) is not a process of this session (nor one of its pool workers)")
    }
    if tree {
      for descendant in ProcFS.descendants(of: pid).reversed() { kill(descendant, signal) }
    }
    guard kill(pid, signal) == 0 else { throw Descriptors.systemError("kill(\(pid))") }
  }

  /// `sleep(s)`: serves children while it waits; Ctrl-C cuts it short.
  public func sleep(_ seconds: Double) throws(ScriptError) {
    let deadline = CPUClock.monotonicSeconds() + max(0, seconds)
    let outcome = during(Activity(.sleeping, "sleeping", since: CPUClock.monotonicSeconds(), until: deadline)) {
      loop.run(until: deadline) { false }
    }
    if outcome == .interrupted { throw ScriptError(.keyboardInterrupt, "interrupted during sleep") }
  }
}
