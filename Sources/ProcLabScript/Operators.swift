// Arithmetic, comparison, membership and indexing. Integer overflow raises OverflowError
// instead of trapping: a typo must never crash the session.

import Glibc

enum Operators {
  static func unary(_ op: UnaryOperator, _ value: Value, at location: SourceLocation) throws(ScriptError) -> Value {
    switch (op, value) {
    case (.not, _): return .bool(!value.isTruthy)
    case (.negate, .int(let i)):
      guard i != .min else { throw ScriptError(.overflowError, "integer too large", at: location) }
      return .int(-i)
    case (.negate, .float(let d)): return .float(-d)
    case (.plus, .int), (.plus, .float): return value
    default: throw ScriptError(.typeError, "bad operand for unary \(op.rawValue): \(value.typeName)", at: location)
    }
  }

  static func binary(_ op: BinaryOperator, _ l: Value, _ r: Value, at location: SourceLocation) throws(ScriptError) -> Value {
    if case .int(let a) = l, case .int(let b) = r { return try integer(op, a, b, at: location) }
    switch op {
    case .equal: return .bool(l == r)
    case .notEqual: return .bool(l != r)
    case .less, .lessOrEqual, .greater, .greaterOrEqual: return .bool(try compare(op, l, r, at: location))
    case .contains: return .bool(try contains(r, l, at: location))
    case .notContains: return .bool(!(try contains(r, l, at: location)))
    case .identical: return .bool(identical(l, r))
    case .notIdentical: return .bool(!identical(l, r))
    default: break
    }
    switch (l, r) {
    case (.int, .float), (.float, .int), (.float, .float):
      return try real(op, l.asDouble!, r.asDouble!, at: location)
    case (.string(let a), _) where op == .add:
      let b = r.description
      do { try MemoryBudget.checkString(a.utf8.count + b.utf8.count) } catch { throw error.located(at: location) }
      return .string(a + b)
    case (_, .string(let b)) where op == .add:
      let a = l.description
      do { try MemoryBudget.checkString(a.utf8.count + b.utf8.count) } catch { throw error.located(at: location) }
      return .string(a + b)
    case (.string(let template), _) where op == .modulo:
      let text = try PercentFormat.format(template, r, at: location)
      do { try MemoryBudget.checkString(text.utf8.count) } catch { throw error.located(at: location) }
      return .string(text)
    case (.string(let a), .int(let n)) where op == .multiply, (.int(let n), .string(let a)) where op == .multiply:
      return .string(try repeated(a, n, at: location))
    case (.list(let a), .list(let b)) where op == .add:
      do { try MemoryBudget.checkItems(a.count, adding: b.count) } catch { throw error.located(at: location) }
      return .list(a + b)
    case (.tuple(let a), .tuple(let b)) where op == .add:
      do { try MemoryBudget.checkItems(a.count, adding: b.count, of: "tuple") } catch { throw error.located(at: location) }
      return .tuple(a + b)
    case (.list(let a), .int(let n)) where op == .multiply, (.int(let n), .list(let a)) where op == .multiply:
      return .list(try repeated(a, n, "list", at: location))
    case (.tuple(let a), .int(let n)) where op == .multiply, (.int(let n), .tuple(let a)) where op == .multiply:
      return .tuple(try repeated(a, n, "tuple", at: location))
    default:
      throw ScriptError(.typeError, "unsupported operand types for \(op.rawValue): \(l.typeName) and \(r.typeName)", at: location)
    }
  }

  /// `s * n`: OverflowError when the length passes an Int (as Python's "repeated string is
  /// too long"), MemoryError past the budget.
  private static func repeated(_ s: String, _ n: Int, at location: SourceLocation) throws(ScriptError) -> String {
    guard n > 0, !s.isEmpty else { return "" }
    let size = s.utf8.count.multipliedReportingOverflow(by: n)
    guard !size.overflow else { throw ScriptError(.overflowError, "repeated string is too long", at: location) }
    do { try MemoryBudget.checkString(size.partialValue) } catch { throw error.located(at: location) }
    return String(repeating: s, count: n)
  }

