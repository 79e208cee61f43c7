// The interactive line editor: libedit, reading keys through a hook that runs the REPL's event loop,
// so children are served while the user types and their output appears above the prompt.
import CEditLine
import Glibc

/// What the REPL's wait hook saw: the terminal became readable, or Ctrl-C arrived.
public enum InputWait { case ready, interrupted }

/// One call to `LineEditor.readLine`: a line (without its newline), Ctrl-C, or Ctrl-D / hang-up.
public enum LineRead: Equatable {
  case line(String)
  case interrupted, endOfInput
}

/// A linenoise-sized front end to libedit for one interactive terminal session.
///
///     let editor = LineEditor(historyPath: LineEditor.defaultHistoryPath(),
///                             waitForInput: { loop.runUntilTerminalReadable() },
///                             complete: { line in (line.count, []) })
///     while case .line(let text) = editor.readLine(prompt: "> ") { editor.addHistory(text) }
///
/// Only one editor may exist per process (libedit owns the terminal). Signals stay the REPL's:
/// libedit installs no handlers, and Ctrl-C reaches the editor only through `waitForInput`.
public final class LineEditor {
  private let editLine: OpaquePointer
  private let history: OpaquePointer
  private let historyPath: String?
  private let waitForInput: () -> InputWait
  private let complete: (String) -> (Int, [String])
  private let isTerminal: Bool
  private var input = TerminalInput()
  private var wasInterrupted = false
  private var prompt = Prompt(text: "")
  /// The last row output left without a newline (see showAbove).
  private var openRow = OpenRow()

  /// True when no partial line of output is open: the cursor is at the start of a row.
  public var outputEndsRow: Bool { openRow.isEmpty }

  /// True while `readLine` is running, i.e. while `showAbove` has a prompt to redraw.
  public private(set) var isReading = false

  /// - Parameters:
  ///   - waitForInput: called before every read of fd 0; blocks until fd 0 is readable (`.ready`)
  ///     or Ctrl-C arrived (`.interrupted`). It may call `showAbove(_:)`.
  ///   - complete: given the line up to the cursor, returns where the word being completed starts
  ///     (in Characters) and the candidates for it. A candidate is inserted exactly as given,
  ///     so a completer that wants a trailing space or `(` includes it.
  public init(
    historyPath: String?, waitForInput: @escaping () -> InputWait,
    complete: @escaping (String) -> (Int, [String])
  ) {
    Self.selectUTF8Locale()
    self.historyPath = historyPath
    self.waitForInput = waitForInput
    self.complete = complete
    isTerminal = isatty(0) == 1 && isatty(1) == 1
    editLine = proclab_el_init("proclab")
    history = proclab_history_init()
    proclab_history_setsize(history, 1000)
    proclab_history_setunique(history, 1)
    if let historyPath, access(historyPath, R_OK) == 0 {
      proclab_history_load(history, historyPath)
    }

    proclab_el_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
    proclab_el_set_signal(editLine, 0)
    proclab_el_set_editor(editLine, "emacs")
    proclab_el_set_prompt(editLine, promptHook)
    proclab_el_set_getc(editLine, readCharacterHook)
    proclab_el_set_hist(editLine, history)
    proclab_el_add_fn(
      editLine, "proclab-complete", "Complete the word before the cursor", completeHook)
    for (key, command) in Self.keyBindings { proclab_el_bind(editLine, key, command) }
    proclab_el_source(editLine)  // last, so ~/.editrc can override our bindings
  }

  deinit {
    el_end(editLine)
    history_end(history)
  }

