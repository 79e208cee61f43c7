// The one error type of the language: a kind scripts can catch by name, a message,
// where it happened, the calls it left on its way out, and, when it crossed from a child
// process, which process raised it.

/// An error as a value: `try { } catch e { e.kind, e.message }` sees exactly these fields.
/// Its fields live in one box, so the error itself is one reference: every call that can
/// throw keeps a slot for one in its frame, and a hundred bytes a slot made the interpreter's
/// frames a kilobyte each. Errors are rare; a field set on a shared box copies it first.
public struct ScriptError: Error, Sendable, Equatable {
  private final class Fields: @unchecked Sendable {
    var kind: ErrorKind
    var message: String
    var location: SourceLocation?
    var origin: String?
    var trace: [TraceFrame] = []
    var exitStatus: Int32 = 0

    init(_ kind: ErrorKind, _ message: String, _ location: SourceLocation?, _ origin: String?) {
      self.kind = kind
      self.message = message
      self.location = location
      self.origin = origin
    }

    func copy() -> Fields {
      let copy = Fields(kind, message, location, origin)
      copy.trace = trace
      copy.exitStatus = exitStatus
      return copy
    }
  }

  private var fields: Fields

  /// The box, copied first if another error shares it.
  private var unique: Fields {
    mutating get {
      if !isKnownUniquelyReferenced(&fields) { fields = fields.copy() }
      return fields
    }
  }

  public var kind: ErrorKind {
    get { fields.kind }
    set { unique.kind = newValue }
  }
  public var message: String {
    get { fields.message }
    set { unique.message = newValue }
  }
  public var location: SourceLocation? {
    get { fields.location }
    set { unique.location = newValue }
  }
  /// "Process-2 (pid 4311)" when the error was raised in another process.
  public var origin: String? {
    get { fields.origin }
    set { unique.origin = newValue }
  }
  /// The script function calls the error passed through, outermost first.
  public var trace: [TraceFrame] {
    get { fields.trace }
    set { unique.trace = newValue }
  }
  /// The status a SystemExit ends its process with; 0 for every other kind.
  public var exitStatus: Int32 {
    get { fields.exitStatus }
    set { unique.exitStatus = newValue }
  }

  public init(_ kind: ErrorKind, _ message: String, at location: SourceLocation? = nil, origin: String? = nil) {
    fields = Fields(kind, message, location, origin)
  }

  public static func == (a: ScriptError, b: ScriptError) -> Bool {
    a.kind == b.kind && a.message == b.message && a.location == b.location && a.origin == b.origin
      && a.trace == b.trace && a.exitStatus == b.exitStatus
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

  public static func syntax(_ message: String, at location: SourceLocation) -> ScriptError {
    ScriptError(.syntaxError, message, at: location)
  }
}

/// One call an error passed through: the function called and where the call was made.
public struct TraceFrame: Sendable, Equatable {
  public var function: String
  public var location: SourceLocation

  public init(function: String, location: SourceLocation) {
    self.function = function
    self.location = location
  }
}

extension ScriptError {
  /// A long line (generated code, 20,000 brackets) is quoted as the part around the column,
  /// with `...` where it was cut; returns that part and the column within it.
  static func window(_ line: String, column: Int, width: Int = 120) -> (String, Int) {
    let scalars = Array(line.unicodeScalars)
    guard scalars.count > width else { return (line, column) }
    let at = min(max(column - 1, 0), scalars.count)
    let from = max(0, min(at - width / 2, scalars.count - width))
    let to = min(scalars.count, from + width)
    var shown = String.UnicodeScalarView()
    shown.append(contentsOf: scalars[from..<to])
    let prefix = from > 0 ? "..." : ""
    return (prefix + String(shown) + (to < scalars.count ? "..." : ""), at - from + 1 + prefix.count)
  }

  /// `FILE:LINE:COL: Kind: message`, then the source line and a caret under the column.
  /// When the error left function calls, a traceback comes first, outermost call first:
  /// `  FILE:LINE:COL, in NAME` and the line of that call. A call with no source to quote
  /// was made by the engine (a pool task), not by a script, and is left out.
  public func report(sources: SourceRegistry) -> String {
    var text = ""
    let calls = trace.compactMap { frame in sources.line(frame.location.line, of: frame.location.file).map { (frame, $0) } }
    if !calls.isEmpty {
      text += "Traceback (most recent call last):\n"
      for (frame, line) in calls {
        text += "  \(frame.location), in \(frame.function)\n    \(line.trimmingSpaces)\n"
      }
    }
    if let location {
      text += "\(location): \(kind): \(message)\n"
      if let line = sources.line(location.line, of: location.file) {
        let (shown, column) = ScriptError.window(line, column: location.column)
        text += "    \(shown)\n"
        text += "    " + String(repeating: " ", count: max(0, column - 1)) + "^\n"
      }
    } else {
      text += "\(kind): \(message)\n"
    }
    if let origin { text += "  (raised in \(origin))\n" }
    return text
  }
}
