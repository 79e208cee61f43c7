// One run of `repeat`: a fresh child runs the statement, tells the session what it gave over
// its control channel, and exits; the session waits for it, kills it on Ctrl-C, and undoes
// what it did to the session's queues.
import Glibc
import ProcLabScript

/// What one run of `repeat` gave.
public enum RunOutcome {
  /// The statement's value.
  case value(Value)
  /// The error it raised.
  case raised(ScriptError)
  /// A value that cannot cross to the session (a process, a queue): its type.
  case uncrossable(typeName: String)
  /// The run reported nothing: `exit 3` ended it, or a signal did.
  case ended(ProcessRecord.Termination)
}

extension Engine {
  /// Forks a child that runs `work` and reports its outcome, then waits for that child to end.
  /// Returns the outcome and the run's wall time, from before the fork to the child's end.
  /// Ctrl-C kills the child (its own children die with it) and throws KeyboardInterrupt.
  /// `keepEvents`: the child logs what its own children do and sends it before its outcome,
  /// so that the session's timeline shows the run whole (`repeat` asks it of its last run).
  public func runInChild(
    _ text: String, interpreter: Interpreter, keepEvents: Bool = false, _ work: () throws(ScriptError) -> Value
  ) throws(ScriptError) -> (outcome: RunOutcome, seconds: Double) {
    runCount += 1
    let name = "Run-\(runCount)"
    reapFinished()
    // The session holds the queues: what a run puts in them or takes out is undone after it.
    let queues = broker?.contents()
    defer {
      if let queues, let broker {
        broker.drainConnections()
        broker.restore(queues)
      }
    }
    let start = CPUClock.monotonicSeconds()
    guard let child = try forkChild(named: name) else {
      events.enabled = keepEvents
      reportOutcomeAndExit(interpreter, since: keepEvents ? events.recorded : nil, work)
    }
    let record = ProcessRecord(name: name, plan: nil, target: text)
    record.started(pid: child.pid, channel: Channel(fd: child.channel, loop: loop), pidfd: child.pidfd)
    follow(record, channel: child.channel)
    do {
      _ = try join([record], timeout: nil)
    } catch {
      if record.isAlive { kill(record.pid, SIGKILL) }
      awaitEnd(of: record)
      throw error
    }
    let seconds = (record.endedAt ?? CPUClock.monotonicSeconds()) - start
    return (record.runOutcome ?? .ended(record.termination ?? .signaled(SIGKILL)), seconds)
  }

  /// In the run's child: runs the work and sends what it gave (after the events recorded
  /// since `firstEvent`, when it keeps them). `exit N` sends nothing and ends the child with
  /// status N, so the session tallies it from the child's end.
  private func reportOutcomeAndExit(
    _ interpreter: Interpreter, since firstEvent: Int?, _ work: () throws(ScriptError) -> Value
  ) -> Never {
    let outcome: RunOutcome
    do {
      outcome = .value(try work())
    } catch {
      if error.kind == .systemExit {
        if !error.message.isEmpty { Descriptors.writeAll(2, error.message + "\n") }
        sendEvents(since: firstEvent)
        exitChild(code: error.exitStatus)
      }
      outcome = .raised(error)
    }
    let frame: [UInt8]
    do {
      frame = try ChannelMessage.runOutcome(outcome).encodedFrame()
    } catch {
      let typeName: String
      switch outcome {
      case .value(let value): typeName = value.typeName
      case .raised(let error): typeName = error.kind.name
      case .uncrossable(let name): typeName = name
      case .ended(let termination): typeName = termination.description
      }
      frame = (try? ChannelMessage.runOutcome(.uncrossable(typeName: typeName)).encodedFrame()) ?? []
    }
    sendEvents(since: firstEvent)
    parentChannel?.send(frameBytes: frame)
    if case .raised = outcome { exitChild(code: 1) }
    exitChild(code: 0)
  }

  /// In the run's child: what its own children did since `firstEvent` (the session has this
  /// process's own start, activity and end from its channel). A child not yet reaped (a
  /// pool's worker, a process left running) ends with the run, out of this log's sight: its
  /// lane stops now instead of going on in every later timeline of the session.
  private func sendEvents(since firstEvent: Int?) {
    guard let firstEvent else { return }
    let own = getpid()
    var children = events.since(firstEvent).filter { $0.pid != own }
    var open: [Int32: ProcessEvent] = [:]
    var order: [Int32] = []
    for event in children {
      if case .reaped = event.kind {
        open[event.pid] = nil
      } else if open.updateValue(event, forKey: event.pid) == nil {
        order.append(event.pid)
      }
    }
    let now = CPUClock.monotonicSeconds()
    for pid in order {
      guard var last = open.removeValue(forKey: pid) else { continue }
      last.time = now
      last.kind = .untracked
      children.append(last)
    }
    if let frame = try? ChannelMessage.events(children).encodedFrame() { parentChannel?.send(frameBytes: frame) }
  }

  /// Waits, without being interrupted, for a child that was sent SIGKILL, and takes it off
  /// the tables as a join would.
  private func awaitEnd(of record: ProcessRecord) {
    var info = siginfo_t()
    while waitid(P_PID, id_t(record.pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
    if record.termination == nil { noticeEnd(of: record) }
    reap(record)
    record.joined = true
    forgetFinished()
    output.drainAll()
  }
}