  /// Reads one line with emacs keys. After `.interrupted` the next call starts on an empty line.
  /// After `.interrupted` and `.endOfInput` the cursor is still on the prompt's row (libedit has
  /// echoed `^D` for Ctrl-D): the caller prints `^C` and a newline, or just a newline.
  public func readLine(prompt text: String) -> LineRead {
    if text != prompt.text { prompt = Prompt(text: text) }
    wasInterrupted = false
    fflush(nil)  // output the REPL printed must land before libedit draws the prompt
    isReading = true
    defer { isReading = false }
    var count: Int32 = 0
    // Edit mode before the prompt is drawn: keys typed the moment it appears would else
    // meet the cooked terminal (echoed twice, and a Ctrl-D lost).
    if isTerminal { proclab_el_prep_term(editLine, 1) }
    // Output left a row unfinished: the prompt goes below it, never after it.
    if isTerminal, !openRow.isEmpty { writeToTerminal("\r\n") }
    defer { openRow.clear() }
    let characters = el_wgets(editLine, &count)
    if wasInterrupted {
      input.discard()
      return .interrupted
    }
    guard let characters, count > 0 else { return .endOfInput }
    var line = String.UnicodeScalarView()
    for index in 0..<Int(count) {
      if let scalar = Unicode.Scalar(UInt32(bitPattern: characters[index])) { line.append(scalar) }
    }
    if line.last == "\n" { line.removeLast() }
    return .line(String(line))
  }

  /// Adds a line to the history and saves the history file at once, so a killed session loses nothing.
  public func addHistory(_ line: String) {
    proclab_history_enter(history, line)
    guard let historyPath else { return }
    HistoryFile.createParentDirectories(of: historyPath)
    proclab_history_save(history, historyPath)
  }

  /// Shows output of the session or its children as soon as it comes. While a line is being
  /// read, it goes above the prompt and the prompt and the line being edited are redrawn below
  /// it; a partial line shows at once, on a row of its own above the prompt, and is drawn
  /// again, longer, when more of it comes. Outside `readLine` it goes to the terminal unchanged.
  public func showAbove(_ text: String) {
    guard !text.isEmpty else { return }
    fflush(nil)
    guard isReading, isTerminal else {
      writeToTerminal(text)
      openRow.follow(text, columns: terminalColumns())
      return
    }
    let (rowsAbove, shown) = openRow.redraw(adding: text, columns: terminalColumns())
    var output = "\r" + cursorUp(rowOfEditedText(upToCursor: true) + rowsAbove) + "\u{1b}[J"
    // "\r\n" rather than "\n": right whatever output flags the terminal has at this moment.
    output += shown.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
    if !openRow.isEmpty { output += "\r\n" }
    writeToTerminal(output)
    // EL_REFRESH forgets what libedit believes is on screen and redraws from the cursor's row.
    proclab_el_refresh(editLine)
  }

  // MARK: libedit hooks

  fileprivate func nextCharacter(_ character: UnsafeMutablePointer<wchar_t>) -> Int32 {
    while true {
      if let scalar = input.nextScalar() {
        character.pointee = wchar_t(bitPattern: scalar.value)
        return 1
      }
      if waitForInput() == .interrupted {
        // -1 makes el_wgets return NULL at once; readLine turns that into `.interrupted`.
        wasInterrupted = true
        return -1
      }
      switch input.fill() {
      case .bytes, .retry: continue
      case .endOfFile: return 0
      case .failed: return -1
      }
    }
  }

  fileprivate var promptPointer: UnsafeMutablePointer<CChar> { prompt.cString }

  fileprivate func completeWord() -> UInt8 {
    guard let info = el_wline(editLine)?.pointee else { return UInt8(CC_ERROR) }
    let beforeCursor = Self.string(from: info.buffer, to: info.cursor)
    let (start, candidates) = complete(beforeCursor)
    let word = String(beforeCursor.dropFirst(max(0, start)))
    guard !candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
    if let replacement = Completion.replacement(for: word, candidates: candidates) {
      el_deletestr(editLine, Int32(word.unicodeScalars.count))
      var wide = replacement.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
      wide.append(0)
      el_winsertstr(editLine, wide)
      return UInt8(CC_REFRESH)
    }
    guard candidates.count > 1, isTerminal else { return UInt8(CC_REFRESH_BEEP) }
    listBelowLine(Completion.columns(candidates, width: terminalColumns()))
    return UInt8(CC_REDISPLAY)
  }

  // MARK: Drawing

