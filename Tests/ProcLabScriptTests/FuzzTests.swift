// A deterministic mutation fuzzer for the lexer, parser and interpreter, in process: seeds
// from samples/*.plab and the code of docs/LANGUAGE.md, mutated (bytes flipped, deleted,
// duplicated; deep nesting, huge literals, invalid UTF-8, NULs inserted), plus generated
// expressions over extreme numbers. Any input may raise any error; none may crash the test
// process or run past its time limit. `scripts/fuzz SECONDS` does the same on the binary.
import Foundation
import ProcLabScript
import XCTest

/// A host with no engine: commands give none, and Ctrl-C "arrives" when an input's time is up
/// (Attention stays raised while an input runs, so the interpreter asks at every check).
final class FuzzHost: ScriptHost {
  let commandWords: Set<String> = ["spawn", "join", "get", "kill", "queue", "wait", "map", "pool", "load", "time", "ps"]
  let builtins: [String: Builtin] = [:]
  var deadline = ContinuousClock.now {
    didSet { Attention.raise() }
  }
  private(set) var interrupted = false

  func run(_ command: Command, in interpreter: Interpreter) throws(ScriptError) -> Value {
    for argument in command.arguments { _ = try interpreter.evaluate(argument.value) }
    return .none
  }

  func checkInterrupt() throws(ScriptError) {
    guard ContinuousClock.now > deadline else { return }
    interrupted = true
    throw ScriptError(.keyboardInterrupt, "time is up")
  }

  func measure(repeats: Int, text: String, at location: SourceLocation, _ body: () throws(ScriptError) -> Void) throws(ScriptError) {
    for _ in 0..<min(repeats, 3) { try body() }
  }

  func repeatRuns(count: Int, text: String, at location: SourceLocation, _ body: () throws(ScriptError) -> Value) throws(ScriptError) {
    for _ in 0..<min(count, 3) { _ = try? body() }
  }

  func willExecute(_ statement: Stmt) {}
  func attribute(_ name: String, of handle: any Handle) throws(ScriptError) -> Value? { nil }
  func setAttribute(_ name: String, of handle: any Handle, to value: Value) throws(ScriptError) -> Bool { false }
  func callMethod(_ name: String, on handle: any Handle, _ call: BuiltinCall) throws(ScriptError) -> Value? { nil }
  func memberNames(of handle: any Handle) -> [String] { [] }
}

/// SplitMix64: the same inputs on every run and machine.
struct FuzzRandom {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }

  mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

