// One end of a pipe between processes (Python's Pipe()): values go as frames over a socket
// pair (duplex) or a pipe (one-way) that children forked afterwards inherit. recv raises
// EOFError once every copy of the other end is closed, so close the end a process does not
// use, as in Python; send raises BrokenPipeError once nobody can receive.
import Glibc
import ProcLabScript

public final class PipeEnd: Handle {
  /// Which way values go through an end: both, or (Pipe(duplex=False)) one way only.
  public enum Direction: Sendable {
    case both, receiveOnly, sendOnly
  }

  private var fd: Int32
  public let label: String
  public let direction: Direction
  private var inbox: [UInt8] = []
  unowned let engine: Engine

  init(fd: Int32, label: String, direction: Direction, engine: Engine) {
    self.fd = fd
    self.label = label
    self.direction = direction
    self.engine = engine
  }

  /// Two connected ends. Duplex: a socket pair, each end sends and receives. One-way: a
  /// pipe, as Python's `Pipe(duplex=False)`: the first end only receives, the second only sends.
  static func makePair(engine: Engine, number: Int, duplex: Bool) throws(ScriptError) -> (PipeEnd, PipeEnd) {
    if duplex {
      let (a, b) = try Descriptors.socketPair()
      Descriptors.setNonBlocking(a)
      Descriptors.setNonBlocking(b)
      return (
        PipeEnd(fd: a, label: "pipe \(number) end a", direction: .both, engine: engine),
        PipeEnd(fd: b, label: "pipe \(number) end b", direction: .both, engine: engine)
      )
    }
    let ends = try Descriptors.pipe()
    Descriptors.setNonBlocking(ends.read)
    Descriptors.setNonBlocking(ends.write)
    return (
      PipeEnd(fd: ends.read, label: "pipe \(number) receive end", direction: .receiveOnly, engine: engine),
      PipeEnd(fd: ends.write, label: "pipe \(number) send end", direction: .sendOnly, engine: engine)
    )
  }

  public var typeName: String { "pipe end" }
  public var display: String { "<\(label)\(fd < 0 ? " closed" : "")>" }
  public var isClosed: Bool { fd < 0 }
  public var canSend: Bool { direction != .receiveOnly }
  public var canReceive: Bool { direction != .sendOnly }


  /// This process's descriptor for an operation that goes `way`; OSError when the end is
  /// closed here, or goes the other way only.
  private func open(for way: Direction) throws(ScriptError) -> Int32 {
    guard fd >= 0 else { throw ScriptError(.osError, "handle is closed (\(label) was closed in this process)") }
    if way == .sendOnly, !canSend {
      throw ScriptError(.osError, "cannot send on \(label): this end only receives")
    }
    if way == .receiveOnly, !canReceive {
      throw ScriptError(.osError, "cannot receive on \(label): this end only sends")
    }
    return fd
  }

  /// Sends one value as one frame, encoded whole before a byte is written: a value that
  /// cannot cross raises TypeError and the pipe is untouched. BrokenPipeError when the
  /// other end is closed in every process.
  public func send(_ value: Value) throws(ScriptError) {
    let fd = try open(for: .sendOnly)
    var writer = WireWriter()
    writer.reserveFrameHeader()
    do {
      try writer.value(value)
      try writer.finishFrame()
    } catch {
      throw error.scriptError
    }
    let failure = writer.bytes.withUnsafeBytes { write($0, to: fd) }
    switch failure {
    case 0: return
    case EINTR: throw ScriptError(.keyboardInterrupt, "interrupted while sending on \(label)")
    case EPIPE, ECONNRESET:
      throw ScriptError(.brokenPipeError, "nothing can receive from \(label): the other end is closed in every process (EPIPE)")
    default:
      throw ScriptError(.osError, "send on \(label) failed: \(String(cString: strerror(failure))) (errno \(failure))")
    }
  }

  /// Writes every byte; while the pipe is full the loop runs (children are served, and
  /// Ctrl-C, SIGTERM and SIGHUP are noticed at once). Returns 0, EINTR after a Ctrl-C, or
  /// the errno of a failed write.
  private func write(_ bytes: UnsafeRawBufferPointer, to fd: Int32) -> Int32 {
    var offset = 0
    while offset < bytes.count {
      let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
      if n > 0 {
        offset += n
        continue
      }
      guard n < 0, errno == EAGAIN || errno == EINTR else { return n < 0 ? errno : EIO }
      let doing = Activity(.blocked, "blocked on send to \(label) (the pipe is full)", since: CPUClock.monotonicSeconds())
      if engine.during(doing, { engine.waitWritable(fd) }) == .interrupted { return EINTR }
    }
    return 0
  }

