// The one error type of the language: a kind scripts can catch by name, a message,
// where it happened, and, when it crossed from a child process, which process raised it.

/// An error as a value: `try { } catch e { e.kind, e.message }` sees exactly these fields.
public struct ScriptError: Error, Sendable, Equatable {
  public var kind: ErrorKind
  public var message: String
  public var location: SourceLocation?
  /// "Process-2 (pid 4311)" when the error was raised in another process.
  public var origin: String?

  public init(_ kind: ErrorKind, _ message: String, at location: SourceLocation? = nil, origin: String? = nil) {
    self.kind = kind
    self.message = message
    self.location = location
    self.origin = origin
  }

  /// Fills in the location only if the error does not know its place yet.
  public func located(at location: SourceLocation) -> ScriptError {
    var copy = self
    if copy.location == nil { copy.location = location }
    return copy
  }

  /// `exit CODE`: a SystemExit that carries the status the process ends with, and a message
  /// printed on stderr when the code was not an integer (as `sys.exit("bye")` does).
  public static func exit(status: Int32, message: String = "", at location: SourceLocation?) -> ScriptError {
    var error = ScriptError(.systemExit, message, at: location)
    error.exitStatus = status
    return error
  }

  /// The status a SystemExit ends its process with; 0 for every other kind.
  public var exitStatus: Int32 = 0

  public static func syntax(_ message: String, at location: SourceLocation) -> ScriptError {
    ScriptError(.syntaxError, message, at: location)
  }
}

extension ScriptError {
  /// `FILE:LINE:COL: Kind: message`, then the source line and a caret under the column.
  public func report(sources: SourceRegistry) -> String {
    var text = ""
    if let location {
      text += "\(location): \(kind): \(message)\n"
      if let line = sources.line(location.line, of: location.file) {
        text += "    \(line)\n"
        text += "    " + String(repeating: " ", count: max(0, location.column - 1)) + "^\n"
      }
    } else {
      text += "\(kind): \(message)\n"
    }
    if let origin { text += "  (raised in \(origin))\n" }
    return text
  }
}
