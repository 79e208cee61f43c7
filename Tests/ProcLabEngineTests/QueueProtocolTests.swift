// The session's queue broker against peers that misbehave: silent, half a frame, malformed
// frames of every kind, requests at the door that are not requests. Run in the test process
// (the broker never forks), over real sockets, through the door a descendant uses.
import Glibc
import ProcLabScript
import XCTest

@testable import ProcLabEngine

final class QueueProtocolTests: XCTestCase {
  func testASilentPeerAndAHalfFrameDoNotDelayAnotherProcesssRequest() throws {
    let session = try BrokerUnderTest()
    _ = session.request(.create, "q")
    _ = session.request(.put, "q", .int(7))
    let silent = try RawPeer(session)
    let half = try RawPeer(session)
    half.send(Array(Frames.request(1, .get, "q").prefix(9)))
    let flood = try RawPeer(session)
    // 16 MiB of puts announced in one frame, sent a bit at a time: it waits for its bytes.
    flood.send(Frames.framed([]).prefix(0) + [0, 0, 0, 1] + [UInt8](repeating: 0, count: 100_000))
    session.serve()
    let legit = try RawPeer(session)
    let start = CPUClock.monotonicSeconds()
    legit.send(Frames.request(1, .get, "q"))
    let reply = legit.reply(session, id: 1)
    let took = CPUClock.monotonicSeconds() - start
    guard case .success(.int(7))? = reply else { return XCTFail("no item for the legitimate process: \(String(describing: reply))") }
    XCTAssertLessThan(took, 0.5, "a silent peer delayed another process's get")
    XCTAssertEqual(session.logLines, [], "waiting peers are not malformed")
    withExtendedLifetime((silent, half, flood)) {}
  }

  func testAPeerThatFloodsIsReadInBatchesAndEveryPutArrives() throws {
    let session = try BrokerUnderTest()
    _ = session.request(.create, "q")
    let producer = try RawPeer(session)
    let bytes = (1...20_000).flatMap { Frames.request($0, .put, "q", .string(String(repeating: "x", count: 100))) }
    // About 2.6 MB: more than one batch; sent from a thread, as a process would write it.
    let fd = producer.fd
    let writer = Thread {
      var offset = 0
      while offset < bytes.count {
        let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if n > 0 {
          offset += n
        } else if n < 0 && errno == EAGAIN {
          var ready = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
          _ = poll(&ready, 1, 100)
        } else {
          return
        }
      }
    }
    writer.start()
    let deadline = CPUClock.monotonicSeconds() + 20
    while session.qsize("q") != 20_000 && CPUClock.monotonicSeconds() < deadline { session.serve(rounds: 1) }
    XCTAssertEqual(session.qsize("q"), 20_000)
    XCTAssertEqual(session.logLines, [])
  }

