// A frame fuzzer for the queue protocol: valid frames of every kind, mutated (bit flips,
// bytes and 8-byte fields set to extremes, truncation, duplication, deletion, splices), fed to
// the decoder a session uses and, for a share of them, to a real broker over a connection made
// through its door. A crash ends the test process, and the input being tried is then in
// $PROCLAB_FUZZ_LAST; scripts/fuzz-protocol runs this for longer and keeps such inputs.
import Glibc
import ProcLabScript
import XCTest

@testable import ProcLabEngine

final class QueueFrameFuzzTests: XCTestCase {
  /// A fixed number of inputs in the normal run; PROCLAB_FUZZ_SECONDS runs for that long.
  func testMutatedFramesNeverCrashTheSessionAndLeaveItServing() throws {
    let environment = ProcessInfo.processInfo.environment
    let seconds = environment["PROCLAB_FUZZ_SECONDS"].flatMap(Double.init)
    let seed = environment["PROCLAB_FUZZ_SEED"].flatMap(UInt64.init) ?? 0x5eed_9
    let lastInput = environment["PROCLAB_FUZZ_LAST"].map { open($0, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600) } ?? -1
    defer { if lastInput >= 0 { close(lastInput) } }
    var random = SplitMix(seed: seed)
    let session = try BrokerUnderTest()
    let seeds = FuzzSeeds.frames(session.interpreter)
    _ = session.request(.create, "q")
    _ = session.request(.create, "b", maxsize: 2)
    let started = CPUClock.monotonicSeconds()
    let fixedInputs = 1_000_000
    var tried = 0
    var throughBroker = 0
    var refused = 0
    while seconds.map({ CPUClock.monotonicSeconds() - started < $0 }) ?? (tried < fixedInputs) {
      let input = mutate(seeds[random.below(seeds.count)], seeds, &random)
      tried += 1
      if lastInput >= 0 {
        _ = ftruncate(lastInput, 0)
        _ = input.withUnsafeBytes { pwrite(lastInput, $0.baseAddress, $0.count, 0) }
      }
      if tried % 20 == 0 {
        // The whole path: framing, bounded reads, decoding, the request's effect.
        throughBroker += 1
        let peer = try RawPeer(session)
        peer.send(input, serving: session)
        if random.below(2) == 0 { peer.post(mutate(seeds[random.below(seeds.count)], seeds, &random)) }
        session.serve(rounds: 2)
      } else {
        let payload = input.count >= 4 ? input[4...] : []
        do {
          _ = try ChannelMessage.decodeFromQueuePeer(payload, resolve: session.resolve)
        } catch {
          refused += 1
        }
      }
      if tried % 2000 == 0 {
        // The session still serves a well-behaved process.
        let peer = try RawPeer(session)
        peer.send(Frames.request(1, .put, "q", .int(tried)))
        guard case .success? = peer.reply(session, id: 1, within: 5) else {
          return XCTFail("after \(tried) inputs the session no longer answers (seed \(seed))")
        }
      }
    }
    let elapsed = CPUClock.monotonicSeconds() - started
    print("fuzz-protocol: \(tried) inputs tried (\(throughBroker) through a broker connection, \(refused) refused by the decoder), 0 crashes, seed \(seed), \(String(format: "%.1f", elapsed)) s")
    XCTAssertGreaterThan(refused, tried / 4, "the mutations hardly ever produce a bad frame: the fuzzer tests nothing")
  }

