// The kinds of error a script can raise, catch by name and compare: a type, so code tests
// `error.kind == .systemExit`, never a string. A kind is its Python name; `raise` can make
// any of the known ones, and errors that cross from a child keep their kind by that name.

public struct ErrorKind: Hashable, Sendable, CustomStringConvertible {
  public let name: String

  private init(_ name: String) { self.name = name }

  public var description: String { name }

  public static let assertionError = ErrorKind("AssertionError")
  public static let attributeError = ErrorKind("AttributeError")
  public static let brokenBarrierError = ErrorKind("BrokenBarrierError")
  public static let brokenPipeError = ErrorKind("BrokenPipeError")
  public static let deadlockError = ErrorKind("DeadlockError")
  public static let empty = ErrorKind("Empty")
  public static let eofError = ErrorKind("EOFError")
  public static let exception = ErrorKind("Exception")
  public static let full = ErrorKind("Full")
  public static let indexError = ErrorKind("IndexError")
  public static let ioError = ErrorKind("IOError")
  public static let keyError = ErrorKind("KeyError")
  public static let keyboardInterrupt = ErrorKind("KeyboardInterrupt")
  public static let memoryError = ErrorKind("MemoryError")
  public static let nameError = ErrorKind("NameError")
  public static let osError = ErrorKind("OSError")
  public static let overflowError = ErrorKind("OverflowError")
  public static let permissionError = ErrorKind("PermissionError")
  public static let processError = ErrorKind("ProcessError")
  public static let recursionError = ErrorKind("RecursionError")
  public static let runtimeError = ErrorKind("RuntimeError")
  public static let syntaxError = ErrorKind("SyntaxError")
  public static let systemExit = ErrorKind("SystemExit")
  public static let timeoutError = ErrorKind("TimeoutError")
  public static let typeError = ErrorKind("TypeError")
  public static let usageError = ErrorKind("UsageError")
  public static let valueError = ErrorKind("ValueError")
  public static let zeroDivisionError = ErrorKind("ZeroDivisionError")

  /// Every kind, by name: what `raise NAME(...)` can make and what a child's error decodes to.
  public static let all: [ErrorKind] = [
    .assertionError, .attributeError, .brokenBarrierError, .brokenPipeError, .deadlockError, .empty, .eofError, .exception, .full, .indexError,
    .ioError, .keyError, .keyboardInterrupt, .memoryError, .nameError, .osError, .overflowError, .permissionError, .processError,
    .recursionError, .runtimeError, .syntaxError, .systemExit, .timeoutError, .typeError, .usageError, .valueError,
    .zeroDivisionError,
  ]

  private static let byName: [String: ErrorKind] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

  /// The kind with this name; nil for a name that is no kind.
  public static func named(_ name: String) -> ErrorKind? { byName[name] }

  /// Whether a `catch` may stop this error: Ctrl-C and `exit` always get through.
  public var isCatchable: Bool { self != .keyboardInterrupt && self != .systemExit }
}
