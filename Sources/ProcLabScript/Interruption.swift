// How long work inside the language (lexing, parsing, builtins that loop) notices Ctrl-C and
// terminating signals mid-way: the host installs its check, the work polls it cheaply.

public enum Interruption {
  /// The host's check: throws KeyboardInterrupt after a Ctrl-C, and may end the process (a
  /// SIGTERM). It must run no script code: the parser calls it in the middle of a statement.
  nonisolated(unsafe) public static var check: () throws(ScriptError) -> Void = {}
  nonisolated(unsafe) private static var countdown = 0

  /// Calls `check` once every 1,024 polls: a poll is a decrement, so a loop may poll on
  /// every step.
  @inline(__always)
  public static func poll() throws(ScriptError) {
    countdown &-= 1
    if countdown < 0 {
      countdown = 1023
      try check()
    }
  }
}
