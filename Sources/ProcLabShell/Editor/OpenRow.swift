// The row output left unfinished: `print("progress", end="")` in a child, or one letter of
// `output chars`. While a line is read it stands on its own rows above the prompt, and when
// more of it comes it is drawn again there, longer, so a partial line shows at once and the
// line being typed is never mixed into it.

struct OpenRow {
  /// What has been written on the row since the last newline.
  private(set) var text = ""

  var isEmpty: Bool { text.isEmpty }

  /// After `written` went to the terminal: the row is what follows its last newline.
  mutating func follow(_ written: String, columns: Int) {
    if let newline = written.lastIndex(of: "\n") {
      text = String(written[written.index(after: newline)...])
    } else {
      text += written
    }
    dropFinishedRows(columns: columns)
  }

  mutating func clear() { text = "" }

  /// While something is drawn below the row (a prompt): `text` continues it. Gives how many
  /// rows the row covers now (to go up by before drawing again) and what to draw there: the
  /// row with `text` added. From then on the row is what follows the last newline of that.
  mutating func redraw(adding added: String, columns: Int) -> (rowsAbove: Int, shown: String) {
    let rowsAbove = isEmpty ? 0 : TerminalLayout.rowsTaken(by: text, columns: columns)
    let shown = text + added
    text = ""
    follow(shown, columns: columns)
    return (rowsAbove, shown)
  }

  /// A row that wraps over many terminal rows keeps only its last few: the ones above have
  /// scrolled out of reach of a redraw anyway. Whole rows are dropped, so what is kept still
  /// starts at the left edge, as it does on the screen.
  private mutating func dropFinishedRows(columns: Int) {
    let limit = 4 * columns
    guard text.unicodeScalars.count > limit else { return }
    var scalars = Substring(text).unicodeScalars
    while TerminalLayout.width(of: String(scalars)) > limit {
      var dropped = 0
      while dropped < columns, let first = scalars.first {
        dropped += max(1, TerminalLayout.width(of: first))
        scalars.removeFirst()
      }
    }
    text = String(scalars)
  }
}