  /// `xs * n` for a list or tuple, checked as strings are.
  private static func repeated(_ items: [Value], _ n: Int, _ kind: String, at location: SourceLocation) throws(ScriptError) -> [Value] {
    guard n > 0, !items.isEmpty else { return [] }
    let count = items.count.multipliedReportingOverflow(by: n)
    guard !count.overflow else { throw ScriptError(.overflowError, "repeated \(kind) is too long", at: location) }
    do { try MemoryBudget.checkItems(count.partialValue, of: kind) } catch { throw error.located(at: location) }
    var result: [Value] = []
    result.reserveCapacity(count.partialValue)
    for _ in 0..<n { result.append(contentsOf: items) }
    return result
  }

  private static func integer(_ op: BinaryOperator, _ a: Int, _ b: Int, at location: SourceLocation) throws(ScriptError) -> Value {
    let result: (partialValue: Int, overflow: Bool)
    switch op {
    case .add: result = a.addingReportingOverflow(b)
    case .subtract: result = a.subtractingReportingOverflow(b)
    case .multiply: result = a.multipliedReportingOverflow(by: b)
    case .equal, .identical: return .bool(a == b)
    case .notEqual, .notIdentical: return .bool(a != b)
    case .less: return .bool(a < b)
    case .lessOrEqual: return .bool(a <= b)
    case .greater: return .bool(a > b)
    case .greaterOrEqual: return .bool(a >= b)
    case .divide:
      guard b != 0 else { throw ScriptError(.zeroDivisionError, "division by zero", at: location) }
      return .float(Double(a) / Double(b))
    case .floorDivide, .modulo:
      guard b != 0 else { throw ScriptError(.zeroDivisionError, "division by zero", at: location) }
      guard !(a == .min && b == -1) else { throw ScriptError(.overflowError, "integer too large", at: location) }
      // Python's floor division and modulo: the remainder takes the divisor's sign.
      var q = a / b
      var m = a % b
      if m != 0 && ((m < 0) != (b < 0)) {
        q -= 1
        m += b
      }
      return .int(op == .floorDivide ? q : m)
    case .power:
      guard b >= 0 else {
        guard a != 0 else { throw ScriptError(.zeroDivisionError, "0 cannot be raised to a negative power", at: location) }
        return .float(Glibc.pow(Double(a), Double(b)))
      }
      // By squaring: 64 steps at most, whatever the exponent (1 ** 2**62 must not loop).
      var value = 1
      var base = a
      var exponent = b
      while true {
        if exponent & 1 == 1 {
          let step = value.multipliedReportingOverflow(by: base)
          guard !step.overflow else { throw ScriptError(.overflowError, "integer too large", at: location) }
          value = step.partialValue
        }
        exponent >>= 1
        if exponent == 0 { break }
        // A square that overflows while bits remain makes the result overflow too.
        let square = base.multipliedReportingOverflow(by: base)
        guard !square.overflow else { throw ScriptError(.overflowError, "integer too large", at: location) }
        base = square.partialValue
      }
      return .int(value)
    case .contains, .notContains:
      throw ScriptError(.typeError, "'in' needs a list, range or string on the right, not an int", at: location)
    }
    guard !result.overflow else { throw ScriptError(.overflowError, "integer too large", at: location) }
    return .int(result.partialValue)
  }

  private static func real(_ op: BinaryOperator, _ a: Double, _ b: Double, at location: SourceLocation) throws(ScriptError) -> Value {
    switch op {
    case .add: return .float(a + b)
    case .subtract: return .float(a - b)
    case .multiply: return .float(a * b)
    case .divide, .floorDivide, .modulo:
      guard b != 0 else { throw ScriptError(.zeroDivisionError, "division by zero", at: location) }
      if op == .divide { return .float(a / b) }
      if op == .floorDivide { return .float((a / b).rounded(.down)) }
      return .float(a - b * (a / b).rounded(.down))
    case .power: return .float(Glibc.pow(a, b))
    default: throw ScriptError(.typeError, "unsupported operator \(op.rawValue) for float", at: location)
    }
  }

  private static func compare(_ op: BinaryOperator, _ l: Value, _ r: Value, at location: SourceLocation) throws(ScriptError) -> Bool {
    let order = try Ordering.compare(l, r, op.rawValue, at: location)
    switch op {
    case .less: return order < 0
    case .lessOrEqual: return order <= 0
    case .greater: return order > 0
    default: return order >= 0
    }
  }