  /// Like bash: the listing goes under the edited line, then libedit draws a fresh prompt below it.
  private func listBelowLine(_ rows: [String]) {
    let down = rowOfEditedText(upToCursor: false) - rowOfEditedText(upToCursor: true)
    var output = down > 0 ? "\u{1b}[\(down)B" : ""
    output += "\r\n" + rows.joined(separator: "\r\n") + "\r\n"
    writeToTerminal(output)
  }

  /// The terminal row, counted from the prompt's row, of the cursor or of the line's end.
  private func rowOfEditedText(upToCursor: Bool) -> Int {
    guard let info = el_wline(editLine)?.pointee, let end = upToCursor ? info.cursor : info.lastchar
    else { return 0 }
    let drawn = prompt.text + Self.string(from: info.buffer, to: end)
    return TerminalLayout.cursorRow(after: drawn, columns: terminalColumns())
  }

  /// libedit's own idea of the width (refreshed each readLine), so our row arithmetic matches its wrapping.
  private func terminalColumns() -> Int {
    let columns = Int(proclab_el_columns(editLine))
    return columns > 0 ? columns : 80
  }

  private func cursorUp(_ rows: Int) -> String { rows > 0 ? "\u{1b}[\(rows)A" : "" }

  private func writeToTerminal(_ text: String) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
      let written = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
      if written > 0 {
        bytes = bytes.dropFirst(written)
      } else if written < 0 && errno == EINTR {
        continue  // the REPL's SIGINT handler has no SA_RESTART
      } else {
        return
      }
    }
  }

  // MARK: Setup helpers

  /// Keys xterm-like terminals send that libedit's emacs map leaves unbound.
  private static let keyBindings: [(String, String)] = [
    ("^I", "proclab-complete"),
    ("^R", "em-inc-search-prev"),
    ("\\e[1;5C", "em-next-word"), ("\\e[1;5D", "ed-prev-word"),
    ("\\e[1;3C", "em-next-word"), ("\\e[1;3D", "ed-prev-word"),
    ("\\e[3~", "ed-delete-next-char"),
    ("\\e[H", "ed-move-to-beg"), ("\\e[F", "ed-move-to-end"),
    ("\\e[1~", "ed-move-to-beg"), ("\\e[4~", "ed-move-to-end"),
  ]

  /// libedit drops every non-ASCII key unless LC_CTYPE is a UTF-8 locale; with LANG unset the
  /// environment gives "C", so fall back to C.UTF-8 (always present with glibc).
  private static func selectUTF8Locale() {
    setlocale(LC_CTYPE, "")
    let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
    if codeset != "UTF-8" { setlocale(LC_CTYPE, "C.UTF-8") }
  }

  private static func string(from start: UnsafePointer<wchar_t>, to end: UnsafePointer<wchar_t>)
    -> String
  {
    var scalars = String.UnicodeScalarView()
    var pointer = start
    while pointer < end {
      if let scalar = Unicode.Scalar(UInt32(bitPattern: pointer.pointee)) { scalars.append(scalar) }
      pointer += 1
    }
    return String(scalars)
  }
}

/// The prompt as libedit wants it: a C string that stays valid until the next prompt replaces it.
private final class Prompt {
  let text: String
  let cString: UnsafeMutablePointer<CChar>

  init(text: String) {
    self.text = text
    cString = strdup(text)
  }

  deinit { free(cString) }
}

// libedit calls back through C function pointers; each finds the editor through EL_CLIENTDATA.

private func editor(_ editLine: OpaquePointer?) -> LineEditor? {
  guard let editLine, let data = proclab_el_get_clientdata(editLine) else { return nil }
  return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue()
}

private func readCharacterHook(
  _ editLine: OpaquePointer?, _ character: UnsafeMutablePointer<wchar_t>?
) -> Int32 {
  guard let editor = editor(editLine), let character else { return -1 }
  return editor.nextCharacter(character)
}

private func promptHook(_ editLine: OpaquePointer?) -> UnsafeMutablePointer<CChar>? {
  editor(editLine)?.promptPointer
}

private func completeHook(_ editLine: OpaquePointer?, _ key: Int32) -> UInt8 {
  editor(editLine)?.completeWord() ?? UInt8(CC_ERROR)
}
