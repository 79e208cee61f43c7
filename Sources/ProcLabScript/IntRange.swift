// A range's arithmetic, exact for every start, stop and step: `range(-2**63, 2**63-1)` holds
// more items than an Int counts, so lengths are unsigned and items are computed with
// wrapping operations whose true result is known to lie inside the range.

struct IntRange {
  let start: Int
  let stop: Int
  let step: Int

  init(_ start: Int, _ stop: Int, _ step: Int) {
    self.start = start
    self.stop = stop
    self.step = step
  }

  var isEmpty: Bool { step > 0 ? stop <= start : stop >= start }

  /// How many items: up to 2^64 - 1, so unsigned.
  var count: UInt {
    guard !isEmpty else { return 0 }
    let span = step > 0 ? UInt(bitPattern: stop &- start) : UInt(bitPattern: start &- stop)
    return (span - 1) / step.magnitude + 1
  }

  /// The count as an Int, or OverflowError as Python's `len()` raises past `sys.maxsize`.
  func intCount() throws(ScriptError) -> Int {
    let n = count
    guard n <= UInt(Int.max) else { throw ScriptError(.overflowError, "range has \(n) items, more than an int can count") }
    return Int(n)
  }

  /// The item at `i` (< count): modulo 2^64 the wrapping sum is the true one, and the true
  /// one is an item, so an Int.
  func element(_ i: UInt) -> Int { start &+ Int(bitPattern: i) &* step }

  var last: Int { element(count - 1) }

  /// The item at a Python index (negative counts from the end); nil when out of range.
  func element(atIndex i: Int) -> Int? {
    let n = count
    if i >= 0 { return UInt(i) < n ? element(UInt(i)) : nil }
    return i.magnitude <= n ? element(n - i.magnitude) : nil
  }

  func contains(_ i: Int) -> Bool {
    if step > 0 {
      guard i >= start, i < stop else { return false }
      return UInt(bitPattern: i &- start) % step.magnitude == 0
    }
    guard i <= start, i > stop else { return false }
    return UInt(bitPattern: start &- i) % step.magnitude == 0
  }

  /// The sum of the items (first + last) * count / 2, exact in 128 bits; nil when it does
  /// not fit an Int.
  var sum: Int? {
    let n = count
    guard n > 0 else { return 0 }
    let ends = Int128(start) + Int128(last)
    // One of the two factors is even: an odd count makes first + last even.
    let total = n % 2 == 0 ? Int128(n / 2) * ends : Int128(n) * (ends / 2)
    guard total >= Int128(Int.min), total <= Int128(Int.max) else { return nil }
    return Int(total)
  }

  /// The least and the greatest item (the first and the last, in the step's direction).
  var minimum: Int { step > 0 ? start : last }
  var maximum: Int { step > 0 ? last : start }

  /// Python's equality of ranges: the same items.
  static func == (a: IntRange, b: IntRange) -> Bool {
    let n = a.count
    guard n == b.count else { return false }
    if n == 0 { return true }
    return a.start == b.start && (n == 1 || a.step == b.step)
  }

  /// Calls `body` with each item in order, checking for Ctrl-C every few thousand items.
  func forEach(interrupts host: ScriptHost, _ body: (Int) throws(ScriptError) -> Void) throws(ScriptError) {
    let n = count
    var i: UInt = 0
    while i < n {
      if i & 4095 == 0 { try host.checkInterrupt() }
      try body(element(i))
      i += 1
    }
  }

  /// The items as values, after checking the list fits the memory budget.
  func values(interrupts host: ScriptHost, kind: String = "list") throws(ScriptError) -> [Value] {
    let n = count
    guard n <= UInt(Int.max) else { try MemoryBudget.checkItems(Int.max, of: kind); return [] }
    try MemoryBudget.checkItems(Int(n), of: kind)
    var items: [Value] = []
    items.reserveCapacity(Int(n))
    try forEach(interrupts: host) { i throws(ScriptError) in items.append(.int(i)) }
    return items
  }
}

extension Value {
  /// The elements as elementsIfSequence gives them, but a range too big for the memory budget
  /// is a MemoryError naming its size rather than nil: for callers with no host to poll.
  public func elementsWithinBudget() throws(ScriptError) -> [Value]? {
    if case .range(let a, let b, let s) = self {
      let n = IntRange(a, b, s).count
      try MemoryBudget.checkItems(n > UInt(Int.max) ? Int.max : Int(n))
    }
    return elementsIfSequence
  }

  /// The elements of a list, tuple or range, or a dict's keys, checked against the memory
  /// budget (a range is built item by item, with Ctrl-C checked); nil for anything else.
  func sequenceElements(interrupts host: ScriptHost) throws(ScriptError) -> [Value]? {
    if case .range(let a, let b, let s) = self { return try IntRange(a, b, s).values(interrupts: host) }
    if case .handle(let handle as SequenceHandle) = self { return try handle.elements() }
    return elementsIfSequence
  }
}
