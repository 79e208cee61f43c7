// Checks errors that teach: raise and re-raise, the call trace and its report, sources kept
// per entry, "did you mean", and the hints for Python habits.
import ProcLabScript
import XCTest

final class ErrorReportTests: XCTestCase {
  private var fixture: ScriptFixture!

  override func setUp() {
    fixture = ScriptFixture()
  }

  // MARK: raise

  func testEveryErrorKindIsAConstructorForRaise() {
    let error = fixture.error("x = 1\nraise ValueError(\"boom\")")
    XCTAssertEqual(error?.kind, .valueError)
    XCTAssertEqual(error?.message, "boom")
    XCTAssertEqual(error?.location?.lineColumn, "2:1")
    for kind in ErrorKind.all where kind.isCatchable {
      XCTAssertEqual(fixture.error("raise \(kind.name)()")?.kind, kind)
    }
    XCTAssertEqual(fixture.error("raise KeyError()")?.message, "")
    XCTAssertEqual(fixture.error("raise TimeoutError")?.kind, .timeoutError)
  }

  func testCatchBindsARaisedErrorsKindAndMessage() throws {
    try fixture.run("try { raise OSError(\"disk\") } catch e { k = e.kind; m = e.message }")
    XCTAssertEqual(fixture.global("k"), .string("OSError"))
    XCTAssertEqual(fixture.global("m"), .string("disk"))
  }

  func testRaisingACaughtErrorKeepsItsPlaceAndTrace() {
    let code = "def f() { 1 / 0 }\ntry { f() } catch e { saved = e }\nraise saved"
    let error = fixture.error(code)
    XCTAssertEqual(error?.kind, .zeroDivisionError)
    XCTAssertEqual(error?.location?.lineColumn, "1:13")
    XCTAssertEqual(error?.trace.map(\.function), ["f"])
  }

  func testBareRaiseInsideCatchReRaisesTheHandledError() {
    let error = fixture.error("try { [][1] } catch e {\n  x = 1\n  raise\n}")
    XCTAssertEqual(error?.kind, .indexError)
    XCTAssertEqual(error?.location?.lineColumn, "1:7")
  }

  func testBareRaiseOutsideCatchIsARuntimeError() {
    XCTAssertEqual(fixture.error("raise")?.kind, .runtimeError)
  }

  func testRaisingAnythingButAnErrorIsATypeError() {
    let error = fixture.error("raise 5")
    XCTAssertEqual(error?.kind, .typeError)
    XCTAssertEqual(error?.message, "exceptions must be errors")
  }

  // MARK: trace

  func testAnErrorRecordsEachFunctionCallItLeaves() {
    let error = fixture.error("def a() { b() }\ndef b() { 1 / 0 }\na()")
    XCTAssertEqual(error?.trace.map(\.function), ["a", "b"])
    XCTAssertEqual(error?.trace.map(\.location.lineColumn), ["3:1", "1:11"])
  }

  func testTheReportShowsTheCallChainOutermostFirstThenTheError() {
    let error = fixture.error("def a() { b() }\ndef b() { 1 / 0 }\na()")!
    let report = error.report(sources: fixture.interpreter.sources)
    XCTAssertEqual(
      report,
      """
      Traceback (most recent call last):
        test.plab:3:1, in a
          a()
        test.plab:1:11, in b
          def a() { b() }
      test.plab:2:13: ZeroDivisionError: division by zero
          def b() { 1 / 0 }
                      ^

      """)
  }

  func testAReportWithoutTraceIsUnchanged() {
    let error = fixture.error("x = 1 / 0")!
    XCTAssertEqual(
      error.report(sources: fixture.interpreter.sources),
      "test.plab:1:7: ZeroDivisionError: division by zero\n    x = 1 / 0\n          ^\n")
  }

