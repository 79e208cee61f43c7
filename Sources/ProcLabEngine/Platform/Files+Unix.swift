// Files and the clock for scripts: read, write, append and remove files, the local date.
// Errors name the path and the reason.
import Glibc
import ProcLabScript

extension Engine {
  /// A whole file as text.
  public static func readFile(_ path: String) throws(ScriptError) -> String {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw Descriptors.systemError("open \(path)") }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = read(fd, &chunk, chunk.count)
      if n > 0 {
        bytes.append(contentsOf: chunk[0..<n])
      } else if n < 0 && errno == EINTR {
        continue
      } else if n < 0 {
        throw Descriptors.systemError("read \(path)")
      } else {
        return String(decoding: bytes, as: UTF8.self)
      }
    }
  }

  /// Replaces a file's content, or adds to its end.
  public static func writeFile(_ path: String, _ content: String, append: Bool) throws(ScriptError) {
    let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0o644)
    guard fd >= 0 else { throw Descriptors.systemError("open \(path)") }
    defer { close(fd) }
    Descriptors.writeAll(fd, content)
  }

  /// Deletes a file; one already gone is no error.
  public static func removeFile(_ path: String) throws(ScriptError) {
    guard unlink(path) == 0 || errno == ENOENT else { throw Descriptors.systemError("remove \(path)") }
  }

  /// Local date and time, `2026-11-27 06:50:31` (in strftime's `format`).
  public static func localDate(format: String = "%Y-%m-%d %H:%M:%S") -> String {
    var now = time(nil)
    var parts = tm()
    localtime_r(&now, &parts)
    var buffer = [CChar](repeating: 0, count: 64)
    let count = strftime(&buffer, buffer.count, format, &parts)
    return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
