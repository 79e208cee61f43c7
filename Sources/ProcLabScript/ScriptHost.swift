// What the interpreter needs from the world around it: the commands, the builtins that
// touch the OS, interruption and timing. The engine implements it; the language knows no OS.

public protocol ScriptHost: AnyObject {
  /// Words that start a command (`spawn`, `join`, ...), so the parser can tell them from names.
  var commandWords: Set<String> { get }
  /// Builtins beyond the language core (`print`, `sleep`, `pid`, ...).
  var builtins: [String: Builtin] { get }
  /// Runs a command; its arguments are unevaluated so the command decides what words mean.
  func run(_ command: Command, in interpreter: Interpreter) throws(ScriptError) -> Value
  /// Called at every loop iteration and function call: throws KeyboardInterrupt after Ctrl-C.
  func checkInterrupt() throws(ScriptError)
  /// `time [-n N] STATEMENT`: runs `body` `repeats` times and reports the times.
  func measure(repeats: Int, text: String, at location: SourceLocation, _ body: () throws(ScriptError) -> Void) throws(ScriptError)
  /// Called before each top-level statement runs (for `--echo` and recording).
  func willExecute(_ statement: Stmt)
  /// The attribute and method names of an engine object, for `dir(x)` and "did you mean".
  func memberNames(of handle: any Handle) -> [String]
}

extension ScriptHost {
  public func memberNames(of handle: any Handle) -> [String] { [] }
}
