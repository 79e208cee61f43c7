// Checks the parser: how commands split into words and options, when a command word is a
// plain name, syntax errors at exact places, and when the REPL must ask for more lines.
import ProcLabScript
import XCTest

final class ParserTests: XCTestCase {
  private var fixture: ScriptFixture!

  override func setUp() {
    fixture = ScriptFixture()
  }

  private var recorded: [FakeHost.Recorded] { fixture.host.recorded }

  // MARK: commands

  func testJoinAllPassesTheWordAllUnevaluated() throws {
    try fixture.run("join all")
    XCTAssertEqual(recorded, [.init(word: "join", arguments: ["all"], options: [nil])])
  }

  func testKeyValueOptionsAreNamedAndTheirValuesStayWords() throws {
    try fixture.run("kill p signal=KILL")
    XCTAssertEqual(
      recorded, [.init(word: "kill", arguments: ["p", "KILL"], options: [nil, "signal"])])
  }

  func testACommandOnTheRightOfAnAssignmentGivesItsValue() throws {
    try fixture.run("x = get r timeout=1")
    XCTAssertEqual(
      recorded, [.init(word: "get", arguments: ["r", "1"], options: [nil, "timeout"])])
    XCTAssertEqual(fixture.global("x"), .int(10))
  }

  func testACommandInParenthesesIsAValueInAnExpression() throws {
    try fixture.run("expect (get r) == 10")
    XCTAssertEqual(recorded, [.init(word: "get", arguments: ["r"], options: [nil])])
    XCTAssertEqual(fixture.error("expect (get r) == 11")?.kind, .assertionError)
  }

  func testACommandWrittenLikeACallIsTheSameCommand() throws {
    try fixture.run("join(p, timeout=1)")
    try fixture.run("join p timeout=1")
    XCTAssertEqual(recorded.count, 2)
    XCTAssertEqual(
      recorded[0], .init(word: "join", arguments: ["p", "1"], options: [nil, "timeout"]))
    XCTAssertEqual(recorded[0], recorded[1])
  }

  func testACallStyleCommandCanBeAnOperandOfAnExpression() throws {
    try fixture.run("y = 1 + get(r)")
    XCTAssertEqual(fixture.global("y"), .int(11))
    XCTAssertEqual(recorded, [.init(word: "get", arguments: ["r"], options: [nil])])
  }

  func testASpaceEndsACommandArgumentSoParenthesesGroupOne() throws {
    try fixture.run("queue put q (1+2)")
    XCTAssertEqual(recorded.count, 1)
    XCTAssertEqual(recorded[0].word, "queue")
    XCTAssertEqual(recorded[0].options, [nil, nil, nil])
    XCTAssertEqual(recorded[0].arguments.prefix(2), ["put", "q"])
    guard let third = fixture.host.commands.first?.arguments.last?.value else { return }
    XCTAssertEqual(try fixture.interpreter.evaluate(third), .int(3))
  }

  func testACommandWordAmongACommandsArgumentsIsAPlainWord() throws {
    // Only the start of a statement, the right of '=' or the inside of '(' starts a command.
    try fixture.run("join get spawn")
    XCTAssertEqual(
      recorded, [.init(word: "join", arguments: ["get", "spawn"], options: [nil, nil])])
    guard case .name("get") = fixture.host.commands.first?.arguments.first?.value.kind else {
      return XCTFail("the argument is not the name 'get'")
    }
  }

