// Kinds of engine object the language itself knows how to use: one that holds items (a shared
// Array, a manager's list or dict: `x[k]`, `len`, `list`, `for`, `in`), one whose attributes
// are its own data (a manager's Namespace), and one `with X { }` can hold.

/// An engine object with items read and written in place (shared memory, or the session).
/// Every access may fail (the session gone, a missing key), so each one throws.
public protocol SequenceHandle: Handle {
  /// How many items, now.
  func length() throws(ScriptError) -> Int
  /// `x[key]`: an int index for a sequence (negative counts from the end), a key for a mapping.
  func item(_ key: Value) throws(ScriptError) -> Value
  /// `x[key] = value`.
  func setItem(_ key: Value, to value: Value) throws(ScriptError)
  /// Every item in order (a mapping's keys), read now: `list(x)`, `for`, `in`, slices.
  func elements() throws(ScriptError) -> [Value]
  /// A mapping (a dict): slices make no sense on it.
  var isMapping: Bool { get }
}

/// An engine object whose attributes are data anyone may read, set or add (`ns.x = 1`).
public protocol AttributeHandle: Handle {
  /// nil when it has no such attribute.
  func attribute(_ name: String) throws(ScriptError) -> Value?
  func setAttribute(_ name: String, to value: Value) throws(ScriptError)
}

/// An engine object `with X { }` holds for a block: a lock, a semaphore, a condition.
public protocol ContextHandle: Handle {
  /// Blocks until held (Ctrl-C raises KeyboardInterrupt and leaves it not held).
  func enter() throws(ScriptError)
  func exit() throws(ScriptError)
}

/// The position `index` names in a sequence of `count` items, by Python's rules (negative
/// counts from the end); IndexError or TypeError otherwise. For SequenceHandle's sequences.
public func sequencePosition(_ index: Value, count: Int) throws(ScriptError) -> Int {
  try Operators.position(index, count: count)
}
