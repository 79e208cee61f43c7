// A lesson file cut into what playback shows, in order: narration (the comment lines between
// statements), questions (`#? ...` lines) and entries (statements that share lines, as written).
import ProcLabScript

struct Lesson {
  enum Step {
    /// A run of comment lines, each without its `#` and the space after it.
    case narration([String])
    /// `#? What will print first?`: the question, asked before the entry that follows it.
    case question(String)
    case entry(LessonEntry)
  }

  var steps: [Step]

  /// The lexer drops comments, so the statements come from the parser (with their places) and
  /// the narration from the raw lines that no statement covers.
  static func parse(_ text: String, file: String, interpreter: Interpreter) throws(ScriptError)
    -> Lesson
  {
    let statements = try interpreter.parse(text, file: file)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var entries: [(first: Int, last: Int, statements: [Stmt])] = []
    for statement in statements {
      let first = statement.location.line
      let last = first + statement.text.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
      // `a = 1; b = 2` and `} else {` stay together: they were written as one line.
      if let previous = entries.last, first <= previous.last {
        entries[entries.count - 1].last = max(previous.last, last)
        entries[entries.count - 1].statements.append(statement)
      } else {
        entries.append((first, last, [statement]))
      }
    }
    var steps: [Step] = []
    var nextLine = 1
    for entry in entries {
      steps += commentSteps(lines, from: nextLine, to: entry.first - 1)
      let source = lines[(entry.first - 1)..<min(entry.last, lines.count)].joined(separator: "\n")
      steps.append(
        .entry(LessonEntry(source: source, statements: entry.statements, line: entry.first)))
      nextLine = entry.last + 1
    }
    steps += commentSteps(lines, from: nextLine, to: lines.count)
    return Lesson(steps: steps)
  }

  /// The comment lines among `lines[from...to]` (1-based): runs of narration split by blank
  /// lines and questions. A `#!` first line is not narration.
  private static func commentSteps(_ lines: [String], from: Int, to: Int) -> [Step] {
    guard from <= to else { return [] }
    var steps: [Step] = []
    var block: [String] = []
    func endBlock() {
      if !block.isEmpty { steps.append(.narration(block)) }
      block = []
    }
    for number in from...to {
      let line = lines[number - 1].trimmingCharacters(in: " \t\r")
      if line.hasPrefix("#?") {
        endBlock()
        steps.append(.question(String(line.dropFirst(2)).trimmingCharacters(in: " \t")))
      } else if line.hasPrefix("#") && !(number == 1 && line.hasPrefix("#!")) {
        var comment = line.dropFirst()
        if comment.first == " " { comment = comment.dropFirst() }
        block.append(String(comment))
      } else {
        endBlock()
      }
    }
    endBlock()
    return steps
  }
}

/// One step at the prompt: what the viewer sees typed, and what runs.
struct LessonEntry {
  /// The lines as written in the file, from the first statement's line to the last one's.
  var source: String
  var statements: [Stmt]
  /// The line in the file where `source` starts.
  var line: Int
}
