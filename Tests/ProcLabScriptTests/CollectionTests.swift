// Checks dicts, tuples and comprehensions: literals, indexing, methods, copying on write,
// iteration order, hashing rules, how they print, and where their errors point.
import ProcLabScript
import XCTest

final class CollectionTests: XCTestCase {
  private var fixture: ScriptFixture!

  override func setUp() {
    fixture = ScriptFixture()
  }

  // MARK: lists

  func testAListGrownPastTwoMiBByAppendKeepsEveryItemAndItsCopiesApart() {
    // Past 2 MiB of values a list grows into a buffer advised to take huge pages (LargeLists):
    // the items, their order and copy-on-write are as for any list.
    let code = """
      def build(n) {
        xs = []
        for i in range(n) {
          xs.append(i * 3)
          if i == 100000 { early = xs }
        }
        return [len(xs), xs[0], xs[n - 1], xs[100001], len(early), early[-1]]
      }
      r = build(200000)
      """
    _ = fixture.ran(code)
    XCTAssertEqual(fixture.global("r")?.repr, "[200000, 0, 599997, 300003, 100001, 300000]")
  }

  // MARK: dicts

  func testDictKeepsInsertionOrder() {
    XCTAssertEqual(fixture.repr("d = {\"b\": 1, \"a\": 2}; d[\"c\"] = 3; d[\"b\"] = 4; d"), #"{"b": 4, "a": 2, "c": 3}"#)
    XCTAssertEqual(fixture.repr("d = {\"b\": 1, \"a\": 2}; d.keys()"), #"["b", "a"]"#)
    XCTAssertEqual(fixture.repr("d = {\"b\": 1, \"a\": 2}; d.values()"), "[1, 2]")
    XCTAssertEqual(fixture.repr("d = {\"b\": 1, \"a\": 2}; d.items()"), #"[("b", 1), ("a", 2)]"#)
    XCTAssertEqual(fixture.repr("ks = []; for k in {3: 0, 1: 0, 2: 0} { ks.append(k) }; ks"), "[3, 1, 2]")
  }

  func testEmptyBracesAreAnEmptyDictInAnExpressionAndABlockAtStatementStart() {
    XCTAssertEqual(fixture.ran("d = {}; len(d)"), .int(0))
    XCTAssertEqual(fixture.repr("x = {}; x"), "{}")
    XCTAssertNil(try fixture.run("{ y = 1 }"))
    XCTAssertEqual(fixture.global("y"), .int(1))
  }

  func testDictLiteralsMaySpanLines() {
    XCTAssertEqual(fixture.repr("d = {\n  \"a\": 1,\n  \"b\": 2,\n}\nd"), #"{"a": 1, "b": 2}"#)
  }

  func testDictAssignmentWritesBackAndCopiesAreIndependent() {
    XCTAssertEqual(fixture.repr("a = {\"x\": {\"y\": 1}}; b = a; b[\"x\"][\"y\"] = 2; [a, b]"), #"[{"x": {"y": 1}}, {"x": {"y": 2}}]"#)
  }

  func testDictMethodsGetPopAndUpdate() {
    XCTAssertEqual(fixture.ran("d = {\"a\": 1}; d.get(\"a\")"), .int(1))
    XCTAssertEqual(fixture.ran("d = {\"a\": 1}; d.get(\"z\")"), Value.none)
    XCTAssertEqual(fixture.ran("d = {\"a\": 1}; d.get(\"z\", 7)"), .int(7))
    XCTAssertEqual(fixture.repr("d = {\"a\": 1, \"b\": 2}; v = d.pop(\"a\"); [v, d]"), #"[1, {"b": 2}]"#)
    XCTAssertEqual(fixture.ran("d = {}; d.pop(\"a\", 5)"), .int(5))
    XCTAssertEqual(fixture.repr("d = {\"a\": 1}; d.update({\"b\": 2, \"a\": 3}); d"), #"{"a": 3, "b": 2}"#)
  }

  func testAMissingKeyIsAKeyErrorNamingTheKey() {
    let error = fixture.error("d = {\"a\": 1}\nd[\"b\"]")
    XCTAssertEqual(error?.kind, .keyError)
    XCTAssertEqual(error?.message, #""b""#)
    XCTAssertEqual(error?.location?.lineColumn, "2:1")
    XCTAssertEqual(fixture.error("d = {}; d.pop(3)")?.kind, .keyError)
  }

  func testDictMembershipLengthAndEquality() {
    XCTAssertEqual(fixture.ran("\"a\" in {\"a\": 1}"), .bool(true))
    XCTAssertEqual(fixture.ran("1 not in {\"a\": 1}"), .bool(true))
    XCTAssertEqual(fixture.ran("len({1: 2, 3: 4})"), .int(2))
    XCTAssertEqual(fixture.ran("same = {1: 2, 3: 4} == {3: 4, 1: 2}; same"), .bool(true))
    XCTAssertEqual(fixture.ran("r = 0; if {} { r = 1 } else { r = 2 }; r"), .int(2))
  }

  func testKeysMayBeNoneBoolsNumbersStringsAndTuples() {
    XCTAssertEqual(fixture.ran("d = {none: 1, true: 2, 3: 3, 2.5: 4, \"s\": 5, (1, 2): 6}; d[(1, 2)] + d[none]"), .int(7))
    XCTAssertEqual(fixture.ran("d = {1: \"int\"}; d[1.0]"), .string("int"))
  }

  func testAListKeyIsUnhashable() {
    let error = fixture.error("d = {}\nd[[1]] = 2")
    XCTAssertEqual(error?.kind, .typeError)
    XCTAssertEqual(error?.message, "unhashable type: 'list'")
    XCTAssertEqual(fixture.error("x = {[1]: 2}")?.message, "unhashable type: 'list'")
    XCTAssertEqual(fixture.error("x = [1] in {}")?.message, "unhashable type: 'list'")
  }

  func testDictBuiltinAndSetsAreNotSupported() {
    XCTAssertEqual(fixture.repr("dict([(\"a\", 1)], b=2)"), #"{"a": 1, "b": 2}"#)
    XCTAssertTrue(syntaxError("x = {1, 2}")?.message.contains("no sets") ?? false)
  }

  // MARK: tuples

  func testTuplesPrintAsPython() {
    XCTAssertEqual(fixture.repr("(1, 2)"), "(1, 2)")
    XCTAssertEqual(fixture.repr("(1,)"), "(1,)")
    XCTAssertEqual(fixture.repr("()"), "()")
    XCTAssertEqual(fixture.repr("(1)"), "1")
    XCTAssertEqual(fixture.ran("type((1,))"), .string("tuple"))
  }

  func testTuplesIndexSliceAddCompareAndContain() {
    XCTAssertEqual(fixture.ran("(1, 2, 3)[-1]"), .int(3))
    XCTAssertEqual(fixture.repr("(1, 2, 3)[1:]"), "(2, 3)")
    XCTAssertEqual(fixture.repr("(1, 2) + (3,)"), "(1, 2, 3)")
    XCTAssertEqual(fixture.repr("(0,) * 3"), "(0, 0, 0)")
    XCTAssertEqual(fixture.ran("len((1, 2))"), .int(2))
    XCTAssertEqual(fixture.ran("2 in (1, 2)"), .bool(true))
    XCTAssertEqual(fixture.ran("(1, 2) < (1, 3)"), .bool(true))
    XCTAssertEqual(fixture.ran("(1, 2) == (1, 2)"), .bool(true))
    XCTAssertEqual(fixture.ran("s = 0; for x in (1, 2, 3) { s += x }; s"), .int(6))
  }

  func testATupleIsNeverEqualToAList() {
    XCTAssertEqual(fixture.ran("(1, 2) == [1, 2]"), .bool(false))
    XCTAssertEqual(fixture.ran("[1, 2] != (1, 2)"), .bool(true))
  }

  func testTupleItemAssignmentIsATypeError() {
    let error = fixture.error("t = (1, 2)\nt[0] = 5")
    XCTAssertEqual(error?.kind, .typeError)
    XCTAssertEqual(error?.message, "'tuple' object does not support item assignment")
    XCTAssertEqual(fixture.global("t"), .tuple([.int(1), .int(2)]))
  }

  func testCommaValuesAloneAreATupleAsInPython() {
    XCTAssertEqual(fixture.repr("x = 3; x, x * 2"), "(3, 6)")
    XCTAssertEqual(fixture.repr("\"a\".upper(), len(\"bc\")"), #"("A", 2)"#)
    let error = fixture.error("1, nope")
    XCTAssertEqual(error?.kind, .nameError)
    XCTAssertEqual(error?.location?.lineColumn, "1:4")
  }

  func testUnpackingTakesTuplesListsAndCommaValues() {
    XCTAssertEqual(fixture.repr("a, b = (1, 2); [a, b]"), "[1, 2]")
    XCTAssertEqual(fixture.repr("a, b = [3, 4]; [a, b]"), "[3, 4]")
    XCTAssertEqual(fixture.repr("t = 5, 6; t"), "(5, 6)")
    XCTAssertEqual(fixture.repr("a, b = 1, 2; a, b = b, a; (a, b)"), "(2, 1)")
    XCTAssertEqual(fixture.repr("def f() { return 1, 2 }; f()"), "(1, 2)")
    XCTAssertEqual(fixture.error("a, b = (1, 2, 3)")?.kind, .valueError)
  }

  func testForUnpacksEachItem() {
    XCTAssertEqual(fixture.ran("s = 0; for k, v in {\"a\": 1, \"b\": 2}.items() { s += v }; s"), .int(3))
    XCTAssertEqual(fixture.repr("out = []; for a, b in [[1, 2], (3, 4)] { out.append(a * b) }; out"), "[2, 12]")
  }

  // MARK: comprehensions

  func testListComprehensionsMapAndFilter() {
    XCTAssertEqual(fixture.repr("[x * x for x in range(5)]"), "[0, 1, 4, 9, 16]")
    XCTAssertEqual(fixture.repr("[x for x in range(10) if x % 3 == 0]"), "[0, 3, 6, 9]")
    XCTAssertEqual(fixture.repr("[c for c in \"abc\" if c != \"b\"]"), #"["a", "c"]"#)
    XCTAssertEqual(fixture.repr("[(a, b) for a in range(2) for b in range(2) if a != b]"), "[(0, 1), (1, 0)]")
  }

  func testComprehensionsUnpackTuplesAndLists() {
    XCTAssertEqual(fixture.repr("def f(a, b) { return a - b }; [f(a, b) for a, b in [(5, 1), [7, 2]]]"), "[4, 5]")
  }

  func testDictComprehensions() {
    XCTAssertEqual(fixture.repr("d = {k: len(k) for k in [\"ab\", \"c\"]}; d"), #"{"ab": 2, "c": 1}"#)
    XCTAssertEqual(fixture.repr("({v: k for k, v in {\"a\": 1}.items()})"), #"{1: "a"}"#)
  }

  func testAComprehensionAsTheOnlyArgumentNeedsNoBrackets() {
    XCTAssertEqual(fixture.ran("sum(x * 2 for x in range(4))"), .int(12))
  }

  func testTopLevelComprehensionVariablesDoNotLeakIntoGlobals() {
    XCTAssertEqual(fixture.repr("x = \"kept\"; ys = [x for x in range(3)]; [x, ys]"), #"["kept", [0, 1, 2]]"#)
    XCTAssertNil(try? fixture.run("zs = [q for q in range(2)]; q"))
    XCTAssertNil(fixture.global("q"))
  }

  func testComprehensionVariablesInAFunctionAreLocalsThatShadowNothing() {
    XCTAssertEqual(
      fixture.repr("def f(x) { ys = [x * 10 for x in range(3)]; return [x, ys] }; f(7)"), "[7, [0, 10, 20]]")
    XCTAssertEqual(
      fixture.repr("def g(n) { return [[i * j for j in range(n)] for i in range(n)] }; g(2)"), "[[0, 0], [0, 1]]")
    XCTAssertEqual(fixture.repr("k = 2; [[a + b for a in range(k)] for b in range(k)]"), "[[0, 1], [1, 2]]")
  }

  func testMethodsOnCollections() {
    XCTAssertEqual(fixture.repr("xs = [1]; xs.extend((2, 3)); xs.insert(0, 0); xs"), "[0, 1, 2, 3]")
    XCTAssertEqual(fixture.ran("(1, 2, 2).count(2)"), .int(2))
    XCTAssertEqual(fixture.ran("[\"a\", \"b\"].index(\"b\")"), .int(1))
    XCTAssertEqual(fixture.error("(1, 2).append(3)")?.kind, .attributeError)
  }
}
