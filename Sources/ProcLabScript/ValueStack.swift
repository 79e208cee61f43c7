// The locals of every active call, one frame after another (see Interpreter.stack). A buffer
// of its own rather than an Array: reading or writing a local is then a load or a store at an
// offset, with no check that the buffer is shared (it never is) and no bounds check in
// release builds; a call pushes and pops its frame without Array's general range removal.
// A nil slot is a local not assigned yet.

struct ValueStack {
  private var base: UnsafeMutablePointer<Value?>
  private var capacity: Int
  private(set) var count = 0

  init(capacity: Int = 256) {
    self.capacity = capacity
    base = .allocate(capacity: capacity)
  }

  subscript(i: Int) -> Value? {
    get {
      assert(i >= 0 && i < count, "stack slot \(i) outside 0..<\(count)")
      return base[i]
    }
    nonmutating set {
      assert(i >= 0 && i < count, "stack slot \(i) outside 0..<\(count)")
      base[i] = newValue
    }
  }

  /// Whether slot `i` holds a value (a local assigned), asked without copying the value out.
  @inline(__always)
  func isAssigned(_ i: Int) -> Bool {
    assert(i >= 0 && i < count, "stack slot \(i) outside 0..<\(count)")
    if case nil = base[i] { return false }
    return true
  }

  /// The int in slot `i`, read in place; nil when it holds anything else.
  @inline(__always)
  func int(inSlot i: Int) -> Int? {
    assert(i >= 0 && i < count, "stack slot \(i) outside 0..<\(count)")
    if case .int(let value)? = base[i] { return value }
    return nil
  }

  /// Stores an int in slot `i`. Over an int or an unassigned slot, nothing is released, so
  /// the int is written straight over it, without the general destroy of the old value.
  @inline(__always)
  func setInt(_ value: Int, inSlot i: Int) {
    assert(i >= 0 && i < count, "stack slot \(i) outside 0..<\(count)")
    switch base[i] {
    case .int?, nil: (base + i).initialize(to: .int(value))
    default: base[i] = .int(value)
    }
  }

  /// Item `k` of the list or tuple in slot `i`, read in place (the list is not copied out of
  /// the slot, so not retained); nil when the slot holds no list or tuple or `k` is out of
  /// range, for the caller's general path to report.
  @inline(__always)
  func item(inSlot i: Int, at k: Int) -> Value? {
    assert(i >= 0 && i < count, "stack slot \(i) outside 0..<\(count)")
    switch base[i] {
    case .list(let items)?, .tuple(let items)?:
      let j = k < 0 ? items.count &+ k : k
      return j >= 0 && j < items.count ? items[j] : nil
    default:
      return nil
    }
  }

  /// The engine object in slot `i`, not retained: only the running frame assigns its own
  /// slots, so the slot keeps the object alive for a call the frame makes on it.
  @inline(__always)
  func object(inSlot i: Int) -> Unmanaged<AnyObject>? {
    assert(i >= 0 && i < count, "stack slot \(i) outside 0..<\(count)")
    if case .handle(let handle)? = base[i] { return Unmanaged.passUnretained(handle) }
    return nil
  }

  /// `s.upper()` on a local: the string method's quick answer for the string in slot `i`;
  /// nil when the slot holds no string or the call has another shape.
  @inline(__always)
  func quickStringMethod(inSlot i: Int, _ method: ValueMethod) -> Value? {
    assert(i >= 0 && i < count, "stack slot \(i) outside 0..<\(count)")
    guard case .string(let s)? = base[i] else { return nil }
    return StringMethods.quick(s, method)
  }

  /// `s.startswith(t)` on a local: as above, with one argument.
  @inline(__always)
  func quickStringMethod(inSlot i: Int, _ method: ValueMethod, _ argument: Value) -> Value? {
    assert(i >= 0 && i < count, "stack slot \(i) outside 0..<\(count)")
    guard case .string(let s)? = base[i] else { return nil }
    return StringMethods.quick(s, method, argument)
  }

  /// Takes the list out of slot `i`, leaving none there, so that the caller holds its only
  /// reference and can grow it in place; nil, and the slot untouched, when it holds no list.
  func takeList(inSlot i: Int) -> [Value]? {
    assert(i >= 0 && i < count, "stack slot \(i) outside 0..<\(count)")
    guard case .list? = base[i], case .list(let items)? = (base + i).move() else { return nil }
    (base + i).initialize(to: Value.none)
    return items
  }

  /// Puts back in slot `i` the list or dict taken from it: the none the take left there
  /// holds nothing to release, so the value is written over it without a general destroy.
  @inline(__always)
  func putBack(_ value: consuming Value, inSlot i: Int) {
    assert(i >= 0 && i < count, "stack slot \(i) outside 0..<\(count)")
    guard case .none? = base[i] else {
      base[i] = value
      return
    }
    (base + i).initialize(to: value)
  }

  /// Takes the dict out of slot `i`, as takeList does.
  func takeDict(inSlot i: Int) -> Dict? {
    assert(i >= 0 && i < count, "stack slot \(i) outside 0..<\(count)")
    guard case .dict? = base[i], case .dict(let d)? = (base + i).move() else { return nil }
    (base + i).initialize(to: Value.none)
    return d
  }

  mutating func append(_ value: Value?) {
    if count == capacity { grow() }
    (base + count).initialize(to: value)
    count += 1
  }

  /// Pushes `n` unassigned slots. One by one: a frame has a few, and the buffer's bulk
  /// operations go through the generic value witnesses.
  @inline(__always)
  mutating func appendUnassigned(_ n: Int) {
    guard n > 0 else { return }
    while capacity < count + n { grow() }
    for i in count..<(count + n) { (base + i).initialize(to: nil) }
    count += n
  }

  /// Pops every slot from `newCount` on. A slot holding no reference (nothing, none, a bool,
  /// an int, a float) needs no destroy: only the others go through Value's destroy.
  @inline(__always)
  mutating func truncate(to newCount: Int) {
    assert(newCount >= 0 && newCount <= count)
    for i in newCount..<count {
      switch base[i] {
      case nil, .none?, .bool?, .int?, .float?: continue
      default: (base + i).deinitialize(count: 1)
      }
    }
    count = newCount
  }

  private mutating func grow() {
    let bigger = UnsafeMutablePointer<Value?>.allocate(capacity: capacity * 2)
    bigger.moveInitialize(from: base, count: count)
    base.deallocate()
    base = bigger
    capacity *= 2
  }

  /// Frees the buffer; the stack is not used again (its interpreter is going).
  mutating func release() {
    truncate(to: 0)
    base.deallocate()
  }
}
