// A process's side of the session's queues: one connection to the session, asked for at the
// queue door (QueueDoor.swift) on first use. Requests wait for their reply on the socket. A
// put on an unbounded queue cannot block or fail, so it waits for nothing: it goes down a pipe
// handed to the session with the connection (a pipe write costs a third of a socket's), and
// it is in the pipe before put returns.
import CSystem
import Glibc
import ProcLabScript

final class QueueClient {
  private let channel: Channel
  private let posts: Channel
  private var nextId = 1

  init(door: Int32, name: String) throws(ScriptError) {
    let (fd, postsFd) = try QueueDoor.connect(over: door)
    channel = Channel(fd: fd, loop: nil)
    posts = Channel(fd: postsFd, loop: nil)
    do {
      try channel.send(frameBytes: QueueClient.frame(.hello(pid: getpid(), name: String(decoding: name.utf8.prefix(WireLimits.maxNameBytes), as: UTF8.self))))
    } catch {
      Glibc.close(fd)
      Glibc.close(postsFd)
      throw error
    }
  }

  /// A message as the session will read it: no larger than it reads from a connection.
  private static func frame(_ message: ChannelMessage) throws(ScriptError) -> [UInt8] {
    let bytes = try message.scriptFrame()
    guard bytes.count - 4 <= WireLimits.maxPeerFrame else {
      throw CrossingError(.tooLarge(bytes: bytes.count - 4, limit: WireLimits.maxPeerFrame)).scriptError
    }
    return bytes
  }

  /// Sends a request that wants no answer: one write, so the item is in the pipe (and
  /// reaches the session even if this process dies) when put returns.
  func post(_ request: QueueRequest) throws(ScriptError) {
    var request = request
    request.id = 0
    posts.send(frameBytes: try QueueClient.frame(.queueRequest(request)))
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
    channel.send(frameBytes: try QueueClient.frame(.queueRequest(request)))
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
