// `record FILE`: every entry that runs from then on is appended to FILE, a script that
// `proclab play FILE` replays; `record stop` ends it. Each entry is written at once, so a
// session that is killed loses nothing.
import Glibc
import ProcLabEngine
import ProcLabScript

struct Recording {
  let path: String
  private(set) var count = 0

  /// Creates (or empties) the file and writes a comment saying what it is: the first narration
  /// of the replay.
  init(path: String) throws(ScriptError) {
    self.path = path
    try Self.write(
      "# Recorded in proclab on \(Engine.localDate(format: "%Y-%m-%d %H:%M")). Replay: proclab play \(path)\n", to: path,
      flags: O_TRUNC)
  }

  mutating func append(_ entry: String) {
    do {
      try Self.write(entry + "\n", to: path, flags: O_APPEND)
      count += 1
    } catch {
      Descriptors.writeAll(2, "record: \(error.message)\n")
    }
  }

  static func isAboutRecording(_ statements: [Stmt]) -> Bool {
    !statements.isEmpty
      && statements.allSatisfy {
        guard case .command(let command) = $0.kind else { return false }
        return command.word == "record" || command.word == "history"
      }
  }

  private static func write(_ text: String, to path: String, flags: Int32) throws(ScriptError) {
    let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0o644)
    guard fd >= 0 else {
      throw ScriptError(.ioError, "cannot write \(path): \(String(cString: strerror(errno)))")
    }
    Descriptors.writeAll(fd, text)
    close(fd)
  }

}

extension Session {
  /// `record FILE`, `record stop`, and `record` alone (whether a recording is on).
  func runRecord(_ command: Command, in interpreter: Interpreter) throws(ScriptError) {
    guard let target = command.positional.first else {
      if let recording = history.recording {
        engine.output.print(
          "recording to \(recording.path) (\(recording.count) entries so far); record stop ends it\n"
        )
      } else {
        engine.output.print("not recording; record FILE starts\n")
      }
      return
    }
    if case .name("stop") = target.kind {
      guard let recording = history.recording else {
        throw ScriptError(.usageError, "not recording (record FILE starts)", at: command.location)
      }
      history.recording = nil
      engine.output.print(
        "recorded \(recording.count) entries in \(recording.path); replay: proclab play \(recording.path)\n"
      )
      return
    }
    let path = try recordPath(target, in: interpreter)
    if let previous = history.recording {
      engine.output.print("stopped recording to \(previous.path) (\(previous.count) entries)\n")
    }
    do {
      history.recording = try Recording(path: path)
    } catch {
      throw error.located(at: target.location)
    }
    engine.output.print("recording to \(path); record stop ends it\n")
  }

  /// `history`: this session's entries, numbered.
  func runHistory() {
    engine.output.print(history.listing())
  }

  /// A string, or a path written bare (`record lesson.plab`): then the words as written.
  private func recordPath(_ expr: Expr, in interpreter: Interpreter) throws(ScriptError) -> String {
    switch try? interpreter.evaluate(expr) {
    case .string(let path): return path
    case nil where !expr.text.contains(" "): return expr.text
    default:
      throw ScriptError(.typeError, "record takes a file name: record \"FILE\"", at: expr.location)
    }
  }
}
