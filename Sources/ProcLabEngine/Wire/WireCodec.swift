// The one binary codec for everything that crosses a control channel: integers, floats,
// strings and script values, little-endian, length-prefixed. Functions cross by name.
// Encoding fails only with a CrossingError, always before anything is written anywhere.
import ProcLabScript

struct WireWriter {
  private(set) var bytes: [UInt8] = []
  /// How many values are being encoded inside one another (see Crossing.maxDepth).
  private var depth = 0

  init(capacity: Int = 64) { bytes.reserveCapacity(capacity) }

  mutating func byte(_ b: UInt8) { bytes.append(b) }

  /// Leaves room for a frame's 4-byte length; finishFrame fills it in.
  mutating func reserveFrameHeader() { bytes.append(contentsOf: [0, 0, 0, 0]) }

  mutating func finishFrame() throws(CrossingError) {
    guard bytes.count - 4 <= Int(UInt32.max) else { throw CrossingError(.tooLarge(bytes: bytes.count - 4)) }
    let length = UInt32(bytes.count - 4)
    for i in 0..<4 { bytes[i] = UInt8(truncatingIfNeeded: length >> (8 * UInt32(i))) }
  }

  mutating func int(_ i: Int) {
    withUnsafeBytes(of: Int64(i).littleEndian) { bytes.append(contentsOf: $0) }
  }

  mutating func double(_ d: Double) {
    withUnsafeBytes(of: d.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
  }

  mutating func string(_ s: String) {
    let utf8 = s.utf8
    int(utf8.count)
    bytes.append(contentsOf: utf8)
  }

  mutating func value(_ v: Value) throws(CrossingError) {
    depth += 1
    defer { depth -= 1 }
    guard depth <= Crossing.maxDepth else { throw CrossingError(.tooDeep) }
    switch v {
    case .none: byte(0)
    case .bool(let b): byte(b ? 2 : 1)
    case .int(let i): byte(3); int(i)
    case .float(let d): byte(4); double(d)
    case .string(let s): byte(5); string(s)
    case .list(let items):
      byte(6)
      int(items.count)
      for item in items { try value(item) }
    case .range(let a, let b, let s): byte(7); int(a); int(b); int(s)
    case .function(let f):
      byte(8)
      string(f.name)
      string(f.source)
      string(f.location.file)
      int(f.location.line)
      int(f.location.column)
    case .builtin(let b): byte(9); string(b.name)
    case .error(let e):
      byte(10)
      string(e.kind.name)
      string(e.message)
      string(e.location?.file ?? "")
      int(e.location?.line ?? 0)
      int(e.location?.column ?? 0)
      string(e.origin ?? "")
      int(e.trace.count)
      for frame in e.trace {
        string(frame.function)
        string(frame.location.file)
        int(frame.location.line)
        int(frame.location.column)
      }
    case .tuple(let items):
      byte(11)
      int(items.count)
      for item in items { try value(item) }
    case .dict(let d):
      byte(12)
      int(d.count)
      for (key, item) in zip(d.keys, d.values) {
        try value(key)
        try value(item)
      }
    case .handle(let h):
      throw CrossingError(handle: h)
    }
  }
}

struct WireReader {
  /// Reads in place from a frame of a channel's inbox: no copy per message.
  private let bytes: ArraySlice<UInt8>
  private var offset: Int
  private let end: Int
  /// How many values are being read inside one another: a frame may not nest deeper than a
  /// sender may (Crossing.maxDepth), so a hostile one cannot exhaust the stack.
  private var depth = 0

  init(_ bytes: ArraySlice<UInt8>) {
    self.bytes = bytes
    offset = bytes.startIndex
    end = bytes.endIndex
  }

  var atEnd: Bool { offset >= end }

  private static let truncated = ScriptError(.processError, "a truncated message arrived on a control channel")
  static let malformed = ScriptError(.processError, "a malformed message arrived on a control channel")

