// Bytes from the terminal (fd 0), handed to libedit one Unicode scalar at a time.
// Reads whatever is available in one read(2) so a paste costs one system call, not one per byte.
import Glibc

struct TerminalInput {
  enum Fill { case bytes, endOfFile, retry, failed }

  private var bytes: [UInt8] = []
  private var start = 0

  /// The next complete scalar in the buffer, or nil when more bytes are needed.
  /// A malformed sequence costs one byte and yields U+FFFD, so bad input never stalls the editor.
  mutating func nextScalar() -> Unicode.Scalar? {
    guard start < bytes.count else { return nil }
    let lead = bytes[start]
    let length: Int
    switch lead {
    case 0x00...0x7F: length = 1
    case 0xC2...0xDF: length = 2
    case 0xE0...0xEF: length = 3
    case 0xF0...0xF4: length = 4
    default: return consumeMalformed()
    }
    let available = bytes.count - start
    for offset in 1..<min(length, available) where bytes[start + offset] & 0xC0 != 0x80 {
      return consumeMalformed()
    }
    if available < length { return nil }
    var value = UInt32(lead) & (length == 1 ? 0x7F : UInt32(0x7F) >> length)
    for offset in 1..<length { value = value << 6 | UInt32(bytes[start + offset] & 0x3F) }
    let smallest: [UInt32] = [0, 0, 0x80, 0x800, 0x10000]
    guard value >= smallest[length], let scalar = Unicode.Scalar(value) else {
      return consumeMalformed()
    }
    advance(by: length)
    return scalar
  }

  /// One read(2) from fd 0; call only once the fd is known readable, or it blocks.
  mutating func fill() -> Fill {
    var chunk = [UInt8](repeating: 0, count: 4096)
    let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
    if count > 0 {
      bytes.append(contentsOf: chunk[0..<count])
      return .bytes
    }
    if count == 0 { return .endOfFile }
    return errno == EINTR || errno == EAGAIN ? .retry : .failed
  }

  /// Drops typed-ahead input, as the terminal driver does with its own queue on Ctrl-C.
  mutating func discard() {
    bytes.removeAll(keepingCapacity: true)
    start = 0
  }

  private mutating func consumeMalformed() -> Unicode.Scalar {
    advance(by: 1)
    return "\u{FFFD}"
  }

  private mutating func advance(by count: Int) {
    start += count
    if start == bytes.count { discard() }
  }
}