  /// Each frame closes its own connection with one log line naming the peer's pid, changes
  /// no queue, and the next process is served.
  func testEveryMalformedFrameClosesOnlyItsConnectionAndChangesNoQueue() throws {
    let deep = [UInt8](repeating: 6, count: 2000).flatMap { [$0] + Frames.int(1) }
    let function = { (line: Int64, column: Int64, source: String) -> [UInt8] in
      [8] + Frames.string("f") + Frames.string(source) + Frames.string("<-c>") + Frames.int(line) + Frames.int(column)
    }
    let head = Frames.requestHead()
    let tail = Frames.requestTail
    let cases: [(String, [UInt8])] = [
      ("a string length of 2^63-1 in 30 bytes", Frames.framed([6] + Frames.int(1) + [1] + Frames.int(Int64.max) + [UInt8](repeating: 0x41, count: 12))),
      ("a frame of 4 GiB announced", [0xff, 0xff, 0xff, 0xff, 6, 0, 0]),
      ("a frame of 65 MiB announced", Frames.framed([]).prefix(0) + [0, 0, 0x10, 0x04] + [6]),
      ("a negative list count", Frames.framed(head + [6] + Frames.int(-1) + tail)),
      ("a list count of 2^62", Frames.framed(head + [6] + Frames.int(1 << 62) + tail)),
      ("a dict count of 2^63-1", Frames.framed(head + [12] + Frames.int(Int64.max) + tail)),
      ("lists nested 2000 deep", Frames.framed(head + deep + [0] + tail)),
      ("an unknown message tag", Frames.framed([99] + Frames.int(1))),
      ("a pool's message on a queue connection", Frames.framed([2, 0] + Frames.int(0) + Frames.int(0))),
      ("an unknown value tag", Frames.framed(head + [200] + tail)),
      ("an unknown queue operation", Frames.framed(Frames.requestHead(operation: 77) + [0] + tail)),
      ("a function at line -2^63", Frames.framed(head + function(Int64.min, 1, "def f() { 1 }") + tail)),
      ("a function at line 10^12", Frames.framed(head + function(1_000_000_000_000, 1, "def f() { 1 }") + tail)),
      ("a function at column 2^40", Frames.framed(head + function(1, 1 << 40, "def f() { 1 }") + tail)),
      ("a function of 1 MiB of text", Frames.framed(head + function(1, 1, "def f() { " + String(repeating: " ", count: 1 << 20) + "}") + tail)),
      ("a function name of 1 MB", Frames.framed(head + [9] + Frames.string(String(repeating: "f", count: 1_000_000)) + tail)),
      ("an error with line -1 and a trace count of 2^62", Frames.framed(head + [10] + Frames.string("ValueError") + Frames.string("m") + Frames.string("f") + Frames.int(-1) + Frames.int(1) + Frames.string("") + Frames.int(1 << 62) + tail)),
      ("a range with step 0", Frames.framed(head + [7] + Frames.int(0) + Frames.int(10) + Frames.int(0) + tail)),
      ("a timeout that is not a number", Frames.framed(head + [0, 1] + Frames.double(.nan) + Frames.int(0) + [0])),
      ("a negative maxsize", Frames.framed(Frames.requestHead(operation: 0, queue: "new") + [0, 0] + Frames.double(-1) + Frames.int(-5) + [0])),
      ("a message cut short inside a string", Frames.framed([6] + Frames.int(1) + [1] + Frames.int(50) + Array("q".utf8))),
      ("bytes after the message", Frames.framed(head + [3] + Frames.int(5) + tail + [1, 2, 3])),
      ("an empty frame", Frames.framed([])),
      ("a request with id 0", Frames.request(0, .get, "q")),
      ("a request with a negative id", Frames.request(-3, .qsize, "q")),
      ("a hello with pid -1", Frames.framed([5] + Frames.int(-1) + Frames.string("x"))),
    ]
    let session = try BrokerUnderTest()
    _ = session.request(.create, "q", maxsize: 0)
    for item in [1, 2, 3] { _ = session.request(.put, "q", .int(item)) }
    let ownPid = getpid()
    for (what, bytes) in cases {
      let before = session.logLines.count
      let peer = try RawPeer(session)
      let bystander = try RawPeer(session)
      peer.send(bytes, serving: session)
      XCTAssertTrue(peer.closedBySession(session), "\(what): the connection stays open")
      XCTAssertEqual(session.logLines.count, before + 1, "\(what): \(session.logLines.dropFirst(before))")
      XCTAssertTrue(session.logLines.last?.contains("pid \(ownPid)") ?? false, "\(what): \(session.logLines.last ?? "no log line")")
      XCTAssertEqual(session.qsize("q"), 3, "\(what) changed the queue")
      XCTAssertEqual(session.broker.names, ["q"], "\(what) made a queue")
      bystander.send(Frames.request(1, .qsize, "q"))
      guard case .success(.int(3))? = bystander.reply(session, id: 1) else { return XCTFail("\(what): the next process is not served") }
    }
  }

