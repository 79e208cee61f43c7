// A process's side of the session's queues: one connection to the session, made on first
// use. Requests wait for their reply; a put on an unbounded queue does not (it cannot block
// or fail), which is what makes a producer fast, and it is in the socket before put returns.
import CSystem
import Glibc
import ProcLabScript

final class QueueClient {
  private let channel: Channel
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
      throw ScriptError("ProcessError", "cannot reach the session's queues (has the session ended?)")
    }
    channel = Channel(fd: fd, loop: nil)
    try channel.send(ChannelMessage.hello(pid: getpid(), name: name))
  }

  /// Sends a request that wants no answer: one write, so the item is in the socket (and
  /// reaches the session even if this process dies) when put returns.
  func post(_ request: QueueRequest) throws(ScriptError) {
    var request = request
    request.id = 0
    try channel.send(ChannelMessage.queueRequest(request))
  }

  /// Sends a request and waits for its answer. `blocked` runs if the answer is slow to come
  /// (the process then tells the session it is blocked, for `ps`); Ctrl-C (SIGINT) asks the
  /// session to cancel, and the answer to that is what returns or throws.
  func request(_ request: QueueRequest, resolve: (FunctionReference) -> Value?, blocked: () -> Void) throws(ScriptError) -> Value {
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
      guard open else { throw ScriptError("ProcessError", "the session closed its queues") }
      if reply == nil, !cancelled, SignalTraps.takeInterrupt() {
        cancelled = true
        try channel.send(ChannelMessage.queueRequest(QueueRequest(id: request.id, operation: .cancel, queue: request.queue)))
      }
    }
    return try reply!.get()
  }

  /// In a child of this process: the connection is the parent's.
  func closeInChild() {
    Glibc.close(channel.fd)
  }
}
