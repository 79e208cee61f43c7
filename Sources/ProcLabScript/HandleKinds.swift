// Two kinds of engine object the language itself knows how to use: one that holds a sequence
// (a shared Array: `a[i]`, slices, `len`, `list`, `for`) and one `with X { }` can hold.

/// An engine object with numbered items, read and written in place (shared memory).
public protocol SequenceHandle: Handle {
  var count: Int { get }
  /// The item at `index`, already checked to be in 0..<count.
  func item(at index: Int) -> Value
  /// Stores `value` at `index` (in 0..<count); a TypeError when the value does not fit.
  func setItem(at index: Int, to value: Value) throws(ScriptError)
  /// Every item, in order, read now.
  var elements: [Value] { get }
}

/// An engine object `with X { }` holds for a block: a lock, a semaphore, a condition.
public protocol ContextHandle: Handle {
  /// Blocks until held (Ctrl-C raises KeyboardInterrupt and leaves it not held).
  func enter() throws(ScriptError)
  func exit() throws(ScriptError)
}
