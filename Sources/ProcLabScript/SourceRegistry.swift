// Keeps the text of every source the session has read, so that an error report
// can quote the offending line long after the text was parsed.

public final class SourceRegistry {
  private var linesByName: [String: [Substring]] = [:]

  public init() {}

  /// A text that starts with empty lines to put its first line in place (each entry piped to
  /// the REPL is so, all under "<stdin>") keeps, in those lines, what the earlier texts of the
  /// name had there: a traceback through a function defined in an earlier entry quotes it.
  public func add(name: String, text: String) {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    if let earlier = linesByName[name] {
      let padding = lines.prefix(while: \.isEmpty).count
      for i in 0..<min(padding, earlier.count) { lines[i] = earlier[i] }
    }
    linesByName[name] = lines
  }

  public func line(_ number: Int, of name: String) -> String? {
    guard let lines = linesByName[name], number >= 1, number <= lines.count else { return nil }
    return String(lines[number - 1])
  }
}
