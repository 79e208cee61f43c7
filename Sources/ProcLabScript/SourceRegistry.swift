// Keeps the text of every source the session has read, so that an error report
// can quote the offending line long after the text was parsed.

public final class SourceRegistry {
  private var linesByName: [String: [Substring]] = [:]

  public init() {}

  public func add(name: String, text: String) {
    linesByName[name] = text.split(separator: "\n", omittingEmptySubsequences: false)
  }

  public func line(_ number: Int, of name: String) -> String? {
    guard let lines = linesByName[name], number >= 1, number <= lines.count else { return nil }
    return String(lines[number - 1])
  }
}
