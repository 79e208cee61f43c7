// Checks what programs compute: precedence, Python's integer rules, overflow, strings, lists as
// values, indexing, functions, loops, errors as values, `expect`, and where errors point.
import Foundation
import ProcLabScript
import XCTest

final class InterpreterTests: XCTestCase {
  private var fixture: ScriptFixture!

  override func setUp() {
    fixture = ScriptFixture()
  }

  private func value(_ expression: String, file: StaticString = #filePath, line: UInt = #line)
    -> Value?
  {
    do {
      return try fixture.value(expression)
    } catch {
      XCTFail("\(expression) raised \(error.kind): \(error.message)", file: file, line: line)
      return nil
    }
  }

  private func values(
    _ expressions: [String: Value], file: StaticString = #filePath, line: UInt = #line
  ) {
    for (expression, expected) in expressions.sorted(by: { $0.key < $1.key }) {
      XCTAssertEqual(
        value(expression, file: file, line: line), expected, expression, file: file, line: line)
    }
  }

  // MARK: arithmetic

  func testPrecedenceFollowsTheGrammar() {
    values([
      "1 + 2 * 3": .int(7),
      "(1 + 2) * 3": .int(9),
      "10 - 4 - 3": .int(3),
      "2 ** 3 ** 2": .int(512),
      "-2 ** 2": .int(-4),
      "2 ** -1": .float(0.5),
      "2 * 3 ** 2": .int(18),
      "not 1 == 2": .bool(true),
      "1 < 2 and 2 < 1 or 3 == 3": .bool(true),
      "not true and false": .bool(false),
      "1 + 2 == 3": .bool(true),
      "-3 + 5": .int(2),
    ])
  }

  func testAndOrGiveAnOperandAndShortCircuit() {
    values([
      "0 or 5": .int(5),
      "3 and 4": .int(4),
      "none or \"x\"": .string("x"),
      "false and 1 / 0": .bool(false),
      "true or 1 / 0": .bool(true),
    ])
  }

  func testFloorDivisionAndModuloFloorAsInPython() {
    values([
      "7 // 2": .int(3),
      "-7 // 2": .int(-4),
      "7 // -2": .int(-4),
      "-7 // -2": .int(3),
      "7 % 3": .int(1),
      "-7 % 3": .int(2),
      "7 % -3": .int(-2),
      "-7 % -3": .int(-1),
      "-6 % 3": .int(0),
      "-7.5 // 2": .float(-4),
      "7.5 % -2": .float(-0.5),
    ])
  }

  func testSlashAlwaysGivesAFloat() {
    values(["6 / 3": .float(2), "7 / 2": .float(3.5), "1 / 4.0": .float(0.25)])
    XCTAssertEqual(value("type(6 / 3)"), .string("float"))
  }

  func testDivisionByZeroRaisesZeroDivisionError() {
    for code in ["1 / 0", "1 // 0", "1 % 0", "1.5 / 0", "1 % 0.0"] {
      XCTAssertEqual(fixture.error(code)?.kind, .zeroDivisionError, code)
    }
  }

  func testIntegerOverflowRaisesOverflowErrorInsteadOfWrapping() {
    for code in [
      "9223372036854775807 + 1", "-9223372036854775807 - 2", "9223372036854775807 * 2",
      "2 ** 64", "-(-9223372036854775807 - 1)", "(-9223372036854775807 - 1) // -1",
      "abs(-9223372036854775807 - 1)", "x = 1\nx *= 9223372036854775807\nx += x",
    ] {
      let error = fixture.error(code)
      XCTAssertEqual(error?.kind, .overflowError, "\(code): \(error?.message ?? "")")
    }
    XCTAssertEqual(value("2 ** 62"), .int(1 << 62))
    XCTAssertEqual(value("-9223372036854775807 - 1"), .int(Int.min))
  }

  func testMixedIntAndFloatArithmeticGivesFloats() {
    values(["1 + 0.5": .float(1.5), "2 * 1.5": .float(3), "2.0 ** 3": .float(8)])
    XCTAssertEqual(value("1 == 1.0"), .bool(true))
  }

  // MARK: strings

  func testPlusWithAStringConcatenatesTheOtherValuesText() {
    values([
      "\"n=\" + 1": .string("n=1"),
      "1 + \"a\"": .string("1a"),
      "\"x\" + 1.5": .string("x1.5"),
      "\"v\" + [1, \"a\"]": .string("v[1, \"a\"]"),
      "\"t\" + true + none": .string("ttruenone"),
      "\"ab\" * 3": .string("ababab"),
    ])
  }

  func testFormatStringsEvaluateTheirCode() throws {
    try fixture.run(#"i = 3; def sq(x) { return x * x }; s = f"w{i}: {sq(i) + 1} {{i}} {'q'}""#)
    XCTAssertEqual(fixture.global("s"), .string("w3: 10 {i} q"))
  }

  func testStringMethodsAndMembership() {
    values([
      "\"a,b,,c\".split(\",\")": .list(["a", "b", "", "c"].map(Value.string)),
      "\" a  b \".split()": .list([.string("a"), .string("b")]),
      "\", \".join([1, \"x\"])": .string("1, x"),
      "\" pad \".strip()": .string("pad"),
      "\"MiX\".upper() + \"MiX\".lower()": .string("MIXmix"),
      "\"proclab\".startswith(\"proc\")": .bool(true),
      "\"proclab\".endswith(\"proc\")": .bool(false),
      "\"at\" in \"cat\"": .bool(true),
      "\"dog\" not in \"cat\"": .bool(true),
      "len(\"héllo\")": .int(5),
    ])
  }

  // MARK: lists, ranges, indexing

  func testAssigningAListCopiesIt() throws {
    try fixture.run("a = [1, 2]\nb = a\nb.append(3)\nb[0] = 9")
    XCTAssertEqual(fixture.global("a"), .list([.int(1), .int(2)]))
    XCTAssertEqual(fixture.global("b"), .list([.int(9), .int(2), .int(3)]))
  }

  func testAFunctionChangingItsListArgumentLeavesTheCallersList() throws {
    try fixture.run("def grow(xs) { xs.append(0); return xs }\na = [1]\nb = grow(a)")
    XCTAssertEqual(fixture.global("a"), .list([.int(1)]))
    XCTAssertEqual(fixture.global("b"), .list([.int(1), .int(0)]))
  }

  func testNestedListsCanBeChangedInPlaceThroughIndexes() throws {
    try fixture.run("m = [[1], [2]]\nm[0][0] = 5\nm[1].append(3)\nlast = m[1].pop()\nm[-1] += [7]")
    XCTAssertEqual(fixture.global("m"), .list([.list([.int(5)]), .list([.int(2), .int(7)])]))
    XCTAssertEqual(fixture.global("last"), .int(3))
  }

  /// Python evaluates `a[f()] += 1`'s container and index once: `counts[queue get q] += 1`
  /// must take one item, not two. At the top level and inside a function alike.
  func testAnAugmentedItemAssignmentEvaluatesItsIndexOnce() throws {
    try fixture.run("""
      calls = 0
      def first() { global calls; calls += 1; return 0 }
      a = [0, 0]
      a[first()] += 5
      def inside() { b = [1, 1]; b[first()] *= 3; return b }
      b = inside()
      """)
    XCTAssertEqual(fixture.global("calls"), .int(2))
    XCTAssertEqual(fixture.global("a"), .list([.int(5), .int(0)]))
    XCTAssertEqual(fixture.global("b"), .list([.int(3), .int(1)]))
  }

  func testIndexingCountsFromTheEndWithNegativeIndexes() {
    values([
      "[10, 20, 30][0]": .int(10),
      "[10, 20, 30][-1]": .int(30),
      "[10, 20, 30][-3]": .int(10),
      "\"abc\"[-1]": .string("c"),
      "range(1, 10, 2)[2]": .int(5),
      "range(1, 10, 2)[-1]": .int(9),
      "range(10, 0, -3)[-1]": .int(1),
    ])
  }

  func testIndexingOutOfRangeRaisesIndexError() {
    for code in [
      "[1, 2, 3][3]", "[1, 2, 3][-4]", "[][0]", "\"ab\"[2]", "range(3)[3]", "xs = [1]\nxs[1] = 2",
      "[].pop()",
    ] {
      XCTAssertEqual(fixture.error(code)?.kind, .indexError, code)
    }
    XCTAssertEqual(fixture.error("[1][0.5]")?.kind, .typeError)
  }

  func testListsAndRangesCompareElementByElement() {
    values([
      "[1, [2, 3]] == [1, [2, 3]]": .bool(true),
      "[1, 2] == [2, 1]": .bool(false),
      "range(3) == [0, 1, 2]": .bool(true),
      "[1, 2] + [3] == [1, 2, 3]": .bool(true),
      "[0] * 3": .list([.int(0), .int(0), .int(0)]),
      "len(range(0, 10, 3))": .int(4),
      "len(range(5, 0))": .int(0),
      "6 in range(0, 10, 3)": .bool(true),
      "7 in range(0, 10, 3)": .bool(false),
      "2 in [1, 2]": .bool(true),
    ])
  }

  // MARK: slicing

  func testSlicesOfListsFollowPython() {
    let xs = "[0, 1, 2, 3, 4, 5]"
    func list(_ items: Int...) -> Value { .list(items.map(Value.int)) }
    values([
      "\(xs)[1:4]": list(1, 2, 3),
      "\(xs)[:2]": list(0, 1),
      "\(xs)[4:]": list(4, 5),
      "\(xs)[:]": list(0, 1, 2, 3, 4, 5),
      "\(xs)[-2:]": list(4, 5),
      "\(xs)[:-2]": list(0, 1, 2, 3),
      "\(xs)[-4:-1]": list(2, 3, 4),
      "\(xs)[4:1]": list(),
      "\(xs)[-100:100]": list(0, 1, 2, 3, 4, 5),
      "\(xs)[10:]": list(),
      "\(xs)[::2]": list(0, 2, 4),
      "\(xs)[1::2]": list(1, 3, 5),
      "\(xs)[::-1]": list(5, 4, 3, 2, 1, 0),
      "\(xs)[4:1:-1]": list(4, 3, 2),
      "\(xs)[-1:-4:-2]": list(5, 3),
      "\(xs)[1:5:3]": list(1, 4),
      "\(xs)[::-9223372036854775807 - 1]": list(5),
      "\(xs)[none:2]": list(0, 1),
      "[][1:]": list(),
    ])
  }

  func testSlicesOfStringsAndRanges() {
    values([
      "\"proclab\"[:4]": .string("proc"),
      "\"proclab\"[-3:]": .string("lab"),
      "\"héllo\"[1:3]": .string("él"),
      "\"abc\"[::-1]": .string("cba"),
      "\"abcdef\"[1::2]": .string("bdf"),
      "\"abc\"[5:]": .string(""),
      "range(10)[2:5] == [2, 3, 4]": .bool(true),
      "range(10)[::-3] == [9, 6, 3, 0]": .bool(true),
      "range(1, 20, 4)[1:-1] == [5, 9, 13]": .bool(true),
      "range(10, 0, -2)[::-1] == [2, 4, 6, 8, 10]": .bool(true),
      "range(5)[3:1] == []": .bool(true),
      "len(range(1000000000)[::2])": .int(500_000_000),
      "list(range(6)[1:]) == [1, 2, 3, 4, 5]": .bool(true),
    ])
  }

  func testSlicesWorkOnLocalsAndInsideCommandArguments() throws {
    try fixture.run("def tail(xs, n) { return xs[-n:] }\nr = tail([1, 2, 3], 2)")
    XCTAssertEqual(fixture.global("r"), .list([.int(2), .int(3)]))
    try fixture.run("join ps[1:] timeout=1")
    XCTAssertEqual(fixture.host.recorded.last?.arguments, ["ps[1:]", "1"])
  }

  func testWrongSlicesAreErrors() {
    XCTAssertEqual(fixture.error("[1, 2][::0]")?.kind, .valueError)
    XCTAssertEqual(fixture.error("[1, 2][0.5:]")?.kind, .typeError)
    XCTAssertEqual(fixture.error("x = 5\nx[1:]")?.message, "an int cannot be sliced")
    XCTAssertEqual(syntaxError("x = [1, 2][1:2:3:4]")?.location?.lineColumn, "1:17")
    XCTAssertEqual(syntaxError("xs = [1]\nxs[0:1] = [2]")?.kind, .syntaxError)
  }

  func testUnpackingAssignsEachItem() throws {
    try fixture.run("a, b = [1, \"two\"]")
    XCTAssertEqual(fixture.global("a"), .int(1))
    XCTAssertEqual(fixture.global("b"), .string("two"))
    XCTAssertEqual(fixture.error("a, b = [1, 2, 3]")?.kind, .valueError)
  }

  func testTruthiness() {
    for falsy in ["false", "none", "0", "0.0", "\"\"", "[]", "range(0)"] {
      XCTAssertEqual(value("not \(falsy)"), .bool(true), falsy)
    }
    for truthy in ["true", "1", "-0.5", "\" \"", "[0]", "range(1)"] {
      XCTAssertEqual(value("not \(truthy)"), .bool(false), truthy)
    }
  }

  func testBuiltinConversionsAndAggregates() {
    values([
      "int(\" 42 \")": .int(42),
      "int(-3.7)": .int(-3),
      "float(\"2.5\")": .float(2.5),
      "str(12) + repr(\"a\")": .string("12\"a\""),
      "list(range(3))": .list([.int(0), .int(1), .int(2)]),
      "sorted([3, 1, 2])": .list([.int(1), .int(2), .int(3)]),
      "sum(range(5))": .int(10),
      "min([4, 2, 8])": .int(2),
      "max(4, 9, 1)": .int(9),
      "type([])": .string("list"),
    ])
    XCTAssertEqual(fixture.error("int(\"x\")")?.kind, .valueError)
  }

  // MARK: functions and scope

  func testParametersTakeDefaultsAndKeywords() throws {
    try fixture.run(
      "def f(x, n=2) { return x * n }\na = f(3)\nb = f(3, 4)\nc = f(3, n=5)\nd = f(x=1)")
    XCTAssertEqual(fixture.global("a"), .int(6))
    XCTAssertEqual(fixture.global("b"), .int(12))
    XCTAssertEqual(fixture.global("c"), .int(15))
    XCTAssertEqual(fixture.global("d"), .int(2))
  }

  func testWrongArgumentsAreTypeErrors() throws {
    try fixture.run("def f(x, n=2) { return x }")
    for code in ["f()", "f(1, 2, 3)", "f(1, m=2)", "3(1)"] {
      XCTAssertEqual(fixture.error(code)?.kind, .typeError, code)
    }
  }

  func testAFunctionWithoutReturnGivesNone() throws {
    try fixture.run("def f() { x = 1 }\nr = f()")
    XCTAssertEqual(fixture.global("r"), Value.none)
  }

  func testRecursionWorks() throws {
    try fixture.run("def fact(n) { if n <= 1 { return 1 }; return n * fact(n - 1) }\nr = fact(20)")
    XCTAssertEqual(fixture.global("r"), .int(2_432_902_008_176_640_000))
    XCTAssertEqual(
      fixture.error("def fact(n) { if n <= 1 { return 1 }; return n * fact(n - 1) }\nfact(21)")?
        .kind, .overflowError)
  }

  func testUnboundedRecursionRaisesRecursionError() {
    // The limit is the interpreter's, not the stack's: run where the stack is surely big enough
    // (the end-to-end tests check the real binary on its own stack).
    var caught: ScriptError?
    onLargeStack {
      caught = self.fixture.error("def down(n) { return down(n + 1) }\ndown(0)")
    }
    XCTAssertEqual(caught?.kind, .recursionError)
    XCTAssertEqual(caught?.location?.lineColumn, "1:22")
    // After the error the interpreter is usable and its call stack is empty again.
    XCTAssertEqual(value("x = 5\nx"), .int(5))
    XCTAssertEqual(fixture.error("y = n")?.kind, .nameError)
  }

  func testAssignmentInAFunctionIsLocalAndGlobalsAreVisible() throws {
    try fixture.run("x = 1\ny = 10\ndef f(a) { x = a + y; return x }\nr = f(5)")
    XCTAssertEqual(fixture.global("x"), .int(1))
    XCTAssertEqual(fixture.global("r"), .int(15))
    XCTAssertEqual(fixture.error("def g() { z = 1 }\ng()\nz")?.kind, .nameError)
  }

  func testGlobalLetsAFunctionAssignAGlobal() throws {
    try fixture.run(
      """
      count = 0
      total = 100
      def bump(n) {
        global count, total
        count += n
        if n > 1 { total = total - n }
      }
      def shadow() { count = 99; return count }
      bump(1)
      bump(5)
      s = shadow()
      """)
    XCTAssertEqual(fixture.global("count"), .int(6))
    XCTAssertEqual(fixture.global("total"), .int(95))
    XCTAssertEqual(fixture.global("s"), .int(99))
  }

  func testGlobalCoversTheWholeFunctionAndItsLoopsAndDefinitions() throws {
    try fixture.run(
      """
      def setup() {
        for i in range(3) { last = i }
        def helper() { return "h" }
        if true { global last, helper }
      }
      setup()
      h = helper()
      """)
    XCTAssertEqual(fixture.global("last"), .int(2))
    XCTAssertEqual(fixture.global("h"), .string("h"))
  }

  func testGlobalAppliesOnlyToItsOwnFunction() throws {
    try fixture.run(
      """
      x = 1
      def outer() {
        global x
        def inner() { x = 50; return x }
        x = inner() + 1
      }
      outer()
      """)
    XCTAssertEqual(fixture.global("x"), .int(51))
  }

  func testGlobalAtTheTopLevelDoesNothing() throws {
    try fixture.run("global a, b\na = 1")
    XCTAssertEqual(fixture.global("a"), .int(1))
    XCTAssertNil(fixture.global("b"))
  }

  func testAParameterCannotBeGlobal() {
    let error = syntaxError("def f(x) {\n  global x\n}")
    XCTAssertEqual(error?.location?.lineColumn, "2:3")
    XCTAssertTrue(error?.message.contains("parameter") ?? false, error?.message ?? "")
    XCTAssertEqual(syntaxError("global")?.location?.lineColumn, "1:7")
    XCTAssertEqual(syntaxError("global = 3")?.kind, .syntaxError)
  }

  func testANameErrorNamesTheName() {
    let error = fixture.error("x = 1\ny = x + nope")
    XCTAssertEqual(error?.kind, .nameError)
    XCTAssertEqual(error?.message, "name 'nope' is not defined")
    XCTAssertEqual(error?.location?.lineColumn, "2:9")
  }

  func testReturnOutsideAFunctionIsASyntaxError() {
    XCTAssertEqual(fixture.error("return 1")?.kind, .syntaxError)
  }

  // MARK: loops

  func testForLoopsOverRangesListsAndStrings() throws {
    try fixture.run(
      """
      out = []
      for i in range(3) { out.append(i) }
      for s in ["a", "b"] { out.append(s) }
      for c in "xy" { out.append(c) }
      for i in range(10, 4, -3) { out.append(i) }
      """)
    XCTAssertEqual(
      fixture.global("out"),
      .list(
        [0, 1, 2].map(Value.int) + ["a", "b", "x", "y"].map(Value.string) + [.int(10), .int(7)]))
    XCTAssertEqual(fixture.error("for x in 5 { }")?.kind, .typeError)
  }

  func testBreakAndContinueAffectOnlyTheInnermostLoop() throws {
    try fixture.run(
      """
      out = []
      for i in range(4) {
        if i == 1 { continue }
        for j in range(10) {
          if j == 2 { break }
          out.append(i * 10 + j)
        }
        if i == 2 { break }
      }
      n = 0
      while true {
        n += 1
        if n < 5 { continue }
        break
      }
      """)
    XCTAssertEqual(fixture.global("out"), .list([0, 1, 20, 21].map(Value.int)))
    XCTAssertEqual(fixture.global("n"), .int(5))
  }

  func testReturnLeavesLoopsInsideAFunction() throws {
    try fixture.run("def first(xs) { for x in xs { while true { return x } } }\nr = first([7, 8])")
    XCTAssertEqual(fixture.global("r"), .int(7))
  }

  func testLoopsCheckForInterruptsAndTryDoesNotCatchThem() {
    fixture.host.interruptAfterChecks = 50
    let error = fixture.error("caught = false\ntry { while true { } } catch e { caught = true }")
    XCTAssertEqual(error?.kind, .keyboardInterrupt)
    XCTAssertEqual(fixture.global("caught"), .bool(false))
  }

  // MARK: errors

  func testCatchBindsTheErrorsKindMessageAndPlace() throws {
    try fixture.run(
      """
      try {
        x = [1][5]
      } catch e {
        k = e.kind
        m = e.message
        w = e.where
        l = e.line
      }
      """)
    XCTAssertEqual(fixture.global("k"), .string("IndexError"))
    XCTAssertEqual(fixture.global("m"), .string("index 5 is out of range for length 1"))
    XCTAssertEqual(fixture.global("w"), .string("test.plab:2:7"))
    XCTAssertEqual(fixture.global("l"), .int(2))
  }

  func testAnErrorInsideAFunctionIsCaughtByTheCaller() throws {
    try fixture.run(
      "def f() { return 1 // 0 }\ntry { f() } catch e { k = e.kind; l = e.line }\nafter = 1")
    XCTAssertEqual(fixture.global("k"), .string("ZeroDivisionError"))
    XCTAssertEqual(fixture.global("l"), .int(1))
    XCTAssertEqual(fixture.global("after"), .int(1))
  }

  func testAnErrorInTheHandlerPropagates() {
    XCTAssertEqual(fixture.error("try { 1 / 0 } catch e { [][0] }")?.kind, .indexError)
  }

  func testExpectRaisesAssertionErrorQuotingTheExpression() {
    let error = fixture.error("x = 2\nexpect x + 1 == 4")
    XCTAssertEqual(error?.kind, .assertionError)
    XCTAssertTrue(error?.message.contains("x + 1 == 4") ?? false, error?.message ?? "")
    XCTAssertEqual(error?.location?.lineColumn, "2:8")
    XCTAssertNoThrow(try fixture.run("expect x + 2 == 4"))
  }

  func testAttributesAndMethodsThatDoNotExistAreAttributeErrors() {
    XCTAssertEqual(fixture.error("[1].nope()")?.kind, .attributeError)
    XCTAssertEqual(fixture.error("x = 3\nx.size")?.kind, .attributeError)
  }

  func testRuntimeErrorsInsideAFormatStringPointIntoTheFormatString() {
    // `y / x` starts at column 14 of line 3; its `/` is at column 16.
    let error = fixture.error("x = 0\ny = 1\ns = f\"a {1 + y / x}\"")
    XCTAssertEqual(error?.kind, .zeroDivisionError)
    XCTAssertEqual(error?.location?.line, 3)
    XCTAssertEqual(error?.location?.column, 16)
  }

  func testFormatStringCodeKeepsItsPlaceAfterEscapesAndOnLaterLines() {
    // The escape `\t` is two characters of source: `[][0]` starts at column 17 of line 4.
    let error = fixture.error("def f() {\n  return 1\n}\ns = f\"a\\t{f()} {[][0]}\"")
    XCTAssertEqual(error?.kind, .indexError)
    XCTAssertEqual(error?.location?.lineColumn, "4:17")
    // Inside a function, a few lines down: `1 // n` fails at its `//`, column 19 of line 3.
    let inFunction = fixture.error("n = 0\ndef g() {\n  return f\"{n} {1 // n}\"\n}\ng()")
    XCTAssertEqual(inFunction?.kind, .zeroDivisionError)
    XCTAssertEqual(inFunction?.location?.lineColumn, "3:19")
  }

  func testAnErrorOfABinaryOperationPointsAtItsOperator() {
    let cases: [(code: String, kind: String, place: String)] = [
      ("x = 0\ny = 10 + 1 / x", "ZeroDivisionError", "2:12"),
      ("y = 1 + 2 * (3 // 0)", "ZeroDivisionError", "1:16"),
      ("y = [1] - 2", "TypeError", "1:9"),
      ("y = 1 < \"a\"", "TypeError", "1:7"),
      ("y = 1 in 2", "TypeError", "1:7"),
      ("y = 1 not in 2", "TypeError", "1:7"),
      ("y = 2 ** 99", "OverflowError", "1:7"),
      ("y = true and 1 < []", "TypeError", "1:16"),
    ]
    for (code, kind, place) in cases {
      let error = fixture.error(code)
      XCTAssertEqual(error?.kind.name, kind, code)
      XCTAssertEqual(error?.location?.lineColumn, place, code)
    }
  }

  func testABinaryOperationKeepsItsWholeTextAndStart() throws {
    guard case .assign(_, let value) = try parse("y = a + b * c").first?.kind else {
      return XCTFail("not an assignment")
    }
    XCTAssertEqual(value.text, "a + b * c")
    XCTAssertEqual(value.location.lineColumn, "1:7")
    XCTAssertEqual(value.start.lineColumn, "1:5")
  }

  func testLoopingOverAWrongValuePointsAtTheStartOfTheExpression() {
    XCTAssertEqual(fixture.error("for x in 1 + 2 { }")?.location?.lineColumn, "1:10")
  }

  func testMessagesPutTheRightArticleBeforeATypeName() {
    XCTAssertEqual(fixture.error("len(3)")?.message, "len() of an int")
    XCTAssertEqual(fixture.error("len(none)")?.message, "len() of none")
    XCTAssertEqual(fixture.error("3(1)")?.message, "an int is not callable")
    XCTAssertEqual(fixture.error("[1].size")?.message, "a list has no attribute 'size'")
    XCTAssertEqual(
      fixture.error("try { 1 / 0 } catch e { e.nope }")?.message, "an error has no attribute 'nope'"
    )
    XCTAssertEqual(fixture.error("[1][1.5]")?.message, "an index must be an int, not a float")
    XCTAssertEqual(withArticle("async result"), "an async result")
    XCTAssertEqual(withArticle("pool"), "a pool")
    XCTAssertEqual(Value.int(1).typeNameWithArticle, "an int")
    XCTAssertEqual(Value.string("").typeNameWithArticle, "a string")
  }

  func testEachTopLevelStatementIsAnnouncedToTheHost() throws {
    try fixture.run("x = 1; y = 2\nif x { y = 3 }")
    XCTAssertEqual(fixture.host.executed, ["x = 1", "y = 2", "if x { y = 3 }"])
  }

  func testTheLastExpressionsValueIsReturnedForTheREPL() throws {
    XCTAssertEqual(try fixture.run("x = 4\nx * 2"), .int(8))
    XCTAssertNil(try fixture.run("y = 4"))
    XCTAssertEqual(try fixture.run("get r"), .int(10))
  }
}

/// Runs `body` on a thread with a 512 MB stack and waits for it (so it never runs concurrently
/// with the caller, which is what makes handing it over unchecked sound).
private func onLargeStack(_ body: @escaping () -> Void) {
  final class Work: @unchecked Sendable {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
  }
  let work = Work(body)
  let done = DispatchSemaphore(value: 0)
  let thread = Thread {
    work.body()
    done.signal()
  }
  thread.stackSize = 512 << 20
  thread.start()
  done.wait()
}
