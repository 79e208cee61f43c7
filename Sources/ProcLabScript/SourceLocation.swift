// Where a piece of source text came from: every token, node and error carries one,
// so that a failure can be reported as FILE:LINE:COL with the line and a caret.

/// A position in a named source (a script file, `-c` text, or a REPL entry).
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var column: Int

  public init(file: String, line: Int, column: Int) {
    self.file = file
    self.line = line
    self.column = column
  }

  public var description: String { "\(file):\(line):\(column)" }
}