  func testACommandArgumentKeepsItsCallsIndexesAndAttributes() throws {
    try fixture.run(#"spawn work(3, [1, 2]) name="w1""#)
    try fixture.run("join ps[0] p.child timeout=-1")
    XCTAssertEqual(
      recorded,
      [
        .init(word: "spawn", arguments: ["work(3, [1, 2])", #""w1""#], options: [nil, "name"]),
        .init(
          word: "join", arguments: ["ps[0]", "p.child", "-1"], options: [nil, nil, "timeout"]),
      ])
  }

  func testCommandArgumentsAreNotEvaluatedBeforeTheCommandSeesThem() throws {
    // `undefined` is no variable: evaluating it would raise NameError.
    try fixture.run("kill undefined signal=KILL")
    XCTAssertEqual(recorded.count, 1)
  }

  func testACommandWordFollowedByEqualsIsAnOrdinaryVariable() throws {
    try fixture.run("get = 3\nget += 1\nexpect get == 4\ntime = 5")
    XCTAssertEqual(fixture.global("get"), .int(4))
    XCTAssertEqual(fixture.global("time"), .int(5))
    XCTAssertEqual(recorded, [])
  }

  func testCommandsCanBeItemsOfAList() throws {
    try fixture.run("ps = [spawn f(1), spawn f(2) name=\"w\"]\nx = [get a, get b timeout=1, 3]")
    XCTAssertEqual(
      recorded,
      [
        .init(word: "spawn", arguments: ["f(1)"], options: [nil]),
        .init(word: "spawn", arguments: ["f(2)", #""w""#], options: [nil, "name"]),
        .init(word: "get", arguments: ["a"], options: [nil]),
        .init(word: "get", arguments: ["b", "1"], options: [nil, "timeout"]),
      ])
    XCTAssertEqual(fixture.global("ps"), .list([.int(10), .int(10)]))
    XCTAssertEqual(fixture.global("x"), .list([.int(10), .int(10), .int(3)]))
  }

  func testCommandsCanBeArgumentsOfACall() throws {
    try fixture.run(
      "a = str(get r)\nb = max(get r, 3)\nc = max(1, get r timeout=2)\nd = str((get r))")
    XCTAssertEqual(fixture.global("a"), .string("10"))
    XCTAssertEqual(fixture.global("b"), .int(10))
    XCTAssertEqual(fixture.global("c"), .int(10))
    XCTAssertEqual(fixture.global("d"), .string("10"))
    XCTAssertEqual(recorded.map(\.arguments), [["r"], ["r"], ["r", "2"], ["r"]])
  }

  func testACommandStatementStillEndsOnlyWithTheStatement() {
    // A comma ends the command's arguments; at the top level nothing may follow.
    let error = syntaxError("join p, q")
    XCTAssertEqual(error?.location?.lineColumn, "1:7")
  }

  func testACommandEndsAtASemicolonAndAtTheEndOfABlock() throws {
    try fixture.run("if true { join p }; join q")
    XCTAssertEqual(
      recorded,
      [
        .init(word: "join", arguments: ["p"], options: [nil]),
        .init(word: "join", arguments: ["q"], options: [nil]),
      ])
  }

  func testTimeRunsItsStatementTheGivenNumberOfTimes() throws {
    try fixture.run("n = 0\ntime -n 3 n += 1\ntime n += 10")
    XCTAssertEqual(fixture.global("n"), .int(13))
    XCTAssertEqual(fixture.host.measured.map(\.repeats), [3, 1])
    XCTAssertEqual(fixture.host.measured.map(\.text), ["n += 1", "n += 10"])
  }

  func testTimeOfACommandTimesTheCommand() throws {
    try fixture.run("time join all")
    XCTAssertEqual(fixture.host.measured.map(\.text), ["join all"])
    XCTAssertEqual(recorded, [.init(word: "join", arguments: ["all"], options: [nil])])
  }

  func testRepeatTakesACountAndAStatementOrABlockAndGivesEachRunsValue() throws {
    try fixture.run("n = 2\nrepeat 3 n * 2\nrepeat n { m = 5; m + n }\nrepeat 2 { if true { return 7 }; 8 }\nrepeat 1 { 1 / 0 }\nrepeat 1 join all")
    XCTAssertEqual(fixture.host.repeated.map(\.count), [3, 2, 2, 1, 1])
    XCTAssertEqual(fixture.host.repeated.map(\.outcomes), [["4", "4", "4"], ["7", "7"], ["7", "7"], ["ZeroDivisionError"], ["10"]])
    XCTAssertEqual(fixture.host.repeated.first?.text, "repeat 3 n * 2")
  }

  func testRepeatIsANameWhereItIsUsedAsOne() throws {
    try fixture.run("repeat = 4\nx = repeat + 1")
    XCTAssertEqual(fixture.global("x"), .int(5))
    XCTAssertTrue(fixture.host.repeated.isEmpty)
  }

  // MARK: structure

  func testElseAndCatchMayStartTheLineAfterTheClosingBrace() throws {
    try fixture.run(
      """
      if false {
        a = 1
      }
      else {
        a = 2
      }
      try {
        b = 1 / 0
      }
      catch e {
        b = e.kind
      }
      """)
    XCTAssertEqual(fixture.global("a"), .int(2))
    XCTAssertEqual(fixture.global("b"), .string("ZeroDivisionError"))
  }

  func testElseIfChains() throws {
    try fixture.run(
      """
      def sign(x) { if x < 0 { return -1 } else if x == 0 { return 0 } else { return 1 } }
      r = [sign(-5), sign(0), sign(7)]
      """)
    XCTAssertEqual(fixture.global("r"), .list([.int(-1), .int(0), .int(1)]))
  }

  func testStatementsKeepTheirSourceText() throws {
    let statements = try parse("x = 1 + 2 ; kill p signal=KILL\nexpect x == 3")
    XCTAssertEqual(statements.map(\.text), ["x = 1 + 2", "kill p signal=KILL", "expect x == 3"])
    XCTAssertEqual(statements.map(\.location.lineColumn), ["1:1", "1:13", "2:1"])
  }

  // MARK: syntax errors

  func testAMissingValueIsReportedJustAfterTheEquals() {
    let error = syntaxError("x = ")
    XCTAssertEqual(error?.location?.lineColumn, "1:5")
    XCTAssertEqual(error?.message, "expected an expression")
  }

  func testAnUnclosedBraceSaysWhereItWasOpened() {
    let error = syntaxError("x = 1\ndef f() {\n  y = 2\n")
    XCTAssertTrue(error?.message.contains("opened at 2:9") ?? false, error?.message ?? "")
    XCTAssertEqual(error?.location?.line, 4)
  }

  func testAnUnclosedParenthesisSaysWhereItWasOpened() {
    let error = syntaxError("y = 1\nx = (1 + 2")
    XCTAssertTrue(error?.message.contains("'(' opened at 2:5") ?? false, error?.message ?? "")
  }

  func testTwoExpressionsOnALineAreAnErrorAtTheSecond() {
    let error = syntaxError("x = 1 2")
    XCTAssertEqual(error?.location?.lineColumn, "1:7")
    XCTAssertTrue(error?.message.contains("end of the statement") ?? false, error?.message ?? "")
  }

  func testAKeywordCannotBeUsedAsAValue() {
    let error = syntaxError("x = for")
    XCTAssertEqual(error?.location?.lineColumn, "1:5")
    XCTAssertTrue(error?.message.contains("'for'") ?? false, error?.message ?? "")
  }

  func testOnlyNamesAndIndexesCanBeAssigned() {
    let error = syntaxError("f(x) = 3")
    XCTAssertEqual(error?.location?.lineColumn, "1:1")
    XCTAssertEqual(syntaxError("1 += 2")?.location?.lineColumn, "1:1")
  }

  func testAForLoopNeedsItsVariableAndIn() {
    XCTAssertEqual(syntaxError("for in xs { }")?.location?.lineColumn, "1:5")
    XCTAssertEqual(syntaxError("for x of xs { }")?.location?.lineColumn, "1:7")
  }

  func testABlockMustBeBraced() {
    let error = syntaxError("while true\n  x = 1")
    XCTAssertEqual(error?.location?.lineColumn, "1:11")
    XCTAssertTrue(error?.message.contains("'{'") ?? false, error?.message ?? "")
  }

  func testTimeNeedsAStatement() {
    XCTAssertEqual(syntaxError("time")?.location?.lineColumn, "1:5")
  }

  func testASyntaxErrorInsideAFormatStringIsReportedAtItsPlaceInTheFile() {
    // The code `x +` sits at columns 12-14 of line 3; the expression is missing after `+`.
    let error = syntaxError("a = 1\n\nprint(f\"a {x +}\")")
    XCTAssertEqual(error?.location?.line, 3)
    XCTAssertEqual(error?.location?.column, 15)
  }

  func testAFragmentParsedAtAnOriginReportsPlacesInTheWholeFile() throws {
    // A `def` that starts at line 7, column 3 of its file: `1 / x` fails at the `/`.
    let statements = try fixture.interpreter.parse(
      "def f(x) {\n  return 1 / x\n}", file: "w.plab",
      origin: SourceLocation(file: "w.plab", line: 7, column: 3), keepSource: false)
    XCTAssertEqual(statements.first?.location.lineColumn, "7:3")
    try fixture.interpreter.runTopLevel(statements)
    XCTAssertEqual(fixture.error("f(0)")?.location?.description, "w.plab:8:12")
  }

  func testTheWholeProgramIsParsedBeforeAnythingRuns() {
    XCTAssertEqual(fixture.error("join p\nx = (")?.kind, .syntaxError)
    XCTAssertEqual(recorded, [])
  }

  // MARK: needsMoreInput

  func testMoreInputIsNeededWhileABracketIsOpen() {
    XCTAssertTrue(Parser.needsMoreInput("def f() {"))
    XCTAssertTrue(Parser.needsMoreInput("def f() {\n  if x {\n  }\n"))
    XCTAssertTrue(Parser.needsMoreInput("f(1,"))
    XCTAssertTrue(Parser.needsMoreInput("xs = [1,\n 2,"))
  }

  func testNoMoreInputIsNeededForACompleteOrBrokenEntry() {
    XCTAssertFalse(Parser.needsMoreInput("x = 1"))
    XCTAssertFalse(Parser.needsMoreInput("def f() {\n}"))
    XCTAssertFalse(Parser.needsMoreInput("s = \"{\""))
    XCTAssertFalse(Parser.needsMoreInput("x = 1 # {"))
    XCTAssertFalse(Parser.needsMoreInput("}"))
    // An unterminated string will not be completed by another line: report it now.
    XCTAssertFalse(Parser.needsMoreInput("print(\"abc"))
  }
}
