// The language's own builtins and statements as `help` lists them: they live in the language
// core (ProcLabScript), which knows nothing of help, so their one-line summaries sit here.

struct LanguageEntry {
  var name: String
  var usage: String
  var summary: String
}

enum LanguageHelp {
  static let builtins: [LanguageEntry] = [
    LanguageEntry(name: "len", usage: "len(X)", summary: "length of a list, tuple, dict, range or string"),
    LanguageEntry(name: "range", usage: "range([START,] STOP[, STEP])", summary: "a lazy range of ints"),
    LanguageEntry(name: "str", usage: "str(X)", summary: "text of a value"),
    LanguageEntry(name: "format", usage: "format(X, SPEC)", summary: "text of a value by a format spec, as f\"{X:SPEC}\": format(t, \".2f\")"),
    LanguageEntry(name: "int", usage: "int(X)", summary: "whole number from a number or text"),
    LanguageEntry(name: "float", usage: "float(X)", summary: "float from a number or text"),
    LanguageEntry(name: "min", usage: "min(XS) | min(A, B, ...)", summary: "the smallest item"),
    LanguageEntry(name: "max", usage: "max(XS) | max(A, B, ...)", summary: "the largest item"),
    LanguageEntry(name: "sum", usage: "sum(XS)", summary: "the total of numbers"),
    LanguageEntry(name: "sorted", usage: "sorted(XS)", summary: "a sorted list of the items"),
    LanguageEntry(name: "abs", usage: "abs(X)", summary: "the absolute value"),
    LanguageEntry(name: "round", usage: "round(X[, DIGITS])", summary: "rounded to an int, or to DIGITS decimals"),
  ]

  /// The keywords Tab offers, each with what it starts.
  static let keywords: [String: String] = [
    "def": "def NAME(PARAMS) { BODY }: a function; PARAMS may end with *args and **kwargs",
    "if": "if COND { } else if COND { } else { }; as a value, A if COND else B", "else": "if COND { } else { }, and A if COND else B",
    "for": "for X in XS { }: over a list, tuple, range, string or dict's keys; for a, b in pairs { }",
    "in": "for X in XS { }, and X in XS: membership", "while": "while COND { }",
    "try": "try { } catch e { }: e.kind, e.message, e.where; raise re-raises",
    "catch": "try { } catch e { }", "raise": "raise ValueError(\"why\"), raise e, or raise alone in a catch",
    "return": "return VALUE from a function", "expect": "expect COND: AssertionError naming COND when it is false",
    "true": "the bool true (True also works)", "false": "the bool false (False also works)",
    "none": "no value (None also works); x is none tests for it", "not": "not X, and X not in XS",
    "and": "A and B: B only if A is true", "or": "A or B: B only if A is false",
    "is": "X is Y, X is not Y: the same object (none, true and false are one each)",
    "break": "leave the loop", "continue": "go on with the loop's next item",
    "global": "global NAME: inside a function, NAME is the session's variable",
    "with": "with X { }: holds a lock, semaphore or condition for the block, released on every way out",
  ]

  static let statements = [
    "def f(x, y=1) { }", "if/else", "for x in XS { }", "while", "try { } catch e { }", "raise", "expect EXPR", "f\"{x}\"",
  ]
}
