// Methods of strings (`s.upper()`, `", ".join(xs)`): the few a process experiment needs.

enum StringMethods {
  /// Every method name, as `dir` lists them.
  static let names = ["endswith", "join", "lower", "split", "startswith", "strip", "upper"]

  static func call(_ s: String, _ name: String, _ call: BuiltinCall) throws(ScriptError) -> Value? {
    switch name {
    case "upper": return .string(s.uppercased())
    case "lower": return .string(s.lowercased())
    case "strip": return .string(s.trimmingSpaces)
    case "startswith": return .bool(s.hasPrefix(try text(call, 0)))
    case "endswith": return .bool(s.hasSuffix(try text(call, 0)))
    case "split":
      if call.arguments.isEmpty {
        return .list(s.split(whereSeparator: \.isWhitespace).map { .string(String($0)) })
      }
      let separator = try text(call, 0)
      guard !separator.isEmpty else { throw ScriptError(.valueError, "empty separator") }
      return .list(s.split(separator: separator, omittingEmptySubsequences: false).map { .string(String($0)) })
    case "join":
      guard let items = try call.arguments.first?.sequenceElements(interrupts: call.interpreter.host) else {
        throw ScriptError(.typeError, "join() takes a list")
      }
      return .string(items.map(\.description).joined(separator: s))
    default: return nil
    }
  }

  /// `s.upper()`, `s.startswith(t)` and the like for a compiled call site, which named the
  /// method once (see MethodCallCode): what `call` answers, without a BuiltinCall; nil for
  /// another shape of call and for whatever `call` rejects, so that `call` reports it.
  static func quick(_ s: String, _ method: ValueMethod) -> Value? {
    switch method {
    case .upper: .string(s.uppercased())
    case .lower: .string(s.lowercased())
    case .strip: .string(s.trimmingSpaces)
    case .split: .list(s.split(whereSeparator: \.isWhitespace).map { .string(String($0)) })
    default: nil
    }
  }

  static func quick(_ s: String, _ method: ValueMethod, _ argument: Value) -> Value? {
    switch (method, argument) {
    case (.startswith, .string(let prefix)): .bool(s.hasPrefix(prefix))
    case (.endswith, .string(let suffix)): .bool(s.hasSuffix(suffix))
    case (.split, .string(let separator)) where !separator.isEmpty:
      .list(s.split(separator: separator, omittingEmptySubsequences: false).map { .string(String($0)) })
    case (.join, .list(let items)), (.join, .tuple(let items)): .string(items.map(\.description).joined(separator: s))
    default: nil
    }
  }

  private static func text(_ call: BuiltinCall, _ i: Int) throws(ScriptError) -> String {
    guard case .string(let s) = try call.argument(i, "a string") else {
      throw ScriptError(.typeError, "expected a string argument")
    }
    return s
  }
}

extension String {
  /// The string without whitespace at either end (`strip()`, `int(" 7 ")`).
  var trimmingSpaces: String {
    // ASCII, the common case, byte by byte over the string's own bytes: asking each
    // Character whether it is whitespace looks up Unicode properties and made strip() a
    // string method's main cost. The same answer: ASCII whitespace is \t \n \v \f \r and
    // space, and "\r\n", one Character, is whitespace too.
    // A string with non-space ASCII at both ends is its own answer, as Python's strip gives
    // the same object back: no new string is built.
    let trimmed = utf8.withContiguousStorageIfAvailable { bytes -> String? in
      func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
      if let first = bytes.first, let last = bytes.last, first < 0x80, last < 0x80, !isSpace(first), !isSpace(last) {
        return self
      }
      guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
      guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else {
        return ""
      }
      return String(decoding: UnsafeBufferPointer(rebasing: bytes[first...last]), as: UTF8.self)
    }
    if let ascii = trimmed ?? nil { return ascii }
    var s = Substring(self)
    while let c = s.first, c.isWhitespace { s.removeFirst() }
    while let c = s.last, c.isWhitespace { s.removeLast() }
    return String(s)
  }

  /// `body` of the string's bytes when each byte is one character: ASCII without "\r"
  /// (whose "\r\n" is one character); nil for other text, which takes the character-wise
  /// path. Indexing and slicing such text by byte gives what indexing characters gives.
  func withByteCharacters<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R? {
    var result: Result<R, E>?
    _ = utf8.withContiguousStorageIfAvailable { bytes in
      var bits: UInt8 = 0
      var returns = 0
      for byte in bytes {
        bits |= byte
        returns &+= byte == 0x0D ? 1 : 0
      }
      guard bits < 0x80, returns == 0 else { return }
      do throws(E) { result = .success(try body(bytes)) } catch { result = .failure(error) }
    }
    return try result?.get()
  }

  /// `count` (characters), counted from the bytes when they are ASCII, where a character is
  /// a byte except "\r\n", one character; `count` itself finds grapheme breaks one by one.
  /// One plain pass over the bytes (no early exit), which the compiler vectorises, so `len`
  /// of a long string built in a loop stays cheap; "\r" pairs are looked for only if any.
  var characterCount: Int {
    let ascii = utf8.withContiguousStorageIfAvailable { bytes -> Int? in
      var bits: UInt8 = 0
      var returns = 0
      for byte in bytes {
        bits |= byte
        returns &+= byte == 0x0D ? 1 : 0
      }
      guard bits < 0x80 else { return nil }
      guard returns > 0 else { return bytes.count }
      var pairs = 0
      for i in bytes.indices.dropLast() where bytes[i] == 0x0D && bytes[i + 1] == 0x0A { pairs += 1 }
      return bytes.count - pairs
    }
    return (ascii ?? nil) ?? count
  }
}
