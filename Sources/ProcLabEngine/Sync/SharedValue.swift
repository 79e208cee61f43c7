// Value(typecode, init) and Array(typecode, size_or_list): C numbers in the shared arena, each
// with an optional lock. Reading and writing are plain loads and stores, so `v.value += 1` is a
// read, an add and a write that another process can come between, as in Python.
import CSystem
import Glibc
import ProcLabScript

/// Payload: the offset of its lock (0: none), the typecode, then the number.
public final class SharedValue: SharedObject, Handle {
  static let payloadBytes = 24
  private static let data = 16

  func setUp(_ typecode: SharedTypecode, lock: Int) {
    payload.storeBytes(of: UInt64(lock), as: UInt64.self)
    (payload + 8).storeBytes(of: typecode.rawValue, as: UInt8.self)
  }

  public var typecode: SharedTypecode { SharedTypecode(rawValue: (payload + 8).load(as: UInt8.self)) ?? .int32 }

  /// Its lock (an RLock, as multiprocessing makes), nil when made with lock=false.
  public var lock: SharedLock? { engine.sharedLock(at: Int(payload.load(as: UInt64.self))) }

  public var value: Value { typecode.read(payload + SharedValue.data) }

  public func set(_ value: Value) throws(ScriptError) { try typecode.write(value, payload + SharedValue.data) }

  public var typeName: String { "shared value" }
  public var display: String { "<Value \(name) '\(typecode.code)' \(value.repr)>" }
}

/// Payload: the offset of its lock, the typecode, the count, then the items.
public final class SharedArray: SharedObject, SequenceHandle {
  static let headerBytes = 32

  func setUp(_ typecode: SharedTypecode, count: Int, lock: Int) {
    payload.storeBytes(of: UInt64(lock), as: UInt64.self)
    (payload + 8).storeBytes(of: typecode.rawValue, as: UInt8.self)
    (payload + 16).storeBytes(of: UInt64(count), as: UInt64.self)
  }

  public var typecode: SharedTypecode { SharedTypecode(rawValue: (payload + 8).load(as: UInt8.self)) ?? .int32 }
  public var lock: SharedLock? { engine.sharedLock(at: Int(payload.load(as: UInt64.self))) }
  public var count: Int { Int((payload + 16).load(as: UInt64.self)) }

  private func address(_ index: Int) -> UnsafeMutableRawPointer { payload + SharedArray.headerBytes + index * typecode.size }

  func item(at index: Int) -> Value { typecode.read(address(index)) }

  func setItem(at index: Int, to value: Value) throws(ScriptError) { try typecode.write(value, address(index)) }

  // MARK: SequenceHandle

  public func length() -> Int { count }
  public func item(_ key: Value) throws(ScriptError) -> Value { item(at: try sequencePosition(key, count: count)) }
  public func setItem(_ key: Value, to value: Value) throws(ScriptError) { try setItem(at: try sequencePosition(key, count: count), to: value) }
  public func elements() -> [Value] { (0..<count).map(item(at:)) }
  public var isMapping: Bool { false }

  public var typeName: String { "shared array" }

  public var display: String {
    let shown = (0..<min(count, 10)).map { item(at: $0).repr }.joined(separator: ", ") + (count > 10 ? ", ..." : "")
    return "<Array \(name) '\(typecode.code)' [\(shown)]>"
  }
}
