// How a lesson looks on a terminal: narration in italic colour behind a bar, apart from the
// code typed at the prompt; questions stand out. Without colour the markers alone tell them apart.
import Glibc

struct PlaybackStyle {
  let color: Bool

  static let prompt = "proclab> "
  static let continuation = "...      "

  func narration(_ line: String) -> String {
    paint("36", "│ ") + paint("3;36", line) + "\n"
  }

  func question(_ text: String) -> String {
    paint("1;33", "? " + text) + "\n"
  }

  func dim(_ text: String) -> String { paint("2", text) }

  func bold(_ text: String) -> String { paint("1", text) }

  /// `codes` are SGR parameters: "36" cyan, "3;36" italic cyan, "1;33" bold yellow, "2" dim.
  private func paint(_ codes: String, _ text: String) -> String {
    color && !text.isEmpty ? "\u{1B}[\(codes)m\(text)\u{1B}[0m" : text
  }
}
