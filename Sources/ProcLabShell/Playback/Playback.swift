// `proclab play FILE`: a lesson played on one live session. Each entry appears as if typed at
// the prompt, then runs on real processes; narration, questions and --step keys are all that
// is added to what a person at the REPL would see. Without a terminal it prints a transcript.
import Glibc
import ProcLabEngine
import ProcLabScript

public final class Playback {
  private let session: Session
  private let options: PlaybackOptions
  private let style: PlaybackStyle
  /// stdout is a terminal: entries are typed, narration is styled.
  private let animated: Bool
  /// stdin is a terminal too: --step and questions wait for the viewer.
  private let takesKeys: Bool
  private let terminal: PlaybackTerminal
  private var engine: Engine { session.engine }

  /// Where children's output goes at this moment (see `show(childOutput:)`).
  private enum Display {
    case direct
    case abovePrompt
    case aboveEditor(LineEditor)
  }
  private var display = Display.direct
  private var promptLine = PlaybackPromptLine()
  /// The row output left without a newline: above the typed statement it is drawn again,
  /// longer, as more of it comes (as the REPL does, see OpenRow).
  private var openRow = OpenRow()
  private lazy var progressLine = ProgressLine(rowIsFree: { [unowned self] in self.openRow.isEmpty })
  /// While the entry after a question runs: everything it printed, for the comparison.
  private var captured: String?
  private var entries: [LessonEntry] = []
  /// The entry that ran last and its index among the entries: key r runs it again.
  private var lastRan: (entry: LessonEntry, index: Int)?

  private enum Ending: Equatable {
    case completed, quit, interrupted
    case exit(Int32)
  }

  public init(session: Session, options: PlaybackOptions) {
    self.session = session
    self.options = options
    animated = isatty(1) == 1
    takesKeys = animated && isatty(0) == 1
    if !options.color { TerminalColor.allowed = false }
    style = PlaybackStyle(color: TerminalColor.wanted)
    terminal = PlaybackTerminal(loop: session.engine.loop)
  }

  /// Plays the lesson and ends the session; returns the exit status.
  public func run() -> Int32 {
    let path = options.file ?? ""
    let lesson: Lesson
    do {
      lesson = try Lesson.parse(try readScript(path), file: path, interpreter: session.interpreter)
    } catch {
      if error.kind == .ioError {
        Descriptors.writeAll(2, "proclab: \(error.message)\n")
      } else {
        session.report(error)
      }
      return ExitStatus.of(error)
    }
    entries = lesson.steps.compactMap { if case .entry(let entry) = $0 { entry } else { nil } }
    installHooks()
    if takesKeys { terminal.enterKeyMode() }
    if animated {
      var header = "playing \(path) (Ctrl-C ends)"
      if options.step && takesKeys {
        header +=
          "\nEnter runs a statement · s skips it · r runs the last one again"
          + "\ni opens the REPL (Ctrl-D returns) · q quits"
      }
      write(style.dim(header) + "\n")
    }
    let ending = play(lesson)
    return finish(ending)
  }

  // MARK: the steps

  private func play(_ lesson: Lesson) -> Ending {
    var prediction: String?
    var index = 0
    for step in lesson.steps {
      switch step {
      case .narration(let lines):
        showNarration(lines)
      case .question(let question):
        showQuestion(question)
        guard takesKeys else { continue }
        guard let answer = askForPrediction() else { return .interrupted }
        prediction = answer
      case .entry(let entry):
        if let ending = playEntry(entry, index: index, prediction: prediction) { return ending }
        prediction = nil
        index += 1
      }
    }
    if options.step && takesKeys && lastRan != nil { return waitAtEnd() }
    return .completed
  }

  /// --step, after the last statement: r runs it again (the lesson's last race, repeated
  /// live), any other key ends the lesson.
  private func waitAtEnd() -> Ending {
    engine.output.drainAll()
    while true {
      write((atLineStart ? "" : "\n") + style.dim("that was the last statement: r runs it again, any other key ends the lesson"))
      let key = terminal.readKey()
      write("\n")
      switch key {
      case .again:
        if let ending = runAgain() { return ending }
      case .interrupted: return .interrupted
      default: return .completed
      }
    }
  }

