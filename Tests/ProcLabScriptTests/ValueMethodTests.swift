// Checks the compiled fast paths of strings, lists, dicts and f-strings against the tree
// walker: a method named once at the call site, dicts indexed by their own hash table,
// f-strings built piece by piece, len and strip over bytes. Each gives the tree walker's
// values, and its errors with the same kind, message and place.
@testable import ProcLabScript
import XCTest

final class ValueMethodTests: XCTestCase {
  private var fixture: ScriptFixture!

  override func setUp() {
    fixture = ScriptFixture()
  }

  /// What `expression` gives (or raises) run by the tree walker alone.
  private func treeWalked(_ expression: String) -> Result<Value, ScriptError> {
    do {
      let statements = try fixture.interpreter.parse(expression, file: "test.plab")
      guard statements.count == 1, case .expression(let expr) = statements[0].kind else {
        return .failure(ScriptError(.syntaxError, "not one expression: \(expression)"))
      }
      return .success(try fixture.interpreter.evaluate(expr))
    } catch {
      return .failure(error)
    }
  }

  /// What `expression` gives (or raises) as compiled code, at the top level.
  private func compiled(_ expression: String) -> Result<Value, ScriptError> {
    do { return .success(try fixture.value(expression)) } catch { return .failure(error) }
  }

  /// Both ways agree on each expression: the same value, or the same error at the same place.
  private func assertSame(_ expressions: [String], file: StaticString = #filePath, line: UInt = #line) {
    for expression in expressions {
      switch (compiled(expression), treeWalked(expression)) {
      case (.success(let a), .success(let b)):
        XCTAssertEqual(a.repr, b.repr, expression, file: file, line: line)
        XCTAssertEqual(a.typeName, b.typeName, expression, file: file, line: line)
      case (.failure(let a), .failure(let b)):
        XCTAssertEqual(a.kind, b.kind, expression, file: file, line: line)
        XCTAssertEqual(a.message, b.message, expression, file: file, line: line)
        XCTAssertEqual(a.location?.lineColumn, b.location?.lineColumn, expression, file: file, line: line)
      case (let a, let b):
        XCTFail("\(expression): compiled \(a), tree walker \(b)", file: file, line: line)
      }
    }
  }

  func testStringMethodsGiveTheTreeWalkersAnswersForAsciiAndOtherText() {
    assertSame([
      #""MiXed 9".upper()"#, #""MiXed 9".lower()"#, #""straße".upper()"#, #""ÀÉ".lower()"#, #""".upper()"#,
      #"" \t a b \r\n".strip()"#, #""\r\nx\r\n".strip()"#, #""\u00a0q ".strip()"#, #""   ".strip()"#,
      #""a  b\tc\n".split()"#, #""".split()"#, #""a,b,,c".split(",")"#, #""a--b".split("--")"#, #""é,e".split(",")"#,
      #""alpha".startswith("al")"#, #""alpha".startswith("")"#, #""al".startswith("alpha")"#,
      #""alpha".endswith("ha")"#, #""café".endswith("é")"#, #""\r\n".startswith("\r")"#,
      #"", ".join(["a", 1, (2, 3)])"#, #""-".join(("x", "y"))"#, #""-".join([])"#,
    ])
  }

  func testCombiningMarksAreMatchedAsCharactersAsBefore() {
    // "e" followed by a combining acute accent is one character, so it does not start with "e".
    XCTAssertEqual(fixture.ran("\"e\u{301}x\".startswith(\"e\")"), .bool(false))
    XCTAssertEqual(fixture.ran("\"xe\u{301}\".endswith(\"e\")"), .bool(false))
    XCTAssertEqual(fixture.ran("\"\u{E9}\".startswith(\"e\u{301}\")"), .bool(true), "canonically equivalent")
    assertSame(["\"e\u{301}x\".startswith(\"e\")", "\"e\u{301} \".strip()", "\" \u{301}a\".strip()"])
  }

  func testOtherShapesOfStringCallsReportAsBefore() {
    assertSame([
      #""a".startswith(1)"#, #""a".startswith()"#, #""a".split("")"#, #""a".split(5)"#, #""a".join(5)"#,
      #""a".upper(1)"#, #""a".nope()"#, #""a".uper()"#, #""a".startswith("a", "b")"#,
    ])
    let error = fixture.error("s = \"abc\"\nn = 1\ns.startswith(n)")
    XCTAssertEqual(error?.kind, .typeError)
    XCTAssertEqual(error?.message, "expected a string argument")
  }

