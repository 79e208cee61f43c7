// Checks that nesting past the parser's limits is a SyntaxError at the place it was exceeded,
// never a stack overflow, and that parsing and reporting stay linear in the input.
import ProcLabScript
import XCTest

final class NestingLimitTests: XCTestCase {
  private func deepError(_ code: String, file: StaticString = #filePath, line: UInt = #line) -> ScriptError? {
    let error = syntaxError(code, file: file, line: line)
    XCTAssertTrue(error?.message.contains("nested too deeply") ?? false, error?.message ?? "", file: file, line: line)
    return error
  }

  func testThousandsOfOpenBracketsAreASyntaxErrorWhereTheLimitWasPassed() {
    XCTAssertEqual(deepError(String(repeating: "(", count: 20000))?.location?.lineColumn, "1:200")
    XCTAssertEqual(deepError(String(repeating: "[", count: 20000))?.location?.lineColumn, "1:200")
    XCTAssertNotNil(deepError("x = 1\n" + String(repeating: "{", count: 30000)))
    XCTAssertNotNil(deepError("x = " + String(repeating: "{1: ", count: 5000)))
    XCTAssertNotNil(deepError("x = " + String(repeating: "-", count: 5000) + "1"))
    XCTAssertNotNil(deepError("x = " + String(repeating: "not ", count: 5000) + "1"))
    XCTAssertNotNil(deepError("x = " + String(repeating: "2 ** ", count: 5000) + "1"))
    XCTAssertNotNil(deepError("x = f" + String(repeating: "(1)", count: 5000)))
    XCTAssertNotNil(deepError("x = " + String(repeating: "1 + ", count: 5000) + "1"))
    XCTAssertNotNil(deepError(String(repeating: "time ", count: 5000) + "x"))
    XCTAssertNotNil(deepError(#"x = f"{"# + String(repeating: "(", count: 500) + #"}""#))
  }

  func testNestingWithinTheLimitsParsesAndRuns() {
    let fixture = ScriptFixture()
    let parens = String(repeating: "(", count: 150) + "1" + String(repeating: ")", count: 150)
    XCTAssertEqual(fixture.ran("x = \(parens); x"), .int(1))
    XCTAssertEqual(fixture.ran("x = " + String(repeating: "1 + ", count: 300) + "1; x"), .int(301))
    let chain = (0..<900).map { " else if x == \($0) { y = \($0) }" }.joined()
    XCTAssertEqual(fixture.ran("x = 899; y = -1\nif x < 0 { y = 0 }\(chain)\ny"), .int(899))
    let ifs = String(repeating: "if true {\n", count: 90) + "z = 1\n" + String(repeating: "}\n", count: 90)
    XCTAssertEqual(fixture.ran(ifs + "z"), .int(1))
  }

  /// Deep recursion leaves little stack: a deep text parsed or run there (`load` inside a
  /// recursive function) is an error, never a crash.
  func testDeepNestingWithLittleStackLeftIsAnErrorNotACrash() {
    let fixture = ScriptFixture()
    let nested = "[" + String(repeating: "[", count: 190) + String(repeating: "]", count: 191)
    let chain = String(repeating: "1 + ", count: 990) + "1"
    fixture.host.result = .none
    let code = """
      def f(n, g) {
        if n > 0 { return f(n - 1, g) }
        return g()
      }
      def nested() { return len(\(nested)) }
      def chain() { return \(chain) }
      results = []
      for g in [nested, chain] {
        for depth in [10, 300, 600, 900] {
          try { results.append(f(depth, g)) } catch e { results.append(e.kind) }
        }
      }
      results
      """
    guard let value = fixture.ran(code), case .list(let results) = value else { return XCTFail("no list") }
    for result in results {
      XCTAssertTrue(result == .int(1) || result == .string("RecursionError") || result == .int(991), "\(result)")
    }
    XCTAssertEqual(results.first, .int(1))
  }

  /// 4,000 nested ifs and 4,000 else ifs took 5.6 s and 9.6 s to parse when every node
  /// copied its text; now each is rejected or parsed in a blink.
  func testParsingAndReportingStayLinear() {
    let nested = String(repeating: "if true {\n", count: 4000) + String(repeating: "}\n", count: 4000)
    let chain = "x = 0\nif x == -1 { x = 1 }" + (0..<4000).map { " else if x == \($0) { x = 1 }" }.joined()
    let long = "x = [" + (0..<50000).map { "(\($0) + 1) * 2" }.joined(separator: ", ") + "]"
    let start = ContinuousClock.now
    XCTAssertNotNil(deepError(nested))
    XCTAssertNotNil(deepError(chain))
    XCTAssertNoThrow(try parse(long))
    let took = ContinuousClock.now - start
    XCTAssertLessThan(took, .seconds(5), "took \(took)")
  }

  func testALongLineIsQuotedAroundTheErrorOnly() {
    let fixture = ScriptFixture()
    let code = String(repeating: "(", count: 20000)
    guard let error = fixture.error(code) else { return }
    let report = error.report(sources: fixture.interpreter.sources)
    XCTAssertLessThan(report.count, 600, report)
    XCTAssertTrue(report.contains("...((("), report)
  }
}
