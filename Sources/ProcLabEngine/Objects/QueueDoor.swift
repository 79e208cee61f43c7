// The only way into the session's queues: a socket pair made when the session starts, never
// bound to a name, whose far end every descendant inherits through fork. A process asks for a
// connection by passing the session one end of a fresh socket pair (and the read end of its
// pipe of puts) through it; a process that did not inherit the door has nothing to connect to.
import CSystem
import Glibc
import ProcLabScript

final class QueueDoor {
  /// The session's end: it reads connection requests here (non-blocking).
  let sessionEnd: Int32
  /// The end every descendant inherits. Close-on-exec: a program a descendant executes is
  /// not one of the session's processes.
  let descendantEnd: Int32

  /// The door of this process's session, inherited with the rest of memory at fork.
  nonisolated(unsafe) static var inherited: Int32 = -1

  /// What a connection request says, besides its two descriptors.
  static let request: [UInt8] = Array("PLQ1".utf8)

  init() throws(ScriptError) {
    var fds: [Int32] = [0, 0]
    let type = Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
    guard socketpair(AF_UNIX, type, 0, &fds) == 0 else { throw Descriptors.systemError("socketpair for queues") }
    sessionEnd = fds[0]
    descendantEnd = fds[1]
    Descriptors.setNonBlocking(sessionEnd)
  }

  /// In a descendant: a new connection to the session's queues. Returns this process's end
  /// of the connection and the write end of its pipe of puts.
  static func connect(over door: Int32) throws(ScriptError) -> (channel: Int32, posts: Int32) {
    guard door >= 0 else { throw ScriptError(.processError, "this process has no way to the session's queues") }
    let (mine, theirs) = try Descriptors.socketPair()
    let pipe: (read: Int32, write: Int32)
    do {
      pipe = try Descriptors.pipe()
    } catch {
      close(mine)
      close(theirs)
      throw error
    }
    defer {
      // The session has its own copies now (or never will): once it closes them, this
      // process reads end of file instead of waiting for an answer that cannot come.
      close(theirs)
      close(pipe.read)
    }
    do {
      try DescriptorPassing.send(request, with: [theirs, pipe.read], over: door)
    } catch {
      close(mine)
      close(pipe.write)
      throw ScriptError(.processError, "cannot reach the session's queues (has the session ended?)")
    }
    return (mine, pipe.write)
  }

  /// A connection a descendant asked for, checked: a stream socket and a pipe's read end.
  struct Admission {
    let channel: Int32
    let posts: Int32
    /// The process that made the connection's socket pair (SO_PEERCRED), 0 if unknown.
    let pid: Int32
  }

  enum Next {
    case none
    case admitted(Admission)
    /// A request that was not one: its descriptors are closed already.
    case refused(String)
  }

  /// The next connection request, without waiting. Anything but the exact request with a
  /// Unix stream socket and a pipe's read end is refused, and every descriptor that came
  /// with it is closed.
  func next() -> Next {
    switch DescriptorPassing.receive(maxBytes: QueueDoor.request.count + 1, maxDescriptors: 2, from: sessionEnd) {
    case .nothing, .closed:
      return .none
    case .message(let bytes, let descriptors, let truncated):
      let refuse = { (why: String) -> Next in
        for fd in descriptors { close(fd) }
        return .refused(why)
      }
      guard !truncated, bytes == QueueDoor.request else { return refuse("a connection request that is not one") }
      guard descriptors.count == 2 else { return refuse("a connection request with \(descriptors.count) descriptors instead of 2") }
      let (channel, posts) = (descriptors[0], descriptors[1])
      guard QueueDoor.isUnixStream(channel) else { return refuse("a connection request whose connection is not a Unix stream socket") }
      guard QueueDoor.isPipeReadEnd(posts) else { return refuse("a connection request whose pipe of puts is not a pipe's read end") }
      Descriptors.setNonBlocking(channel)
      Descriptors.setNonBlocking(posts)
      return .admitted(Admission(channel: channel, posts: posts, pid: PeerCredentials.of(channel)?.pid ?? 0))
    }
  }

  private static func isUnixStream(_ fd: Int32) -> Bool {
    var value: Int32 = 0
    var size = socklen_t(MemoryLayout<Int32>.size)
    guard getsockopt(fd, SOL_SOCKET, SO_TYPE, &value, &size) == 0, value == Int32(SOCK_STREAM.rawValue) else { return false }
    size = socklen_t(MemoryLayout<Int32>.size)
    return getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &value, &size) == 0 && value == AF_UNIX
  }

  private static func isPipeReadEnd(_ fd: Int32) -> Bool {
    var status = stat()
    guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFIFO else { return false }
    return proclab_fcntl_getfl(fd) & O_ACCMODE == O_RDONLY
  }

  /// In a descendant: the session's end is not its own; the descendants' end stays open,
  /// for this process and the ones it starts.
  func closeInChild() {
    close(sessionEnd)
  }
}

/// Linux's `struct ucred` (SO_PEERCRED), which Glibc declares only under _GNU_SOURCE.
struct PeerCredentials {
  var pid: Int32 = 0
  var uid: UInt32 = 0
  var gid: UInt32 = 0

  /// Who made the other end of a Unix socket (for a socket pair: the process that made it).
  static func of(_ fd: Int32) -> PeerCredentials? {
    var peer = PeerCredentials()
    var size = socklen_t(MemoryLayout<PeerCredentials>.size)
    return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &size) == 0 ? peer : nil
  }
}
