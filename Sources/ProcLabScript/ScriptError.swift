// The one error type of the language: a kind scripts can catch by name, a message,
// where it happened, and, when it crossed from a child process, which process raised it.

/// An error as a value: `try { } catch e { e.kind, e.message }` sees exactly these fields.
public struct ScriptError: Error, Sendable, Equatable {
  public var kind: String
  public var message: String
  public var location: SourceLocation?
  /// "Process-2 (pid 4311)" when the error was raised in another process.
  public var origin: String?

  public init(_ kind: String, _ message: String, at location: SourceLocation? = nil, origin: String? = nil) {
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

  public static func syntax(_ message: String, at location: SourceLocation) -> ScriptError {
    ScriptError("SyntaxError", message, at: location)
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
