// How many terminal columns text takes and where libedit wraps it, so we can find the prompt's row.
// Widths come from wcwidth, the same measure libedit uses to lay the line out.
import CEditLine

enum TerminalLayout {
  /// Columns a string occupies: CJK and emoji take two, combining marks none,
  /// control characters two (libedit shows them as ^X).
  static func width(of text: String) -> Int {
    text.unicodeScalars.reduce(0) { $0 + width(of: $1) }
  }

  static func width(of scalar: Unicode.Scalar) -> Int {
    let width = Int(proclab_wcwidth(wchar_t(bitPattern: scalar.value)))
    return width >= 0 ? width : 2
  }

  /// The row (from 0) on which the cursor stands after libedit has drawn `text` from column 0.
  /// Mirrors libedit: a wide character that does not fit moves whole to the next row, a tab
  /// advances to the next multiple of 8, and filling the last column moves the cursor down.
  static func cursorRow(after text: String, columns: Int) -> Int {
    var row = 0
    var column = 0
    for scalar in text.unicodeScalars {
      let width = scalar == "\t" ? 8 - column % 8 : width(of: scalar)
      if column + width > columns {
        row += 1
        column = 0
      }
      column += width
      if column >= columns {
        row += 1
        column = 0
      }
    }
    return row
  }

  /// How many rows `text` covers when the terminal itself writes it from column 0 (output,
  /// not libedit): a character that does not fit starts the next row, a carriage return goes
  /// back to column 0 of the same row, other control characters take no room.
  static func rowsTaken(by text: String, columns: Int) -> Int {
    var row = 0
    var column = 0
    for scalar in text.unicodeScalars {
      if scalar == "\r" {
        column = 0
        continue
      }
      let width = scalar == "\t" ? 8 - column % 8 : scalar.value < 0x20 ? 0 : width(of: scalar)
      if column + width > columns {
        row += 1
        column = 0
      }
      column += width
    }
    return row + 1
  }
}