  /// Key r: the entry that ran last, drawn at the prompt at once and run again, without a
  /// question's comparison. Returns an ending, or nil to go on.
  private func runAgain() -> Ending? {
    guard let (entry, index) = lastRan else { return nil }
    write(PlaybackPromptLine(typed: entry.source).drawing + style.dim("   (again)") + "\n")
    let outcome = execute(entry, index: index)
    engine.output.drainAll()
    terminal.discardTypedAhead()
    return outcome
  }

  private func showNarration(_ lines: [String]) {
    engine.output.drainAll()
    // A blank line before narration sets it apart from the output above (none at the top).
    let gap = needsGap ? "\n" : ""
    if animated {
      write(gap + lines.map { style.narration($0) }.joined())
    } else {
      write(gap + lines.map { $0.isEmpty ? "#\n" : "# \($0)\n" }.joined())
    }
  }

  private func showQuestion(_ question: String) {
    engine.output.drainAll()
    write(animated ? (needsGap ? "\n" : "") + style.question(question) : "#? \(question)\n")
  }

  /// Shows, waits for its key (--step), runs and compares one entry; an ending stops the lesson.
  private func playEntry(_ entry: LessonEntry, index: Int, prediction: String?) -> Ending? {
    if animated {
      guard type(entry.source) else { return .interrupted }
      if options.step && takesKeys {
        waiting: while true {
          switch waitForKey() {
          case .run: break waiting
          case .skip:
            endPrompt(note: style.dim("   (skipped)"))
            return pause()
          case .quit:
            endPrompt(note: style.dim("   (lesson ended)"))
            return .quit
          case .interrupted:
            endPrompt(note: "^C")
            return .interrupted
          case .repl:
            endPrompt(note: "")
            if let code = openREPL() { return .exit(code) }
            redrawPrompt(entry.source)
          case .again:
            guard lastRan != nil else { continue }
            endPrompt(note: style.dim("   (first, the last statement again)"))
            if let ending = runAgain() { return ending }
            redrawPrompt(entry.source)
          case .other: continue
          }
        }
      }
      endPrompt(note: "")
    } else {
      engine.output.drainAll()
      let lines = entry.source.split(separator: "\n", omittingEmptySubsequences: false)
      write("+ " + lines.joined(separator: "\n  ") + "\n")
    }
    let compares = prediction != nil && takesKeys
    if compares { captured = "" }
    let started = engine.processesStarted
    let outcome = execute(entry, index: index)
    lastRan = (entry, index)
    if compares, let prediction {
      settle(processesFrom: started)
      let happened = captured ?? ""
      captured = nil
      write(
        "\n"
          + PlaybackComparison.render(
            prediction: prediction, happened: happened, columns: terminal.columns, style: style)
          + "\n")
    }
    if takesKeys { terminal.discardTypedAhead() }
    if let outcome { return outcome }
    return pause()
  }

  /// The pause between statements (--delay); Ctrl-C in it ends the lesson.
  private func pause() -> Ending? {
    guard options.delay > 0 else { return nil }
    let outcome = engine.loop.run(until: CPUClock.monotonicSeconds() + options.delay) { false }
    return outcome == .interrupted ? .interrupted : nil
  }

  // MARK: typing

