// Where the REPL keeps its history between sessions, and making sure that place exists.
// Follows the XDG base directory spec: history is state, not configuration.
import Glibc

extension LineEditor {
  /// `$PROCLAB_HISTORY`, else `$XDG_STATE_HOME/proclab/history`, else
  /// `~/.local/state/proclab/history`. A set but empty `PROCLAB_HISTORY` turns history files
  /// off (nil), which is what tests want; nil also when no home directory can be found.
  public static func defaultHistoryPath() -> String? {
    if let explicit = environment("PROCLAB_HISTORY") {
      return explicit.isEmpty ? nil : explicit
    }
    // The spec says a relative XDG_STATE_HOME is invalid and must be ignored.
    if let state = environment("XDG_STATE_HOME"), state.hasPrefix("/") {
      return state + "/proclab/history"
    }
    guard let home = homeDirectory() else { return nil }
    return home + "/.local/state/proclab/history"
  }

  private static func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
  }

  private static func homeDirectory() -> String? {
    if let home = environment("HOME"), !home.isEmpty { return home }
    guard let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir else { return nil }
    return String(cString: directory)
  }
}

enum HistoryFile {
  /// `mkdir -p` for the file's directory; private (0700) because history can hold secrets.
  static func createParentDirectories(of path: String) {
    var directory = ""
    let components = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
    for (index, component) in components.enumerated() {
      directory += index == 0 ? String(component) : "/" + component
      if !directory.isEmpty { mkdir(directory, 0o700) }  // EEXIST is the common, harmless case
    }
  }
}
