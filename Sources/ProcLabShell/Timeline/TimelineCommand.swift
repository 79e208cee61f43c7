// The `timeline` command: which stretch of the event log to draw (the last command, the last
// N seconds, the whole session) and where (the terminal, an SVG file, an HTML page).
import Glibc
import ProcLabEngine
import ProcLabScript

extension Session {
  static let timelineUsage = "timeline [all | last=SECONDS] [svg \"FILE\" | html \"FILE\"]"

  func timelineCommand(_ command: Command, _ interpreter: Interpreter) throws(ScriptError) {
    enum Picture {
      case terminal
      case svg(String)
      case html(String)
    }
    var picture = Picture.terminal
    var all = false
    let last = command.option("last")
    var unit: Expr?
    var positional = command.positional[...]
    while let argument = positional.popFirst() {
      if let last, Session.isUnit(argument, after: last) {
        unit = argument
        continue
      }
      guard case .name(let word) = argument.kind else { throw timelineUsage(command) }
      switch word {
      case "all": all = true
      case "svg", "html":
        guard let pathExpr = positional.popFirst() else { throw timelineUsage(command) }
        guard case .string(let path) = try evaluatePath(pathExpr, interpreter) else {
          throw ScriptError(
            .typeError, "timeline \(word) takes a file name in quotes: timeline \(word) \"\(pathExpr.text)\"", at: pathExpr.location)
        }
        picture = word == "svg" ? .svg(path) : .html(path)
      default: throw timelineUsage(command)
      }
    }
    if all && last != nil { throw timelineUsage(command) }

    let window: TimelineWindow
    let what: String
    if let last {
      let seconds = try Session.seconds(last, unit: unit, interpreter)
      window = .last(seconds)
      what =
        "the last \(TimelineAxis.decimal(seconds, digits: seconds.rounded() == seconds ? 0 : 1))s"
    } else if !all, let run = lastRunSpan {
      window = .command(start: run.start, end: run.end)
      what = "the last run of " + (lastCommandText.isEmpty ? "the last command" : lastCommandText)
    } else if !all, let span = lastCommandSpan {
      window = .command(start: span.start, end: span.end)
      what = lastCommandText.isEmpty ? "the last command" : lastCommandText
    } else {
      window = .all
      what = "the whole session"
    }
    let timeline = engine.timeline(window)
    let lanes = "\(timeline.lanes.count) process\(timeline.lanes.count == 1 ? "" : "es")"
    let duration = TimelineAxis.duration(timeline.end - timeline.start)
    let title = "timeline of \(what) · \(lanes) · \(duration)"

    switch picture {
    case .terminal:
      engine.output.print(
        TimelineText.render(
          timeline, title: title, width: TimelineText.outputWidth, color: TerminalColor.wanted))
    case .svg(let path):
      try Session.write(TimelineSVG.render(timeline, title: title), to: path, at: command.location)
      engine.output.print("wrote \(path): \(lanes) over \(duration)\n")
    case .html(let path):
      try Session.write(TimelineHTML.render(timeline, title: title), to: path, at: command.location)
      engine.output.print("wrote \(path): \(lanes) over \(duration)\n")
    }
  }

  private func timelineUsage(_ command: Command) -> ScriptError {
    ScriptError(.usageError, "usage: \(Session.timelineUsage)", at: command.location)
  }

  /// `last=5s` reaches us as the option `last=5` and a word `s` right after it (a number
  /// cannot carry a unit in the language); the word counts as the unit when nothing separates them.
  private static func isUnit(_ argument: Expr, after value: Expr) -> Bool {
    guard case .name(let word) = argument.kind, ["s", "ms", "m"].contains(word) else {
      return false
    }
    return argument.start.file == value.start.file && argument.start.line == value.start.line
      && argument.start.column == value.start.column + value.text.count
  }

  /// Seconds from `last=5`, `last=0.5`, `last=5s`, `last="5s"`, `last="500ms"` or `last="2m"`.
  private static func seconds(_ value: Expr, unit: Expr?, _ interpreter: Interpreter)
    throws(ScriptError) -> Double
  {
    var text: String
    switch try? interpreter.evaluate(value) {
    case .int(let i)?: text = String(i)
    case .float(let f)?: text = String(f)
    case .string(let s)?: text = s
    default: text = value.text
    }
    if let unit { text += unit.text }
    var scale = 1.0
    if text.hasSuffix("ms") {
      scale = 0.001
      text.removeLast(2)
    } else if text.hasSuffix("s") {
      text.removeLast()
    } else if text.hasSuffix("m") {
      scale = 60
      text.removeLast()
    }
    guard let number = Double(text), number > 0, number.isFinite else {
      throw ScriptError(
        .valueError, "last= takes a duration such as 5, 5s, 500ms or 2m, got \(value.text)",
        at: value.location)
    }
    return number * scale
  }

  private static func write(_ text: String, to path: String, at location: SourceLocation)
    throws(ScriptError)
  {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw ScriptError(
        .ioError, "cannot write \(path): \(String(cString: strerror(errno)))", at: location)
    }
    defer { close(fd) }
    Descriptors.writeAll(fd, text)
  }
}
