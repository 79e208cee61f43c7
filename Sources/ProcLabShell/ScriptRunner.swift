// Runs a whole script (a file or `-c` text): parse all of it first, run it, report the first
// uncaught error as FILE:LINE:COL, then wait for the children as Python does at exit.
import ProcLabEngine
import ProcLabScript

public enum ScriptRunner {
  public static func run(_ text: String, file: String, session: Session) -> Int32 {
    var status = ExitStatus.success
    do {
      _ = try session.execute(text, file: file)
    } catch {
      status = ExitStatus.of(error)
      if error.kind != "SystemExit" {
        if session.engine.isChild { session.engine.exitChild(after: error, sources: session.interpreter.sources) }
        session.report(error)
      }
    }
    return finish(session, status: status)
  }

  /// Ends the script's process: a child made by `fork()` exits here; the session waits for
  /// its children after success (as Python does) and stops them after a failure.
  static func finish(_ session: Session, status: Int32) -> Int32 {
    if session.engine.isChild { session.engine.exitChild(code: status) }
    session.engine.finish(waitFirst: status == ExitStatus.success)
    return status
  }
}
