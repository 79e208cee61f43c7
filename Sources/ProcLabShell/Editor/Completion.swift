// What Tab does with the completer's answer: extend the word, or lay the candidates out in columns.
// Pure functions of strings and a terminal width, so they are testable without a terminal.

enum Completion {
  /// The text that replaces the word before the cursor, or nil when Tab can only list.
  /// One candidate replaces the word; several extend it to their longest common prefix.
  static func replacement(for word: String, candidates: [String]) -> String? {
    if candidates.count == 1 { return candidates[0] == word ? nil : candidates[0] }
    let prefix = commonPrefix(candidates)
    return prefix.count > word.count && prefix.hasPrefix(word) ? prefix : nil
  }

  /// Longest common prefix in whole Characters, so a shared base letter never splits from its accent.
  static func commonPrefix(_ strings: [String]) -> String {
    guard var prefix = strings.first.map({ Substring($0) }) else { return "" }
    for string in strings.dropFirst() {
      prefix = prefix.prefix(zip(prefix, string).prefix { $0 == $1 }.count)
    }
    return String(prefix)
  }

  /// Rows of a bash-style listing: sorted, column-major, each column as wide as its widest entry.
  static func columns(_ candidates: [String], width: Int) -> [String] {
    let names = Array(Set(candidates.map { trimmedTrailingSpaces($0) })).sorted()
    guard !names.isEmpty else { return [] }
    let gap = 2
    let cellWidth = names.map(TerminalLayout.width(of:)).max()! + gap
    let columnCount = max(1, (width + gap) / cellWidth)
    let rowCount = (names.count + columnCount - 1) / columnCount
    return (0..<rowCount).map { row in
      var line = ""
      for column in 0..<columnCount {
        let index = column * rowCount + row
        guard index < names.count else { break }
        let name = names[index]
        let isLast = index + rowCount >= names.count
        let padding = isLast ? 0 : cellWidth - TerminalLayout.width(of: name)
        line += name + String(repeating: " ", count: padding)
      }
      return line
    }
  }

  private static func trimmedTrailingSpaces(_ text: String) -> String {
    var text = Substring(text)
    while text.last == " " { text.removeLast() }
    return String(text)
  }
}
