// Whether proclab may colour what it prints: not after `--no-color`, not when NO_COLOR is set
// and not empty (no-color.org), not when standard output is not a terminal. One place for all.
import Glibc

public enum TerminalColor {
  /// Set to false by `--no-color` (and `proclab play --no-color`).
  nonisolated(unsafe) public static var allowed = true

  static var wanted: Bool {
    guard allowed, isatty(1) == 1 else { return false }
    if let value = getenv("NO_COLOR"), value.pointee != 0 { return false }
    return true
  }
}
