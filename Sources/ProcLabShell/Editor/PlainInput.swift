// The REPL without a terminal (`echo 'print(1)' | proclab`): lines are read plainly in
// chunks, never one byte per system call, and each complete entry runs as at the prompt.
import Glibc
import ProcLabEngine
import ProcLabScript

public enum PlainInput {
  public static func run(session: Session) -> Int32 {
    var pending: [UInt8] = []
    var entry = ""
    var entryLine = 1
    var nextLine = 1
    var status = ExitStatus.success
    var open = true
    while open || !pending.isEmpty {
      guard let newline = pending.firstIndex(of: UInt8(ascii: "\n")) else {
        if !open {
          pending.append(UInt8(ascii: "\n"))
          continue
        }
        guard session.engine.loop.waitReadable(0) else { continue }
        open = Descriptors.readAvailable(0, into: &pending)
        continue
      }
      let line = String(decoding: pending[..<newline], as: UTF8.self)
      pending.removeSubrange(...newline)
      if entry.isEmpty { entryLine = nextLine }
      nextLine += 1
      entry += line + "\n"
      if Parser.needsMoreInput(entry) && (open || !pending.isEmpty) { continue }
      let text = String(repeating: "\n", count: entryLine - 1) + entry
      entry = ""
      switch REPLEntry.run(text, file: "<stdin>", session: session) {
      case .ok: break
      case .failed: status = ExitStatus.runtimeError
      case .exit(let code): return ScriptRunner.finish(session, status: code, exited: true)
      }
    }
    return ScriptRunner.finish(session, status: status)
  }
}

/// One entry at the prompt (or one complete chunk of piped input): run it, show its value,
/// report an error without ending the session.
enum REPLEntry {
  enum Outcome { case ok, failed, exit(Int32) }

  static func run(_ text: String, file: String, session: Session) -> Outcome {
    do {
      let value = try session.execute(text, file: file)
      if session.engine.isChild { session.engine.exitChild(code: 0) }
      if let value, value != .none { session.engine.output.print(value.repr + "\n") }
      return .ok
    } catch {
      if error.kind == .systemExit {
        if session.engine.isChild { session.engine.exitChild(code: ExitStatus.of(error)) }
        return .exit(ExitStatus.of(error))
      }
      if session.engine.isChild { session.engine.exitChild(after: error, sources: session.interpreter.sources) }
      if error.kind == .keyboardInterrupt {
        session.engine.output.drainAll()
        // The terminal echoed ^C without a newline.
        session.writeError((isatty(2) == 1 ? "\n" : "") + "KeyboardInterrupt: \(error.message)\n")
      } else {
        session.report(error)
      }
      return .failed
    }
  }
}