enum Fuzz {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The samples and every fenced code block of the language reference.
  static func seeds() -> [[UInt8]] {
    var seeds: [[UInt8]] = []
    let samples = root.appendingPathComponent("samples")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: samples.path)) ?? []
    for name in names.sorted() where name.hasSuffix(".plab") {
      if let data = FileManager.default.contents(atPath: samples.appendingPathComponent(name).path) { seeds.append(Array(data)) }
    }
    if let data = FileManager.default.contents(atPath: root.appendingPathComponent("docs/LANGUAGE.md").path) {
      let text = String(decoding: data, as: UTF8.self)
      for (i, block) in text.components(separatedBy: "```").enumerated() where i % 2 == 1 {
        seeds.append(Array(block.utf8))
      }
      for line in text.split(separator: "\n") {
        for (i, piece) in line.components(separatedBy: "`").enumerated() where i % 2 == 1 && piece.count > 3 {
          seeds.append(Array(piece.utf8))
        }
      }
    }
    return seeds
  }

  static let extremes = [
    "9223372036854775807", "(-9223372036854775807 - 1)", "-1", "0", "1", "2", "1e308", "-1e308", "1e-320", "float(\"nan\")",
    "float(\"inf\")", "float(\"-inf\")", "10**18", "2**62", "4611686018427387904", "\"\"", "\"abc\"", "[]", "[0]", "(1, 2)",
    "{}", "{1: 2}", "none", "true", "range(9223372036854775807)", "range(-9223372036854775807 - 1, 9223372036854775807)",
    "range(10**18, -10**18, -3)", "range(0)", "\"x\" * 10**11", "[0] * 10**12", "0.5", "-0.0",
  ]
  static let binaryOperators = ["+", "-", "*", "/", "//", "%", "**", "==", "!=", "<", "<=", ">", ">=", "in", "not in", "is", "and", "or"]
  static let builtins = [
    "len", "range", "str", "repr", "int", "float", "list", "tuple", "abs", "round", "min", "max", "sum", "sorted", "type", "dir",
    "dict",
  ]
  static let methods = ["append", "extend", "insert", "pop", "index", "count", "upper", "split", "join", "get", "keys", "strip"]

  /// An expression over extreme numbers, operators, builtins, indexes and slices.
  static func expression(_ random: inout FuzzRandom, depth: Int = 0) -> String {
    if depth > 3 || random.below(4) == 0 { return random.pick(extremes) }
    let a = expression(&random, depth: depth + 1)
    switch random.below(9) {
    case 0, 1, 2: return "(\(a) \(random.pick(binaryOperators)) \(expression(&random, depth: depth + 1)))"
    case 3: return "\(random.pick(builtins))(\(a))"
    case 4: return "\(random.pick(builtins))(\(a), \(expression(&random, depth: depth + 1)))"
    case 5: return "\(a)[\(expression(&random, depth: depth + 1))]"
    case 6: return "\(a)[\(random.pick(extremes)):\(random.pick(extremes)):\(random.pick(extremes))]"
    case 7: return "\(a).\(random.pick(methods))(\(expression(&random, depth: depth + 1)))"
    default: return "-\(a)"
    }
  }

  /// A statement that uses a generated expression: assigned, changed in place, looped over.
  static func program(_ random: inout FuzzRandom) -> String {
    let e = expression(&random)
    switch random.below(6) {
    case 0: return "x = \(e)\nx += \(expression(&random))"
    case 1: return "xs = [\(e)]\nxs.append(\(expression(&random)))\nxs[0] = \(e)"
    case 2: return "for i in \(e) { y = i }"
    case 3: return "s = f\"{\(e)}\""
    case 4: return "a, b = \(e)"
    default: return e
    }
  }

  static let insertions: [[UInt8]] = [
    Array(String(repeating: "(", count: 3000).utf8), Array(String(repeating: "[", count: 3000).utf8),
    Array(String(repeating: "{", count: 3000).utf8), Array(String(repeating: "if x {", count: 500).utf8),
    Array(String(repeating: "-", count: 3000).utf8), Array(String(repeating: "1+", count: 3000).utf8),
    Array(String(repeating: "9", count: 400).utf8), Array("1e99999".utf8), Array("0.000000000000000000000001e-400".utf8),
    [0], [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], Array("\"\\".utf8),
    Array("f\"{".utf8), Array(" else if x {".utf8), Array("\n}\n".utf8), Array("**".utf8),
    Array(" * 9223372036854775807".utf8), Array(" * 10**11".utf8),
  ]

  static func mutate(_ seed: [UInt8], _ random: inout FuzzRandom) -> [UInt8] {
    var bytes = seed
    for _ in 0...random.below(4) {
      let at = random.below(bytes.count + 1)
      switch random.below(6) {
      case 0 where !bytes.isEmpty:
        bytes[min(at, bytes.count - 1)] ^= UInt8(1 << random.below(8))
      case 1 where !bytes.isEmpty:
        let end = min(bytes.count, at + 1 + random.below(40))
        bytes.removeSubrange(min(at, bytes.count)..<end)
      case 2 where !bytes.isEmpty:
        let start = min(at, bytes.count - 1)
        let end = min(bytes.count, start + 1 + random.below(200))
        bytes.insert(contentsOf: bytes[start..<end], at: random.below(bytes.count + 1))
      case 3:
        bytes.insert(contentsOf: random.pick(insertions), at: at)
      case 4:
        bytes.insert(contentsOf: Array(random.pick(extremes).utf8), at: at)
      default:
        bytes.insert(UInt8(random.below(256)), at: at)
      }
    }
    return bytes
  }

  /// Parses and runs one input in a fresh interpreter, within `limit`; returns how long it took.
  static func run(_ text: String, limit: Duration) -> (took: Duration, interrupted: Bool) {
    let host = FuzzHost()
    let interpreter = Interpreter(host: host)
    let start = ContinuousClock.now
    host.deadline = start + limit
    do {
      try interpreter.runTopLevel(try interpreter.parse(text, file: "fuzz.plab"))
    } catch {
      _ = error.report(sources: interpreter.sources)
    }
    return (ContinuousClock.now - start, host.interrupted)
  }
}

final class FuzzTests: XCTestCase {
  /// Every input gets `limit`; one that keeps running well past it ignored Ctrl-C.
  private let limit = Duration.milliseconds(250)
  private let grace = Duration.seconds(3)

  private func fuzz(_ inputs: [String], file: StaticString = #filePath, line: UInt = #line) {
    let saved = MemoryBudget.bytes
    // A small budget keeps allocations quick; past it is a MemoryError like any other.
    MemoryBudget.bytes = 64 << 20
    defer { MemoryBudget.bytes = saved }
    var slowest = Duration.zero
    for input in inputs {
      let (took, _) = Fuzz.run(input, limit: limit)
      slowest = max(slowest, took)
      if took > limit + grace {
        let path = NSTemporaryDirectory() + "proclab-fuzz-slow-\(abs(input.hashValue)).plab"
        _ = FileManager.default.createFile(atPath: path, contents: Data(input.utf8))
        XCTFail("an input ran \(took) (saved in \(path))", file: file, line: line)
      }
    }
    print("fuzz: \(inputs.count) inputs, slowest \(slowest)")
  }

  func testMutatedSamplesAndReferenceCodeNeverCrashOrHang() {
    let seeds = Fuzz.seeds()
    XCTAssertGreaterThan(seeds.count, 20)
    var random = FuzzRandom(state: 9)
    var inputs: [String] = []
    for _ in 0..<20000 {
      inputs.append(String(decoding: Fuzz.mutate(random.pick(seeds), &random), as: UTF8.self))
    }
    fuzz(inputs)
  }

  func testGeneratedExpressionsOverExtremeNumbersNeverCrashOrHang() {
    var random = FuzzRandom(state: 17)
    fuzz((0..<8000).map { _ in Fuzz.program(&random) })
  }
}
