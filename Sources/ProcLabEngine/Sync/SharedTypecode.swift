// The C types a shared Value or Array holds, by the array module's typecodes: how many bytes
// an item takes, and how a script value is read from and written to those bytes.
import Glibc
import ProcLabScript

public enum SharedTypecode: UInt8, CaseIterable, Sendable {
  case int32 = 0x69  // "i"
  case int64 = 0x6C  // "l"
  case int8 = 0x62  // "b"
  case uint8 = 0x42  // "B"
  case double = 0x64  // "d"
  case float = 0x66  // "f"
  case char = 0x63  // "c"

  public init?(code: String) {
    guard code.utf8.count == 1, let found = SharedTypecode(rawValue: code.utf8.first!) else { return nil }
    self = found
  }

  public var code: String { String(UnicodeScalar(rawValue)) }

  public static var codes: String { allCases.map(\.code).joined(separator: ", ") }

  public var size: Int {
    switch self {
    case .int8, .uint8, .char: 1
    case .int32, .float: 4
    case .int64, .double: 8
    }
  }

  /// What a fresh (zeroed) item reads as: 0, 0.0, or the character with code 0.
  public var zero: Value {
    switch self {
    case .double, .float: .float(0)
    case .char: .string("\0")
    default: .int(0)
    }
  }

  func read(_ at: UnsafeMutableRawPointer) -> Value {
    switch self {
    case .int32: .int(Int(at.load(as: Int32.self)))
    case .int64: .int(at.load(as: Int.self))
    case .int8: .int(Int(at.load(as: Int8.self)))
    case .uint8: .int(Int(at.load(as: UInt8.self)))
    case .double: .float(at.load(as: Double.self))
    case .float: .float(Double(at.load(as: Float.self)))
    case .char: .string(String(UnicodeScalar(at.load(as: UInt8.self))))
    }
  }

  /// Stores `value`; an int out of the type's range is an OverflowError (ctypes would cut it
  /// silently: a shared counter that wraps would hide the very bug a lesson shows).
  func write(_ value: Value, _ at: UnsafeMutableRawPointer) throws(ScriptError) {
    switch self {
    case .double, .float:
      let d: Double
      switch value {
      case .int(let i): d = Double(i)
      case .float(let f): d = f
      case .bool(let b): d = b ? 1 : 0
      default: throw ScriptError(.typeError, "typecode '\(code)' holds floats, not \(value.typeNameWithArticle)")
      }
      if self == .double { at.storeBytes(of: d, as: Double.self) } else { at.storeBytes(of: Float(d), as: Float.self) }
    case .char:
      guard case .string(let s) = value, s.unicodeScalars.count == 1, let byte = s.unicodeScalars.first, byte.value < 256 else {
        throw ScriptError(.typeError, "typecode 'c' holds one character (code below 256), not \(value.repr)")
      }
      at.storeBytes(of: UInt8(byte.value), as: UInt8.self)
    default:
      let i: Int
      switch value {
      case .int(let n): i = n
      case .bool(let b): i = b ? 1 : 0
      default: throw ScriptError(.typeError, "typecode '\(code)' holds ints, not \(value.typeNameWithArticle)")
      }
      switch self {
      case .int32:
        guard let n = Int32(exactly: i) else { throw overflow(i, Int(Int32.min), Int(Int32.max)) }
        at.storeBytes(of: n, as: Int32.self)
      case .int8:
        guard let n = Int8(exactly: i) else { throw overflow(i, Int(Int8.min), Int(Int8.max)) }
        at.storeBytes(of: n, as: Int8.self)
      case .uint8:
        guard let n = UInt8(exactly: i) else { throw overflow(i, 0, 255) }
        at.storeBytes(of: n, as: UInt8.self)
      default:
        at.storeBytes(of: i, as: Int.self)
      }
    }
  }

  private func overflow(_ i: Int, _ low: Int, _ high: Int) -> ScriptError {
    ScriptError(.overflowError, "\(i) does not fit typecode '\(code)' (\(low) to \(high))")
  }
}
