// The statement being typed at the prompt during a lesson, as drawn so far: enough to erase
// it, print children's output above it, and draw it again, as the REPL does around a line.

struct PlaybackPromptLine {
  /// The characters of the statement drawn so far.
  var typed = ""
  /// The dim key hint after the statement while --step waits ("" when none is drawn).
  var hint = ""

  /// What the terminal shows: the prompt, the text, a `...` prompt after each new line.
  var drawing: String {
    PlaybackStyle.prompt
      + typed.split(separator: "\n", omittingEmptySubsequences: false).joined(
        separator: "\n" + PlaybackStyle.continuation)
  }

  /// Rows from the prompt's row down to the cursor's. Terminals wrap late: a row filled to the
  /// last column keeps the cursor on it until the next character.
  func rowsAboveCursor(columns: Int) -> Int {
    let lines = drawing.split(separator: "\n", omittingEmptySubsequences: false)
    var rows = lines.count - 1
    for line in lines {
      let width = TerminalLayout.width(of: String(line))
      if width > 0 { rows += (width - 1) / columns }
    }
    return rows
  }

  /// The column of the cursor after the drawing (the width of its last row).
  func cursorColumn(columns: Int) -> Int {
    let last =
      drawing.split(separator: "\n", omittingEmptySubsequences: false).last.map(String.init) ?? ""
    let width = TerminalLayout.width(of: last)
    return width == 0 ? 0 : (width - 1) % columns + 1
  }

  /// Escapes that move to the prompt's first column, or `rowsAbove` rows higher, and clear
  /// everything from there down.
  func erase(columns: Int, rowsAbove: Int = 0) -> String {
    let rows = rowsAboveCursor(columns: columns) + rowsAbove
    return "\r" + (rows > 0 ? "\u{1B}[\(rows)A" : "") + "\u{1B}[J"
  }
}
