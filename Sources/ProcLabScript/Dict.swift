// The dict value: keys in insertion order, found by hash. A value type like lists, so a
// copy (an assignment, a fork) never shares changes; removal is rare and may cost O(n).

/// An ordered dictionary of script values, keyed by hashable values (none, bool, int, float,
/// string, and tuples of those). Its arrays live in one object, copied on write: a value then
/// holds a dict as one reference (no box), and a dict taken out of its variable to change
/// (see Interpreter.assignItem) changes in place instead of being boxed anew each time.
///
/// The index is a table of its own rather than a Swift Dictionary keyed by value: an int
/// key is its own hash (a Swift Dictionary ran SipHash over it), each entry's hash is kept so
/// a probe compares ints before it compares values and growing rehashes nothing, and the
/// table holds 4-byte positions.
public struct Dict: @unchecked Sendable {
  private final class Storage {
    // Unchecked exclusivity: each array is reached only through a Storage known to be
    // unique (see `unique()`) or read, never while another access to it is under way; the
    // dynamic checks cost more than a probe.
    @exclusivity(unchecked) var keys: [Value] = []
    @exclusivity(unchecked) var values: [Value] = []
    /// Each key's hash (DictHash), in the keys' order.
    @exclusivity(unchecked) var hashes: [Int] = []
    /// Open addressing with linear probing: a slot holds a key's position + 1, or 0 when it
    /// is empty. Empty until the first key, then a power of two at least 3/2 of the count,
    /// so a probe always reaches an empty slot.
    @exclusivity(unchecked) var slots: [Int32] = []
    /// 64 - log2(slots.count): the hash's top bits pick the first slot (Fibonacci hashing,
    /// so consecutive ints spread over the table instead of filling one run of it).
    var shift = 64

    init() {}

    init(copying other: Storage) {
      keys = other.keys
      values = other.values
      hashes = other.hashes
      slots = other.slots
      shift = other.shift
    }

    @inline(__always)
    func firstSlot(_ hash: Int) -> Int {
      Int(truncatingIfNeeded: (UInt64(bitPattern: Int64(hash)) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(shift))
    }

    /// The position of `key` (whose hash is `hash`), or nil.
    @inline(__always)
    func position(of key: Value, hash: Int) -> Int? {
      guard !slots.isEmpty else { return nil }
      let mask = slots.count - 1
      var slot = firstSlot(hash)
      while true {
        let entry = Int(slots[slot])
        if entry == 0 { return nil }
        if hashes[entry - 1] == hash, DictHash.same(keys[entry - 1], key) { return entry - 1 }
        slot = (slot + 1) & mask
      }
    }

    /// Adds a key known to be absent.
    func append(_ key: Value, _ value: Value, hash: Int) {
      if (keys.count + 1) * 3 > slots.count * 2 { rebuild(size: Swift.max(8, slots.count * 2)) }
      keys.append(key)
      values.append(value)
      hashes.append(hash)
      place(keys.count - 1)
    }

    /// Puts position `i` in the first empty slot of its probe.
    private func place(_ i: Int) {
      let mask = slots.count - 1
      var slot = firstSlot(hashes[i])
      while slots[slot] != 0 { slot = (slot + 1) & mask }
      slots[slot] = Int32(truncatingIfNeeded: i + 1)
    }

    /// Makes a table of `size` slots (a power of two) for the keys there are.
    func rebuild(size: Int) {
      slots = Array(repeating: 0, count: size)
      shift = 64 - size.trailingZeroBitCount
      for i in 0..<keys.count { place(i) }
    }

    func remove(at i: Int) -> Value {
      keys.remove(at: i)
      hashes.remove(at: i)
      let value = values.remove(at: i)
      rebuild(size: slots.count)
      return value
    }
  }

  private var storage = Storage()

  public init() {}

  public var keys: [Value] { storage.keys }
  public var values: [Value] { storage.values }
  public var count: Int { storage.keys.count }

  /// The storage, copied first when another dict shares it.
  private mutating func unique() -> Storage {
    if !isKnownUniquelyReferenced(&storage) { storage = Storage(copying: storage) }
    return storage
  }

  public func value(for key: Value) throws(ScriptError) -> Value? {
    guard let i = storage.position(of: key, hash: try DictHash.of(key)) else { return nil }
    return storage.values[i]
  }

  public func contains(_ key: Value) throws(ScriptError) -> Bool {
    storage.position(of: key, hash: try DictHash.of(key)) != nil
  }

  /// Sets the value of `key`; a new key goes last, an existing one keeps its place.
  public mutating func set(_ value: consuming Value, for key: Value) throws(ScriptError) {
    let hash = try DictHash.of(key)
    let storage = unique()
    if let i = storage.position(of: key, hash: hash) {
      storage.values[i] = value
      return
    }
    storage.append(key, value, hash: hash)
  }

  /// Removes `key` and returns its value; nil when it was not there.
  public mutating func remove(_ key: Value) throws(ScriptError) -> Value? {
    let hash = try DictHash.of(key)
    guard storage.position(of: key, hash: hash) != nil else { return nil }
    let storage = unique()
    guard let i = storage.position(of: key, hash: hash) else { return nil }
    return storage.remove(at: i)
  }

  /// Equal when they hold the same pairs, in any order (as Python's dicts).
  static func equal(_ a: Dict, _ b: Dict) -> Bool {
    guard a.count == b.count else { return false }
    for i in 0..<a.count {
      guard let j = b.storage.position(of: a.storage.keys[i], hash: a.storage.hashes[i]),
        b.storage.values[j] == a.storage.values[i]
      else { return false }
    }
    return true
  }
}

/// The hash of a key, which agrees with `==`: `1` and `1.0` are one key, and so are two
/// strings Swift holds equal (canonically equivalent ones, hashed by String itself).
enum DictHash {
  /// An int, the commonest key, is its own hash without a call.
  @inline(__always)
  static func of(_ value: Value) throws(ScriptError) -> Int {
    if case .int(let i) = value { return i }
    return try other(value)
  }

  private static func other(_ value: Value) throws(ScriptError) -> Int {
    switch value {
    case .int(let i): return i
    case .string(let s): return s.hashValue
    case .none: return 0x5EED
    case .bool(let b): return b ? 1 : 0
    case .float(let d):
      // A whole float equals the int of the same value, so it must hash as that int.
      if d.isFinite, d == d.rounded(), Swift.abs(d) < 9.2e18 { return Int(d) }
      return d.hashValue
    case .tuple(let items):
      var hash = items.count
      for item in items { hash = (hash &* 1_000_003) ^ (try of(item)) }
      return hash
    default:
      throw ScriptError(.typeError, "unhashable type: '\(value.pythonTypeName)'")
    }
  }

  /// `a == b` for keys, with the two commonest kinds compared first.
  @inline(__always)
  static func same(_ a: Value, _ b: Value) -> Bool {
    if case .int(let x) = a, case .int(let y) = b { return x == y }
    return a == b
  }
}