  /// One to four mutations of a valid frame.
  private func mutate(_ frame: [UInt8], _ seeds: [[UInt8]], _ random: inout SplitMix) -> [UInt8] {
    var bytes = frame
    let extremes: [Int64] = [0, -1, 1, Int64.max, Int64.min, 1 << 31, 1 << 32, 1_000_000_000_000, -(1 << 62), 65, 4096, 1 << 20]
    for _ in 0...random.below(4) {
      guard !bytes.isEmpty else { return bytes }
      let at = random.below(bytes.count)
      switch random.below(9) {
      case 0:
        bytes[at] ^= UInt8(1 << random.below(8))
      case 1:
        bytes[at] = [0, 0xff, 0x7f, 0x80, 1, 5, 6, 8, 10, 12][random.below(10)]
      case 2:
        // An 8-byte field (a length, a count, a line) set to an extreme, anywhere.
        let value = withUnsafeBytes(of: extremes[random.below(extremes.count)].littleEndian) { Array($0) }
        for (i, byte) in value.enumerated() where at + i < bytes.count { bytes[at + i] = byte }
      case 3:
        bytes.removeSubrange(at...)
        if random.below(2) == 0 { fixLength(&bytes) }
      case 4:
        let end = min(bytes.count, at + 1 + random.below(32))
        bytes.insert(contentsOf: bytes[at..<end], at: end)
        fixLength(&bytes)
      case 5:
        bytes.removeSubrange(at..<min(bytes.count, at + 1 + random.below(16)))
        fixLength(&bytes)
      case 6:
        let other = seeds[random.below(seeds.count)]
        let from = random.below(other.count)
        bytes.replaceSubrange(at..., with: other[from...])
        fixLength(&bytes)
      case 7:
        // The frame header itself set to an extreme.
        let length = [UInt32.max, 0, 1, UInt32(WireLimits.maxPeerFrame) + 1, UInt32(bytes.count)][random.below(5)]
        for i in 0..<min(4, bytes.count) { bytes[i] = UInt8(truncatingIfNeeded: length >> (8 * UInt32(i))) }
      default:
        // The message repeated: two frames in one write.
        bytes += bytes
      }
    }
    return bytes
  }

  /// The header says the length of what follows (as a sender that got it wrong would not).
  private func fixLength(_ bytes: inout [UInt8]) {
    guard bytes.count >= 4 else { return }
    let length = UInt32(bytes.count - 4)
    for i in 0..<4 { bytes[i] = UInt8(truncatingIfNeeded: length >> (8 * UInt32(i))) }
  }
}

extension BrokerUnderTest {
  /// Functions as the session resolves them: its own definition, or compiled from the text.
  var resolve: (FunctionReference) -> Value? {
    { [unowned self] reference in
      Engine.resolveFunction(reference, self.interpreter, &self.compiled) ?? Engine.missingFunction(reference.name)
    }
  }
}

/// Valid frames of every message a queue peer sends, holding every kind of value.
enum FuzzSeeds {
  static func frames(_ interpreter: Interpreter) -> [[UInt8]] {
    let location = SourceLocation(file: "<-c>", line: 3, column: 5)
    guard case .define(let def, _)? = (try? interpreter.parse("def double(x) { return [x, x * 2] }", file: "<-c>"))?.first?.kind else {
      fatalError("the seed function does not parse")
    }
    let function = Value.function(def)
    var error = ScriptError(.valueError, "bad value", at: location, origin: "Process-1")
    error.trace = [TraceFrame(function: "f", location: location), TraceFrame(function: "g", location: SourceLocation(file: "a.plab", line: 1, column: 1))]
    var dict = Dict()
    try? dict.set(.string("one"), for: .int(1))
    try? dict.set(.list([.int(2)]), for: .string("two"))
    let values: [Value] = [
      .none, .bool(true), .int(-5), .int(Int.max), .float(2.5), .string("hé, wörld"), .range(0, 10, 3),
      .list([.int(1), .list([.string("a"), .tuple([.none, .float(-0.0)])])]), .tuple([.int(1), .int(2)]), .dict(dict),
      .error(error), function, .list((0..<40).map { .int($0) }),
    ]
    var frames = values.map { Frames.request(3, .put, "q", $0) }
    frames.append(Frames.request(0, .put, "q", .int(1)))
    frames.append(Frames.request(4, .get, "q", timeout: 0.01))
    frames.append(Frames.request(5, .get, "b", block: true, timeout: 0.002))
    frames.append(Frames.request(6, .create, "new", maxsize: 3))
    frames.append(Frames.request(7, .qsize, "q"))
    frames.append(Frames.request(7, .received, "q"))
    frames.append(Frames.request(8, .cancel, "q"))
    frames.append(Frames.request(9, .taskDone, "q"))
    frames.append(Frames.of(.hello(pid: 42, name: "Process-1")))
    return frames
  }
}

/// A small deterministic generator (SplitMix64), so a seed gives the same inputs again.
struct SplitMix {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
