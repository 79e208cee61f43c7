// Binding arguments to a declared signature, as Python binds them: every mistake is a
// TypeError naming the argument and the accepted shape, found before anything runs.
import ProcLabScript
import XCTest

@testable import ProcLabShell

final class SignatureTests: XCTestCase {
  private let get = Signature(
    "get", [Parameter("block", .bool, default: .bool(true)), Parameter("timeout", .seconds, default: Value.none)])

  private func message(_ work: () throws(ScriptError) -> [Value]) -> String {
    do {
      _ = try work()
      return "no error"
    } catch {
      return "\(error.kind): \(error.message)"
    }
  }

  func testPositionalAndKeywordArgumentsFillParametersInPythonsOrder() throws {
    XCTAssertEqual(try get.bind([], []), [.bool(true), .none])
    XCTAssertEqual(try get.bind([.bool(false), .int(2)], []), [.bool(false), .float(2)])
    XCTAssertEqual(try get.bind([], [("timeout", .float(0.5))]), [.bool(true), .float(0.5)])
  }

  func testAMisspeltKeywordNamesTheRightOneAndTheSignature() {
    XCTAssertEqual(
      message { () throws(ScriptError) in try get.bind([], [("timout", .int(1))]) },
      "TypeError: get() got an unexpected keyword argument 'timout'; did you mean 'timeout'? get(block=true, timeout=none)")
  }

  func testTooManyPositionalArgumentsAreATypeError() {
    XCTAssertEqual(
      message { () throws(ScriptError) in try get.bind([.bool(true), .int(1), .int(2)], []) },
      "TypeError: get() takes at most 2 positional arguments (3 given): get(block=true, timeout=none)")
  }

  func testAValueGivenTwiceOrMissingIsATypeError() {
    let put = Signature("put", [Parameter("obj", .any), Parameter("block", .bool, default: .bool(true))])
    XCTAssertTrue(message { () throws(ScriptError) in try put.bind([.int(1)], [("obj", .int(2))]) }.contains("multiple values for argument 'obj'"))
    XCTAssertTrue(message { () throws(ScriptError) in try put.bind([], []) }.contains("missing required argument 'obj'"))
  }

  func testArgumentsAreCheckedAgainstTheirTypes() {
    let pool = Signature("Pool", [Parameter("processes", .count(1...256), default: Value.none)])
    XCTAssertEqual(message { () throws(ScriptError) in try pool.bind([.int(0)], []) }, "ValueError: Pool() argument 'processes' must be at least 1 and at most 256, got 0")
    XCTAssertEqual(message { () throws(ScriptError) in try pool.bind([.string("4")], []) }, "TypeError: Pool() argument 'processes' must be a whole number, not a string")
  }

  func testNegativeTimeoutsMeanAtOnceAndInfinityMeansNoLimit() throws {
    XCTAssertEqual(try get.bind([.bool(true), .int(-3)], []), [.bool(true), .float(0)])
    XCTAssertEqual(try get.bind([.bool(true), .float(.infinity)], []), [.bool(true), .none])
  }

  func testAVariadicParameterTakesTheRemainingPositionalArguments() throws {
    let join = Signature("join", [Parameter("processes", .any, .variadic), Parameter("timeout", .seconds, .keyword, default: Value.none)], form: .command)
    XCTAssertEqual(try join.bind([.int(1), .int(2)], []), [.list([.int(1), .int(2)]), .none])
    XCTAssertTrue(
      message { () throws(ScriptError) in try join.bind([], [("timout", .int(1))]) }
        .hasPrefix("TypeError: join has no option 'timout'; did you mean 'timeout'?"))
    XCTAssertEqual(join.commandUsage, "join PROCESSES... [timeout=SECONDS]")
  }

  func testAKeywordsParameterTakesTheKeywordsNoOtherParameterTakesInNameOrder() throws {
    let namespace = Signature("Namespace", [Parameter("start", .any, default: .int(0)), Parameter("attributes", .any, .keywords)])
    let bound = try namespace.bind([], [("b", .string("x")), ("start", .int(5)), ("a", .int(1))])
    XCTAssertEqual(bound.first, .int(5))
    guard case .dict(let names) = bound.last else { return XCTFail("not a dict: \(bound)") }
    XCTAssertEqual(Value.dict(names).repr, #"{"a": 1, "b": "x"}"#)
    XCTAssertEqual(try namespace.bind([], []).last.map { Value.dict(Dict()) == $0 }, true)
    XCTAssertTrue(
      message { () throws(ScriptError) in try namespace.bind([.int(1), .int(2)], []) }.hasPrefix("TypeError: Namespace() takes at most 1 positional argument"))
    XCTAssertEqual(namespace.pythonUsage, "Namespace(start=0, **attributes)")
  }

  func testEveryNameInTheTableIsDocumentedInTheLanguageGuide() throws {
    let guide = try String(
      contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/LANGUAGE.md"), encoding: .utf8)
    // Commands as `word ...`, functions as `name(`, attributes and methods as `.name`.
    var mentions = CommandTable.commands.flatMap { [$0.word] + $0.subcommands.map(\.word) }.map { "`" + $0 }
    mentions += CommandTable.functions.map { $0.signature.name + "(" }
    mentions += CommandTable.objects.flatMap { object in object.memberNames.map { "." + $0 } }
    for mention in Set(mentions) {
      XCTAssertTrue(guide.contains(mention), "docs/LANGUAGE.md does not mention \(mention)")
    }
  }

  func testEveryTableNameHasHelp() {
    for name in CommandTable.words + CommandTable.functions.map(\.signature.name) + CommandTable.objects.flatMap(\.memberNames)
      + Session.keywords
    {
      XCTAssertNotNil(HelpText.about(name), "help \(name)")
    }
  }

  func testTheHelpOverviewFitsAFortyRowTerminal() {
    let lines = HelpText.overview().split(separator: "\n", omittingEmptySubsequences: false)
    XCTAssertLessThanOrEqual(lines.count, 38)
    XCTAssertLessThanOrEqual(lines.map(\.count).max() ?? 0, 100)
  }
}
