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
    guard bytes.count - 4 <= Int(UInt32.max) else { throw CrossingError(.tooLarge(bytes: bytes.count - 4, limit: Int(UInt32.max) + 1)) }
    let length = UInt32(bytes.count - 4)
    for i in 0..<4 { bytes[i] = UInt8(truncatingIfNeeded: length >> (8 * UInt32(i))) }
  }

  mutating func int(_ i: Int) {
    // Eight appends of a byte cost less than appending the number's bytes as a buffer.
    let n = UInt64(bitPattern: Int64(i))
    for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: n >> UInt64(shift))) }
  }

  mutating func double(_ d: Double) {
    int(Int(Int64(bitPattern: d.bitPattern)))
  }

  /// Appends `count` zero bytes and returns where they start, to be overwritten in place:
  /// for many numbers at once, appending each one's bytes costs several times more.
  private mutating func room(_ count: Int) -> Int {
    let at = bytes.count
    bytes.append(contentsOf: repeatElement(0, count: count))
    return at
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
      try sequence(items, tag: 6, packedTag: 15)
    case .range(let a, let b, let s): byte(7); int(a); int(b); int(s)
    case .function(let f):
      // The receiver refuses longer text, and places it at its line and column.
      guard f.source.utf8.count <= WireLimits.maxSourceBytes else {
        throw CrossingError(.sourceTooLarge(name: f.name, bytes: f.source.utf8.count))
      }
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
      try sequence(items, tag: 11, packedTag: 16)
    case .dict(let d):
      byte(12)
      int(d.count)
      for (key, item) in zip(d.keys, d.values) {
        try value(key)
        try value(item)
      }
    case .handle(let object as SharedObject):
      // Locks and shared values live in the arena every process maps: the offset names one.
      byte(13)
      int(object.offset)
    case .handle(let proxy as ManagedProxy):
      // A manager's dict, list or namespace lives in the session: its name finds it there.
      byte(14)
      string(proxy.kind)
      string(proxy.name)
    case .handle(let h):
      throw CrossingError(handle: h)
    }
  }

  /// The items of a list or tuple: `tag`, the count and each value; or, when every item is
  /// an int (a pool map's items and results, most often), `packedTag`, the count and the
  /// numbers alone, 8 bytes each, written and read in one tight loop.
  private mutating func sequence(_ items: [Value], tag: UInt8, packedTag: UInt8) throws(CrossingError) {
    byte(packedTag)
    if packedInts(items[...]) { return }
    bytes[bytes.count - 1] = tag
    int(items.count)
    for item in items { try value(item) }
  }

  /// Values that are not one value: a pool task's items (each the arguments of one call) or
  /// results, each a value of its own for Crossing.maxDepth. A byte says how they go: 0
  /// tagged one by one, 1 packed ints.
  mutating func values(_ items: TaskValues) throws(CrossingError) {
    switch items {
    case .ints(let numbers):
      byte(1)
      int(numbers.count)
      guard !numbers.isEmpty else { return }
      let at = room(8 * numbers.count)
      bytes.withUnsafeMutableBytes { raw in
        #if _endian(little) && _pointerBitWidth(_64)
          // An Int is already 8 little-endian bytes: one copy.
          numbers.withUnsafeBytes { raw.baseAddress!.advanced(by: at).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        #else
          for (k, n) in numbers.enumerated() { raw.storeBytes(of: Int64(n).littleEndian, toByteOffset: at + 8 * k, as: Int64.self) }
        #endif
      }
    case .values(let values):
      byte(1)
      if packedInts(values) { return }
      bytes[bytes.count - 1] = 0
      int(values.count)
      for item in values { try value(item) }
    }
  }

  /// Writes the count and the numbers when every item is an int, in one pass; else writes
  /// nothing and returns false (a first item that is not an int is seen before any room is made).
  private mutating func packedInts(_ items: ArraySlice<Value>) -> Bool {
    if let first = items.first, case .int = first {} else if !items.isEmpty { return false }
    let start = bytes.count
    int(items.count)
    let at = room(8 * items.count)
    let packed = bytes.withUnsafeMutableBytes { raw in
      items.withUnsafeBufferPointer { values in
        for k in values.indices {
          guard case .int(let i) = values[k] else { return false }
          raw.storeBytes(of: Int64(i).littleEndian, toByteOffset: at + 8 * k, as: Int64.self)
        }
        return true
      }
    }
    if !packed { bytes.removeSubrange(start...) }
    return packed
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
  /// How many more values this frame may hold (see WireLimits.maxValues).
  private var valuesLeft = WireLimits.maxValues

  init(_ bytes: ArraySlice<UInt8>) {
    self.bytes = bytes
    offset = bytes.startIndex
    end = bytes.endIndex
  }

  var atEnd: Bool { offset >= end }

  /// Bytes not read yet: every length and count is checked against it before it is used.
  private var left: Int { end - offset }

  private static let truncated = ScriptError(.processError, "a truncated message arrived on a control channel")
  static let malformed = ScriptError(.processError, "a malformed message arrived on a control channel")

  static func malformed(_ why: String) -> ScriptError {
    ScriptError(.processError, "a malformed message arrived on a control channel: \(why)")
  }

  /// An element count, checked against what is left (each element takes at least
  /// `minimumSize` bytes), so a bad message cannot ask for a huge array.
  mutating func count(minimumSize: Int = 1) throws(ScriptError) -> Int {
    let n = try int()
    guard n >= 0, n <= left / max(1, minimumSize) else { throw WireReader.malformed("a count of \(n) with \(left) bytes left") }
    return n
  }

  mutating func byte() throws(ScriptError) -> UInt8 {
    guard offset < end else { throw WireReader.truncated }
    defer { offset += 1 }
    return bytes[offset]
  }

  mutating func int() throws(ScriptError) -> Int {
    guard left >= 8 else { throw WireReader.truncated }
    let at = offset - bytes.startIndex
    let raw = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: UInt64.self) }
    offset += 8
    return Int(Int64(bitPattern: UInt64(littleEndian: raw)))
  }

  mutating func double() throws(ScriptError) -> Double {
    Double(bitPattern: UInt64(bitPattern: Int64(try int())))
  }

  /// A number that must lie in `range` (a line, a column, a pid).
  mutating func int(in range: ClosedRange<Int>, _ what: String) throws(ScriptError) -> Int {
    let n = try int()
    guard range.contains(n) else { throw WireReader.malformed("\(what) \(n) is out of range") }
    return n
  }

  /// A string of at most `limit` bytes (and never more than the frame has left).
  mutating func string(limit: Int = .max) throws(ScriptError) -> String {
    let count = try int()
    guard count >= 0, count <= left else { throw WireReader.truncated }
    guard count <= limit else { throw WireReader.malformed("a string of \(count) bytes where at most \(limit) fit") }
    defer { offset += count }
    return String(decoding: bytes[offset..<offset + count], as: UTF8.self)
  }

  /// A name: a function's, an error kind's, a file's, a queue's, a process's.
  mutating func name() throws(ScriptError) -> String {
    try string(limit: WireLimits.maxNameBytes)
  }

  /// A place in a script, with its line and column checked.
  private mutating func location(file: String) throws(ScriptError) -> SourceLocation {
    let line = try int(in: 0...WireLimits.maxLine, "line")
    let column = try int(in: 0...WireLimits.maxColumn, "column")
    return SourceLocation(file: file, line: line, column: column)
  }

  /// Reads a value. Functions are found with `resolve(name, source)`: a worker knows the
  /// definitions that existed when it was forked, and can compile a newer one from its source.
  /// This function and `items` are the only ones that recurse: every other kind is read in a
  /// function of its own, so each level of nesting costs little stack, even unoptimised.
  mutating func value(resolve: (FunctionReference) -> Value?) throws(ScriptError) -> Value {
    depth += 1
    defer { depth -= 1 }
    guard depth <= Crossing.maxDepth else { throw WireReader.malformed("values nested more than \(Crossing.maxDepth) deep") }
    valuesLeft -= 1
    guard valuesLeft >= 0 else { throw WireReader.malformed("more than \(WireLimits.maxValues) values in one message") }
    let tag = try byte()
    switch tag {
    case 6: return .list(try items(resolve: resolve))
    case 11: return .tuple(try items(resolve: resolve))
    case 15: return .list(try packedInts())
    case 16: return .tuple(try packedInts())
    case 12: return try dict(resolve: resolve)
    default: return try scalar(tag, resolve: resolve)
    }
  }

  /// A value that holds no other values.
  @inline(never)
  private mutating func scalar(_ tag: UInt8, resolve: (FunctionReference) -> Value?) throws(ScriptError) -> Value {
    switch tag {
    case 0: return .none
    case 1: return .bool(false)
    case 2: return .bool(true)
    case 3: return .int(try int())
    case 4: return .float(try double())
    case 5: return .string(try string())
    case 7:
      let (start, stop, step) = (try int(), try int(), try int())
      guard step != 0 else { throw WireReader.malformed("a range with step 0") }
      return .range(start, stop, step)
    case 8:
      var reference = FunctionReference(name: try name())
      reference.source = try string(limit: WireLimits.maxSourceBytes)
      reference.location = try location(file: try name())
      return try function(reference, resolve)
    case 9:
      return try function(FunctionReference(name: try name()), resolve)
    case 10:
      return .error(try error())
    case 13:
      let offset = try int()
      guard let handle = SharedArena.current?.handle(at: offset) else { throw WireReader.malformed("no shared object at offset \(offset)") }
      return .handle(handle)
    case 14:
      let kind = try name()
      guard ["dict", "list", "Namespace"].contains(kind) else { throw WireReader.malformed("a managed object of kind \(kind)") }
      return .handle(ManagedProxy.make(kind: kind, name: try name()))
    default:
      throw ScriptError(.processError, "unknown value tag \(tag) on a control channel")
    }
  }

  @inline(never)
  private mutating func error() throws(ScriptError) -> ScriptError {
    let kind = try name()
    let message = try string()
    let file = try name()
    let place = try location(file: file)
    let origin = try name()
    var error = ScriptError(ErrorKind.named(kind) ?? .runtimeError, message, at: file.isEmpty ? nil : place, origin: origin.isEmpty ? nil : origin)
    // A trace frame takes at least 32 bytes: two empty strings and two numbers.
    for _ in 0..<(try count(minimumSize: 32)) {
      let function = try name()
      error.trace.append(TraceFrame(function: function, location: try location(file: try name())))
    }
    return error
  }

  @inline(never)
  private mutating func dict(resolve: (FunctionReference) -> Value?) throws(ScriptError) -> Value {
    var d = Dict()
    // A key and its value take at least a byte each.
    for _ in 0..<(try count(minimumSize: 2)) {
      let key = try value(resolve: resolve)
      let item = try value(resolve: resolve)
      do { try d.set(item, for: key) } catch { throw WireReader.malformed("a dictionary key that cannot be one") }
    }
    return .dict(d)
  }

  /// A pool task's items or results, as WireWriter.values wrote them.
  mutating func values(resolve: (FunctionReference) -> Value?) throws(ScriptError) -> TaskValues {
    switch try byte() {
    case 0: return .values(try items(resolve: resolve)[...])
    case 1: return .ints(try packedNumbers())
    case let format: throw WireReader.malformed("items in an unknown format \(format)")
    }
  }

  @inline(never)
  private mutating func packedNumbers() throws(ScriptError) -> [Int] {
    let count = try self.count(minimumSize: 8)
    valuesLeft -= count
    guard valuesLeft >= 0 else { throw WireReader.malformed("more than \(WireLimits.maxValues) values in one message") }
    guard count > 0 else { return [] }
    let at = offset - bytes.startIndex
    offset += 8 * count
    return bytes.withUnsafeBytes { raw in
      [Int](unsafeUninitializedCapacity: count) { slots, initialized in
        #if _endian(little) && _pointerBitWidth(_64)
          UnsafeMutableRawPointer(slots.baseAddress!).copyMemory(from: raw.baseAddress!.advanced(by: at), byteCount: 8 * count)
        #else
          for k in 0..<count { slots[k] = Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: at + 8 * k, as: Int64.self))) }
        #endif
        initialized = count
      }
    }
  }

  /// Ints written packed (see WireWriter.sequence). Each takes 8 bytes of the frame, so the
  /// count is checked against what is left and all of them are reserved at once.
  @inline(never)
  private mutating func packedInts() throws(ScriptError) -> [Value] {
    let count = try self.count(minimumSize: 8)
    valuesLeft -= count
    guard valuesLeft >= 0 else { throw WireReader.malformed("more than \(WireLimits.maxValues) values in one message") }
    let at = offset - bytes.startIndex
    offset += 8 * count
    return bytes.withUnsafeBytes { raw in
      [Value](unsafeUninitializedCapacity: count) { slots, initialized in
        for k in 0..<count {
          let n = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: at + 8 * k, as: Int64.self))
          (slots.baseAddress! + k).initialize(to: .int(Int(n)))
        }
        initialized = count
      }
    }
  }

  /// The items of a list or tuple. Room for at most 4096 is reserved before they are read:
  /// lists nested in one another would each reserve what the count claims, and a count is
  /// only checked against the bytes left, which nested lists share.
  @inline(never)
  private mutating func items(resolve: (FunctionReference) -> Value?) throws(ScriptError) -> [Value] {
    let count = try self.count()
    guard count <= valuesLeft else { throw WireReader.malformed("more than \(WireLimits.maxValues) values in one message") }
    var items: [Value] = []
    items.reserveCapacity(min(count, 4096))
    for _ in 0..<count { items.append(try value(resolve: resolve)) }
    return items
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
