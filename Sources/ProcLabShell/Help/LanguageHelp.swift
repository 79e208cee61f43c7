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
    LanguageEntry(name: "int", usage: "int(X)", summary: "whole number from a number or text"),
    LanguageEntry(name: "float", usage: "float(X)", summary: "float from a number or text"),
    LanguageEntry(name: "min", usage: "min(XS) | min(A, B, ...)", summary: "the smallest item"),
    LanguageEntry(name: "max", usage: "max(XS) | max(A, B, ...)", summary: "the largest item"),
    LanguageEntry(name: "sum", usage: "sum(XS)", summary: "the total of numbers"),
    LanguageEntry(name: "sorted", usage: "sorted(XS)", summary: "a sorted list of the items"),
    LanguageEntry(name: "abs", usage: "abs(X)", summary: "the absolute value"),
    LanguageEntry(name: "round", usage: "round(X[, DIGITS])", summary: "rounded to an int, or to DIGITS decimals"),
  ]

  static let statements = [
    "def f(x, y=1) { }", "if/else", "for x in XS { }", "while", "try { } catch e { }", "raise", "expect EXPR", "f\"{x}\"",
  ]
}
