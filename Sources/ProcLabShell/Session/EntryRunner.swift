// The one path that runs an entry and reports how it ended, shared by the REPL, piped input,
// scripts, `load` and playback (Lua's docall/report): a value to show, an error reported
// without ending the session, or an exit with its status. A child made by `fork()` inside
// the entry never comes back here as the session: it goes on as its front end says, or ends.
import Glibc
import ProcLabEngine
import ProcLabScript

/// How one entry ended.
enum EntryOutcome {
  /// It ran; the value of a last expression or command, for the REPL to show.
  case ran(Value?)
  /// An error, already reported.
  case failed(ScriptError)
  /// `exit` (or sys.exit's equivalent): end with this status.
  case exit(Int32)
}

/// What differs between front ends when an entry ends.
struct EntryFront {
  /// Where error reports go (playback also keeps them for its comparison).
  var writeError: (String) -> Void
  /// At a prompt Ctrl-C reads `KeyboardInterrupt: ...`; a script reports it in full.
  var briefInterrupt: Bool
  /// What a child made by `fork()` in the entry does once the entry ran.
  var forkedChildGoesOn: () -> Never
}

extension Session {
  /// An entry typed at the prompt (or piped in): its value is shown and kept in `_`, as
  /// Python's REPL does; a child forked in it ends with it.
  func runPromptEntry(_ text: String, file: String) -> EntryOutcome {
    let front = EntryFront(writeError: writeError, briefInterrupt: true) { [unowned self] in engine.exitChild(code: ExitStatus.success) }
    let outcome = runEntry(text, file: file, front)
    if case .ran(let value?) = outcome, value != .none {
      engine.output.print(value.repr + "\n")
      interpreter.globals["_"] = value
    }
    return outcome
  }

  /// Parses and runs `text` as one entry.
  func runEntry(_ text: String, file: String, _ front: EntryFront) -> EntryOutcome {
    let statements: [Stmt]
    do {
      statements = try interpreter.parse(text, file: file)
    } catch {
      return end(by: error, front)
    }
    return runEntry(statements, entry: text, front)
  }

  /// Runs parsed statements as one entry (`entry` is their text as typed, for `history`).
  func runEntry(_ statements: [Stmt], entry: String, _ front: EntryFront) -> EntryOutcome {
    do {
      let value = try execute(statements, entry: entry)
      if engine.isChild { front.forkedChildGoesOn() }
      return .ran(value)
    } catch {
      return end(by: error, front)
    }
  }

  /// Reports how an error ended an entry; in a forked child, ends the child.
  func end(by error: ScriptError, _ front: EntryFront) -> EntryOutcome {
    if error.kind == .systemExit {
      if !error.message.isEmpty {
        engine.output.drainAll()
        front.writeError(error.message + "\n")
      }
      if engine.isChild { engine.exitChild(code: error.exitStatus) }
      return .exit(error.exitStatus)
    }
    if engine.isChild { engine.exitChild(after: error, sources: interpreter.sources) }
    engine.output.drainAll()
    if error.kind == .keyboardInterrupt && front.briefInterrupt {
      // The terminal echoed ^C without a newline.
      front.writeError((isatty(2) == 1 ? "\n" : "") + "KeyboardInterrupt: \(error.message)\n")
    } else {
      front.writeError(error.report(sources: interpreter.sources))
    }
    return .failed(error)
  }
}
