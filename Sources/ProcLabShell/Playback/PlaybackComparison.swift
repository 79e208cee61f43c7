// After a `#?` question: the viewer's prediction beside what really happened (the output of the
// statement that followed), in two columns that fit the terminal.

enum PlaybackComparison {
  static let leftTitle = "you predicted"
  static let rightTitle = "what happened"
  /// Output beyond this many lines is counted, not shown: the full output is just above.
  static let maximumLines = 12

  static func render(prediction: String, happened: String, columns: Int, style: PlaybackStyle)
    -> String
  {
    let columns = max(columns, 40)
    let predicted = prediction.trimmingCharacters(in: " \t")
    let leftWidth = min(
      max(TerminalLayout.width(of: predicted), leftTitle.count),
      max(leftTitle.count, (columns - 5) / 2))
    let rightWidth = columns - leftWidth - 5
    let left = predicted.isEmpty ? ["(no prediction)"] : wrap(predicted, width: leftWidth)
    var right = printable(happened).split(separator: "\n", omittingEmptySubsequences: false).map(
      String.init)
    while right.first?.isEmpty == true { right.removeFirst() }
    while right.last?.isEmpty == true { right.removeLast() }
    if right.isEmpty { right = ["(no output)"] }
    if right.count > maximumLines {
      let more = right.count - (maximumLines - 1)
      right = Array(right.prefix(maximumLines - 1)) + ["… \(more) more lines"]
    }
    var text =
      "  " + style.bold(leftTitle.padded(to: leftWidth)) + style.dim(" │ ") + style.bold(rightTitle)
      + "\n"
    for row in 0..<max(left.count, right.count) {
      let l = row < left.count ? left[row] : ""
      let r = row < right.count ? truncated(right[row], width: rightWidth) : ""
      text += "  " + l.padded(to: leftWidth) + style.dim(" │ ") + r + "\n"
    }
    return text
  }

  /// Words laid into lines of at most `width` columns; a longer word is cut.
  static func wrap(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
      var word = String(word)
      while TerminalLayout.width(of: word) > width {
        if !line.isEmpty {
          lines.append(line)
          line = ""
        }
        let head = truncated(word, width: width, marker: "")
        lines.append(head)
        word = String(word.dropFirst(head.count))
      }
      if line.isEmpty {
        line = word
      } else if TerminalLayout.width(of: line) + 1 + TerminalLayout.width(of: word) <= width {
        line += " " + word
      } else {
        lines.append(line)
        line = word
      }
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }

  /// The text without escape sequences, carriage returns or other control characters, which
  /// would break the columns (a progress line, a coloured error); tabs become spaces up to the
  /// next multiple of 8, as the terminal showed them (`time`'s report).
  static func printable(_ text: String) -> String {
    var result = String.UnicodeScalarView()
    var column = 0
    var scalars = text.unicodeScalars.makeIterator()
    while let scalar = scalars.next() {
      if scalar == "\u{1B}" {
        // CSI: ESC [ parameters final-byte; other escapes are two characters.
        if scalars.next() == "[" {
          while let next = scalars.next(), !(0x40...0x7E).contains(next.value) {}
        }
      } else if scalar == "\t" {
        let spaces = 8 - column % 8
        result.append(contentsOf: String(repeating: " ", count: spaces).unicodeScalars)
        column += spaces
      } else if scalar == "\n" {
        result.append(scalar)
        column = 0
      } else if scalar.value >= 0x20 && scalar.value != 0x7F {
        result.append(scalar)
        column += TerminalLayout.width(of: scalar)
      }
    }
    return String(result)
  }

  static func truncated(_ text: String, width: Int, marker: String = "…") -> String {
    guard TerminalLayout.width(of: text) > width else { return text }
    var result = ""
    var used = 0
    let room = width - TerminalLayout.width(of: marker)
    for character in text {
      let w = TerminalLayout.width(of: String(character))
      if used + w > room { break }
      result.append(character)
      used += w
    }
    return result + marker
  }
}

extension String {
  /// Padded with spaces to `width` terminal columns (wide characters count two).
  fileprivate func padded(to width: Int) -> String {
    let w = TerminalLayout.width(of: self)
    return w >= width ? self : self + String(repeating: " ", count: width - w)
  }
}
