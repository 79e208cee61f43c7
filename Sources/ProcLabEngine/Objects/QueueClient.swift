// A process's side of the session's queues: one connection to the session, made on first
// use. Requests wait for their reply on the socket. A put on an unbounded queue cannot block
// or fail, so it waits for nothing: it goes down a pipe handed to the session at connection
// (a pipe write costs a third of a socket's), and it is in the pipe before put returns.
import CSystem
import Glibc
import ProcLabScript

final class QueueClient {
  private let channel: Channel
  private let posts: Channel
  private var nextId = 1

  init(sessionPid: Int32, name: String) throws(ScriptError) {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw Descriptors.systemError("socket") }
    var (address, length) = UnixAddress.make(QueueBroker.address(of: sessionPid))
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) }
    }
    guard connected == 0 else {
      Glibc.close(fd)
      throw ScriptError(.processError, "cannot reach the session's queues (has the session ended?)")
    }
    channel = Channel(fd: fd, loop: nil)
    let pipe: (read: Int32, write: Int32)
    do {
      pipe = try Descriptors.pipe()
    } catch {
      Glibc.close(fd)
      throw error
    }
    defer { Glibc.close(pipe.read) }
    posts = Channel(fd: pipe.write, loop: nil)
    do {
      try DescriptorPassing.send(try ChannelMessage.hello(pid: getpid(), name: name).scriptFrame(), with: pipe.read, over: fd)
    } catch {
      Glibc.close(fd)
      Glibc.close(pipe.write)
      throw error
    }
  }

  /// Sends a request that wants no answer: one write, so the item is in the pipe (and
  /// reaches the session even if this process dies) when put returns.
  func post(_ request: QueueRequest) throws(ScriptError) {
    var request = request
    request.id = 0
    try posts.send(ChannelMessage.queueRequest(request))
  }

  /// Sends a request and waits for its answer. `blocked` runs if the answer is slow to come
  /// (the process then tells the session it is blocked, for `ps`); Ctrl-C (SIGINT) asks the
  /// session to cancel, and the answer to that is what returns or throws.
  /// `signals` runs the process's signal handlers when one arrives during the wait.
  func request(
    _ request: QueueRequest, resolve: (FunctionReference) -> Value?, blocked: () -> Void, signals: () -> Void
  ) throws(ScriptError) -> Value {
    var request = request
    request.id = nextId
    nextId += 1
    try channel.send(ChannelMessage.queueRequest(request))
    var reply: Result<Value, ScriptError>?
    var toldBlocked = false
    var cancelled = false
    while reply == nil {
      if !toldBlocked {
        var ready = pollfd(fd: channel.fd, events: Int16(POLLIN), revents: 0)
        if poll(&ready, 1, 2) == 0 {
          toldBlocked = true
          blocked()
        }
      }
      let open = channel.receiveBlocking { frame in
        if case .queueReply(let id, let result)? = try? ChannelMessage.decode(frame, resolve: resolve), id == request.id {
          reply = result
        }
      }
      guard open else { throw ScriptError(.processError, "the session closed its queues") }
      if SignalTraps.signalsArrived { signals() }
      if reply == nil, !cancelled, SignalTraps.takeInterrupt() {
        cancelled = true
        try channel.send(ChannelMessage.queueRequest(QueueRequest(id: request.id, operation: .cancel, queue: request.queue)))
      }
    }
    if request.operation == .get, case .success = reply! {
      // Confirm the item before using it: if this process dies first, the item goes back.
      try channel.send(ChannelMessage.queueRequest(QueueRequest(id: request.id, operation: .received, queue: request.queue)))
    }
    return try reply!.get()
  }

  /// In a child of this process: the connection is the parent's.
  func closeInChild() {
    Glibc.close(channel.fd)
    Glibc.close(posts.fd)
  }
}
