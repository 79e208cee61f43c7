// Runs a whole script (a file or `-c` text): parse all of it first, run it, report the first
// uncaught error as FILE:LINE:COL, then wait for the children as Python does at exit.
import ProcLabEngine
import ProcLabScript

public enum ScriptRunner {
  public static func run(_ text: String, file: String, session: Session) -> Int32 {
    var status = ExitStatus.success
    var exited = false
    do {
      _ = try session.execute(text, file: file)
    } catch {
      status = ExitStatus.of(error)
      exited = error.kind == .systemExit
      if exited, !error.message.isEmpty { session.writeError(error.message + "\n") }
      if !exited {
        if session.engine.isChild { session.engine.exitChild(after: error, sources: session.interpreter.sources) }
        session.report(error)
      }
    }
    return finish(session, status: status, exited: exited)
  }

  /// Ends the script's process: a child made by `fork()` exits here. At the end of a script
  /// that succeeded the session waits for its children (as Python does); after a failure or
  /// an `exit` it stops them.
  static func finish(_ session: Session, status: Int32, exited: Bool = false) -> Int32 {
    if session.engine.isChild { session.engine.exitChild(code: status) }
    session.engine.finish(waitFirst: status == ExitStatus.success && !exited)
    return status
  }
}
