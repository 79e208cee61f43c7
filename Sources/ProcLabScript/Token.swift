// The lexer's output: one token kind per thing the grammar distinguishes,
// with its place and whether whitespace came before it (commands split on it).

public enum TokenKind: Equatable, Sendable {
  case name(String)
  case int(Int)
  case float(Double)
  case string(String)
  /// f"..." text: literal pieces and `{expression}` pieces, each with where it starts.
  case formatString([FormatPiece])
  case op(String)
  case newline
  case end
}

public enum FormatPiece: Equatable, Sendable {
  case text(String)
  case code(String, SourceLocation)
}

public struct Token: Sendable {
  public var kind: TokenKind
  public var location: SourceLocation
  /// True when spaces or tabs separate this token from the previous one on the line.
  public var spaceBefore: Bool
  /// Offsets into the source's scalars, so a statement's text can be quoted back.
  public var start: Int
  public var end: Int
}
