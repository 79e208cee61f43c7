// Renders `help` and `help NAME` from the command catalog.

enum HelpText {
  static func overview() -> String {
    var text = "Commands (help NAME for usage and an example):\n"
    let width = (CommandCatalog.commands.map(\.name.count).max() ?? 0) + 2
    for entry in CommandCatalog.commands {
      text += "  " + entry.name.padding(to: width) + entry.summary + "\n"
    }
    text += "\nBuiltins:\n"
    let builtinWidth = (CommandCatalog.builtins.map(\.usage.count).max() ?? 0) + 2
    for entry in CommandCatalog.builtins {
      text += "  " + entry.usage.padding(to: builtinWidth) + entry.summary + "\n"
    }
    text += "\n" + ConceptHelp.overviewLine
    text += "\nLanguage: def, if/else, for x in ..., while, try { } catch e { }, expect EXPR, f\"...{x}\".\n"
    text += "Full grammar: docs/LANGUAGE.md. Ctrl-C interrupts, Ctrl-D or exit ends the session.\n"
    return text
  }

  /// A concept (`help states`), a command or builtin, or both (`help pool`: the idea, then the command).
  static func about(_ name: String) -> String? {
    let concept = ConceptHelp.text(for: name)
    guard let entry = CommandCatalog.command(named: name) else { return concept }
    var text = concept.map { $0 + "\n" } ?? ""
    text += "\(entry.usage)\n  \(entry.summary)\n\nExample:\n"
    for line in entry.example.split(separator: "\n") { text += "  \(line)\n" }
    return text
  }
}

extension String {
  func padding(to width: Int) -> String {
    count >= width ? self + " " : self + String(repeating: " ", count: width - count)
  }
}
