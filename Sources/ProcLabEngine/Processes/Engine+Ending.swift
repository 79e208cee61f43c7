// Ending a session: wait for the children (as Python does at the end of a script) or kill
// them, their descendants and the pool workers, and reap every one; also on SIGTERM and SIGHUP.
import CSystem
import Glibc
import ProcLabScript

extension Engine {
  /// Ends the session's processes. With `waitFirst`, waits for them as Python does at the end
  /// of a script (a Ctrl-C stops the wait); then kills what is left, and reaps everything.
  /// Returns the processes it had to kill.
  @discardableResult
  public func finish(waitFirst: Bool) -> [ProcessRecord] {
    // A terminating signal that came during the last statement still ends the session by
    // it (status 128+N), never with the script's own status.
    if let signal = SignalTraps.pendingTermination { terminate(by: signal) }
    if waitFirst {
      // Adopted orphans too: they are the session's children now.
      let ended = { self.current.allSatisfy { !$0.isAlive } && self.liveAdopted().isEmpty }
      if loop.run(until: nil, done: ended) == .interrupted { interruptedAtEnd = true }
    }
    let killed = current.filter(\.isAlive)
    for pool in pools { pool.terminate() }
    pools = []
    defaultPool = nil
    stopAll()
    removeTemporaryDirectory()
    return killed
  }

  /// Kills every live child (and so, by PR_SET_PDEATHSIG, their descendants) and reaps all.
  /// A child leaves its orphans running; the session kills and reaps the ones it adopted.
  func stopAll() {
    for pool in pools {
      for worker in pool.workers { kill(worker.pid, SIGKILL) }
    }
    for record in current where record.isAlive && !record.orphan {
      for descendant in ProcFS.descendants(of: record.pid) { kill(descendant, SIGKILL) }
      kill(record.pid, SIGKILL)
    }
    for record in current where !record.reaped && !record.orphan {
      var status: Int32 = 0
      _ = waitpid(record.pid, &status, 0)
      record.reaped = true
      if record.termination == nil { record.termination = .signaled(SIGKILL) }
    }
    // After the children are reaped: an orphan whose parent just died is the session's now.
    stopAdopted()
    output.drainAll()
  }

  func terminate(by signal: Int32) -> Never {
    if !isChild { beforeTermination?() }
    stopAll()
    removeTemporaryDirectory()
    _exit(128 + signal)
  }
}
