// One end of a duplex pipe between processes (Python's Pipe()): values go as frames over
// a socket pair that children forked afterwards inherit. recv raises EOFError once every
// copy of the other end is closed, so close the end a process does not use, as in Python.
import Glibc
import ProcLabScript

public final class PipeEnd: Handle {
  private var fd: Int32
  public let label: String
  private var inbox: [UInt8] = []
  unowned let engine: Engine

  init(fd: Int32, label: String, engine: Engine) {
    self.fd = fd
    self.label = label
    self.engine = engine
  }

  /// `a, b = pipe()`.
  static func makePair(engine: Engine, number: Int) throws(ScriptError) -> (PipeEnd, PipeEnd) {
    let (a, b) = try Descriptors.socketPair()
    Descriptors.setNonBlocking(a)
    Descriptors.setNonBlocking(b)
    return (PipeEnd(fd: a, label: "pipe \(number) end a", engine: engine), PipeEnd(fd: b, label: "pipe \(number) end b", engine: engine))
  }

  public var typeName: String { "pipe end" }
  public var display: String { "<\(label)\(fd < 0 ? " closed" : "")>" }

  public var isClosed: Bool { fd < 0 }

  private func open() throws(ScriptError) -> Int32 {
    guard fd >= 0 else { throw ScriptError(.osError, "\(label) is closed") }
    return fd
  }

  public func send(_ value: Value) throws(ScriptError) {
    var writer = WireWriter()
    try writer.value(value)
    var frame: [UInt8] = []
    Channel.appendFrame(writer.bytes, to: &frame)
    let fd = try open()
    frame.withUnsafeBytes { Descriptors.writeAll(fd, $0) }
  }

  /// The next value; TimeoutError when none comes in time, EOFError when the other end is
  /// closed everywhere.
  public func receive(timeout: Double?) throws(ScriptError) -> Value {
    let deadline = timeout.map { CPUClock.monotonicSeconds() + $0 }
    while true {
      if let value = try nextFrame() { return value }
      let fd = try open()
      if try spinForBytes(fd, until: deadline) { continue }
      let doing = Activity(.blocked, "blocked on recv of \(label)", since: CPUClock.monotonicSeconds(), until: deadline)
      switch engine.during(doing, { engine.waitReadable(fd, until: deadline) }) {
      case .interrupted: throw ScriptError(.keyboardInterrupt, "interrupted while waiting on \(label)")
      case .timedOut: throw ScriptError(.timeoutError, "nothing arrived on \(label) within \(timeout ?? 0)s")
      case .satisfied:
        if !Descriptors.readAvailable(fd, into: &inbox), try nextFrame() == nil {
          throw ScriptError(.eofError, "the other end of \(label) is closed")
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
      if !open { throw ScriptError(.eofError, "the other end of \(label) is closed") }
    } while CPUClock.monotonicSeconds() < stop
    return false
  }

  /// True when a value (or the end of the pipe) can be read within `timeout` seconds (nil:
  /// waits until one can).
  public func poll(timeout: Double?) throws(ScriptError) -> Bool {
    if frameLength != nil { return true }
    let fd = try open()
    let outcome = engine.waitReadable(fd, until: timeout.map { CPUClock.monotonicSeconds() + $0 })
    if outcome == .interrupted { throw ScriptError(.keyboardInterrupt, "interrupted while polling \(label)") }
    return outcome == .satisfied
  }

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

  private func nextFrame() throws(ScriptError) -> Value? {
    guard let length = frameLength else { return nil }
    var reader = WireReader(inbox[4..<(4 + length)])
    let value = try reader.value { [unowned engine] in engine.resolve($0) }
    inbox.removeFirst(4 + length)
    return value
  }
}

extension Engine {
  /// Python's `Pipe()`: two connected ends, each able to send and receive.
  public func makePipe() throws(ScriptError) -> (PipeEnd, PipeEnd) {
    pipeCount += 1
    return try PipeEnd.makePair(engine: self, number: pipeCount)
  }

  /// Waits until `fd` is readable, serving the loop meanwhile (Ctrl-C interrupts).
  func waitReadable(_ fd: Int32, until deadline: Double?) -> EventLoop.Outcome {
    var ready = false
    loop.watch(fd) { ready = true }
    defer { loop.unwatch(fd) }
    return loop.run(until: deadline) { ready }
  }
}