  func testAnErrorInAFunctionFromAnEarlierEntryQuotesThatEntry() throws {
    let interpreter = fixture.interpreter
    try interpreter.runTopLevel(try interpreter.parse("def f(x) {\n  return x / 0\n}", file: "<input#1>"))
    do {
      try interpreter.runTopLevel(try interpreter.parse("f(2)", file: "<input#2>"))
      XCTFail("expected ZeroDivisionError")
    } catch {
      let report = error.report(sources: interpreter.sources)
      XCTAssertTrue(report.contains("<input#2>:1:1, in f\n    f(2)\n"), report)
      XCTAssertTrue(report.contains("<input#1>:2:12: ZeroDivisionError: division by zero\n      return x / 0\n"), report)
    }
  }

  // MARK: did you mean

  func testClosestNameAllowsFewEditsAndBreaksTiesInSortedOrder() {
    XCTAssertEqual(closestName(to: "spwan", among: ["spawn", "join", "span"]), "span")
    XCTAssertEqual(closestName(to: "spwan", among: ["spawn", "join"]), "spawn")
    XCTAssertEqual(closestName(to: "lenght", among: ["len", "length"]), "length")
    XCTAssertNil(closestName(to: "ab", among: ["ac"]))
    XCTAssertNil(closestName(to: "xyzzy", among: ["spawn"]))
    XCTAssertEqual(closestName(to: "abcd", among: ["abce", "abcf"]), "abce")
    XCTAssertEqual(didYouMean("joim", among: ["join"]), "; did you mean 'join'?")
    XCTAssertEqual(didYouMean("zzzz", among: ["join"]), "")
  }

  func testANameErrorSuggestsACommandWordGlobalBuiltinOrLocal() {
    let command = fixture.error("spwan f(1)")
    XCTAssertEqual(command?.kind, .nameError)
    XCTAssertEqual(command?.message, "name 'spwan' is not defined; did you mean 'spawn'?")
    XCTAssertEqual(fixture.error("counter = 1; countr + 1")?.message, "name 'countr' is not defined; did you mean 'counter'?")
    XCTAssertEqual(fixture.error("lenn([1])")?.message, "name 'lenn' is not defined; did you mean 'len'?")
    XCTAssertEqual(
      fixture.error("def f(total) { return totl }; f(1)")?.message, "name 'totl' is not defined; did you mean 'total'?")
  }

  func testAnAttributeErrorSuggestsAMethodOfTheValue() {
    XCTAssertEqual(fixture.error("xs = []; xs.apend(1)")?.message, "a list has no method 'apend'; did you mean 'append'?")
    XCTAssertEqual(
      fixture.error("try { raise ValueError() } catch e { e.mesage }")?.message,
      "an error has no attribute 'mesage'; did you mean 'message'?")
  }

  // MARK: Python habits

  func testPythonHabitsAreSyntaxErrorsThatSayWhatToType() {
    XCTAssertEqual(syntaxError("print \"x\"")?.message, "missing parentheses in call to 'print'; did you mean print(\"x\")?")
    XCTAssertTrue(syntaxError("import os")?.message.contains("no modules") ?? false)
    XCTAssertTrue(syntaxError("from os import path")?.message.contains("cpu_count()") ?? false)
    XCTAssertEqual(syntaxError("if x:\n  y = 1")?.message, "blocks use braces: if x { ... }")
    XCTAssertEqual(syntaxError("while n > 0:")?.message, "blocks use braces: while n > 0 { ... }")
    XCTAssertEqual(syntaxError("def f():")?.message, "blocks use braces: def f() { ... }")
    XCTAssertEqual(syntaxError("for x in xs:")?.message, "blocks use braces: for x in xs { ... }")
    XCTAssertTrue(syntaxError("if a { } elif b { }")?.message.contains("'else if'") ?? false)
    XCTAssertTrue(syntaxError("try { } except e { }")?.message.contains("catch") ?? false)
    XCTAssertTrue(syntaxError("f = lambda x: x")?.message.contains("def") ?? false)
  }

  func testAnOperatorAmongCommandArgumentsSaysToUseParentheses() {
    let error = syntaxError("queue put q b + 1")
    XCTAssertEqual(error?.message, "put (b + 1) in parentheses: a space ends a command argument")
    XCTAssertEqual(error?.location?.lineColumn, "1:15")
    XCTAssertNoThrow(try parse("kill p -9 signal=KILL"))
  }
}
