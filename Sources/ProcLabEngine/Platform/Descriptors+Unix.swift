// File-descriptor plumbing shared by the engine: close-on-exec pipes and socket pairs,
// non-blocking mode, and reads and writes that survive EINTR and short counts.
import ProcLabScript
import CSystem
import Glibc

public enum Descriptors {
  /// A pipe whose ends are close-on-exec (so siblings never hold each other's write ends).
  static func pipe() throws(ScriptError) -> (read: Int32, write: Int32) {
    var fds: [Int32] = [0, 0]
    guard proclab_pipe_cloexec(&fds) == 0 else { throw systemError("pipe") }
    return (fds[0], fds[1])
  }

  /// A pseudo-terminal whose slave children write their output to, as they would to the
  /// person's terminal: the same tty layer (so writes take about as long and interleave as
  /// they do there) and isatty(1) true, as under Python at a terminal. Raw mode passes bytes
  /// through unchanged; the session copies them from the master to its own terminal.
  static func outputTerminal() throws(ScriptError) -> (read: Int32, write: Int32) {
    var name = [CChar](repeating: 0, count: 128)
    let master = proclab_open_pty_master(&name, name.count)
    guard master >= 0 else { throw systemError("a pseudo-terminal for children's output (posix_openpt)") }
    let slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)
    guard slave >= 0 else {
      let error = systemError("open the pseudo-terminal for children's output")
      close(master)
      throw error
    }
    var settings = termios()
    if tcgetattr(slave, &settings) == 0 {
      cfmakeraw(&settings)
      tcsetattr(slave, TCSANOW, &settings)
    }
    return (master, slave)
  }

  /// A connected pair of stream sockets (a control channel; Channel frames the bytes).
  static func socketPair() throws(ScriptError) -> (Int32, Int32) {
    var fds: [Int32] = [0, 0]
    let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
    guard socketpair(AF_UNIX, type, 0, &fds) == 0 else { throw systemError("socketpair") }
    return (fds[0], fds[1])
  }

  static func setNonBlocking(_ fd: Int32) {
    _ = proclab_fcntl_setfl(fd, proclab_fcntl_getfl(fd) | O_NONBLOCK)
  }

  /// Writes every byte, retrying on EINTR and partial writes; gives up on other errors
  /// (a closed terminal or pipe must not stop the session) and returns that errno, else 0.
  /// A Ctrl-C or terminating signal during a write that blocks gives up with EINTR: the
  /// caller's next check acts on the signal (a reader that stopped reading cannot hold us).
  @discardableResult
  static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
    var offset = 0
    while offset < bytes.count {
      let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
      if n > 0 {
        offset += n
      } else if n < 0 && errno == EINTR {
        if SignalTraps.pendingTermination != nil || SignalTraps.interruptIsPending { return EINTR }
        continue
      } else if n < 0 && errno == EAGAIN {
        if SignalTraps.pendingTermination != nil || SignalTraps.interruptIsPending { return EINTR }
        var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        _ = poll(&p, 1, 100)
      } else {
        return n < 0 ? errno : EIO
      }
    }
    return 0
  }

  @discardableResult
  public static func writeAll(_ fd: Int32, _ text: String) -> Int32 {
    var text = text
    return text.withUTF8 { writeAll(fd, UnsafeRawBufferPointer($0)) }
  }

  /// One buffer for every read and receive, allocated once: a fresh zeroed 64 KiB per call
  /// would touch 16 pages, and right after a fork every touched page is a page copied.
  nonisolated(unsafe) static let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 16)

  /// Appends what is readable now from a non-blocking descriptor; false at end of file.
  public static func readAvailable(_ fd: Int32, into buffer: inout [UInt8]) -> Bool {
    while true {
      let n = Glibc.read(fd, scratch.baseAddress, scratch.count)
      if n > 0 {
        buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
        if n < scratch.count { return true }
      } else if n == 0 {
        return false
      } else if errno == EINTR {
        continue
      } else {
        return errno == EAGAIN
      }
    }
  }

  static func systemError(_ call: String) -> ScriptError {
    systemError(call, errno: errno)
  }

  /// `open /x failed: too many open files (EMFILE)`: the call, the reason, the errno's name.
  static func systemError(_ call: String, errno code: Int32) -> ScriptError {
    ScriptError(.osError, "\(call) failed: \(reason(code))")
  }

  /// `too many open files (EMFILE)`; `(errno N)` for an errno without a name here.
  public static func reason(_ code: Int32) -> String {
    var text = String(cString: strerror(code))
    if let first = text.first, first.isUppercase, text.dropFirst().first?.isLowercase ?? true {
      text = first.lowercased() + text.dropFirst()
    }
    return "\(text) (\(errnoNames[code] ?? "errno \(code)"))"
  }

  private static let errnoNames: [Int32: String] = [
    EPERM: "EPERM", ENOENT: "ENOENT", ESRCH: "ESRCH", EINTR: "EINTR", EIO: "EIO", EBADF: "EBADF",
    ECHILD: "ECHILD", EAGAIN: "EAGAIN", ENOMEM: "ENOMEM", EACCES: "EACCES", EEXIST: "EEXIST",
    ENOTDIR: "ENOTDIR", EISDIR: "EISDIR", EINVAL: "EINVAL", ENFILE: "ENFILE", EMFILE: "EMFILE",
    EFBIG: "EFBIG", ENOSPC: "ENOSPC", EROFS: "EROFS", EPIPE: "EPIPE", ENAMETOOLONG: "ENAMETOOLONG",
    ELOOP: "ELOOP", EDQUOT: "EDQUOT", ECONNRESET: "ECONNRESET", ECONNREFUSED: "ECONNREFUSED",
    ENOSYS: "ENOSYS",
  ]
}
