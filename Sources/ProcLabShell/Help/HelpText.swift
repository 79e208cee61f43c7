// Renders `help`, `help GROUP` and `help NAME` from the command table, so help can never
// disagree with what the commands accept. The overview fits a 40-row terminal.
import ProcLabScript

enum HelpText {
  private static let width = 78

  static func overview() -> String {
    var text = "Commands and functions by group (help GROUP for the group, help NAME for one):\n"
    for group in CommandTable.groups {
      let names = group.commands.map(\.word) + group.functions.map { $0.signature.name + "()" }
      text += wrapped(names, first: "  " + groupWord(group.title).padding(to: 11), rest: String(repeating: " ", count: 13))
    }
    text += wrapped(LanguageHelp.builtins.map { $0.name + "()" }, first: "  " + "language".padding(to: 11), rest: String(repeating: " ", count: 13))
    text += wrapped(LanguageHelp.statements.map { $0 + "," }, first: String(repeating: " ", count: 13), rest: String(repeating: " ", count: 13))
    text += "Objects: help process, help pool, help queue, help pipe, help result: their methods.\n"
    text += ConceptHelp.overviewLine
    text += "Ctrl-C interrupts, Ctrl-D or exit ends the session. Grammar: docs/LANGUAGE.md.\n"
    return text
  }

  /// `help q` for a variable that holds an engine object: what its type has.
  static func about(variable name: String, holding value: Value) -> String? {
    guard case .handle(let handle) = value, let object = CommandTable.object(of: handle) else { return nil }
    return "\(name) is \(handle.display)\n" + describe(object)
  }

  /// Every name `help` knows: for completion and "did you mean".
  static var topics: [String] {
    CommandTable.words + CommandTable.functions.map(\.signature.name) + CommandTable.groups.map { groupWord($0.title) }
      + CommandTable.objects.flatMap { $0.memberNames } + objectWords.keys + LanguageHelp.builtins.map(\.name) + ConceptHelp.topics
      + ["language"] + LanguageHelp.keywords.keys
  }

  /// A concept (`help states`), a group, a command, a function, an object type or a method.
  static func about(_ name: String) -> String? {
    var sections: [String] = []
    if let concept = ConceptHelp.text(for: name) { sections.append(concept) }
    if let group = CommandTable.groups.first(where: { groupWord($0.title) == name }) { sections.append(describe(group)) }
    if name == "language" { sections.append(language()) }
    if let command = CommandTable.command(named: name) { sections.append(describe(command)) }
    if let function = CommandTable.function(named: name) { sections.append(describe(function)) }
    if let typeName = objectWords[name], let object = CommandTable.object(typeName: typeName) { sections.append(describe(object)) }
    if let entry = LanguageHelp.builtins.first(where: { $0.name == name }) { sections.append("\(entry.usage)\n  \(entry.summary)\n") }
    if let keyword = LanguageHelp.keywords[name] { sections.append("\(name) (a keyword)\n  \(keyword)\n") }
    if sections.isEmpty {
      let owners = CommandTable.objects.filter { $0.method(name) != nil || $0.attribute(name) != nil }
      sections += owners.map { describe(member: name, of: $0) }
    }
    return sections.isEmpty ? nil : sections.joined(separator: "\n")
  }

  /// `help process`, `help pipe`: the object types by the words people type.
  private static let objectWords = [
    "process": "process", "pool": "pool", "queue": "queue", "pipe": "pipe end", "result": "async result",
    "lock": "lock", "semaphore": "semaphore", "event": "event", "condition": "condition", "barrier": "barrier",
    "value": "shared value", "array": "shared array", "manager": "manager",
  ]

  private static func groupWord(_ title: String) -> String {
    title == "The session" ? "session" : title.lowercased()
  }

  private static func describe(_ group: CommandTable.CommandGroup) -> String {
    var text = "\(group.title):\n"
    for command in group.commands {
      text += "  \(command.usage)\n      \(command.summary)\n"
      for sub in command.subcommands { text += "  \(sub.usage)\n      \(sub.summary)\n" }
    }
    for function in group.functions { text += "  \(function.signature.pythonUsage)\n      \(function.summary)\n" }
    return text
  }

  private static func language() -> String {
    var text = "The language's builtins:\n"
    for entry in LanguageHelp.builtins { text += "  \(entry.usage.padding(to: 30))\(entry.summary)\n" }
    return text + "Statements: \(LanguageHelp.statements.joined(separator: ", "))\n"
  }

  private static func describe(_ command: CommandSpec) -> String {
    var text = "\(command.usage)\n  \(command.summary)\n"
    for sub in command.subcommands { text += "\(sub.usage)\n  \(sub.summary)\n" }
    return text + example(command.example)
  }

  private static func describe(_ function: FunctionSpec) -> String {
    "\(function.signature.pythonUsage)\n  \(function.summary)\n" + example(function.example)
  }

  private static func describe(_ object: ObjectSpec) -> String {
    var text = "A \(object.typeName) has\n"
    for attribute in object.attributes { text += "  .\(attribute.name.padding(to: 24))\(attribute.summary)\n" }
    for method in object.methods { text += "  .\(method.signature.pythonUsage)\n      \(method.summary)\n" }
    return text
  }

  private static func describe(member name: String, of object: ObjectSpec) -> String {
    if let method = object.method(name) { return "\(object.typeName).\(method.signature.pythonUsage)\n  \(method.summary)\n" }
    return "\(object.typeName).\(name)\n  \(object.attribute(name)!.summary)\n"
  }

  private static func example(_ text: String) -> String {
    "\nExample:\n" + text.split(separator: "\n").map { "  \($0)\n" }.joined()
  }

  /// Words after a first column, wrapped at the terminal's usual width.
  private static func wrapped(_ words: [String], first: String, rest: String) -> String {
    var text = ""
    var line = first
    for word in words {
      if line.count + word.count + 1 > width, line != first, line != rest {
        text += line + "\n"
        line = rest
      }
      line += (line == first || line == rest ? "" : " ") + word
    }
    return text + line + "\n"
  }
}

extension String {
  func padding(to width: Int) -> String {
    count >= width ? self + " " : self + String(repeating: " ", count: width - count)
  }
}
