// What Tab offers, by context, read from the command table: after `x.` the attributes and
// methods of x's value; after a command word its subcommands, its options (`timeout=`) and
// the words its arguments take; after `help` every topic; after `repeat N` and `time` the
// statement's own; else commands, keywords and names.
import ProcLabScript

extension Session {
  /// Where the word being completed starts in `line`, and the candidates for it.
  func completions(for line: String) -> (start: Int, candidates: [String]) {
    let chars = Array(line)
    var start = chars.count
    while start > 0, chars[start - 1].isLetter || chars[start - 1].isNumber || chars[start - 1] == "_" { start -= 1 }
    let prefix = String(chars[start...])
    let before = Array(chars[..<start])
    let pool = start > 0 && before.last == "." ? members(before: before) : words(before: String(before))
    return (start, Array(Set(pool.filter { $0.hasPrefix(prefix) })).sorted())
  }

  /// `q.` → the queue's methods: the name before the dot is looked up, never evaluated.
  private func members(before: [Character]) -> [String] {
    var start = before.count - 1
    while start > 0, before[start - 1].isLetter || before[start - 1].isNumber || before[start - 1] == "_" { start -= 1 }
    let name = String(before[start..<(before.count - 1)])
    switch interpreter.globals[name] {
    case .handle(let handle)?: return memberNames(of: handle)
    case .error?: return ["kind", "message", "line", "where", "origin"]
    default: return []
    }
  }

  private func words(before: String) -> [String] {
    // The command being typed starts after the last `;`, `(`, `{` or `,`, and after an
    // assignment's `x =`: `print(queue get q time` completes queue get's options.
    let segment = before.split(omittingEmptySubsequences: false) { ";({,".contains($0) }.last.map(String.init) ?? ""
    let words = segment.split(separator: " ").map(String.init)
    guard let start = words.firstIndex(where: { CommandTable.command(named: $0) != nil }), words[..<start].allSatisfy({ $0 == "=" || isName($0) }),
      let command = CommandTable.command(named: words[start])
    else {
      return commandWords.sorted() + Session.keywords + interpreter.visibleNames
    }
    let typed = Array(words[start...])
    let first = typed[0]
    if first == "help" { return HelpText.topics }
    if let statement = statementTyped(after: typed) { return self.words(before: statement.joined(separator: " ")) }
    var spec = command
    var arguments = typed.dropFirst()
    if let word = arguments.first, let sub = command.subcommand(word) {
      spec = sub
      arguments = arguments.dropFirst()
    } else if arguments.isEmpty, !command.subcommands.isEmpty {
      return command.subcommands.map(\.subcommandWord)
    }
    var offered = spec.signature.parameters.filter { $0.passing == .keyword }.map { $0.name + "=" }
    let positional = spec.signature.parameters.filter { $0.passing != .keyword }
    let index = arguments.filter { !$0.contains("=") }.count
    switch positional[safe: min(index, positional.count - 1)]?.type {
    case .word(let choices)?: offered += choices
    case .processes(let pids)?: offered += pids ? [] : ["all"]
    case .processOrWord(let words)?: offered += words
    default: break
    }
    return offered + interpreter.visibleNames
  }

  /// The words of the statement that `time [-n N]` or `repeat N` takes, once the prefix is
  /// typed (`repeat 20 que` completes `queue`); nil for other commands.
  private func statementTyped(after typed: [String]) -> ArraySlice<String>? {
    switch typed[0] {
    case "repeat" where typed.count >= 2: typed[2...]
    case "time" where typed.count >= 3 && typed[1] == "-n": typed[3...]
    case "time" where typed.count >= 1 && typed[safe: 1] != "-n": typed[1...]
    default: nil
    }
  }

  private func isName(_ word: String) -> Bool {
    word.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
  }

  static let keywords = ["def", "if", "else", "for", "in", "while", "try", "catch", "raise", "return", "expect", "true", "false", "none", "not", "and", "or", "is"]
}
