// A ScriptHost with no operating system behind it: commands are recorded and answer a fixed
// value, so the language's tests can check what the parser handed to a command.
import ProcLabScript
import XCTest

final class FakeHost: ScriptHost {
  /// What one command received: its word, each argument's source text and option name.
  struct Recorded: Equatable {
    var word: String
    var arguments: [String]
    /// One entry per argument: the option name, or nil for a positional argument.
    var options: [String?]
  }

  let commandWords: Set<String> = ["spawn", "join", "get", "kill", "queue", "wait", "map"]
  let builtins: [String: Builtin] = [:]
  /// What every command returns.
  var result: Value = .int(10)
  private(set) var recorded: [Recorded] = []
  /// The commands themselves, so a test can evaluate an argument the command was given.
  private(set) var commands: [Command] = []
  private(set) var measured: [(repeats: Int, text: String)] = []
  private(set) var executed: [String] = []
  /// Each `repeat`: its count, its text, and what each run gave (an error by its kind name).
  private(set) var repeated: [(count: Int, text: String, outcomes: [String])] = []
  /// When set, `checkInterrupt` throws KeyboardInterrupt once it has been called this many
  /// times. The interpreter calls the host only while Attention is raised, so it is raised.
  var interruptAfterChecks: Int? {
    didSet { Attention.raise() }
  }
  private var checks = 0

  func run(_ command: Command, in interpreter: Interpreter) throws(ScriptError) -> Value {
    recorded.append(
      Recorded(
        word: command.word, arguments: command.arguments.map(\.value.text),
        options: command.arguments.map(\.name)))
    commands.append(command)
    return result
  }

  func checkInterrupt() throws(ScriptError) {
    checks += 1
    if let limit = interruptAfterChecks, checks >= limit {
      Attention.lower()
      throw ScriptError(.keyboardInterrupt, "interrupted")
    }
  }

  func measure(
    repeats: Int, text: String, at location: SourceLocation,
    _ body: () throws(ScriptError) -> Void
  ) throws(ScriptError) {
    measured.append((repeats, text))
    for _ in 0..<repeats { try body() }
  }

  func repeatRuns(count: Int, text: String, at location: SourceLocation, _ body: () throws(ScriptError) -> Value) throws(ScriptError) {
    var outcomes: [String] = []
    for _ in 0..<count {
      do {
        outcomes.append(try body().repr)
      } catch {
        outcomes.append(error.kind.name)
      }
    }
    repeated.append((count, text, outcomes))
  }

  func willExecute(_ statement: Stmt) {
    executed.append(statement.text)
  }

  func attribute(_ name: String, of handle: any Handle) throws(ScriptError) -> Value? {
    try (handle as? FakeHandle)?.attribute(name)
  }

  func setAttribute(_ name: String, of handle: any Handle, to value: Value) throws(ScriptError) -> Bool { false }

  func callMethod(_ name: String, on handle: any Handle, _ call: BuiltinCall) throws(ScriptError) -> Value? { nil }

  func memberNames(of handle: any Handle) -> [String] {
    ["pid", "alive", "name"]
  }
}

/// An engine object with no engine: `dir` and attribute lookups reach the host and the handle.
final class FakeHandle: Handle {
  let typeName = "process"
  let display = "<Process fake>"

  func attribute(_ name: String) throws(ScriptError) -> Value? {
    name == "pid" ? .int(42) : nil
  }
}

/// One interpreter over a fresh fake host, with shortcuts for the tests.
final class ScriptFixture {
  let host = FakeHost()
  lazy var interpreter = Interpreter(host: host)

  /// Parses and runs `code` as the file "test.plab"; returns the value of the last statement.
  @discardableResult
  func run(_ code: String) throws(ScriptError) -> Value? {
    try interpreter.runTopLevel(try interpreter.parse(code, file: "test.plab"))
  }

  /// The value of one expression.
  func value(_ expression: String) throws(ScriptError) -> Value {
    guard let value = try run(expression) else {
      throw ScriptError(.assertionError, "'\(expression)' gave no value")
    }
    return value
  }

  /// What `code` gives; a failure names the code and the error.
  func ran(_ code: String, file: StaticString = #filePath, line: UInt = #line) -> Value? {
    do {
      return try run(code)
    } catch {
      XCTFail("\(code) raised \(error.kind): \(error.message)", file: file, line: line)
      return nil
    }
  }

  /// The repr of what `code` gives.
  func repr(_ code: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
    ran(code, file: file, line: line)?.repr
  }

  func global(_ name: String) -> Value? {
    interpreter.globals[name]
  }

  /// The error `code` raises, or nil (and a test failure) when it runs without one.
  func error(_ code: String, file: StaticString = #filePath, line: UInt = #line) -> ScriptError? {
    do {
      try run(code)
      XCTFail("expected an error from: \(code)", file: file, line: line)
      return nil
    } catch {
      return error
    }
  }
}

/// Tokens of `code`, kinds only.
func tokenKinds(_ code: String) throws(ScriptError) -> [TokenKind] {
  var lexer = Lexer(text: code, file: "test.plab")
  return try lexer.tokenize().map(\.kind)
}

/// The statements of `code`, parsed with the fake host's command words.
func parse(_ code: String) throws(ScriptError) -> [Stmt] {
  var parser = try Parser(text: code, file: "test.plab", commandWords: FakeHost().commandWords)
  return try parser.parseProgram()
}

/// The syntax error `code` raises when parsed, or nil (and a test failure).
func syntaxError(_ code: String, file: StaticString = #filePath, line: UInt = #line) -> ScriptError?
{
  do {
    _ = try parse(code)
    XCTFail("expected a syntax error from: \(code)", file: file, line: line)
    return nil
  } catch {
    XCTAssertEqual(error.kind, .syntaxError, file: file, line: line)
    return error
  }
}

extension SourceLocation {
  /// "LINE:COL", for comparing places without the file name.
  var lineColumn: String { "\(line):\(column)" }
}