  private static func contains(_ container: Value, _ item: Value, at location: SourceLocation) throws(ScriptError) -> Bool {
    switch (container, item) {
    case (.string(let s), .string(let sub)): return sub.isEmpty || s.contains(sub)
    case (.list(let items), _), (.tuple(let items), _): return items.contains(item)
    case (.dict(let d), _):
      do { return try d.contains(item) } catch { throw error.located(at: location) }
    case (.handle(let handle as SequenceHandle), _):
      do { return try handle.elements().contains(item) } catch { throw error.located(at: location) }
    case (.range(let a, let b, let s), .int(let i)):
      return IntRange(a, b, s).contains(i)
    case (.range(let a, let b, let s), .float(let d)):
      return d == d.rounded() && Swift.abs(d) < 9.2e18 && IntRange(a, b, s).contains(Int(d))
    case (.range(let a, let b, let s), .bool(let flag)):
      return IntRange(a, b, s).contains(flag ? 1 : 0)
    case (.range, _):
      return false
    default:
      throw ScriptError(.typeError, "'in' needs a list, tuple, dict, range or string on the right, not \(container.typeNameWithArticle)", at: location)
    }
  }

  /// `is`: the same none or bool; for other immutable values (numbers of one type, strings,
  /// tuples, ranges, errors) equal values; for functions and engine objects the same object.
  /// Lists and dicts are values copied on assignment, so no two are ever the same one.
  static func identical(_ l: Value, _ r: Value) -> Bool {
    switch (l, r) {
    case (.none, .none): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.int(let a), .int(let b)): return a == b
    case (.float(let a), .float(let b)): return a == b
    case (.string, .string), (.tuple, .tuple), (.range, .range), (.error, .error): return l == r
    case (.function(let a), .function(let b)): return a === b
    case (.builtin(let a), .builtin(let b)): return a === b
    case (.handle(let a), .handle(let b)): return a === b
    default: return false
    }
  }

  static func listIndex(_ index: Value, count: Int, at location: SourceLocation) throws(ScriptError) -> Int {
    do { return try position(index, count: count) } catch { throw error.located(at: location) }
  }

  static func position(_ index: Value, count: Int) throws(ScriptError) -> Int {
    guard case .int(let i) = index else {
      throw ScriptError(.typeError, "an index must be an int, not \(index.typeNameWithArticle)")
    }
    let resolved = i < 0 ? count + i : i
    guard resolved >= 0 && resolved < count else {
      throw ScriptError(.indexError, "index \(i) is out of range for length \(count)")
    }
    return resolved
  }

  static func index(_ container: Value, _ index: Value, at location: SourceLocation) throws(ScriptError) -> Value {
    switch container {
    case .list(let items), .tuple(let items):
      return items[try listIndex(index, count: items.count, at: location)]
    case .handle(let handle as SequenceHandle):
      do { return try handle.item(index) } catch { throw error.located(at: location) }
    case .dict(let d):
      let value: Value?
      do { value = try d.value(for: index) } catch { throw error.located(at: location) }
      guard let value else { throw ScriptError(.keyError, index.repr, at: location) }
      return value
    case .string(let s):
      // Text whose every byte is a character is indexed by byte: no array of characters.
      if let item = try s.withByteCharacters({ bytes throws(ScriptError) in
        String(Unicode.Scalar(bytes[try listIndex(index, count: bytes.count, at: location)]))
      }) {
        return .string(item)
      }
      let chars = Array(s)
      return .string(String(chars[try listIndex(index, count: chars.count, at: location)]))
    case .range(let a, let b, let step):
      guard case .int(let i) = index else {
        throw ScriptError(.typeError, "an index must be an int, not \(index.typeNameWithArticle)", at: location)
      }
      let range = IntRange(a, b, step)
      guard let item = range.element(atIndex: i) else {
        throw ScriptError(.indexError, "index \(i) is out of range for length \(range.count)", at: location)
      }
      return .int(item)
    default:
      throw ScriptError(.typeError, "\(container.typeNameWithArticle) cannot be indexed", at: location)
    }
  }

  /// `xs[lower:upper:step]` as in Python: a negative bound counts from the end, bounds are
  /// clipped to the sequence, none stands for a missing part. A range gives a range.
  static func slice(_ container: Value, _ lower: Value, _ upper: Value, _ step: Value, at location: SourceLocation) throws(ScriptError) -> Value {
    let stride = try sliceBound(step, at: location) ?? 1
    guard stride != 0 else { throw ScriptError(.valueError, "slice step cannot be zero", at: location) }
    let from = try sliceBound(lower, at: location)
    let to = try sliceBound(upper, at: location)
    func indices(_ length: Int) -> (start: Int, count: Int) { sliceIndices(from, to, stride, length: length) }
    switch container {
    case .list(let items), .tuple(let items):
      let (start, count) = indices(items.count)
      var picked: [Value] = []
      if stride == 1 {
        picked = Array(items[start..<(start + count)])
      } else {
        picked.reserveCapacity(count)
        for k in 0..<count { picked.append(items[start + k * stride]) }
      }
      if case .tuple = container { return .tuple(picked) }
      return .list(picked)
    case .string(let s):
      let bytewise = s.withByteCharacters { bytes in
        let (start, count) = indices(bytes.count)
        return String(unsafeUninitializedCapacity: count) { out in
          for k in 0..<count { out[k] = bytes[start + k * stride] }
          return count
        }
      }
      if let bytewise { return .string(bytewise) }
      let chars = Array(s)
      let (start, count) = indices(chars.count)
      if stride == 1 { return .string(String(chars[start..<(start + count)])) }
      var picked = ""
      for k in 0..<count { picked.append(chars[start + k * stride]) }
      return .string(picked)
    case .range(let a, let b, let s):
      let length: Int
      do { length = try IntRange(a, b, s).intCount() } catch { throw error.located(at: location) }
      let (start, count) = indices(length)
      guard count > 0 else { return .range(a, a, s) }
      // The first and last picked items are items of the range, so only the step can overflow.
      let newStep = s.multipliedReportingOverflow(by: stride)
      guard !newStep.overflow else { throw ScriptError(.overflowError, "range slice step too large", at: location) }
      let first = a &+ start &* s
      let last = a &+ (start + (count - 1) * stride) &* s
      let stop = last.addingReportingOverflow(newStep.partialValue > 0 ? 1 : -1)
      guard !stop.overflow else { throw ScriptError(.overflowError, "range slice ends beyond the largest int", at: location) }
      return .range(first, stop.partialValue, newStep.partialValue)
    default:
      throw ScriptError(.typeError, "\(container.typeNameWithArticle) cannot be sliced", at: location)
    }
  }

  private static func sliceBound(_ bound: Value, at location: SourceLocation) throws(ScriptError) -> Int? {
    switch bound {
    case .none: return nil
    case .int(let i): return i
    default: throw ScriptError(.typeError, "slice bounds must be ints or none, not \(bound.typeNameWithArticle)", at: location)
    }
  }

  /// Python's rule: the first index and how many items a slice of `length` items picks.
  static func sliceIndices(_ lower: Int?, _ upper: Int?, _ stride: Int, length: Int) -> (start: Int, count: Int) {
    let backwards = stride < 0
    func clip(_ bound: Int) -> Int {
      if bound < 0 {
        let fromEnd = bound + length
        return fromEnd >= 0 ? fromEnd : (backwards ? -1 : 0)
      }
      return bound < length ? bound : (backwards ? length - 1 : length)
    }
    let start = lower.map(clip) ?? (backwards ? length - 1 : 0)
    let stop = upper.map(clip) ?? (backwards ? -1 : length)
    // Int.min has no positive counterpart; any step longer than the sequence picks one item.
    let magnitude = stride == .min ? Int.max : Swift.abs(stride)
    let span = backwards ? start - stop : stop - start
    return (start, span > 0 ? (span - 1) / magnitude + 1 : 0)
  }
}

extension Value {
  var asDouble: Double? {
    switch self {
    case .int(let i): Double(i)
    case .float(let d): d
    default: nil
    }
  }
}
