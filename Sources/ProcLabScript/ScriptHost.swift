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
  /// `repeat N STATEMENT`: runs `body` `count` times, each in a fresh child process, and
  /// reports what each run gave (`body` returns the statement's value or throws its error).
  func repeatRuns(count: Int, text: String, at location: SourceLocation, _ body: () throws(ScriptError) -> Value) throws(ScriptError)
  /// Called before each top-level statement runs (for `--echo` and recording).
  func willExecute(_ statement: Stmt)
  /// `handle.name`; nil when the handle has no such attribute.
  func attribute(_ name: String, of handle: any Handle) throws(ScriptError) -> Value?
  /// `handle.name = value`; false when the handle has no such attribute or it is read-only.
  func setAttribute(_ name: String, of handle: any Handle, to value: Value) throws(ScriptError) -> Bool
  /// `handle.name(args)`; nil when the handle has no such method.
  func callMethod(_ name: String, on handle: any Handle, _ call: BuiltinCall) throws(ScriptError) -> Value?
  /// The names of a handle's attributes and methods, for `dir(x)` and completion.
  func memberNames(of handle: any Handle) -> [String]
  /// The method `name` of handles of this one's type, for a compiled call site to keep (see
  /// HandleMethod); nil when there is none (the call site then takes callMethod's path).
  func method(_ name: String, of handle: any Handle) -> HandleMethod?
}

extension ScriptHost {
  public func method(_ name: String, of handle: any Handle) -> HandleMethod? { nil }
}

/// A method of one type of engine object, found by name once and kept by the call site that
/// found it (an inline cache): the next calls on an object of that type run it directly,
/// with no lookup by type and name. `l.acquire(); l.release()` in a loop is the case.
public final class HandleMethod {
  public let type: ObjectIdentifier
  public let call: (any Handle, [Value], SourceLocation) throws(ScriptError) -> Value
  /// The call with no arguments made directly, for methods that have it: no binding, no
  /// array, no cast of the receiver (an object of type `type`).
  public let bare: ((AnyObject) throws(ScriptError) -> Value)?

  public init(
    type: ObjectIdentifier, bare: ((AnyObject) throws(ScriptError) -> Value)? = nil,
    call: @escaping (any Handle, [Value], SourceLocation) throws(ScriptError) -> Value
  ) {
    self.type = type
    self.bare = bare
    self.call = call
  }
}
