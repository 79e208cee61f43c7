// A control channel end: length-prefixed frames over a stream socket. Reads collect whole
// frames; the session's writes never block (what the socket cannot take waits in an outbox
// flushed when the loop sees it writable), so a session and a busy child never deadlock.
import Glibc
import ProcLabScript

final class Channel {
  let fd: Int32
  private var inbox: [UInt8] = []
  private var inboxStart = 0
  private var outbox: [UInt8] = []
  /// How much of the outbox the socket has taken: removed only once all of it has gone, not
  /// moved down after each partial write.
  private var outboxStart = 0
  private unowned let loop: EventLoop?

  /// `loop` is the session's (its writes queue instead of blocking); nil in a child, whose
  /// writes simply block until the session reads.
  init(fd: Int32, loop: EventLoop?) {
    self.fd = fd
    self.loop = loop
  }

  // MARK: writing

  /// Lets the socket hold `bytes` not yet read (or as much as the system allows, see
  /// net.core.wmem_max). A pool worker's results and a pool's chunks are often larger than
  /// the default 208 KiB: a worker would wait in its write for the session to read, instead
  /// of starting its next task, and the session would keep the rest in its outbox.
  func enlargeSendBuffer(to bytes: Int32) {
    var size = bytes
    _ = setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
  }

  /// Sends one message as one frame: a 4-byte little-endian length, then the payload. The
  /// frame is encoded whole first: a value that cannot cross throws TypeError, nothing sent.
  func send(_ message: ChannelMessage) throws(ScriptError) {
    send(frameBytes: try message.scriptFrame())
  }

  /// Sends bytes already framed (several frames may go in one write).
  func send(frameBytes bytes: [UInt8]) {
    guard let loop else {
      _ = bytes.withUnsafeBytes { Descriptors.writeAll(fd, $0) }
      return
    }
    if !outbox.isEmpty {
      outbox.append(contentsOf: bytes)
      return
    }
    let written = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL)) }
    if written == bytes.count { return }
    if written < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR { return }
    outbox = bytes
    outboxStart = max(0, written)
    loop.watchWritable(fd) { [unowned self] in self.flush() }
  }

  private func flush() {
    let written = outbox.withUnsafeBytes {
      Glibc.send(fd, $0.baseAddress! + outboxStart, $0.count - outboxStart, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
    }
    if written > 0 { outboxStart += written }
    if outboxStart == outbox.count || (written < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      outbox = []
      outboxStart = 0
      loop?.unwatchWritable(fd)
    }
  }

  // MARK: reading

  /// Puts back bytes read from the descriptor by other means (the first bytes of a queue
  /// connection arrive with a passed descriptor).
  func prepend(_ bytes: [UInt8]) {
    inbox.replaceSubrange(inboxStart..<inboxStart, with: bytes)
  }

  /// Reads what is available without blocking; calls `frame` for each whole frame.
  /// Returns false once the other end has closed.
  func receive(_ frame: (ArraySlice<UInt8>) -> Void) -> Bool {
    let open = Descriptors.readAvailable(fd, into: &inbox)
    deliverFrames(frame)
    return open
  }

  /// What a bounded read found (see receive(batch:maxFrame:_:)).
  enum Receipt: Equatable {
    /// More may come; the bytes read so far are kept.
    case open
    /// The other end has closed.
    case closed
    /// A frame announced more than `maxFrame` bytes: the channel can only be closed.
    case oversized(Int)
    /// `frame` refused a frame: the channel can only be closed.
    case refused
  }

  /// Reads at most `batch` bytes, without blocking, and calls `frame` for each whole frame
  /// while it returns true. A peer that floods is read in batches (the descriptor stays
  /// readable, so the loop comes back after serving the others), and one that announces a
  /// frame larger than `maxFrame` is stopped there, before its bytes are kept: the inbox never
  /// holds more than `maxFrame + batch` bytes. For connections from other processes.
  func receive(batch: Int, maxFrame: Int, _ frame: (ArraySlice<UInt8>) -> Bool) -> Receipt {
    var open = true
    var total = 0
    while total < batch {
      let wanted = min(Descriptors.scratch.count, batch - total)
      let n = Glibc.read(fd, Descriptors.scratch.baseAddress, wanted)
      if n > 0 {
        inbox.append(contentsOf: UnsafeRawBufferPointer(rebasing: Descriptors.scratch[0..<n]))
        total += n
        if n < wanted { break }
      } else if n == 0 {
        open = false
        break
      } else if errno == EINTR {
        continue
      } else {
        open = errno == EAGAIN || errno == EWOULDBLOCK
        break
      }
    }
    while inbox.count - inboxStart >= 4 {
      let length = frameLength(at: inboxStart)
      guard length <= maxFrame else { return .oversized(length) }
      guard inbox.count - inboxStart - 4 >= length else { break }
      let accepted = frame(inbox[(inboxStart + 4)..<(inboxStart + 4 + length)])
      inboxStart += 4 + length
      guard accepted else { return .refused }
    }
    compactInbox()
    return open ? .open : .closed
  }

  private func frameLength(at start: Int) -> Int {
    Int(inbox[start]) | Int(inbox[start + 1]) << 8 | Int(inbox[start + 2]) << 16 | Int(inbox[start + 3]) << 24
  }

  private func compactInbox() {
    if inboxStart == inbox.count {
      inbox.removeAll(keepingCapacity: inbox.capacity <= 1 << 20)
      inboxStart = 0
    } else if inboxStart > 65536 {
      inbox.removeFirst(inboxStart)
      inboxStart = 0
    }
  }

  /// Blocks until at least one whole frame has arrived (a child waiting for its session);
  /// false when the session closed the channel. EINTR returns true with no frame.
  func receiveBlocking(_ frame: (ArraySlice<UInt8>) -> Void) -> Bool {
    while true {
      if deliverFrames(frame) > 0 { return true }
      let buffer = Descriptors.scratch
      let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
      if n > 0 {
        inbox.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
      } else if n == 0 {
        return false
      } else if errno == EINTR {
        return true
      } else if errno != EAGAIN {
        return false
      } else {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        if poll(&p, 1, -1) < 0 && errno == EINTR { return true }
      }
    }
  }

  @discardableResult
  private func deliverFrames(_ frame: (ArraySlice<UInt8>) -> Void) -> Int {
    var delivered = 0
    while inbox.count - inboxStart >= 4 {
      let length = Int(inbox[inboxStart]) | Int(inbox[inboxStart + 1]) << 8 | Int(inbox[inboxStart + 2]) << 16 | Int(inbox[inboxStart + 3]) << 24
      guard inbox.count - inboxStart - 4 >= length else { break }
      frame(inbox[(inboxStart + 4)..<(inboxStart + 4 + length)])
      inboxStart += 4 + length
      delivered += 1
    }
    if inboxStart == inbox.count {
      inbox.removeAll(keepingCapacity: true)
      inboxStart = 0
    } else if inboxStart > 65536 {
      inbox.removeFirst(inboxStart)
      inboxStart = 0
    }
    return delivered
  }
}
