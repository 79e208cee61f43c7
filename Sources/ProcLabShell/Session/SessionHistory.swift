// The entries that ran in this session (at the prompt, from piped input, or from a played
// lesson), as typed with their comments: `history` lists them, `record` saves them as they come.
import ProcLabScript

public final class SessionHistory {
  public private(set) var entries: [String] = []
  /// Where each new entry is also written while `record FILE` is on.
  var recording: Recording?

  public init() {}

  /// Keeps an entry that parsed (a syntax error ran nothing). Entries made only of `record`
  /// and `history` commands are listed but not recorded: replaying them would restart the
  /// recording or print a history the replay does not have.
  public func add(_ text: String, statements: [Stmt]) {
    let entry = Self.tidy(text)
    guard !entry.isEmpty else { return }
    entries.append(entry)
    guard recording != nil, !Recording.isAboutRecording(statements) else { return }
    recording?.append(entry)
  }

  /// The entries numbered from 1, a multi-line entry's later lines under its first.
  public func listing() -> String {
    let width = String(entries.count).count
    var text = ""
    for (index, entry) in entries.enumerated() {
      let number = String(index + 1)
      let margin = String(repeating: " ", count: width - number.count + 2)
      for (row, line) in entry.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
      {
        text +=
          (row == 0 ? margin + number : String(repeating: " ", count: width + 2)) + "  " + line
          + "\n"
      }
    }
    return text
  }

  /// Without the blank lines piped input puts before an entry (to keep its line numbers) and
  /// without trailing white space.
  static func tidy(_ text: String) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    while let first = lines.first, first.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
      lines.removeFirst()
    }
    return lines.joined(separator: "\n").trimmingCharacters(in: " \t\n\r")
  }
}
