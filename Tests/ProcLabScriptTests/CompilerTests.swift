// Checks the compiler: which code each construct becomes (locals in frame slots, globals in
// the table's cells, what falls back to the tree walker), and that compiled code behaves as
// the tree walker did: the int fast paths' overflow and type errors, Ctrl-C checks, traces,
// the frame stack left as it was found, changes in place through methods and items.
@testable import ProcLabScript
import XCTest

final class CompilerTests: XCTestCase {
  private var fixture: ScriptFixture!

  override func setUp() {
    fixture = ScriptFixture()
  }

  /// A block's statements in order, out of its tree of pairs.
  private func statements(of code: StmtCode) -> [StmtCode] {
    guard let pair = code as? PairCode else { return [code] }
    return statements(of: pair.first) + statements(of: pair.second)
  }

  /// The function `name` defined by `code`, run in the fixture, and its compiled body.
  private func compiledBody(_ code: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) -> StmtCode? {
    _ = fixture.ran(code, file: file, line: line)
    guard case .function(let function)? = fixture.global(name) else {
      XCTFail("\(name) is not a function", file: file, line: line)
      return nil
    }
    return Compiler(globals: fixture.interpreter.globals).block(function.body)
  }

  func testLocalsCompileToFrameSlotsAndGlobalsToTheTablesCells() throws {
    let body = try XCTUnwrap(compiledBody("def f(a) { b = a; return b + g }", "f") as? PairCode)
    let assign = try XCTUnwrap(body.first as? AssignCode)
    XCTAssertEqual((assign.target as? LocalVariable)?.index, 1)
    XCTAssertEqual((assign.value as? LocalRead)?.variable.index, 0)
    let sum = try XCTUnwrap((body.second as? ReturnCode)?.value as? BinaryCode)
    XCTAssertEqual((sum.left as? LocalRead)?.variable.index, 1)
    let global = try XCTUnwrap(sum.right as? GlobalRead)
    XCTAssertTrue(global.variable.cell === fixture.interpreter.globals.cell("g"), "one cell per global name")
  }

  func testAGlobalsCellSeesLaterBindingsAndABuiltinUntilItIsShadowed() {
    XCTAssertEqual(fixture.repr("def f() { return g }; g = 1; a = f(); g = 2; [a, f()]"), "[1, 2]")
    XCTAssertEqual(fixture.repr("def n() { return len([1, 2]) }; a = n(); def len(x) { return 7 }; [a, n()]"), "[2, 7]")
    XCTAssertEqual(fixture.error("def f() { return nothing_here }; f()")?.kind, .nameError)
  }

  func testALocalNotYetAssignedRaisesAsPythonsUnboundLocalErrorAndNeverReadsTheGlobal() {
    // Python: UnboundLocalError, a kind of NameError. The global of the name is not read.
    XCTAssertEqual(fixture.repr("x = 5; def f(flag) { if flag { x = 1 }; return x }; f(true)"), "1")
    for code in ["x = 5; def f(flag) { if flag { x = 1 }; return x }; f(false)", "x = 5; def f() { x += 1 }; f()"] {
      let error = fixture.error(code)
      XCTAssertEqual(error?.kind, .nameError, code)
      XCTAssertTrue(error?.message.hasPrefix("cannot access local variable 'x' where it is not associated with a value") == true, code)
      XCTAssertTrue(error?.message.hasSuffix("write `global x` in the function") == true, code)
    }
    XCTAssertEqual(fixture.error("def g() { y = z; z = 1 }; g()")?.message.contains("global"), false, "no global z to point to")
    XCTAssertEqual(fixture.global("x"), .int(5))
  }

  func testIntFastPathsRaiseTheTreeWalkersOverflowErrors() {
    let cases = [
      "def f(a, b) { return a + b }; f(9223372036854775807, 1)",
      "def f(a, b) { return a - b }; f(-9223372036854775807, 2)",
      "def f(a, b) { return a * b }; f(4611686018427387904, 2)",
      "def f(a, b) { return a // b }; f(-9223372036854775807 - 1, -1)",
      "def f(a) { a += 1; return a }; f(9223372036854775807)",
      "s = 9223372036854775807; s += 1",
    ]
    for code in cases {
      let error = fixture.error(code)
      XCTAssertEqual(error?.kind, .overflowError, code)
      XCTAssertEqual(error?.message, "integer too large", code)
    }
    let located = fixture.error("def f(a) {\n  return a + 1\n}\nf(9223372036854775807)")
    XCTAssertEqual(located?.location?.lineColumn, "2:12", "the operator's place")
    XCTAssertEqual(located?.trace.map(\.function), ["f"])
  }

