// The interactive shell: prompt, multi-line entries (an open brace continues on `...`),
// history and completion through LineEditor, children's output shown above the prompt.
import Glibc
import ProcLabEngine
import ProcLabScript

public final class REPL {
  private let session: Session
  private var editor: LineEditor!
  private var progressLine: ProgressLine!
  /// Entries typed so far: entry N is the source `<input#N>`, so an error in a function
  /// defined in an earlier entry quotes that entry's line.
  private var entryCount = 0

  public init(session: Session) {
    self.session = session
  }

  public func run() -> Int32 {
    Descriptors.writeAll(1, "proclab — processes you can see. help lists the commands, Ctrl-D ends.\n")
    let status = readEntries() ?? ExitStatus.success
    let stopped = session.engine.finish(waitFirst: false)
    if !stopped.isEmpty {
      Descriptors.writeAll(2, "stopped \(stopped.count) running process(es): \(stopped.map(\.name).joined(separator: ", "))\n")
    }
    return status
  }

  /// The prompt on the session as it stands, until Ctrl-D (nil) or `exit` (its code); the
  /// session and its processes stay for the caller (`proclab play --step`, key i). The caller
  /// puts back the output sink and the termination hook it had.
  public func runWithoutEnding() -> Int32? {
    readEntries()
  }

  private func readEntries() -> Int32? {
    let engine = session.engine
    editor = LineEditor(
      historyPath: LineEditor.defaultHistoryPath(),
      waitForInput: { engine.loop.waitReadable(0, between: engine.runPendingCallbacks) ? .ready : .interrupted },
      complete: { [unowned self] line in self.complete(line) })
    progressLine = ProgressLine(rowIsFree: { [unowned self] in self.editor?.outputEndsRow ?? true })
    engine.output.sink = { [unowned self] text in self.showOutput(text) }
    engine.beforeTermination = { [unowned self] in self.editor = nil }
    engine.onProgress = { [unowned self] progress in self.progressLine.update(progress) }
    defer { editor = nil }
    var entry = ""
    var status: Int32?
    reading: while true {
      if entry.isEmpty { session.engine.waitForInput() }
      switch editor.readLine(prompt: entry.isEmpty ? "proclab> " : "...      ") {
      case .endOfInput:
        Descriptors.writeAll(1, "\n")
        // Ctrl-D on a `...` line drops the unfinished entry; on an empty prompt it ends.
        if entry.isEmpty { break reading }
        entry = ""
      case .interrupted:
        Descriptors.writeAll(1, "^C\n")
        entry = ""
      case .line(let line):
        entry += line + "\n"
        if Parser.needsMoreInput(entry) { continue }
        let text = entry
        entry = ""
        guard !text.trimmingCharacters(in: " \t\n").isEmpty else { continue }
        editor.addHistory(String(text.dropLast()))
        entryCount += 1
        if case .exit(let code) = session.runPromptEntry(text, file: "<input#\(entryCount)>") {
          status = code
          break reading
        }
      }
    }
    return status
  }

  /// The session's and its children's output, as soon as it comes (see LineEditor.showAbove).
  private func showOutput(_ text: String) {
    guard let editor else {
      Descriptors.writeAll(1, text)
      return
    }
    progressLine.around { editor.showAbove(text) }
  }

  private func complete(_ line: String) -> (Int, [String]) {
    session.completions(for: line)
  }
}

extension String {
  /// Without the leading and trailing scalars found in `set` (scalars, not Characters:
  /// as one Character "\r\n" would match neither "\r" nor "\n").
  func trimmingCharacters(in set: String) -> String {
    let drop = Set(set.unicodeScalars)
    var scalars = Substring(self).unicodeScalars
    while let c = scalars.first, drop.contains(c) { scalars.removeFirst() }
    while let c = scalars.last, drop.contains(c) { scalars.removeLast() }
    return String(scalars)
  }
}
