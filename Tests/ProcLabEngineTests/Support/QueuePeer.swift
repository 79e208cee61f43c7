// A session's queue broker in the test process (it never forks), and raw peers that reach it
// through its door the way a descendant does, then send whatever bytes a test wants.
import Glibc
import ProcLabScript
import XCTest

@testable import ProcLabEngine

/// Just enough of a host for an interpreter that compiles functions arriving on the wire.
final class BareHost: ScriptHost {
  var commandWords: Set<String> { [] }
  var builtins: [String: Builtin] { [:] }
  func run(_ command: Command, in interpreter: Interpreter) throws(ScriptError) -> Value { .none }
  func checkInterrupt() throws(ScriptError) {}
  func measure(repeats: Int, text: String, at location: SourceLocation, _ body: () throws(ScriptError) -> Void) throws(ScriptError) {}
  func repeatRuns(count: Int, text: String, at location: SourceLocation, _ body: () throws(ScriptError) -> Value) throws(ScriptError) {}
  func willExecute(_ statement: Stmt) {}
  func attribute(_ name: String, of handle: any Handle) throws(ScriptError) -> Value? { nil }
  func setAttribute(_ name: String, of handle: any Handle, to value: Value) throws(ScriptError) -> Bool { false }
  func callMethod(_ name: String, on handle: any Handle, _ call: BuiltinCall) throws(ScriptError) -> Value? { nil }
  func memberNames(of handle: any Handle) -> [String] { [] }
}

/// The session's side: an event loop and a broker, resolving functions as the session does
/// (its own definition, or one compiled from the text that came).
final class BrokerUnderTest {
  let loop = EventLoop()
  let host = BareHost()
  let interpreter: Interpreter
  var compiled: [String: Value] = [:]
  var broker: QueueBroker!
  private(set) var logLines: [String] = []

  init() throws {
    interpreter = Interpreter(host: host)
    broker = try QueueBroker(loop: loop) { [unowned self] reference in
      Engine.resolveFunction(reference, self.interpreter, &self.compiled) ?? Engine.missingFunction(reference.name)
    }
    broker.log = { [unowned self] line in self.logLines.append(line) }
  }

  deinit {
    close(broker.door.sessionEnd)
    close(broker.door.descendantEnd)
  }

  /// Serves what is ready, several rounds (a reply, then the next frame).
  func serve(rounds: Int = 3) {
    for _ in 0..<rounds {
      broker.drainConnections()
      loop.serveReady()
    }
  }

  func request(_ operation: QueueRequest.Operation, _ queue: String, _ value: Value = .none, maxsize: Int = 0) -> Result<Value, ScriptError>? {
    broker.handle(QueueRequest(id: 0, operation: operation, queue: queue, value: value, block: false, maxsize: maxsize), from: nil)
  }

  func qsize(_ queue: String) -> Int? {
    if case .success(.int(let n))? = request(.qsize, queue) { return n }
    return nil
  }
}

/// A process's end of a queue connection, made through the door as QueueClient makes it.
final class RawPeer {
  let fd: Int32
  let posts: Int32
  private var inbox: [UInt8] = []

  init(_ session: BrokerUnderTest) throws {
    (fd, posts) = try QueueDoor.connect(over: session.broker.door.descendantEnd)
    Descriptors.setNonBlocking(fd)
  }

  deinit {
    close(fd)
    close(posts)
  }

  /// Sends every byte, serving `session` while its socket is full (nil: what fits now);
  /// stops if the session closes the connection.
  func send(_ bytes: [UInt8], serving session: BrokerUnderTest? = nil) {
    var offset = 0
    while offset < bytes.count {
      let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
      if n > 0 {
        offset += n
      } else if n < 0 && errno == EAGAIN, let session {
        session.serve(rounds: 1)
      } else {
        return
      }
    }
  }

  func post(_ bytes: [UInt8]) {
    _ = bytes.withUnsafeBytes { Glibc.write(posts, $0.baseAddress, $0.count) }
  }

  /// True once the session has closed its end (reads end of file), serving it meanwhile.
  func closedBySession(_ session: BrokerUnderTest, within seconds: Double = 2) -> Bool {
    let deadline = CPUClock.monotonicSeconds() + seconds
    var buffer = [UInt8](repeating: 0, count: 65536)
    while CPUClock.monotonicSeconds() < deadline {
      session.serve(rounds: 1)
      let n = buffer.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
      if n == 0 || (n < 0 && errno != EAGAIN) { return true }
      if n > 0 { inbox.append(contentsOf: buffer[0..<n]) }
      if n < 0 { usleep(1000) }
    }
    return false
  }

  /// The reply to request `id`, serving the session until it comes.
  func reply(_ session: BrokerUnderTest, id: Int, within seconds: Double = 2) -> Result<Value, ScriptError>? {
    let deadline = CPUClock.monotonicSeconds() + seconds
    var buffer = [UInt8](repeating: 0, count: 65536)
    while CPUClock.monotonicSeconds() < deadline {
      session.serve(rounds: 1)
      let n = buffer.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
      if n > 0 { inbox.append(contentsOf: buffer[0..<n]) }
      while inbox.count >= 4 {
        let length = Int(inbox[0]) | Int(inbox[1]) << 8 | Int(inbox[2]) << 16 | Int(inbox[3]) << 24
        guard inbox.count >= 4 + length else { break }
        let frame = inbox[4..<(4 + length)]
        inbox.removeFirst(4 + length)
        if case .queueReply(let replyId, let result)? = try? ChannelMessage.decode(frame, resolve: { _ in nil }), replyId == id {
          return result
        }
      }
      if n <= 0 { usleep(500) }
    }
    return nil
  }
}

/// Frames as a proclab process sends them.
enum Frames {
  static func of(_ message: ChannelMessage) -> [UInt8] {
    try! message.encodedFrame()
  }

  static func request(_ id: Int, _ operation: QueueRequest.Operation, _ queue: String, _ value: Value = .none, block: Bool = false, timeout: Double? = nil, maxsize: Int = 0) -> [UInt8] {
    of(.queueRequest(QueueRequest(id: id, operation: operation, queue: queue, value: value, block: block, timeout: timeout, maxsize: maxsize)))
  }

  /// A payload with its 4-byte little-endian length.
  static func framed(_ payload: [UInt8]) -> [UInt8] {
    let n = UInt32(truncatingIfNeeded: payload.count)
    return [UInt8(n & 0xff), UInt8(n >> 8 & 0xff), UInt8(n >> 16 & 0xff), UInt8(n >> 24)] + payload
  }

  static func int(_ i: Int64) -> [UInt8] {
    withUnsafeBytes(of: i.littleEndian) { Array($0) }
  }

  static func string(_ s: String) -> [UInt8] {
    int(Int64(s.utf8.count)) + Array(s.utf8)
  }

  /// A queueRequest payload up to its value, whose bytes follow.
  static func requestHead(id: Int64 = 1, operation: UInt8 = 1, queue: String = "q") -> [UInt8] {
    [6] + int(id) + [operation] + string(queue)
  }

  /// What follows the value in a queueRequest: block, timeout, maxsize, joinable.
  static let requestTail: [UInt8] = [0] + double(-1) + int(0) + [0]
  static func double(_ d: Double) -> [UInt8] { int(Int64(bitPattern: d.bitPattern)) }
}
