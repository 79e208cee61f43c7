// Files and the clock for scripts: read, write, append and remove files, a private temporary
// directory, the local date. Errors name the path and the reason.
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
    let failure = Descriptors.writeAll(fd, content)
    // close reports what the write could not (a full disk over NFS, a quota).
    let closed = close(fd) == 0 ? 0 : errno
    if failure != 0 { throw Descriptors.systemError("write \(path)", errno: failure) }
    if closed != 0 && closed != EINTR { throw Descriptors.systemError("write \(path)", errno: closed) }
  }

  /// `temp_dir()`: a directory of this session's own, made with mkdtemp (mode 0700, a name
  /// nobody can guess, so nothing can be planted there), the same one on every call, removed
  /// with all it holds when the process that made it ends.
  public func temporaryDirectory() throws(ScriptError) -> String {
    if let temporary { return temporary.path }
    let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    var template = Array((base + "/proclab-XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else { throw Descriptors.systemError("mkdtemp \(base)/proclab-XXXXXX") }
    let path = String(cString: made)
    temporary = (path, getpid())
    return path
  }

  /// Removes the directory of temp_dir() if this process made it (a child that inherited the
  /// session's leaves it to the session).
  func removeTemporaryDirectory() {
    guard let temporary, temporary.owner == getpid() else { return }
    Engine.removeTree(temporary.path)
    self.temporary = nil
  }

  /// Deletes `path` and, for a directory, everything under it; symbolic links are removed,
  /// never followed.
  static func removeTree(_ path: String) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    if info.st_mode & S_IFMT == S_IFDIR {
      if let directory = opendir(path) {
        var names: [String] = []
        while let entry = readdir(directory) {
          let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
          if name != "." && name != ".." { names.append(name) }
        }
        closedir(directory)
        for name in names { removeTree(path + "/" + name) }
      }
      rmdir(path)
    } else {
      unlink(path)
    }
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
