// A proclab session: one interpreter over one engine. It is the interpreter's host: commands,
// functions and engine objects' methods run as the command table declares them (Commands/).
import Glibc
import ProcLabEngine
import ProcLabScript

public final class Session: ScriptHost {
  public let engine: Engine
  public private(set) var interpreter: Interpreter!
  /// `--echo`: print each top-level statement before it runs, as `bash -x` does.
  public var echo = false
  public let commandWords: Set<String>
  public private(set) var builtins: [String: Builtin]
  /// The entries that ran, for `history` and `record` (Recording.swift).
  public let history = SessionHistory()
  private var loadDepth = 0

  public init(interactive: Bool) throws(ScriptError) {
    engine = try Engine(interactive: interactive)
    commandWords = Set(CommandTable.words)
    builtins = [:]  // every stored property set before `self` makes the table's builtins
    builtins = tableBuiltins()
    interpreter = Interpreter(host: self)
    engine.interpreter = interpreter
    Interruption.check = { [unowned engine] () throws(ScriptError) in try engine.checkSignals() }
    warmUpCalls()
  }

  /// Calls a function once in the session. Swift builds some type metadata and binds some
  /// symbols on first use; done here, every forked child inherits them instead of redoing
  /// that work (and copying the pages it touches) on each spawn.
  private func warmUpCalls() {
    let warm = Function(name: "warm", parameters: ["x"], defaults: [nil], body: [], at: SourceLocation(file: "", line: 0, column: 0), source: "")
    _ = try? interpreter.call(.function(warm), [.int(0)], at: warm.location)
  }

  // MARK: ScriptHost

  public func run(_ command: Command, in interpreter: Interpreter) throws(ScriptError) -> Value {
    try runCommand(command, interpreter)
  }

  public func checkInterrupt() throws(ScriptError) {
    try engine.checkInterrupt()
  }

  public func measure(repeats: Int, text: String, at location: SourceLocation, _ body: () throws(ScriptError) -> Void) throws(ScriptError) {
    let report = try TimeReport.measure(repeats: repeats, body)
    engine.output.print(report.render(label: text))
  }

  public func repeatRuns(count: Int, text: String, at location: SourceLocation, _ body: () throws(ScriptError) -> Value) throws(ScriptError) {
    var tally = RunTally(label: text, planned: count)
    let target = tally.label
    do {
      for index in 0..<count {
        try engine.checkSignals()
        let start = CPUClock.monotonicSeconds()
        // The last run sends what its children did, for `timeline` (see lastRunSpan).
        let last = index == count - 1
        let run = try engine.runInChild(target, interpreter: interpreter, keepEvents: last, body)
        if last { currentRunSpan = (start, start + run.seconds) }
        tally.add(run.outcome, seconds: run.seconds)
      }
    } catch {
      // Ctrl-C (or a fork that failed) stops the runs: what they gave so far is still shown.
      engine.output.print(tally.render(interrupted: true))
      throw error
    }
    engine.output.print(tally.render())
  }

  /// When the statement running now began (nil for a `timeline`, which draws the one before
  /// and so must not become it), when the last entry ended (the REPL then waits for typing),
  /// and the span and first line of the statement before: `timeline` draws "the last command".
  private var currentStatement: (start: Double, text: String)? = (CPUClock.monotonicSeconds(), "")
  private var entryEnd: Double?
  public private(set) var lastCommandSpan: (start: Double, end: Double)?
  public private(set) var lastCommandText = ""
  /// The last run of the `repeat` the statement before ran, if it ran one to the end: what
  /// `timeline` draws then, with the processes of that run.
  public private(set) var lastRunSpan: (start: Double, end: Double)?
  private var currentRunSpan: (start: Double, end: Double)?

  public func willExecute(_ statement: Stmt) {
    engine.runPendingCallbacks()
    let now = CPUClock.monotonicSeconds()
    let firstLine = statement.text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
    if let current = currentStatement {
      lastCommandSpan = (current.start, entryEnd ?? now)
      lastCommandText = current.text
      lastRunSpan = currentRunSpan
    }
    currentRunSpan = nil
    if case .command(let command) = statement.kind, command.word == "timeline" {
      currentStatement = nil
    } else {
      currentStatement = (now, firstLine)
    }
    entryEnd = nil
    engine.setActivity("running \(firstLine)")
    guard echo, loadDepth == 0 else { return }
    engine.output.drainAll()
    writeError("+ " + firstLine + "\n")
  }

  // MARK: running text

  /// Parses and runs `text`; returns the value the REPL should show, if any.
  public func execute(_ text: String, file: String) throws(ScriptError) -> Value? {
    let statements = try interpreter.parse(text, file: file)
    return try execute(statements, entry: text)
  }

  /// Runs parsed statements as one entry of the session (a played lesson runs its entries
  /// so); `entry` is their text as typed, comments included, for `history` and `record`.
  public func execute(_ statements: [Stmt], entry: String) throws(ScriptError) -> Value? {
    if loadDepth == 0 { history.add(entry, statements: statements) }
    defer { entryEnd = CPUClock.monotonicSeconds() }
    return try interpreter.runTopLevel(statements)
  }

  func load(_ path: String) throws(ScriptError) {
    let text = try readScript(path)
    loadDepth += 1
    defer { loadDepth -= 1 }
    _ = try execute(text, file: path)
  }

  /// Writes an error report (or any diagnostic) to stderr, after pending child output.
  public func writeError(_ text: String) {
    Descriptors.writeAll(2, text)
  }

  public func report(_ error: ScriptError) {
    engine.output.drainAll()
    writeError(error.report(sources: interpreter.sources))
  }
}

/// Reads a script file; an unreadable file is an IOError naming the path.
public func readScript(_ path: String) throws(ScriptError) -> String {
  do {
    return try Engine.readFile(path)
  } catch {
    throw ScriptError(.ioError, error.message)
  }
}
