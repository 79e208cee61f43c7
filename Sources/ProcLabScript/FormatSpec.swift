// Python's format-spec mini-language, for `format(x, ".2f")` and f-strings' `{x:>8.2f}`:
// [[fill]align][sign][#][0][width][, or _][.precision][type]. Ints (and bools) take b c d o x X
// n and the float types; floats e E f F g G n %; strings s; any other value only the empty
// spec. Float digits come from the C library's formatter, as Python's do; errors are Python's.
// `%` formatting (PercentFormat) reads printf's flags into one of these.
import Glibc

struct FormatSpec {
  var fill: Character = " "
  var align: Character?
  var sign: Character = "-"
  var alternate = false
  var width = 0
  var grouping: Character?
  var precision: Int?
  var type: Character?
  /// printf's precision for an int, its least number of digits (`%.3d` is 005); a spec has
  /// none.
  var minimumDigits = 0

  /// `value` as `spec` says.
  static func format(_ value: Value, _ spec: String) throws(ScriptError) -> String {
    if spec.isEmpty { return value.description }
    let parsed = try FormatSpec(spec, of: value.pythonTypeName)
    switch value {
    case .int(let i): return try parsed.integer(i)
    case .bool(let b): return try parsed.integer(b ? 1 : 0)
    case .float(let d): return try parsed.real(d)
    case .string(let s): return try parsed.text(s)
    default: throw ScriptError(.typeError, "unsupported format string passed to \(value.pythonTypeName).__format__")
    }
  }

  init(_ spec: String, of typeName: String) throws(ScriptError) {
    let chars = Array(spec)
    var i = 0
    func at(_ k: Int) -> Character? { k < chars.count ? chars[k] : nil }
    if let second = at(1), "<>=^".contains(second) {
      fill = chars[0]
      align = second
      i = 2
    } else if let first = at(0), "<>=^".contains(first) {
      align = first
      i = 1
    }
    if let c = at(i), "+- ".contains(c) {
      sign = c
      i += 1
    }
    if at(i) == "#" {
      alternate = true
      i += 1
    }
    if at(i) == "0" {
      if align == nil {
        fill = "0"
        align = "="
      }
      i += 1
    }
    width = try FormatSpec.number(chars, &i, "width") ?? 0
    if let c = at(i), c == "," || c == "_" {
      grouping = c
      i += 1
    }
    if at(i) == "." {
      i += 1
      guard let p = try FormatSpec.number(chars, &i, "precision") else { throw ScriptError(.valueError, "Format specifier missing precision") }
      precision = p
    }
    if let c = at(i) {
      type = c
      i += 1
    }
    guard i == chars.count else { throw ScriptError(.valueError, "Invalid format specifier '\(spec)' for object of type '\(typeName)'") }
  }

  /// The decimal digits at `i` (a width or precision, at most 1000000), moving past them; nil
  /// when there are none.
  static func number(_ chars: [Character], _ i: inout Int, _ what: String) throws(ScriptError) -> Int? {
    var value: Int?
    while i < chars.count, chars[i].isASCII, let digit = chars[i].wholeNumberValue {
      let next = (value ?? 0) * 10 + digit
      guard next <= 1_000_000 else { throw ScriptError(.valueError, "\(what) too big (at most 1000000)") }
      value = next
      i += 1
    }
    return value
  }

  func text(_ s: String) throws(ScriptError) -> String {
    guard type == nil || type == "s" else { throw ScriptError(.valueError, "Unknown format code '\(type!)' for object of type 'str'") }
    guard sign == "-", grouping == nil, !alternate else { throw ScriptError(.valueError, "Sign not allowed in string format specifier") }
    guard align != "=" else { throw ScriptError(.valueError, "'=' alignment not allowed in string format specifier") }
    let cut = precision.map { String(s.prefix($0)) } ?? s
    return padded("", cut, defaultAlign: "<")
  }

