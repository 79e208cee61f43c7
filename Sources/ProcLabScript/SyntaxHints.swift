// What a Python habit should be written as in proclab: the parser raises these as
// SyntaxErrors at the place of the habit, so the message itself teaches the fix.

enum SyntaxHints {
  static func braces(_ header: String) -> String {
    "blocks use braces: \(header) { ... }"
  }

  static let elif = "proclab writes 'else if', not 'elif': if a { ... } else if b { ... }"

  static let except = "proclab catches with 'catch NAME', not 'except': try { ... } catch e { ... }"

  static let modules =
    "proclab has no modules to import: builtins such as pid(), cpu_count() and sleep() are always there (help lists them)"

  static let lambda = "proclab has no lambda: define the function with def, as def f(x) { return x * 2 }"

  static let pass = "proclab has no 'pass': an empty block {} does nothing"

  static func print(_ arguments: String) -> String {
    "missing parentheses in call to 'print'; did you mean print(\(arguments))?"
  }

  static func commandOperator(_ expression: String) -> String {
    "put (\(expression)) in parentheses: a space ends a command argument"
  }

  static let sets = "proclab has no sets: use a list, or a dict {key: value}"

  /// What to write for a name from Python's modules and Python 2 that proclab has under
  /// another name or built in (`multiprocessing.Process` is `Process`).
  static func pythonName(_ name: String) -> String? {
    switch name {
    case "multiprocessing":
      "proclab has multiprocessing's names built in: write Process(...), Pool(...), Queue(...), current_process() without 'multiprocessing.'"
    case "os": "proclab has no os module: pid(), ppid(), cpu_count(), fork(), remove_file() are built in"
    case "time": "proclab has no time module: sleep(s) and now() are built in"
    case "sys": "proclab has no sys module: exit(CODE) ends the session"
    case "queue": "proclab has no queue module: Empty and Full are error kinds (catch e { if e.kind == \"Empty\" ... })"
    case "xrange": "Python 3 and proclab write range(...)"
    case "raw_input", "input": "proclab reads no input from scripts: set values in the script or at the prompt"
    default: nil
    }
  }
}
