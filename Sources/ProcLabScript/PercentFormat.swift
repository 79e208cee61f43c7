// `"%s has %d items" % (name, n)`: Python's printf-style formatting of strings, which the
// tutorial's programs use throughout. Conversions s r d i u x X o c e E f F g G and %%, flags
// `- + 0 #` and space, a width and a precision, and `%(key)s` with a dict; each conversion is
// written by a FormatSpec read from its flags. Errors are Python's.

enum PercentFormat {
  static func format(_ template: String, _ arguments: Value, at location: SourceLocation) throws(ScriptError) -> String {
    var formatter = Formatter(template, arguments)
    do throws(ScriptError) {
      return try formatter.run()
    } catch {
      throw error.located(at: location)
    }
  }

  private struct Formatter {
    let chars: [Character]
    var position = 0
    /// The values a conversion without a key takes, one after another.
    let values: [Value]
    var nextValue = 0
    let mapping: Dict?
    var output = ""

    init(_ template: String, _ arguments: Value) {
      chars = Array(template)
      switch arguments {
      case .tuple(let items): values = items
      default: values = [arguments]
      }
      if case .dict(let d) = arguments { mapping = d } else { mapping = nil }
    }

    mutating func run() throws(ScriptError) -> String {
      var usedKey = false
      while position < chars.count {
        let c = chars[position]
        position += 1
        guard c == "%" else {
          output.append(c)
          continue
        }
        guard position < chars.count else { throw ScriptError(.valueError, "incomplete format") }
        if chars[position] == "%" {
          position += 1
          output.append("%")
          continue
        }
        let start = position - 1
        let key = try readKey()
        usedKey = usedKey || key != nil
        var flags = ""
        while position < chars.count, "-+ 0#".contains(chars[position]) {
          flags.append(chars[position])
          position += 1
        }
        let width = try readNumber("width")
        var precision: Int?
        if position < chars.count, chars[position] == "." {
          position += 1
          precision = try readNumber("precision") ?? 0
        }
        // Length modifiers (`%ld`) mean nothing in Python either.
        while position < chars.count, "hlL".contains(chars[position]) { position += 1 }
        guard position < chars.count else { throw ScriptError(.valueError, "incomplete format") }
        let type = chars[position]
        position += 1
        let value = try argument(key)
        output += try convert(value, type, flags: flags, width: width, precision: precision, index: start)
      }
      if !usedKey, mapping == nil, nextValue < values.count {
        throw ScriptError(.typeError, "not all arguments converted during string formatting")
      }
      return output
    }

    /// `(key)` after the `%`, for a dict on the right.
    private mutating func readKey() throws(ScriptError) -> String? {
      guard chars[position] == "(" else { return nil }
      guard let close = chars[position...].firstIndex(of: ")") else { throw ScriptError(.valueError, "incomplete format key") }
      let key = String(chars[(position + 1)..<close])
      position = close + 1
      return key
    }

    /// A width or precision in digits; `*` takes it from the values in Python, which proclab
    /// does not.
    private mutating func readNumber(_ what: String) throws(ScriptError) -> Int? {
      if position < chars.count, chars[position] == "*" {
        throw ScriptError(.valueError, "a * \(what) is not supported: write the number, or use an f-string")
      }
      return try FormatSpec.number(chars, &position, what)
    }

    private mutating func argument(_ key: String?) throws(ScriptError) -> Value {
      if let key {
        guard let mapping else { throw ScriptError(.typeError, "format requires a mapping") }
        guard let value = try mapping.value(for: .string(key)) else { throw ScriptError(.keyError, "'\(key)'") }
        return value
      }
      guard nextValue < values.count else { throw ScriptError(.typeError, "not enough arguments for format string") }
      nextValue += 1
      return values[nextValue - 1]
    }

    /// One conversion, by a FormatSpec read from printf's flags (see below).
    private func convert(
      _ value: Value, _ type: Character, flags: String, width: Int?, precision: Int?, index: Int
    ) throws(ScriptError) -> String {
      let spec = FormatSpec(printf: flags, width: width, precision: precision, type: type)
      switch type {
      case "s": return try spec.text(value.description)
      case "r", "a": return try spec.text(value.repr)
      case "c":
        switch value {
        case .int(let i): return try spec.integer(i)
        case .string(let s) where s.count == 1:
          var asText = spec
          asText.type = nil
          return try asText.text(s)
        default: throw ScriptError(.typeError, "%c requires an int or a single character, not \(value.pythonTypeName)")
        }
      case "d", "i", "u", "x", "X", "o":
        switch value {
        case .int(let i): return try spec.integer(i)
        case .bool(let b): return try spec.integer(b ? 1 : 0)
        case .float(let d) where "diu".contains(type):
          guard d.isFinite, let i = Int(exactly: d.rounded(.towardZero)) else {
            throw ScriptError(.overflowError, "cannot convert float \(value.description) to integer")
          }
          return try spec.integer(i)
        default:
          let needed = "diu".contains(type) ? "a real number" : "an integer"
          throw ScriptError(.typeError, "%\(type) format: \(needed) is required, not \(value.pythonTypeName)")
        }
      case "e", "E", "f", "F", "g", "G":
        let real: Double? = if case .bool(let b) = value { b ? 1 : 0 } else { value.asDouble }
        guard let d = real else {
          throw ScriptError(.typeError, "must be real number, not \(value.pythonTypeName)")
        }
        return try spec.real(d)
      default:
        let code = String(type.unicodeScalars.first!.value, radix: 16)
        throw ScriptError(.valueError, "unsupported format character '\(type)' (0x\(code)) at index \(index + 1)")
      }
    }
  }
}

extension FormatSpec {
  /// A printf conversion's flags, width and precision as a format spec: `-` aligns left,
  /// anything else right; `0`, `+`, space and `#` count for numbers only (Python ignores them
  /// on text); an int's precision is its least number of digits (`%.3d` is 005).
  init(printf flags: String, width: Int?, precision: Int?, type: Character) {
    let number = !"sra".contains(type)
    align = flags.contains("-") ? "<" : ">"
    if number, flags.contains("0"), !flags.contains("-") {
      fill = "0"
      align = "="
    }
    if number { sign = flags.contains("+") ? "+" : flags.contains(" ") ? " " : "-" }
    alternate = number && flags.contains("#")
    self.width = width ?? 0
    switch type {
    case "s", "r", "a": self.precision = precision
    case "c": self.type = "c"
    case "d", "i", "u", "x", "X", "o":
      self.type = "diu".contains(type) ? "d" : type
      minimumDigits = precision ?? 0
    default:
      self.type = type
      self.precision = precision
    }
  }
}