  func testIntFastPathsFollowPythonsSignRulesAndZeroDivisors() {
    XCTAssertEqual(
      fixture.repr("def f(a, b) { return [a % b, a // b] }; [f(-7, 3), f(7, 3), f(-6, 3), f(7, -2), f(-7, -2)]"),
      "[[2, -3], [1, 2], [0, -2], [-1, -4], [-1, 3]]")
    for code in ["def f(a, b) { return a % b }; f(1, 0)", "def f(a, b) { return a // b }; f(1, 0)", "def f(a) { a %= 0 }; f(3)"] {
      XCTAssertEqual(fixture.error(code)?.kind, .zeroDivisionError, code)
    }
  }

  func testAnIntOnTheRightOfAnOperatorHasItsOwnCodeThatBehavesAsTheGeneralOne() throws {
    let body = try XCTUnwrap(compiledBody("def f(n) { if n < 2 { return 0 }; return n - 1 }", "f") as? PairCode)
    let guardReturn = try XCTUnwrap(body.first as? IfReturnCode, "if ... { return ... } is one node")
    let test = try XCTUnwrap(guardReturn.condition as? IntRightCode)
    XCTAssertEqual(test.leftSlot, 0, "the local is read in place")
    XCTAssertEqual(test.right, 2)
    XCTAssertTrue(guardReturn.value is IntConstantCode)
    XCTAssertEqual(fixture.repr("def s(n) { if n < 2 { return n }; return s(n - 1) + s(n - 2) }; [s(0), s(1), s(10)]"), "[0, 1, 55]")
    XCTAssertEqual(fixture.repr("def e(n) { if n > 0 { return } else { return 1 } }; [e(1), e(0)]"), "[none, 1]")
    XCTAssertEqual(
      fixture.repr("def g(a) { return [a - 1, a * 2, a % 7, a // 2, a < 2, a == 3, a != 3, a >= 3] }; [g(3), g(-7)]"),
      "[[2, 6, 3, 1, false, true, false, true], [-8, -14, 0, -4, true, false, true, false]]")
    XCTAssertEqual(fixture.repr("def h(a) { return [a + 1, a < 2, a * 2] }; h(1.5)"), "[2.5, true, 3.0]")
    XCTAssertEqual(fixture.repr("def m(a) { return [a + 1, a * 2] }; m(\"ab\")"), #"["ab1", "abab"]"#)
    XCTAssertEqual(fixture.error("def h(a) { return a < 1 }; h(\"ab\")")?.kind, .typeError)
    XCTAssertEqual(fixture.error("def h(a) { return a < 1 }; h([])")?.kind, .typeError)
    XCTAssertEqual(fixture.error("def h(a) { return a % 0 }; h(3)")?.kind, .zeroDivisionError)
    XCTAssertEqual(fixture.error("k = 4; def u() { if false { k = 0 }; return k + 1 }; u()")?.kind, .nameError, "an unassigned local")
  }

  func testCompiledOperatorsGiveTheSameTypeErrorsAndMixedResults() {
    let error = fixture.error("def f(a, b) { return a + b }; f(1, [])")
    XCTAssertEqual(error?.kind, .typeError)
    XCTAssertEqual(error?.message, "unsupported operand types for +: int and list")
    XCTAssertEqual(fixture.error("def f(a) { if a < 1 { return 1 } }; f(\"a\")")?.kind, .typeError)
    XCTAssertEqual(fixture.repr("def f(a, b) { return [a + b, a < b, a == b, a / 2, -a] }; f(3, 1.5)"), "[4.5, false, false, 1.5, -3]")
    XCTAssertEqual(fixture.repr("def f(a) { return [a and 2, a or 2, not a] }; [f(0), f(1)]"), "[[0, 2, true], [2, 1, false]]")
  }

  func testConstructsTheCompilerDoesNotHandleFallBackToTheTreeWalker() throws {
    let code = """
      def f(pairs) {
        d = {"a": 1}
        xs = [x * 2 for x in pairs]
        total = 0
        for a, b in [(1, 2), (3, 4)] { total += a * b }
        return [d, xs[1:], sorted(xs, reverse=true), total]
      }
      r = f([1, 2, 3])
      """
    let body = statements(of: try XCTUnwrap(compiledBody(code, "f")))
    XCTAssertEqual(body.count, 5)
    XCTAssertTrue((body[0] as? AssignCode)?.value is FallbackExpr, "a dict display")
    XCTAssertTrue((body[1] as? AssignCode)?.value is FallbackExpr, "a comprehension")
    XCTAssertTrue((body[3] as? ForCode)?.target is FallbackTarget, "unpacking in a for")
    let list = try XCTUnwrap((body[4] as? ReturnCode)?.value as? SequenceCode)
    XCTAssertTrue(list.items[1] is FallbackExpr, "a slice")
    XCTAssertTrue(list.items[2] is FallbackExpr, "a call with keywords")
    XCTAssertEqual(fixture.global("r")?.repr, #"[{"a": 1}, [4, 6], [6, 4, 2], 14]"#)
    let raising = try XCTUnwrap(compiledBody("def g() { raise ValueError }", "g"))
    XCTAssertTrue(raising is FallbackStmt, "raise")
  }

  func testNestingPastTheCompilersDepthRunsInTheTreeWalker() throws {
    let depth = Compiler.maximumDepth + 20
    let nested = String(repeating: "(", count: depth) + "a" + String(repeating: " + b)", count: depth)
    var code = try XCTUnwrap(compiledBody("def f(a, b) { return \(nested) }", "f") as? ReturnCode)?.value
    var levels = 0
    while let sum = code as? BinaryCode {
      code = sum.left
      levels += 1
    }
    XCTAssertTrue(code is FallbackExpr)
    XCTAssertLessThan(levels, depth)
    XCTAssertEqual(fixture.repr("f(0, 1)"), "\(depth)")
  }

  func testAFunctionThatUnbindsItsOwnGlobalWhileRunningLivesUntilNoCallRuns() throws {
    // Calls through a global borrow the function from its cell; the cell keeps what it let
    // go of in `retired` while any call runs, and lets go of it after.
    let code = """
      def g(n) {
        global g
        g = none
        junk = [str(i) * 3 for i in range(2000)]
        if n > 0 { return n }
        return len(junk)
      }
      def outer() { return g(0) }
      r = outer()
      """
    XCTAssertEqual(fixture.repr(code + "; r"), "2000")
    XCTAssertTrue(fixture.interpreter.globals.retired.isEmpty, "released once no call runs")
    _ = fixture.ran("for i in range(100) { def again() { return i } }")
    XCTAssertTrue(fixture.interpreter.globals.retired.isEmpty, "no call runs: nothing to keep")
    XCTAssertEqual(fixture.repr("def h(n) { global h; h = n; return n + 1 }; [h(1), h]"), "[2, 1]")
  }

  func testAFinalReturnIsTheFunctionsTailAndKeepsItsPlaceInTraces() throws {
    _ = fixture.ran("def f(n) { if n < 0 { return 0 }; return n * 2 }\ndef g() { global k; return k }\nk = 3")
    guard case .function(let f)? = fixture.global("f"), case .function(let g)? = fixture.global("g") else {
      return XCTFail("not functions")
    }
    XCTAssertEqual(fixture.repr("[f(-1), f(4), g()]"), "[0, 8, 3]")
    XCTAssertTrue(f.code?.body is IfReturnCode, "the statements before the final return")
    XCTAssertTrue(f.code?.tail is IntRightCode, "the final return's value")
    XCTAssertNil(g.code?.body, "nothing but a global before the return")
    let error = fixture.error("def h(x) {\n  y = 1\n  return x + []\n}\nh(1)")
    XCTAssertEqual(error?.kind, .typeError)
    XCTAssertEqual(error?.location?.lineColumn, "3:12")
    XCTAssertEqual(error?.trace.map(\.function), ["h"])
    XCTAssertEqual(fixture.repr("def w() { x = 1 }; w()"), "none", "no return: none")
  }

  func testAugmentingALocalIntInPlaceGivesWhatTheGeneralPathGives() {
    XCTAssertEqual(
      fixture.repr("def f() { x = 1; x += 1.5; y = 2; y /= 4; z = 3; z += \"a\"; w = 7; w -= 10; w *= -3; return [x, y, z, w] }; f()"),
      #"[2.5, 0.5, "3a", 9]"#)
    XCTAssertEqual(fixture.error("def f() { x = 1; x += [] }; f()")?.kind, .typeError)
  }

  func testAFunctionHeldOnlyByAValueBeingCalledLivesUntilItsCallEnds() {
    // The call borrows the function from the value it evaluated (a list's item here); the
    // list lets go of it while it runs.
    let run = """
      def f(x) {
        global holder
        holder = []
        junk = [str(i) * 3 for i in range(2000)]
        return x + len(junk)
      }
      holder = [f]
      f = none
      def nop() { return 0 }
      nop()
      holder[0](1)
      """
    XCTAssertEqual(fixture.repr(run), "2001")
  }

  func testABlockIsABalancedTreeOfPairsThatRunsItsStatementsInOrder() throws {
    let assignments = (0..<9).map { "x.append(\($0))" }.joined(separator: "; ")
    let body = try XCTUnwrap(compiledBody("def f() { x = []; \(assignments); return x }", "f"))
    XCTAssertEqual(statements(of: body).count, 11, "x = [], the appends and the return")
    func depth(_ code: StmtCode) -> Int {
      guard let pair = code as? PairCode else { return 0 }
      return 1 + max(depth(pair.first), depth(pair.second))
    }
    XCTAssertEqual(depth(body), 4, "eleven statements nest four pairs deep")
    XCTAssertEqual(fixture.repr("f()"), "[0, 1, 2, 3, 4, 5, 6, 7, 8]")
    XCTAssertEqual(fixture.repr("def e() { }; e()"), "none")
  }

  func testAppendTakesTheListAsItIsAfterItsItemAndForLoopsAndIndexesReadLocalsInPlace() {
    XCTAssertEqual(fixture.repr("def f() { xs = [1, 2, 3]; xs.append(xs.pop()); return xs }; f()"), "[1, 2, 3]")
    XCTAssertEqual(fixture.repr("zs = [1]; zs.append(zs.pop()); zs"), "[1]")
    XCTAssertEqual(fixture.error("nothere.append(1 // 0)")?.kind, .nameError, "the name first, as Python")
    XCTAssertEqual(fixture.error("def g() { n = 5; n.append(1) }; g()")?.kind, .attributeError)
    XCTAssertEqual(
      fixture.repr("def h() { xs = [5, 6, 7]; t = 0; for i in range(3) { t += xs[i] * xs[-1 - i] }; return [t, i] }; h()"), "[106, 2]")
    XCTAssertEqual(fixture.error("def k() { xs = [1]; i = 3; return xs[i] }; k()")?.kind, .indexError)
  }

  func testALocalDictIsReadAndChangedWhereItStandsAfterItsArguments() {
    XCTAssertEqual(
      fixture.repr(#"def f() { d = {"a": 1}; return [d.get("a"), d.get("b", 7), d.get("z"), d.keys(), d.values(), d.items()] }; f()"#),
      #"[1, 7, none, ["a"], [1], [("a", 1)]]"#)
    XCTAssertEqual(fixture.repr(#"def g() { d = {"k": 1}; d[d.pop("k")] = 2; return d }; g()"#), "{1: 2}", "as Python")
    XCTAssertEqual(fixture.repr(#"e = {"k": 1}; e[e.pop("k")] = 2; e"#), "{1: 2}", "a global too")
    XCTAssertEqual(fixture.error("def u() { d = {}; d[[1]] = 2 }; u()")?.message, "unhashable type: 'list'")
    XCTAssertEqual(fixture.error(#"def h() { s = "abc"; return s.get(1) }; h()"#)?.kind, .attributeError)
    XCTAssertEqual(fixture.repr("def k() { d = {}; for i in range(5) { d[i % 2] = d.get(i % 2, 0) + i }; return d }; k()"), "{0: 6, 1: 4}")
  }

  func testCallsLeaveTheFrameStackAsTheyFoundIt() {
    let code = """
      def add(a, b) { return a + b }
      def one(x) { return x }
      def boom(x) { return x // 0 }
      """
    _ = fixture.ran(code)
    XCTAssertEqual(fixture.repr("add(one(1), add(2, one(3)))"), "6")
    XCTAssertEqual(fixture.error("add(one(1), boom(2))")?.kind, .zeroDivisionError)
    XCTAssertEqual(fixture.error("one(boom(1))")?.kind, .zeroDivisionError)
    XCTAssertEqual(fixture.interpreter.stack.count, 0)
    XCTAssertEqual(fixture.interpreter.frameBase, 0)
  }

  func testCompiledCallsAndLoopsCheckForCtrlC() {
    fixture.host.interruptAfterChecks = 3
    XCTAssertEqual(fixture.error("def f() { return 1 }; f(); f(); f(); print(\"not reached\")")?.kind, .keyboardInterrupt)
    let loops = ScriptFixture()
    loops.host.interruptAfterChecks = 1000
    XCTAssertEqual(loops.error("n = 0; while true { n += 1 }")?.kind, .keyboardInterrupt)
    XCTAssertEqual(loops.global("n")?.repr, "999")
  }

  func testAnErrorLeavingCompiledCallsRecordsEachCall() {
    let error = fixture.error("def a() {\n  return b()\n}\ndef b() {\n  return 1 // 0\n}\na()")
    XCTAssertEqual(error?.trace.map(\.function), ["a", "b"])
    XCTAssertEqual(error?.trace.map(\.location.line), [7, 2])
    XCTAssertEqual(error?.location?.line, 5)
  }

  func testMethodsAndItemAssignmentChangeTheVariableInPlace() {
    let code = """
      ys = [0, 0]
      def f() {
        xs = []
        for i in range(4) { xs.append(i) }
        xs[0] = 9
        d = {}
        d["k"] = d.get("k", 0) + 1
        ys[1] = 5
        return [xs, d]
      }
      r = f()
      """
    _ = fixture.ran(code)
    XCTAssertEqual(fixture.global("r")?.repr, #"[[9, 1, 2, 3], {"k": 1}]"#)
    XCTAssertEqual(fixture.global("ys")?.repr, "[0, 5]")
    XCTAssertEqual(fixture.error("def t() { p = (1, 2); p[0] = 3 }; t()")?.message, "'tuple' object does not support item assignment")
    XCTAssertEqual(fixture.error("def t() { p = [1]; p[3] = 3 }; t()")?.kind, .indexError)
  }

  func testAppendOnAVariableIsCompiledAndOtherReceiversTakeTheGeneralPath() throws {
    let body = try XCTUnwrap(compiledBody("def f(xs) { xs.append(1); return xs }", "f") as? PairCode)
    XCTAssertTrue((body.first as? ExpressionStmtCode)?.expression is AppendCode)
    XCTAssertEqual(fixture.repr("f([0])"), "[0, 1]")
    XCTAssertEqual(fixture.repr("t = [5]; u = t; u.append(6); [t, u]"), "[[5], [5, 6]]", "a list is a value")
    XCTAssertTrue(fixture.error("f({})")?.message.hasPrefix("a dict has no method 'append'") ?? false)
    XCTAssertEqual(fixture.repr("ys = [1]; def g() { ys.append(2); return ys }; g()"), "[1, 2]")
    XCTAssertEqual(fixture.repr("zs = [1]; def h(flag) { if flag { zs = [] }; zs.append(3); return zs }; [h(true), zs]"), "[[3], [1]]")
    XCTAssertEqual(fixture.error("def h(flag) { if flag { zs = [] }; zs.append(3) }; h(false)")?.kind, .nameError, "an unassigned local")
  }

  func testIndexingALocalInPlaceGivesTheTreeWalkersItemsAndErrors() {
    XCTAssertEqual(fixture.repr("def f(xs, i) { return [xs[i], xs[i - 1], xs[-1]] }; f([1, 2, 3], 1)"), "[2, 1, 3]")
    XCTAssertEqual(fixture.repr("def f(t) { return t[0] }; f((7, 8))"), "7")
    XCTAssertEqual(fixture.repr("def f(d) { return d[\"k\"] }; f({\"k\": 4})"), "4")
    XCTAssertEqual(fixture.error("def f(xs) { return xs[3] }; f([1])")?.message, "index 3 is out of range for length 1")
    XCTAssertEqual(fixture.error("def f(xs) { return xs[\"a\"] }; f([1])")?.kind, .typeError)
    XCTAssertEqual(fixture.repr("def f() { xs = [5, 1]; return xs[xs.pop()] }; f()"), "1", "the list as it was before the index")
    XCTAssertEqual(fixture.error("g = [9]; def f(flag) { if flag { g = [] }; return g[0] }; f(false)")?.kind, .nameError, "an unassigned local")
  }

  func testLenAndStripOfAsciiTextCountAndTrimAsCharactersDo() {
    // ASCII text takes a byte-wise path; these must agree with the character-wise one. The
    // script's strings escape \t \r \n and hold the other characters themselves.
    XCTAssertEqual(fixture.repr(#"[len("a\r\nb"), len("\n\r"), len(""), len("héllo"), len("ab")]"#), "[3, 2, 0, 5, 2]")
    let spaces = "[\" \\t x y \\r\\n\".strip(), \"\u{0B}\u{0C}z\".strip(), \"   \".strip(), \"\u{A0}q \".strip(), \"\u{1F}q\".strip()]"
    XCTAssertEqual(fixture.ran(spaces), .list([.string("x y"), .string("z"), .string(""), .string("q"), .string("\u{1F}q")]))
  }

  func testIntsStoredOverOtherValuesAndUnassignedSlots() {
    XCTAssertEqual(fixture.repr("def f() { x = [1, 2]; for x in range(3) { }; return x }; f()"), "2")
    XCTAssertEqual(fixture.repr("def f() { for i in range(3) { }; return i }; f()"), "2")
    XCTAssertEqual(fixture.repr("g = \"text\"; for g in range(2) { }; g"), "1")
    XCTAssertEqual(fixture.repr("def f() { n = 1.5; n += 1; m = \"a\"; m = 2; m += 3; return [n, m] }; f()"), "[2.5, 5]")
    XCTAssertEqual(fixture.repr("h = [0]; h = 4; h -= 10; h"), "-6")
  }

  func testADictChangedInPlaceIsStillAValue() {
    XCTAssertEqual(
      fixture.repr("def f() { d = {1: 1}; e = d; d[2] = 2; e[3] = 3; d.pop(1); return [d, e] }; f()"),
      "[{2: 2}, {1: 1, 3: 3}]")
    XCTAssertEqual(fixture.repr("g = {}; h = g; for i in range(3) { g[i] = i }; [g, h, g == {2: 2, 0: 0, 1: 1}]"), "[{0: 0, 1: 1, 2: 2}, {}, true]")
    XCTAssertEqual(fixture.error("def f() { d = {}; d[[1]] = 1 }; f()")?.message, "unhashable type: 'list'")
  }

  func testAFunctionCalledByAnotherInterpreterIsCompiledForItsGlobals() throws {
    _ = fixture.ran("g = 1; def f() { return g }; f()")
    let function = try XCTUnwrap(fixture.global("f"))
    let other = ScriptFixture()
    _ = other.ran("g = 2")
    XCTAssertEqual(try other.interpreter.call(function, [], at: SourceLocation(file: "t", line: 1, column: 1)).repr, "2")
    XCTAssertEqual(fixture.repr("f()"), "1")
  }

  func testAConditionalExpressionRunsOnlyTheBranchItChoosesCompiledOrNot() {
    // In a function (compiled), at the top level, in a comprehension whose `if` stays a
    // filter, nested to the right, and in an f-string.
    XCTAssertEqual(fixture.repr("def f(n) { return \"even\" if n % 2 == 0 else \"odd\" }; [f(3), f(4)]"), #"["odd", "even"]"#)
    XCTAssertEqual(fixture.repr("calls = []; def g(x) { calls.append(x); return x }; y = g(1) if false else g(2); [y, calls]"), "[2, [2]]")
    XCTAssertEqual(fixture.repr("[x if x > 1 else -x for x in range(4) if x != 2]"), "[0, -1, 3]")
    XCTAssertEqual(fixture.repr("1 if false else 2 if false else 3"), "3")
    XCTAssertEqual(fixture.ran("f\"{1 if true else 2}\""), .string("1"))
    XCTAssertEqual(fixture.repr("def h(a) { b = a * 2; return b if b > 3 else a }; [h(1), h(5)]"), "[1, 10]", "locals in every part")
    let error = fixture.error("x = 5 if true")
    XCTAssertEqual(error?.kind, .syntaxError)
    XCTAssertEqual(error?.message, "expected 'else' in a conditional expression: 5 if true else OTHER")
    XCTAssertEqual(fixture.error("def k() { return 1 if nope else 2 }; k()")?.location?.lineColumn, "1:23")
  }
}
