// The builtins that need no operating system: conversions, sequences, arithmetic helpers.
// Those that touch processes, time or files are the engine's (see EngineBuiltins).
import Glibc

enum CoreBuiltins {
  static let all: [String: Builtin] = {
    var table: [String: Builtin] = [:]
    for builtin in list + errorConstructors { table[builtin.name] = builtin }
    return table
  }()

  /// `ValueError("boom")`: one constructor per error kind, giving an error value to raise.
  private static let errorConstructors: [Builtin] = ErrorKind.all.map { kind in
    Builtin(kind.name) { call throws(ScriptError) in
      .error(ScriptError(kind, call.arguments.first?.description ?? ""))
    }
  }

  /// The kind a builtin constructs when it is one of the error constructors; nil otherwise.
  static func errorKind(of builtin: Builtin) -> ErrorKind? {
    guard let kind = ErrorKind.named(builtin.name), all[builtin.name] === builtin else { return nil }
    return kind
  }

  private static let list: [Builtin] = [
    Builtin("len") { call throws(ScriptError) in
      let value = try call.argument(0, "a list, tuple, dict, range or string")
      if let count = value.storedLength { return .int(count) }
      switch value {
      case .range(let a, let b, let s): return .int(try IntRange(a, b, s).intCount())
      case .handle(let handle as SequenceHandle): return .int(try handle.length())
      default: throw ScriptError(.typeError, "len() of \(value.typeNameWithArticle)")
      }
    },
    Builtin("range") { call throws(ScriptError) in
      let ints = try call.arguments.map { v throws(ScriptError) -> Int in
        guard case .int(let i) = v else { throw ScriptError(.typeError, "range() takes ints, not \(v.typeNameWithArticle)") }
        return i
      }
      switch ints.count {
      case 1: return .range(0, ints[0], 1)
      case 2: return .range(ints[0], ints[1], 1)
      case 3:
        guard ints[2] != 0 else { throw ScriptError(.valueError, "range() step must not be zero") }
        return .range(ints[0], ints[1], ints[2])
      default: throw ScriptError(.typeError, "range() takes 1 to 3 arguments, got \(ints.count)")
      }
    },
    Builtin("str") { call throws(ScriptError) in .string(try call.argument(0, "a value").description) },
    Builtin("repr") { call throws(ScriptError) in .string(try call.argument(0, "a value").repr) },
    Builtin("format") { call throws(ScriptError) in
      let value = try call.argument(0, "a value")
      let spec = call.arguments.count > 1 ? try call.argument(1, "a format spec") : .string("")
      guard case .string(let text) = spec else { throw ScriptError(.typeError, "format() spec must be a str, not \(spec.pythonTypeName)") }
      return .string(try FormatSpec.format(value, text))
    },
    Builtin("type") { call throws(ScriptError) in .string(try call.argument(0, "a value").typeName) },
    Builtin("int") { call throws(ScriptError) in
      let value = try call.argument(0, "a number or string")
      switch value {
      case .int: return value
      case .bool(let b): return .int(b ? 1 : 0)
      case .float(let d):
        return .int(try integer(d, "int()"))
      case .string(let s):
        let text = s.trimmingSpaces
        guard let i = Int(text) else {
          let digits = text.drop { $0 == "-" || $0 == "+" }
          if text.count < 100, !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
            throw ScriptError(.overflowError, "int too large: \(Value.quote(s))")
          }
          throw ScriptError(.valueError, "invalid int: \(Value.quote(String(s.prefix(100))))")
        }
        return .int(i)
      default: throw ScriptError(.typeError, "int() of \(value.typeNameWithArticle)")
      }
    },
    Builtin("float") { call throws(ScriptError) in
      let value = try call.argument(0, "a number or string")
      switch value {
      case .int(let i): return .float(Double(i))
      case .float: return value
      case .string(let s):
        guard let d = Double(s.trimmingSpaces) else { throw ScriptError(.valueError, "invalid float: \(Value.quote(s))") }
        return .float(d)
      default: throw ScriptError(.typeError, "float() of \(value.typeNameWithArticle)")
      }
    },
    Builtin("list") { call throws(ScriptError) in
      guard let value = call.arguments.first else { return .list([]) }
      return .list(try call.interpreter.items(of: value, at: call.location))
    },
    Builtin("tuple") { call throws(ScriptError) in
      guard let value = call.arguments.first else { return .tuple([]) }
      return .tuple(try call.interpreter.items(of: value, at: call.location))
    },
    Builtin("dict") { call throws(ScriptError) in
      var d = Dict()
      if let value = call.arguments.first {
        for (key, item) in try DictMethods.pairs(of: value, interrupts: call.interpreter.host) { try d.set(item, for: key) }
      }
      for (key, item) in call.keywords.sorted(by: { $0.key < $1.key }) { try d.set(item, for: .string(key)) }
      return .dict(d)
    },
    Builtin("dir") { call throws(ScriptError) in
      .list(Members.names(of: try call.argument(0, "a value"), host: call.interpreter.host).map { .string($0) })
    },
    Builtin("abs") { call throws(ScriptError) in
      switch try call.argument(0, "a number") {
      case .int(let i):
        guard i != .min else { throw ScriptError(.overflowError, "abs() of the smallest int") }
        return .int(Swift.abs(i))
      case .float(let d): return .float(Swift.abs(d))
      case let v: throw ScriptError(.typeError, "abs() of \(v.typeNameWithArticle)")
      }
    },
    Builtin("round") { call throws(ScriptError) in try round(call) },
    Builtin("min") { call throws(ScriptError) in try extreme(call, "min", isMax: false) },
    Builtin("max") { call throws(ScriptError) in try extreme(call, "max", isMax: true) },
    Builtin("sum") { call throws(ScriptError) in
      if call.arguments.count == 1, case .range(let a, let b, let s) = call.arguments[0] {
        guard let total = IntRange(a, b, s).sum else { throw ScriptError(.overflowError, "the sum of \(call.arguments[0].repr) is too large for an int") }
        return .int(total)
      }
      var total: Value = .int(0)
      for item in try sequence(call, "sum") {
        try Interruption.poll()
        total = try Operators.binary(.add, total, item, at: call.location)
      }
      return total
    },
    // sorted(xs, key=f, reverse=true): stable, so equal items keep their order either way.
    Builtin("sorted") { call throws(ScriptError) in
      let items = try sequence(call, "sorted")
      let keys = try sortKeys(items, call)
      let reverse = call.keywords["reverse"]?.isTruthy ?? false
      var failure: ScriptError?
      let order = keys.indices.sorted { i, j in
        // Ctrl-C ends a long sort: once an error is kept, every comparison returns at once.
        guard failure == nil else { return false }
        do {
          try Interruption.poll()
          let c = try Ordering.compare(keys[i], keys[j], "<", at: call.location)
          return reverse ? c > 0 : c < 0
        } catch {
          failure = failure ?? (error as? ScriptError)
          return false
        }
      }
      if let failure { throw failure }
      return .list(order.map { items[$0] })
    },
  ]

  /// The values to order by: the items, or `key(item)` for each.
  private static func sortKeys(_ items: [Value], _ call: BuiltinCall) throws(ScriptError) -> [Value] {
    guard let key = call.keywords["key"], key != .none else { return items }
    var keys: [Value] = []
    keys.reserveCapacity(items.count)
    for item in items { keys.append(try call.interpreter.call(key, argument: item, at: call.location)) }
    return keys
  }

  private static func sequence(_ call: BuiltinCall, _ name: String) throws(ScriptError) -> [Value] {
    let value = call.arguments.count == 1 ? call.arguments[0] : .list(call.arguments)
    if case .string(let s) = value { return s.map { .string(String($0)) } }
    guard let items = try value.sequenceElements(interrupts: call.interpreter.host) else {
      throw ScriptError(.typeError, "\(name)() of \(value.typeNameWithArticle)")
    }
    return items
  }

  /// A float as an Int, as Python's int() and round() make one: OverflowError for the
  /// infinities and values past an Int, ValueError for nan.
  static func integer(_ d: Double, _ what: String) throws(ScriptError) -> Int {
    guard !d.isNaN else { throw ScriptError(.valueError, "\(what): cannot convert float nan to an int") }
    guard d.isFinite else { throw ScriptError(.overflowError, "\(what): cannot convert float \(d > 0 ? "inf" : "-inf") to an int") }
    // 2^63 is the first double past Int.max; -2^63 is Int.min itself.
    guard d < 9223372036854775808.0, d >= -9223372036854775808.0 else {
      throw ScriptError(.overflowError, "\(what): \(Value.formatFloat(d)) is too large for an int")
    }
    return Int(d)
  }

  /// `round(x)` is an int; `round(x, n)` keeps x's type, to n digits after the point (n may
  /// be negative). Any n works: past the precision of a double the number is returned as it is.
  private static func round(_ call: BuiltinCall) throws(ScriptError) -> Value {
    let value = try call.argument(0, "a number")
    guard value.asDouble != nil else { throw ScriptError(.typeError, "round() of \(value.typeNameWithArticle)") }
    let digitsValue = call.arguments.count > 1 ? call.arguments[1] : (call.keywords["ndigits"] ?? .none)
    if case .none = digitsValue {
      if case .int = value { return value }
      return .int(try integer(value.asDouble!.rounded(), "round()"))
    }
    guard case .int(let digits) = digitsValue else {
      throw ScriptError(.typeError, "round() takes an int number of digits, not \(digitsValue.typeNameWithArticle)")
    }
    if case .int(let i) = value {
      guard digits < 0 else { return value }
      // Rounds to a multiple of 10^-digits, halves away from zero as floats round here.
      guard digits > -19 else { return .int(0) }
      var unit = 1
      for _ in 0 ..< -digits { unit *= 10 }
      let remainder = i % unit
      let down = i - remainder
      guard Swift.abs(remainder) * 2 >= unit else { return .int(down) }
      let up = down.addingReportingOverflow(i < 0 ? -unit : unit)
      guard !up.overflow else { throw ScriptError(.overflowError, "round(): the result is too large for an int") }
      return .int(up.partialValue)
    }
    let d = value.asDouble!
    guard d.isFinite else { return value }
    // A double has at most 17 significant digits and its exponent is within ±308.
    if digits > 340 { return value }
    if digits < -308 { return .float(0.0 * d) }
    let scale = Glibc.pow(10.0, Double(Swift.abs(digits)))
    if digits >= 0 {
      let scaled = d * scale
      guard scaled.isFinite, Swift.abs(scaled) < 1e17 else { return value }
      return .float(scaled.rounded() / scale)
    }
    return .float((d / scale).rounded() * scale)
  }

  /// min/max: the first item with the least (greatest) key, as Python's. A range without
  /// a key answers from its ends.
  private static func extreme(_ call: BuiltinCall, _ name: String, isMax: Bool) throws(ScriptError) -> Value {
    if call.arguments.count == 1, case .range(let a, let b, let s) = call.arguments[0], call.keywords["key"] ?? .none == .none {
      let range = IntRange(a, b, s)
      guard !range.isEmpty else { throw ScriptError(.valueError, "\(name)() of an empty sequence") }
      return .int(isMax ? range.maximum : range.minimum)
    }
    let items = try sequence(call, name)
    guard !items.isEmpty else { throw ScriptError(.valueError, "\(name)() of an empty sequence") }
    let keys = try sortKeys(items, call)
    var best = 0
    for i in keys.indices.dropFirst() {
      try Interruption.poll()
      let c = try Ordering.compare(keys[i], keys[best], isMax ? ">" : "<", at: call.location)
      if isMax ? c > 0 : c < 0 { best = i }
    }
    return items[best]
  }
}