  func testListAndTupleIndexAndCountAgreeWithTheTreeWalker() {
    assertSame([
      "[1, 2, 3, 2].index(2)", "[1, 2.0].index(2)", "(1, 2).index(2)", "[1, 2].index(5)", "[].index(1)",
      "[1, 2, 1].count(1)", "(\"a\", \"a\").count(\"a\")", "[[1], [1]].count([1])", "[1].count()", "[1].index()",
    ])
    XCTAssertEqual(fixture.error("xs = [1]\nxs.index(9)")?.message, "9 is not in the sequence")
    XCTAssertEqual(fixture.error("xs = [1]\nxs.index(9)")?.location?.lineColumn, "2:1")
  }

  func testDictMethodsAgreeWithTheTreeWalker() {
    assertSame([
      "{1: 2}.get(1)", "{1: 2}.get(3)", "{1: 2}.get(3, 4)", "{1: 2}.get(1.0)", "{(1, 2): 3}.get((1, 2))",
      "{1: 2}.get([1])", "{1: 2}.get((1, [2]))", "{1: 2}.get()", "{1: 2}.get(1, 2, 3)",
      "{\"b\": 1, \"a\": 2}.keys()", "{\"b\": 1, \"a\": 2}.values()", "{\"b\": 1, \"a\": 2}.items()", "{}.items()",
      "{1: 2}.keys(1)", "{1: 2}.nope()",
    ])
    let error = fixture.error("d = {}\nk = [1]\nd.get(k, 0)")
    XCTAssertEqual(error?.message, "unhashable type: 'list'")
    XCTAssertEqual(error?.location?.lineColumn, "3:1")
  }