  /// Types `source` at the prompt at a readable pace; false after Ctrl-C.
  private func type(_ source: String) -> Bool {
    engine.output.drainAll()
    promptLine = PlaybackPromptLine()
    if atLineStart { openRow.clear() }
    write((atLineStart ? "" : "\n") + PlaybackStyle.prompt)
    display = .abovePrompt
    let pace = 1 / (25 * options.speed)
    var lineStart = true
    for character in source {
      promptLine.typed.append(character)
      write(character == "\n" ? "\n" + PlaybackStyle.continuation : String(character))
      // Indentation appears at once, as an editor would put it; a new line takes a keystroke more.
      let indenting = lineStart && (character == " " || character == "\t")
      lineStart = character == "\n" || indenting
      if indenting { continue }
      let wait = character == "\n" ? 3 * pace : pace
      if engine.loop.run(until: CPUClock.monotonicSeconds() + wait, done: { false }) == .interrupted
      {
        endPrompt(note: "^C")
        return false
      }
    }
    return true
  }

  /// Draws the whole entry again at once (after the REPL of key i).
  private func redrawPrompt(_ source: String) {
    promptLine = PlaybackPromptLine(typed: source)
    write(promptLine.drawing)
    display = .abovePrompt
  }

  /// Ends the prompt's line (a note after it, such as "(skipped)"); output goes straight out again.
  private func endPrompt(note: String) {
    write(note + "\n")
    promptLine = PlaybackPromptLine()
    display = .direct
    openRow.clear()
  }

  /// --step: a dim hint after the statement while it waits, a shorter one if the long one
  /// does not fit on the row (the legend at the start says the rest).
  private func waitForKey() -> PlaybackTerminal.Key {
    let columns = terminal.columns
    let room = columns - promptLine.cursorColumn(columns: columns)
    let hints = ["   ⏎ run · s skip · r again · i REPL · q quit", "   ⏎ run · s skip · r again", "   ⏎"]
    if let hint = hints.first(where: {
      TerminalLayout.width(of: $0) < room
    }) {
      promptLine.hint = hint
      write("\u{1B}7" + style.dim(hint))
    }
    let key = terminal.readKey()
    if !promptLine.hint.isEmpty {
      write("\u{1B}8\u{1B}[K")
      promptLine.hint = ""
    }
    return key
  }

  // MARK: running

  /// Runs an entry as the REPL runs one: its value shown, an error reported, the lesson going
  /// on; `exit` ends the lesson. Returns an ending, or nil to go on.
  private func execute(_ entry: LessonEntry, index: Int) -> Ending? {
    switch session.runEntry(entry.statements, entry: entry.source, front(continuingAfter: index)) {
    case .ran(let value):
      if let value, value != .none { emit(value.repr + "\n", to: 1) }
    case .failed: break
    case .exit(let status): return .exit(status)
    }
    return nil
  }

  private func front(continuingAfter index: Int) -> EntryFront {
    EntryFront(writeError: { [unowned self] in emit($0, to: 2) }, briefInterrupt: true) { [unowned self] in
      continueAsForkedChild(after: index)
    }
  }

  /// A child made by `fork()` goes on with the rest of the lesson as a script would, without
  /// the show (it has no terminal of its own to type on), then exits.
  private func continueAsForkedChild(after index: Int) -> Never {
    do {
      for entry in entries.dropFirst(index + 1) {
        try session.interpreter.runTopLevel(entry.statements)
      }
    } catch {
      _ = session.end(by: error, front(continuingAfter: index))
    }
    engine.exitChild(code: ExitStatus.success)
  }

  /// The session's own output (a value, an error), after the children's that came before it.
  private func emit(_ text: String, to fd: Int32) {
    engine.output.drainAll()
    captured?.append(text)
    Descriptors.writeAll(fd, text)
  }

  /// After a question's statement: children it started may still be printing; give them a
  /// moment (at most 2 s) to finish, so the comparison holds what they printed.
  private func settle(processesFrom first: Int) {
    let started = Array(engine.processes.suffix(engine.processesStarted - first))
    _ = engine.loop.run(until: CPUClock.monotonicSeconds() + 2) {
      started.allSatisfy { !$0.isAlive }
    }
    engine.output.drainAll()
  }

  // MARK: the viewer