  func integer(_ i: Int) throws(ScriptError) -> String {
    let radix: Int
    var prefix = ""
    switch type {
    case nil, "d", "n": radix = 10
    case "x", "X":
      radix = 16
      prefix = alternate ? "0" + String(type!) : ""
    case "o":
      radix = 8
      prefix = alternate ? "0o" : ""
    case "b":
      radix = 2
      prefix = alternate ? "0b" : ""
    case "c":
      guard i >= 0, i <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(i)) else {
        throw ScriptError(.overflowError, "%c arg not in range(0x110000)")
      }
      return padded("", String(scalar), defaultAlign: "<")
    case "e", "E", "f", "F", "g", "G", "%": return try real(Double(i))
    default: throw ScriptError(.valueError, "Unknown format code '\(type!)' for object of type 'int'")
    }
    guard precision == nil else { throw ScriptError(.valueError, "Precision not allowed in integer format specifier") }
    var digits = String(i.magnitude, radix: radix, uppercase: type == "X")
    if digits.count < minimumDigits { digits = String(repeating: "0", count: minimumDigits - digits.count) + digits }
    if let grouping { digits = FormatSpec.grouped(digits, grouping, every: radix == 10 ? 3 : 4) }
    return padded(signText(negative: i < 0) + prefix, digits, defaultAlign: ">")
  }

  func real(_ d: Double) throws(ScriptError) -> String {
    guard d.isFinite else {
      let word = d.isNaN ? "nan" : "inf"
      return padded(signText(negative: d < 0), type.map { $0.isUppercase } == true ? word.uppercased() : word, defaultAlign: ">")
    }
    var body: String
    switch type {
    case nil:
      body = precision.map { FormatSpec.c("%.\($0)g", d.magnitude) } ?? Value.float(d.magnitude).description
    case "e", "E", "f", "F", "g", "G":
      body = FormatSpec.c("%\(alternate ? "#" : "").\(precision ?? 6)\(type!)", d.magnitude)
    case "n": body = FormatSpec.c("%.\(precision ?? 6)g", d.magnitude)
    case "%": body = FormatSpec.c("%.\(precision ?? 6)f", d.magnitude * 100) + "%"
    default: throw ScriptError(.valueError, "Unknown format code '\(type!)' for object of type 'float'")
    }
    if let grouping {
      let end = body.firstIndex { !$0.isNumber } ?? body.endIndex
      body = FormatSpec.grouped(String(body[..<end]), grouping, every: 3) + body[end...]
    }
    return padded(signText(negative: d.sign == .minus), body, defaultAlign: ">")
  }

  private func signText(negative: Bool) -> String {
    negative ? "-" : sign == "+" ? "+" : sign == " " ? " " : ""
  }

  /// `head` (sign and prefix) and `body` filled to the width: `=` puts the fill between them.
  private func padded(_ head: String, _ body: String, defaultAlign: Character) -> String {
    let length = head.count + body.count
    guard width > length else { return head + body }
    let room = width - length
    let fillText = { (n: Int) in String(repeating: fill, count: n) }
    switch align ?? defaultAlign {
    case "<": return head + body + fillText(room)
    case "^": return fillText(room / 2) + head + body + fillText(room - room / 2)
    case "=": return head + fillText(room) + body
    default: return fillText(room) + head + body
    }
  }

  /// `digits` with `separator` between groups of `every`, counted from the right.
  private static func grouped(_ digits: String, _ separator: Character, every: Int) -> String {
    var out: [Character] = []
    for (k, c) in digits.reversed().enumerated() {
      if k > 0, k % every == 0 { out.append(separator) }
      out.append(c)
    }
    return String(out.reversed())
  }

  /// One number through the C library's formatter (`spec` is a single C conversion).
  private static func c(_ spec: String, _ value: CVarArg) -> String {
    var buffer = [CChar](repeating: 0, count: 128)
    let needed = withVaList([value]) { vsnprintf(&buffer, buffer.count, spec, $0) }
    if needed >= buffer.count {
      buffer = [CChar](repeating: 0, count: Int(needed) + 1)
      _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, spec, $0) }
    }
    return String(cString: buffer)
  }
}
