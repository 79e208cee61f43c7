// Turns source text into tokens. Newlines end statements except inside () and [],
// so long argument lists and lists may span lines; `#` starts a comment.

public struct Lexer {
  private let scalars: [Unicode.Scalar]
  private let file: String
  private var index = 0
  private var line = 1
  private var lineStart = 0
  private var nesting = 0

  /// `origin` places the text inside a larger source (the code of an f-string `{...}`).
  public init(text: String, file: String, origin: SourceLocation? = nil) {
    self.scalars = Array(text.unicodeScalars)
    self.file = file
    if let origin {
      line = origin.line
      lineStart = 1 - origin.column
    }
  }

  private static let operators: [String] = [
    "//=", "**", "//", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=",
    "+", "-", "*", "/", "%", "<", ">", "=", "(", ")", "[", "]", "{", "}", ",", ".", ";", ":",
  ]

  public mutating func tokenize() throws(ScriptError) -> [Token] {
    var tokens: [Token] = []
    while true {
      try Interruption.poll()
      let spaced = skipBlanks()
      let here = location
      let start = index
      guard index < scalars.count else {
        tokens.append(Token(kind: .end, location: here, spaceBefore: spaced, start: start, end: start))
        return tokens
      }
      let c = scalars[index]
      let kind: TokenKind
      if c == "\n" {
        advanceLine()
        if nesting > 0 { continue }
        kind = .newline
      } else if c == "f", peek(1) == "\"" || peek(1) == "'" {
        index += 1
        kind = .formatString(try formatPieces(try quoted(keepingColumns: true)))
      } else if let prefix = stringPrefix() {
        // Python's other string prefixes: r"..." keeps backslashes, u"..." is a plain string.
        index += prefix.count
        switch prefix.lowercased() {
        case "r": kind = .string(try quoted(raw: true).text)
        case "u": kind = .string(try quoted().text)
        case "b": throw .syntax("bytes (b\"...\") are not supported: proclab's strings are text; write \"...\"", at: here)
        default: throw .syntax("\(prefix)\"...\" is not supported: write f\"...\" with \\\\ for each backslash", at: here)
        }
      } else if isNameStart(c) {
        kind = .name(readName())
      } else if c.properties.numericType != nil, c.isASCII {
        kind = try number()
      } else if c == "\"" || c == "'" {
        kind = .string(try quoted().text)
      } else if let op = Lexer.operators.first(where: matches) {
        index += op.unicodeScalars.count
        if op == "(" || op == "[" { nesting += 1 }
        if op == ")" || op == "]" { nesting = max(0, nesting - 1) }
        kind = .op(op)
      } else {
        throw .syntax("unexpected character '\(c)'", at: here)
      }
      tokens.append(Token(kind: kind, location: here, spaceBefore: spaced, start: start, end: index))
    }
  }

  private var location: SourceLocation {
    SourceLocation(file: file, line: line, column: index - lineStart + 1)
  }

  private func peek(_ offset: Int) -> Unicode.Scalar? {
    index + offset < scalars.count ? scalars[index + offset] : nil
  }

  private mutating func advanceLine() {
    index += 1
    line += 1
    lineStart = index
  }

  /// Skips spaces, tabs, carriage returns and comments; reports whether any were skipped.
  private mutating func skipBlanks() -> Bool {
    var skipped = false
    while index < scalars.count {
      let c = scalars[index]
      if c == " " || c == "\t" || c == "\r" {
        index += 1
      } else if c == "#" {
        while index < scalars.count, scalars[index] != "\n" { index += 1 }
      } else if c == "\\", peek(1) == "\n" {
        index += 1
        advanceLine()
      } else {
        return skipped
      }
      skipped = true
    }
    return skipped
  }

  private func matches(_ op: String) -> Bool {
    var i = index
    for s in op.unicodeScalars {
      guard i < scalars.count, scalars[i] == s else { return false }
      i += 1
    }
    return true
  }

  private func isNameStart(_ c: Unicode.Scalar) -> Bool {
    c == "_" || c.properties.isAlphabetic
  }

  private mutating func readName() -> String {
    var text = String.UnicodeScalarView()
    while index < scalars.count {
      let c = scalars[index]
      guard isNameStart(c) || (c.isASCII && c.properties.numericType != nil) else { break }
      text.append(c)
      index += 1
    }
    return String(text)
  }

  private mutating func number() throws(ScriptError) -> TokenKind {
    let here = location
    var text = ""
    var isFloat = false
    while index < scalars.count {
      let c = scalars[index]
      if c.isASCII, c.properties.numericType != nil || c == "_" {
        if c != "_" { text.unicodeScalars.append(c) }
      } else if c == ".", !isFloat, let next = peek(1), next.isASCII, next.properties.numericType != nil {
        isFloat = true
        text += "."
      } else if (c == "e" || c == "E"), let next = peek(1), next.isASCII,
        next.properties.numericType != nil || next == "-" || next == "+"
      {
        isFloat = true
        text += "e"
        index += 1
        text.unicodeScalars.append(scalars[index])
      } else {
        break
      }
      index += 1
    }
    if isFloat, let value = Double(text) { return .float(value) }
    if let value = Int(text) { return .int(value) }
    throw .syntax("number '\(text)' is out of range", at: here)
  }

  /// A string's text, where it began, and (for f-strings) the source column of each scalar
  /// of the text: escapes make the text shorter than its source.
  private struct Quoted {
    var text: String
    var start: SourceLocation
    var columns: [Int]
  }

