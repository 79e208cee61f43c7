// The builtins that need no operating system: conversions, sequences, arithmetic helpers.
// Those that touch processes, time or files are the engine's (see EngineBuiltins).

enum CoreBuiltins {
  static let all: [String: Builtin] = {
    var table: [String: Builtin] = [:]
    for builtin in list { table[builtin.name] = builtin }
    return table
  }()

  private static let list: [Builtin] = [
    Builtin("len") { call throws(ScriptError) in
      let value = try call.argument(0, "a list, range or string")
      switch value {
      case .list(let items): return .int(items.count)
      case .string(let s): return .int(s.count)
      case .range(let a, let b, let s): return .int(Value.rangeCount(a, b, s))
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
    Builtin("type") { call throws(ScriptError) in .string(try call.argument(0, "a value").typeName) },
    Builtin("int") { call throws(ScriptError) in
      let value = try call.argument(0, "a number or string")
      switch value {
      case .int: return value
      case .bool(let b): return .int(b ? 1 : 0)
      case .float(let d):
        guard d.isFinite, abs(d) < 9.2e18 else { throw ScriptError(.overflowError, "cannot convert \(d) to int") }
        return .int(Int(d))
      case .string(let s):
        guard let i = Int(s.trimmingSpaces) else { throw ScriptError(.valueError, "invalid int: \(Value.quote(s))") }
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
      let value = try call.argument(0, "a sequence")
      if case .string(let s) = value { return .list(s.map { .string(String($0)) }) }
      guard let items = value.elementsIfSequence else { throw ScriptError(.typeError, "list() of \(value.typeNameWithArticle)") }
      return .list(items)
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
    Builtin("round") { call throws(ScriptError) in
      let value = try call.argument(0, "a number")
      guard let d = value.asDouble else { throw ScriptError(.typeError, "round() of \(value.typeNameWithArticle)") }
      guard call.arguments.count > 1, case .int(let digits) = call.arguments[1] else { return .int(Int(d.rounded())) }
      var scale = 1.0
      for _ in 0..<max(0, digits) { scale *= 10 }
      return .float((d * scale).rounded() / scale)
    },
    Builtin("min") { call throws(ScriptError) in try extreme(call, "min", .less) },
    Builtin("max") { call throws(ScriptError) in try extreme(call, "max", .greater) },
    Builtin("sum") { call throws(ScriptError) in
      var total: Value = .int(0)
      for item in try sequence(call, "sum") { total = try Operators.binary(.add, total, item, at: call.location) }
      return total
    },
    Builtin("sorted") { call throws(ScriptError) in
      var items = try sequence(call, "sorted")
      var failure: ScriptError?
      items.sort { a, b in
        do { return try Operators.binary(.less, a, b, at: call.location).isTruthy } catch {
          failure = error as? ScriptError
          return false
        }
      }
      if let failure { throw failure }
      return .list(items)
    },
  ]

  private static func sequence(_ call: BuiltinCall, _ name: String) throws(ScriptError) -> [Value] {
    let value = call.arguments.count == 1 ? call.arguments[0] : .list(call.arguments)
    guard let items = value.elementsIfSequence else { throw ScriptError(.typeError, "\(name)() of \(value.typeNameWithArticle)") }
    return items
  }

  private static func extreme(_ call: BuiltinCall, _ name: String, _ op: BinaryOperator) throws(ScriptError) -> Value {
    let items = try sequence(call, name)
    guard var best = items.first else { throw ScriptError(.valueError, "\(name)() of an empty sequence") }
    for item in items.dropFirst() where try Operators.binary(op, item, best, at: call.location).isTruthy {
      best = item
    }
    return best
  }
}

extension String {
  var trimmingSpaces: String {
    var s = Substring(self)
    while let c = s.first, c.isWhitespace { s.removeFirst() }
    while let c = s.last, c.isWhitespace { s.removeLast() }
    return String(s)
  }
}