  /// A element count, checked against what is left so a bad message cannot ask for a huge array.
  mutating func count() throws(ScriptError) -> Int {
    let n = try int()
    guard n >= 0, n <= end - offset else { throw WireReader.malformed }
    return n
  }

  mutating func byte() throws(ScriptError) -> UInt8 {
    guard offset < end else { throw WireReader.truncated }
    defer { offset += 1 }
    return bytes[offset]
  }

  mutating func int() throws(ScriptError) -> Int {
    guard offset + 8 <= end else { throw WireReader.truncated }
    var raw: UInt64 = 0
    for i in (0..<8).reversed() { raw = raw << 8 | UInt64(bytes[offset + i]) }
    offset += 8
    return Int(Int64(bitPattern: raw))
  }

  mutating func double() throws(ScriptError) -> Double {
    Double(bitPattern: UInt64(bitPattern: Int64(try int())))
  }

  mutating func string() throws(ScriptError) -> String {
    let count = try int()
    guard count >= 0, offset + count <= end else { throw WireReader.truncated }
    defer { offset += count }
    return String(decoding: bytes[offset..<offset + count], as: UTF8.self)
  }

  /// Reads a value. Functions are found with `resolve(name, source)`: a worker knows the
  /// definitions that existed when it was forked, and can compile a newer one from its source.
  mutating func value(resolve: (FunctionReference) -> Value?) throws(ScriptError) -> Value {
    depth += 1
    defer { depth -= 1 }
    guard depth <= Crossing.maxDepth else { throw WireReader.malformed }
    switch try byte() {
    case 0: return .none
    case 1: return .bool(false)
    case 2: return .bool(true)
    case 3: return .int(try int())
    case 4: return .float(try double())
    case 5: return .string(try string())
    case 6:
      let count = try self.count()
      var items: [Value] = []
      items.reserveCapacity(count)
      for _ in 0..<count { items.append(try value(resolve: resolve)) }
      return .list(items)
    case 7: return .range(try int(), try int(), try int())
    case 8:
      var reference = FunctionReference(name: try string())
      reference.source = try string()
      let file = try string()
      reference.location = SourceLocation(file: file, line: try int(), column: try int())
      return try function(reference, resolve)
    case 9:
      return try function(FunctionReference(name: try string()), resolve)
    case 10:
      let kind = try string()
      let message = try string()
      let file = try string()
      let line = try int()
      let column = try int()
      let origin = try string()
      let location = file.isEmpty ? nil : SourceLocation(file: file, line: line, column: column)
      var error = ScriptError(ErrorKind.named(kind) ?? .runtimeError, message, at: location, origin: origin.isEmpty ? nil : origin)
      for _ in 0..<(try count()) {
        let function = try string()
        let frameFile = try string()
        error.trace.append(TraceFrame(function: function, location: SourceLocation(file: frameFile, line: try int(), column: try int())))
      }
      return .error(error)
    case 11:
      let count = try self.count()
      var items: [Value] = []
      items.reserveCapacity(count)
      for _ in 0..<count { items.append(try value(resolve: resolve)) }
      return .tuple(items)
    case 12:
      var d = Dict()
      for _ in 0..<(try count()) {
        let key = try value(resolve: resolve)
        let item = try value(resolve: resolve)
        do { try d.set(item, for: key) } catch { throw WireReader.malformed }
      }
      return .dict(d)
    case let tag:
      throw ScriptError(.processError, "unknown value tag \(tag) on a control channel")
    }
  }
}

extension WireReader {
  fileprivate func function(_ reference: FunctionReference, _ resolve: (FunctionReference) -> Value?) throws(ScriptError) -> Value {
    guard let function = resolve(reference) else {
      throw ScriptError(.nameError, "function '\(reference.name)' is not defined in this process")
    }
    return function
  }
}

/// A function as it crosses a channel: by name, with its `def` text and place when it is
/// a script function (a builtin goes by name alone).
struct FunctionReference {
  var name: String
  var source: String?
  var location: SourceLocation?
}