  /// `r`, `u`, `b`, `rf` or `fr` (either case) right before a quote, as Python reads them.
  private func stringPrefix() -> String? {
    for length in [2, 1] {
      guard let quote = peek(length), quote == "\"" || quote == "'" else { continue }
      let prefix = String(String.UnicodeScalarView(scalars[index..<index + length]))
      if ["r", "u", "b", "rf", "fr"].contains(prefix.lowercased()) { return prefix }
    }
    return nil
  }

  /// Reads a quoted string starting at the quote. A raw one (`r"..."`) keeps each backslash
  /// and the character after it, as Python's do.
  private mutating func quoted(keepingColumns: Bool = false, raw: Bool = false) throws(ScriptError) -> Quoted {
    let open = location
    let quote = scalars[index]
    index += 1
    let start = location
    var text = String.UnicodeScalarView()
    var columns: [Int] = []
    while true {
      guard index < scalars.count, scalars[index] != "\n" else {
        throw .syntax("unterminated string: expected a closing \(quote)", at: open)
      }
      let column = keepingColumns ? location.column : 0
      let c = scalars[index]
      if c == quote {
        index += 1
        return Quoted(text: String(text), start: start, columns: columns)
      }
      guard c == "\\", let next = peek(1), next != "\n" else {
        index += 1
        if keepingColumns { columns.append(column) }
        text.append(c)
        continue
      }
      var produced: [Unicode.Scalar]
      if raw {
        index += 2
        produced = [c, next]
      } else {
        produced = try escape()
        // In an f-string, a brace written as an escape (`\x7b`) is a brace of the text.
        if keepingColumns, produced == ["{"] || produced == ["}"] { produced += produced }
      }
      for scalar in produced {
        if keepingColumns { columns.append(column) }
        text.append(scalar)
      }
    }
  }

  /// The scalars of the escape at the backslash, as Python reads it: `\n \t \r \a \b \f \v`,
  /// `\\ \' \"`, octal `\0` to `\377`, `\xhh`, `\uhhhh`, `\Uhhhhhhhh`, and proclab's `\e` (ESC);
  /// any other keeps its backslash, as in Python. Moves past the escape.
  private mutating func escape() throws(ScriptError) -> [Unicode.Scalar] {
    let at = location
    index += 1
    let escaped = scalars[index]
    index += 1
    switch escaped {
    case "n": return ["\n"]
    case "t": return ["\t"]
    case "r": return ["\r"]
    case "a": return ["\u{07}"]
    case "b": return ["\u{08}"]
    case "f": return ["\u{0C}"]
    case "v": return ["\u{0B}"]
    case "e": return ["\u{1B}"]
    case "\\", "'", "\"": return [escaped]
    case "0"..."7":
      var value = escaped.value - 48
      for _ in 0..<2 {
        guard let digit = peek(0), ("0"..."7").contains(digit) else { break }
        value = value * 8 + digit.value - 48
        index += 1
      }
      return [Unicode.Scalar(value)!]
    case "x": return [try hexScalar(digits: 2, at: at, example: "\\x41")]
    case "u": return [try hexScalar(digits: 4, at: at, example: "\\u00e9")]
    case "U": return [try hexScalar(digits: 8, at: at, example: "\\U0001F600")]
    case "N": throw .syntax("\\N{...} names are not supported: write the character itself or its \\u code", at: at)
    default: return ["\\", escaped]
    }
  }

  /// The scalar of exactly `digits` hex digits after `\x`, `\u` or `\U`.
  private mutating func hexScalar(digits: Int, at: SourceLocation, example: String) throws(ScriptError) -> Unicode.Scalar {
    var value: UInt32 = 0
    for _ in 0..<digits {
      guard let digit = peek(0), digit.isASCII, let v = UInt32(String(digit), radix: 16) else {
        throw .syntax("this escape needs \(digits) hex digits, as in \(example)", at: at)
      }
      value = value * 16 + v
      index += 1
    }
    guard let scalar = Unicode.Scalar(value) else {
      throw .syntax("\(String(value, radix: 16, uppercase: true)) is not a Unicode character (at most 10FFFF, not D800 to DFFF)", at: at)
    }
    return scalar
  }

  /// Splits f-string text into literal pieces and `{code}` pieces; `{{` and `}}` are braces.
  private func formatPieces(_ quoted: Quoted) throws(ScriptError) -> [FormatPiece] {
    var pieces: [FormatPiece] = []
    var literal = ""
    let chars = Array(quoted.text.unicodeScalars)
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if c == "{", i + 1 < chars.count, chars[i + 1] == "{" {
        literal += "{"
        i += 2
      } else if c == "}", i + 1 < chars.count, chars[i + 1] == "}" {
        literal += "}"
        i += 2
      } else if c == "{" {
        guard let close = chars[(i + 1)...].firstIndex(of: "}") else {
          var at = quoted.start
          at.column = quoted.columns[i]
          throw .syntax("f-string: expected '}' to close '{'", at: at)
        }
        if !literal.isEmpty { pieces.append(.text(literal)) }
        literal = ""
        var at = quoted.start
        at.column = quoted.columns[i + 1]
        var code = String.UnicodeScalarView()
        code.append(contentsOf: chars[(i + 1)..<close])
        pieces.append(.code(String(code), at))
        i = close + 1
      } else {
        literal.unicodeScalars.append(c)
        i += 1
      }
    }
    if !literal.isEmpty { pieces.append(.text(literal)) }
    return pieces
  }
}
