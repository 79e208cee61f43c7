// Runs a whole script (a file or `-c` text): parse all of it first, run it, report the first
// uncaught error as FILE:LINE:COL, then wait for the children as Python does at exit.
import ProcLabEngine
import ProcLabScript

public enum ScriptRunner {
  public static func run(_ text: String, file: String, session: Session) -> Int32 {
    // A child forked by the script ran the rest of it already: it ends at finish.
    let front = EntryFront(writeError: session.writeError, briefInterrupt: false) { finishForkedChild(session) }
    switch session.runEntry(text, file: file, front) {
    case .ran: return finish(session, status: ExitStatus.success)
    case .failed(let error): return finish(session, status: ExitStatus.of(error))
    case .exit(let status): return finish(session, status: status, exited: true)
    }
  }

  /// Ends the script's process: a child made by `fork()` exits here. At the end of a script
  /// that succeeded the session waits for its children (as Python does); after a failure or
  /// an `exit` it stops them.
  private static func finishForkedChild(_ session: Session) -> Never {
    session.engine.exitChild(code: ExitStatus.success)
  }

  static func finish(_ session: Session, status: Int32, exited: Bool = false) -> Int32 {
    if session.engine.isChild { session.engine.exitChild(code: status) }
    let succeeded = status == ExitStatus.success && !exited
    session.engine.finish(waitFirst: succeeded)
    // A Ctrl-C that nothing took before the end (or that cut the wait for the children
    // short) ended the script: its status says so.
    if succeeded && (session.engine.interruptedAtEnd || SignalTraps.takeInterrupt()) {
      session.writeError("KeyboardInterrupt: interrupted at the end of the script\n")
      return ExitStatus.interrupted
    }
    return status
  }
}