  /// The next value; TimeoutError when none comes in time, EOFError when the other end is
  /// closed everywhere.
  public func receive(timeout: Double?) throws(ScriptError) -> Value {
    let deadline = timeout.map { CPUClock.monotonicSeconds() + $0 }
    let fd = try open(for: .receiveOnly)
    while true {
      if let value = try nextFrame() { return value }
      if try spinForBytes(fd, until: deadline) { continue }
      let doing = Activity(.blocked, "blocked on recv of \(label)", since: CPUClock.monotonicSeconds(), until: deadline)
      switch engine.during(doing, { engine.waitReadable(fd, until: deadline) }) {
      case .interrupted: throw ScriptError(.keyboardInterrupt, "interrupted while waiting on \(label)")
      case .timedOut: throw ScriptError(.timeoutError, "nothing arrived on \(label) within \(timeout ?? 0)s")
      case .satisfied:
        if !Descriptors.readAvailable(fd, into: &inbox), try nextFrame() == nil {
          throw ScriptError(.eofError, "nothing more can come on \(label): the other end is closed in every process")
        }
      }
    }
  }

  /// Reads for up to 50 µs before going to sleep: in a ping-pong the answer usually comes
  /// sooner than a sleeping process can be woken on another CPU (tens of µs on this kind of
  /// machine). True when bytes came; EOFError when the other end is closed.
  private func spinForBytes(_ fd: Int32, until deadline: Double?) throws(ScriptError) -> Bool {
    let start = CPUClock.monotonicSeconds()
    let stop = min(start + 0.00005, deadline ?? .infinity)
    let before = inbox.count
    repeat {
      let open = Descriptors.readAvailable(fd, into: &inbox)
      if inbox.count > before { return true }
      if !open { throw ScriptError(.eofError, "nothing more can come on \(label): the other end is closed in every process") }
    } while CPUClock.monotonicSeconds() < stop
    return false
  }

  /// True when a value (or the end of the pipe) can be read within `timeout` seconds (nil:
  /// waits until one can).
  public func poll(timeout: Double?) throws(ScriptError) -> Bool {
    let fd = try open(for: .receiveOnly)
    if frameLength != nil { return true }
    let outcome = engine.waitReadable(fd, until: timeout.map { CPUClock.monotonicSeconds() + $0 })
    if outcome == .interrupted { throw ScriptError(.keyboardInterrupt, "interrupted while polling \(label)") }
    return outcome == .satisfied
  }

  /// The last reference in this process is gone: so is this process's descriptor (the other
  /// end then sees EOF once no process holds this one).
  deinit {
    if fd >= 0 { Glibc.close(fd) }
  }

  /// Closes this process's descriptor (other processes keep theirs); closing twice is fine.
  /// Later use here raises OSError.
  public func close() {
    guard fd >= 0 else { return }
    Glibc.close(fd)
    fd = -1
  }

  private var frameLength: Int? {
    guard inbox.count >= 4 else { return nil }
    let length = Int(inbox[0]) | Int(inbox[1]) << 8 | Int(inbox[2]) << 16 | Int(inbox[3]) << 24
    return inbox.count - 4 >= length ? length : nil
  }

  /// The next whole value, taken off the inbox before it is decoded: a frame that cannot be
  /// read raises once, and the values after it still come.
  private func nextFrame() throws(ScriptError) -> Value? {
    guard let length = frameLength else { return nil }
    var reader = WireReader(inbox[4..<(4 + length)])
    defer { inbox.removeFirst(4 + length) }
    let engine = self.engine
    return try reader.value { engine.resolve($0) }
  }
}

extension Engine {
  /// `pipe()` and `pipe(duplex=false)`: two connected ends (see PipeEnd.makePair); processes
  /// forked afterwards inherit both.
  public func makePipe(duplex: Bool = true) throws(ScriptError) -> (PipeEnd, PipeEnd) {
    pipeCount += 1
    return try PipeEnd.makePair(engine: self, number: pipeCount, duplex: duplex)
  }

  /// Waits until `fd` can take more bytes, serving the loop meanwhile (Ctrl-C interrupts).
  func waitWritable(_ fd: Int32) -> EventLoop.Outcome {
    var ready = false
    loop.watchWritable(fd) { ready = true }
    defer { loop.unwatchWritable(fd) }
    return loop.run { ready }
  }

  /// Waits until `fd` is readable, serving the loop meanwhile (Ctrl-C interrupts).
  func waitReadable(_ fd: Int32, until deadline: Double?) -> EventLoop.Outcome {
    var ready = false
    loop.watch(fd) { ready = true }
    defer { loop.unwatch(fd) }
    return loop.run(until: deadline) { ready }
  }
}
