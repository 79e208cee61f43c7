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
}
