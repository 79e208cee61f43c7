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
        guard session.engine.loop.waitReadable(0, between: session.engine.runPendingCallbacks) else { continue }
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
      switch session.runPromptEntry(text, file: "<stdin>") {
      case .ran: break
      case .failed: status = ExitStatus.runtimeError
      case .exit(let code): return ScriptRunner.finish(session, status: code, exited: true)
      }
    }
    return ScriptRunner.finish(session, status: status)
  }
}