  func testAListNestedAsDeepAsASenderMaySendCrossesWhole() throws {
    let session = try BrokerUnderTest()
    _ = session.request(.create, "q")
    var value = Value.int(1)
    for _ in 1..<Crossing.maxDepth { value = .list([value]) }
    let peer = try RawPeer(session)
    peer.send(Frames.request(1, .put, "q", value), serving: session)
    guard case .success? = peer.reply(session, id: 1) else { return XCTFail("no answer to the put: \(session.logLines)") }
    peer.send(Frames.request(2, .get, "q"))
    guard case .success(let back)? = peer.reply(session, id: 2) else { return XCTFail("no answer to the get") }
    XCTAssertEqual(back, value)
  }

  func testAPipeOfPutsCarriesOnlyPuts() throws {
    let session = try BrokerUnderTest()
    _ = session.request(.create, "q")
    _ = session.request(.put, "q", .int(1))
    let peer = try RawPeer(session)
    peer.post(Frames.request(0, .get, "q"))
    XCTAssertTrue(peer.closedBySession(session))
    XCTAssertEqual(session.qsize("q"), 1)
    XCTAssertEqual(session.logLines.count, 1)
    XCTAssertTrue(session.logLines[0].contains("other than a put"), session.logLines[0])
  }

  func testPutsAPeerFinishedBeforeItWentStayAndAPutCutShortDoesNotCount() throws {
    let session = try BrokerUnderTest()
    _ = session.request(.create, "q")
    var peer: RawPeer? = try RawPeer(session)
    peer!.post(Frames.request(0, .put, "q", .int(1)) + Frames.request(0, .put, "q", .int(2)) + Frames.request(0, .put, "q", .int(3)).dropLast(3))
    peer = nil
    for _ in 0..<10 { session.serve(rounds: 1) }
    XCTAssertEqual(session.qsize("q"), 2)
    XCTAssertEqual(session.logLines, [], "a process that died while writing is not malformed")
  }

  func testTheDoorRefusesWhatIsNotAConnectionRequestAndClosesWhatCameWithIt() throws {
    let session = try BrokerUnderTest()
    let door = session.broker.door.descendantEnd
    var pair: [Int32] = [0, 0]
    XCTAssertEqual(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair), 0)
    let pipe = try Descriptors.pipe()
    let file = open("/dev/null", O_RDONLY)
    defer { for fd in pair + [pipe.read, pipe.write, file] { close(fd) } }
    let requests: [([UInt8], [Int32])] = [
      (Array("HELO".utf8), [pair[1], pipe.read]),
      (QueueDoor.request, []),
      (QueueDoor.request, [pair[1]]),
      (QueueDoor.request, [file, pipe.read]),
      (QueueDoor.request, [pair[1], pipe.write]),
      (QueueDoor.request, [pair[1], pipe.read, file]),
      (QueueDoor.request + [0], [pair[1], pipe.read]),
    ]
    for (bytes, fds) in requests { try DescriptorPassing.send(bytes, with: fds, over: door) }
    session.serve()
    XCTAssertEqual(session.logLines.count, requests.count, session.logLines.joined(separator: "\n"))
    XCTAssertTrue(session.logLines.allSatisfy { $0.hasPrefix("refused ") }, session.logLines.joined(separator: "\n"))
    // Every copy the session received was closed: the stream's other end reads end of file.
    close(pair[1])
    pair[1] = -1
    var byte: UInt8 = 0
    XCTAssertEqual(recv(pair[0], &byte, 1, Int32(MSG_DONTWAIT)), 0)
  }

  /// The session's objects are reached through the door only: it is an unnamed socket pair,
  /// so no process without it can connect, and none can take its name.
  func testTheDoorHasNoNameAndNoListeningSocketIsLeft() throws {
    let session = try BrokerUnderTest()
    for fd in [session.broker.door.sessionEnd, session.broker.door.descendantEnd] {
      var address = sockaddr_un()
      var length = socklen_t(MemoryLayout<sockaddr_un>.size)
      let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
      }
      XCTAssertEqual(named, 0)
      XCTAssertEqual(Int(length), MemoryLayout<sa_family_t>.size, "the door's end \(fd) has a name")
    }
  }
}