  /// Reads a prediction on its own line (libedit); nil after Ctrl-C.
  private func askForPrediction() -> String? {
    engine.output.drainAll()
    terminal.restore()
    defer {
      display = .direct
      terminal.enterKeyMode()
    }
    let loop = engine.loop
    let editor = LineEditor(
      historyPath: nil, waitForInput: { loop.waitReadable(0) ? .ready : .interrupted },
      complete: { line in (line.count, []) })
    display = .aboveEditor(editor)
    switch editor.readLine(prompt: "your prediction> ") {
    case .line(let text):
      return text
    case .endOfInput:
      write("\n")
      return ""
    case .interrupted:
      write("^C\n")
      return nil
    }
  }

  /// Key i: the REPL on the session as it stands; Ctrl-D comes back (nil), `exit` ends.
  private func openREPL() -> Int32? {
    write(
      style.dim(
        "the live REPL, on the lesson's session (its variables and processes); Ctrl-D goes back to the lesson"
      ) + "\n")
    terminal.restore()
    let code = REPL(session: session).runWithoutEnding()
    installHooks()
    terminal.enterKeyMode()
    if code == nil { write(style.dim("back to the lesson") + "\n") }
    return code
  }

  // MARK: output

  private func installHooks() {
    engine.output.sink = { [unowned self] text in self.show(childOutput: text) }
    engine.beforeTermination = { [unowned self] in self.terminal.restore() }
    engine.onProgress = animated ? { [unowned self] progress in self.progressLine.update(progress) } : nil
  }

  /// Children's output (and the session's, once children exist), as soon as it comes:
  /// straight out, or above the statement being typed or the prediction being written.
  private func show(childOutput text: String) {
    captured?.append(text)
    let columns = terminal.columns
    switch display {
    case .direct:
      progressLine.around {
        write(text)
        openRow.follow(text, columns: columns)
      }
    case .aboveEditor(let editor):
      editor.showAbove(text)
    case .abovePrompt:
      let (rowsAbove, shown) = openRow.redraw(adding: text, columns: columns)
      let endRow = openRow.isEmpty ? "" : "\n"
      write(promptLine.erase(columns: columns, rowsAbove: rowsAbove) + shown + endRow + promptLine.drawing)
      if !promptLine.hint.isEmpty { write("\u{1B}7" + style.dim(promptLine.hint)) }
    }
  }

  /// Whether the last text written ended its line: a prompt must start on a row of its own.
  private var atLineStart = true
  /// The last two characters written: a blank line before narration unless one is there.
  private var lastWritten = ""
  private var needsGap: Bool { !lastWritten.isEmpty && lastWritten != "\n\n" }

  private func write(_ text: String) {
    guard let last = text.last else { return }
    Descriptors.writeAll(1, text)
    atLineStart = last == "\n"
    lastWritten = String((lastWritten + text.suffix(2)).suffix(2))
  }

  // MARK: the end

  /// As at the end of a script: children still running are waited for, unless the viewer
  /// ended the lesson (q, Ctrl-C) or it ran `exit`, which stop them.
  private func finish(_ ending: Ending) -> Int32 {
    display = .direct
    if animated, ending == .completed {
      let running = engine.processes.filter(\.isAlive).count
      let waiting =
        running > 0 ? " (waiting for \(running) running process\(running == 1 ? "" : "es"))" : ""
      write("\n" + style.dim("end of the lesson" + waiting) + "\n")
    }
    let status: Int32
    switch ending {
    case .completed: status = ExitStatus.success
    case .quit: status = ExitStatus.success
    case .interrupted: status = ExitStatus.interrupted
    case .exit(let code): status = code
    }
    switch ending {
    case .completed:
      _ = ScriptRunner.finish(session, status: status)
    case .exit:
      _ = ScriptRunner.finish(session, status: status, exited: true)
    case .quit, .interrupted:
      let stopped = engine.finish(waitFirst: false)
      if !stopped.isEmpty {
        Descriptors.writeAll(
          2,
          "stopped \(stopped.count) running process(es): \(stopped.map(\.name).joined(separator: ", "))\n"
        )
      }
    }
    terminal.restore()
    return status
  }
}