  func testStringMethodsOnALocalAgreeWithTheTreeWalker() {
    // In a function, `w.upper()` reads the string where the local stands: the same values and
    // errors as the tree walker gives for the string itself.
    let calls: [(receiver: String, call: String)] = [
      (#""MiXed 9""#, "upper()"), (#""straße""#, "upper()"), (#""ÀÉ""#, "lower()"), (#"" \t a b \r\n""#, "strip()"),
      ("\"\u{A0}q \"", "strip()"), (#""alpha""#, "strip()"), ("\"e\u{301} \"", "strip()"), (#""a b""#, "split()"),
      (#""a,b""#, #"split(",")"#), (#""alpha""#, #"startswith("al")"#), ("\"e\u{301}x\"", #"startswith("e")"#),
      (#""café""#, #"endswith("é")"#), (#"", ""#, #"join(["a", 1])"#), (#""a""#, "startswith(1)"),
      (#""a""#, #"split("")"#), (#""a""#, "upper(1)"), (#""a""#, "nope()"), ("[1, 2]", "upper()"), ("[1, 2]", "index(2)"),
    ]
    for (receiver, call) in calls {
      let inFunction = Result { () throws(ScriptError) -> Value in
        _ = try fixture.run("def f() { w = \(receiver); return w.\(call) }")
        return try fixture.value("f()")
      }
      switch (inFunction, treeWalked("\(receiver).\(call)")) {
      case (.success(let a), .success(let b)): XCTAssertEqual(a.repr, b.repr, call)
      case (.failure(let a), .failure(let b)):
        XCTAssertEqual(a.kind, b.kind, call)
        XCTAssertEqual(a.message, b.message, call)
      case (let a, let b): XCTFail("\(receiver).\(call): in a function \(a), tree walker \(b)")
      }
    }
  }

  func testAnUnassignedLocalRaisesBeforeTheArgumentRuns() {
    let error = fixture.error("""
      seen = []
      def g() { seen.append(1); return "a" }
      def f() {
        r = w.startswith(g())
        w = "a"
      }
      f()
      """)
    XCTAssertEqual(error?.location?.lineColumn, "4:7")
    XCTAssertEqual(fixture.global("seen")?.repr, "[]")
  }

  func testStripOfTextWithNothingToTrimIsTheSameText() {
    let stripped = ["alpha": "alpha", "a b": "a b", "é": "é", "x\u{A0}": "x", "\u{3000}x": "x", "x\u{3000}": "x", "\u{A0}": ""]
    for (text, expected) in stripped {
      XCTAssertEqual(fixture.ran("\"\(text)\".strip()"), .string(expected), text)
    }
  }

  func testMethodsInAFunctionChangeNothingAndSeeTheVariablesValue() {
    let code = """
      def f(words) {
        n = 0
        d = {}
        for i in range(40) {
          w = words[i % 4]
          n += len(w.upper()) + len(w.strip())
          if w.startswith("a") { n += 1 }
          d[w.strip()] = d.get(w.strip(), 0) + 1
        }
        return [n, d, words]
      }
      r = f(["alpha", "Beta", " gamma ", "delta"])
      """
    _ = fixture.ran(code)
    XCTAssertEqual(fixture.global("r")?.repr, #"[410, {"alpha": 10, "Beta": 10, "gamma": 10, "delta": 10}, ["alpha", "Beta", " gamma ", "delta"]]"#)
  }

  // MARK: dicts

  func testADictGrowsPastItsTableAndKeepsOrderAndEveryValue() {
    let code = """
      d = {}
      for i in range(5000) { d[i * 7919 % 10007] = i }
      ok = true
      for i in range(5000) { if d[i * 7919 % 10007] != i { ok = false } }
      [len(d), ok, d.keys()[0], d.keys()[4999], d.get(-1), 7919 in d, 3 in d]
      """
    XCTAssertEqual(fixture.repr(code), "[5000, true, 0, \(4999 * 7919 % 10007), none, true, false]")
  }

  func testEqualNumbersAreOneKeyAndOtherKindsAreNot() {
    XCTAssertEqual(fixture.repr("d = {1: \"a\"}; d[1.0] = \"b\"; d[true] = \"c\"; d"), #"{1: "b", true: "c"}"#)
    XCTAssertEqual(fixture.repr("d = {0: 1}; [d.get(-0.0), d.get(0.5), d.get(false), d.get(none)]"), "[1, none, none, none]")
    XCTAssertEqual(fixture.repr("d = {}; d[-9223372036854775807 - 1] = 1; d[9223372036854775807] = 2; d"), "{-9223372036854775808: 1, 9223372036854775807: 2}")
    XCTAssertEqual(fixture.repr("d = {(1, \"a\"): 1, (1, (2, 3)): 2, (): 3}; [d[(1.0, \"a\")], d[(1, (2, 3))], d[()], len(d)]"), "[1, 2, 3, 3]")
    XCTAssertEqual(fixture.repr("n = float(\"nan\"); d = {}; d[n] = 1; d[n] = 2; len(d)"), "2", "nan equals nothing, itself neither")
    XCTAssertEqual(fixture.repr("d = {none: 1, 1.5: 2, \"\": 3}; [d[none], d[1.5], d[\"\"]]"), "[1, 2, 3]")
  }

  func testStringKeysEqualAsSwiftStringsAreOneKey() {
    // Canonically equivalent strings are equal, so they must be one key, as they were.
    XCTAssertEqual(fixture.ran("d = {\"\u{E9}\": 1}; d[\"e\u{301}\"]"), .int(1))
    XCTAssertEqual(fixture.ran("d = {\"K\": 1}; d[\"\u{212A}\"]"), .int(1), "the Kelvin sign is K")
    XCTAssertEqual(fixture.ran("d = {\"a\": 1, \"A\": 2}; len(d)"), .int(2))
  }

  func testRemovingKeysKeepsTheRestFoundAndInOrder() {
    let code = """
      d = {}
      for i in range(100) { d[i] = i * i }
      for i in range(0, 100, 3) { d.pop(i) }
      ok = true
      for k in d.keys() { if d[k] != k * k or k % 3 == 0 { ok = false } }
      d[3] = 0
      [len(d), ok, d.keys()[0], d.keys()[-1], d.get(6), d.pop(99, "gone")]
      """
    XCTAssertEqual(fixture.repr(code), "[67, true, 1, 3, none, \"gone\"]")
  }

  func testACopyOfADictNeverSeesTheOthersChanges() {
    let code = """
      a = {}
      for i in range(20) { a[i] = i }
      b = a
      for i in range(20, 40) { b[i] = i }
      b.pop(0)
      a[1] = "changed"
      [len(a), len(b), a.get(30), b[1], a == b, b == b]
      """
    XCTAssertEqual(fixture.repr(code), #"[20, 39, none, 1, false, true]"#)
    XCTAssertEqual(fixture.ran("e = {1: 2, 3: [4]} == {3: [4], 1: 2}; e"), .bool(true))
    XCTAssertEqual(fixture.ran("e = {1: 2} == {1: 3}; e"), .bool(false))
    XCTAssertEqual(fixture.ran("e = {1: 2} == {2: 2}; e"), .bool(false))
  }

  // MARK: f-strings, len

  func testFStringsJoinTextAndValuesAsStrDoes() {
    XCTAssertEqual(fixture.ran(#"i = 7; s = "x"; f"{i}:{i % 5},{s}{s}{[s, 1.5]}{none}{{}}""#), .string(#"7:2,xx["x", 1.5]none{}"#))
    XCTAssertEqual(fixture.ran(#"f"""#), .string(""))
    XCTAssertEqual(fixture.ran(#"f"plain""#), .string("plain"))
    XCTAssertEqual(fixture.ran(#"n = -12; inner = f"<{n * 2}>"; f"{n}{inner}{n}""#), .string("-12<-24>-12"))
    XCTAssertEqual(fixture.ran(#"def g(k) { return f"k{k % 3}é" }; [g(4), g(-1)]"#), .list([.string("k1é"), .string("k2é")]))
    let error = fixture.error("x = 1\ny = f\"a{x + none}\"")
    XCTAssertEqual(error?.kind, .typeError)
    XCTAssertEqual(error?.location?.line, 2)
  }

  func testIndexingAndSlicingTextGiveCharactersWhetherAsciiOrNot() {
    XCTAssertEqual(fixture.repr(#"s = "hello"; [s[0], s[4], s[-1], s[-5], s[1:3], s[::-1], s[::2], s[-2:], s[9:], s[3:1]]"#), #"["h", "o", "o", "h", "el", "olleh", "hlo", "lo", "", ""]"#)
    XCTAssertEqual(fixture.repr(#"s = "héllo"; [s[1], s[-4], s[1:3], s[::-1]]"#), #"["é", "é", "él", "olléh"]"#)
    XCTAssertEqual(fixture.ran(#"s = "a\r\nb"; [len(s), s[1], s[2], s[::-1]]"#), .list([.int(3), .string("\r\n"), .string("b"), .string("b\r\na")]))
    XCTAssertEqual(fixture.ran(#"s = "a\rb"; [s[1], s[2], s[0:2]]"#), .list([.string("\r"), .string("b"), .string("a\r")]))
    XCTAssertEqual(fixture.error("s = \"abc\"\ns[3]")?.message, "index 3 is out of range for length 3")
    XCTAssertEqual(fixture.error("s = \"abc\"\ns[3]")?.location?.lineColumn, "2:1")
    XCTAssertEqual(fixture.error("s = \"abc\"\ns[-4]")?.message, "index -4 is out of range for length 3")
    XCTAssertEqual(fixture.error("s = \"abc\"\ns[\"x\"]")?.message, "an index must be an int, not a string")
    XCTAssertEqual(fixture.error("s = \"ébc\"\ns[3]")?.message, "index 3 is out of range for length 3")
    XCTAssertEqual(fixture.ran(#"s = "ab" * 5000; t = ""; for i in range(0, 10000, 999) { t += s[i] }; t"#), .string("abababababa"))
  }

  func testAnFStringLongerThanOneChainGivesEveryPieceInOrder() {
    let count = FormatCode.longestChain * 3 + 5
    let code = "i = 7; f\"<" + (0..<count).map { "{i + \($0)}," }.joined() + ">\""
    XCTAssertEqual(fixture.ran(code), .string("<" + (0..<count).map { "\(7 + $0)," }.joined() + ">"))
  }

  func testLenOfLongAsciiTextCountsCharacters() {
    XCTAssertEqual(fixture.ran(#"s = ""; for i in range(3000) { s += f"{i}," }; len(s)"#), .int((0..<3000).map { "\($0)," }.joined().count))
    XCTAssertEqual(fixture.ran(#"s = "ab\r\n" * 1000; len(s)"#), .int(3000))
    XCTAssertEqual(fixture.ran(#"s = "\r" * 1000 + "\n"; len(s)"#), .int(1000))
    XCTAssertEqual(fixture.ran(#"s = "ab" * 1000 + "é"; len(s)"#), .int(2001))
  }
}
