// The dict value: keys in insertion order, found by hash. A value type like lists, so a
// copy (an assignment, a fork) never shares changes; removal is rare and may cost O(n).

/// An ordered dictionary of script values, keyed by hashable values (none, bool, int, float,
/// string, and tuples of those). Its arrays live in one object, copied on write: a value then
/// holds a dict as one reference (no box), and a dict taken out of its variable to change
/// (see Interpreter.assignItem) changes in place instead of being boxed anew each time.
public struct Dict: @unchecked Sendable {
  private final class Storage {
    var keys: [Value] = []
    var values: [Value] = []
    var positions: [DictKey: Int] = [:]

    init() {}

    init(copying other: Storage) {
      keys = other.keys
      values = other.values
      positions = other.positions
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
    guard let i = storage.positions[try DictKey(key)] else { return nil }
    return storage.values[i]
  }

  public func contains(_ key: Value) throws(ScriptError) -> Bool {
    storage.positions[try DictKey(key)] != nil
  }

  /// Sets the value of `key`; a new key goes last, an existing one keeps its place.
  public mutating func set(_ value: Value, for key: Value) throws(ScriptError) {
    let hashed = try DictKey(key)
    let storage = unique()
    if let i = storage.positions[hashed] {
      storage.values[i] = value
      return
    }
    storage.positions[hashed] = storage.keys.count
    storage.keys.append(key)
    storage.values.append(value)
  }

  /// Removes `key` and returns its value; nil when it was not there.
  public mutating func remove(_ key: Value) throws(ScriptError) -> Value? {
    let hashed = try DictKey(key)
    guard storage.positions[hashed] != nil else { return nil }
    let storage = unique()
    guard let i = storage.positions.removeValue(forKey: hashed) else { return nil }
    storage.keys.remove(at: i)
    let value = storage.values.remove(at: i)
    for j in i..<storage.keys.count { storage.positions[DictKey(hashable: storage.keys[j])] = j }
    return value
  }

  /// Equal when they hold the same pairs, in any order (as Python's dicts).
  static func equal(_ a: Dict, _ b: Dict) -> Bool {
    guard a.count == b.count else { return false }
    for (key, value) in zip(a.keys, a.values) {
      guard let i = b.storage.positions[DictKey(hashable: key)], b.storage.values[i] == value else { return false }
    }
    return true
  }
}

/// A value checked to be usable as a key. Its hash agrees with `==`: `1`, `1.0` are one key.
struct DictKey: Hashable, @unchecked Sendable {
  let value: Value

  init(_ value: Value) throws(ScriptError) {
    try DictKey.checkHashable(value)
    self.value = value
  }

  /// For values already checked (the keys stored in a dict).
  init(hashable value: Value) { self.value = value }

  private static func checkHashable(_ value: Value) throws(ScriptError) {
    switch value {
    case .none, .bool, .int, .float, .string: return
    case .tuple(let items): for item in items { try checkHashable(item) }
    default: throw ScriptError(.typeError, "unhashable type: '\(value.pythonTypeName)'")
    }
  }

  static func == (a: DictKey, b: DictKey) -> Bool { a.value == b.value }

  func hash(into hasher: inout Hasher) { DictKey.hash(value, into: &hasher) }

  private static func hash(_ value: Value, into hasher: inout Hasher) {
    switch value {
    case .none: hasher.combine(0)
    case .bool(let b): hasher.combine(b)
    case .int(let i): hasher.combine(i)
    case .float(let d):
      // A whole float equals the int of the same value, so it must hash as that int.
      if d.isFinite, d == d.rounded(), Swift.abs(d) < 9.2e18 { hasher.combine(Int(d)) } else { hasher.combine(d) }
    case .string(let s): hasher.combine(s)
    case .tuple(let items):
      hasher.combine(items.count)
      for item in items { hash(item, into: &hasher) }
    default: hasher.combine(-1)
    }
  }
}
