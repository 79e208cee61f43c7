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
  public func runInChild(
    _ text: String, interpreter: Interpreter, _ work: () throws(ScriptError) -> Value
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
    guard let child = try forkChild(named: name) else { reportOutcomeAndExit(interpreter, work) }
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

  /// In the run's child: runs the work and sends what it gave. `exit N` sends nothing and
  /// ends the child with status N, so the session tallies it from the child's end.
  private func reportOutcomeAndExit(_ interpreter: Interpreter, _ work: () throws(ScriptError) -> Value) -> Never {
    let outcome: RunOutcome
    do {
      outcome = .value(try work())
    } catch {
      if error.kind == .systemExit {
        if !error.message.isEmpty { Descriptors.writeAll(2, error.message + "\n") }
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
    parentChannel?.send(frameBytes: frame)
    if case .raised = outcome { exitChild(code: 1) }
    exitChild(code: 0)
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
