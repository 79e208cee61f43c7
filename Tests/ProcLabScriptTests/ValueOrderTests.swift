// Checks how values order and compare as Python's do (sorted, min, max, `<` on lists, tuples
// and strings), what `is` means for each kind of value, and what `dir` lists.
import ProcLabScript
import XCTest

final class ValueOrderTests: XCTestCase {
  private var fixture: ScriptFixture!

  override func setUp() {
    fixture = ScriptFixture()
  }

  func testSortedMinAndMaxOrderListsTuplesAndStringsLexicographically() {
    XCTAssertEqual(fixture.repr("sorted([[2, 1], [1, 5], [1, 2, 0], [1, 2]])"), "[[1, 2], [1, 2, 0], [1, 5], [2, 1]]")
    XCTAssertEqual(fixture.repr("sorted([(2, \"b\"), (1, \"z\"), (1, \"a\")])"), #"[(1, "a"), (1, "z"), (2, "b")]"#)
    XCTAssertEqual(fixture.repr("sorted([\"pear\", \"apple\", \"Zoo\"])"), #"["Zoo", "apple", "pear"]"#)
    XCTAssertEqual(fixture.repr("max([(1, 2), (1, 3)])"), "(1, 3)")
    XCTAssertEqual(fixture.repr("min(\"b\", \"abc\")"), #""abc""#)
    XCTAssertEqual(fixture.repr("[1, 2] < [1, 2, 0]"), "true")
    XCTAssertEqual(fixture.repr("\"b\" > \"abc\""), "true")
  }

  func testSortedTakesReverseAndAKeyFunctionAndStaysStable() {
    XCTAssertEqual(fixture.repr("sorted([3, 1, 2], reverse=true)"), "[3, 2, 1]")
    XCTAssertEqual(fixture.repr("def neg(x) { return -x }; sorted([3, 1, 2], key=neg)"), "[3, 2, 1]")
    XCTAssertEqual(
      fixture.repr("def first(p) { return p[0] }; sorted([(1, \"b\"), (0, \"z\"), (1, \"a\")], key=first)"),
      #"[(0, "z"), (1, "b"), (1, "a")]"#)
    XCTAssertEqual(fixture.repr("def size(s) { return len(s) }; max([\"aa\", \"b\", \"cc\"], key=size)"), #""aa""#)
  }

  func testIncomparableTypesAreATypeErrorNamingBoth() {
    let error = fixture.error("sorted([1, \"a\"])")
    XCTAssertEqual(error?.kind, .typeError)
    XCTAssertEqual(error?.message, "'<' not supported between instances of 'str' and 'int'")
    XCTAssertEqual(fixture.error("[1, 2] < (1, 2)")?.message, "'<' not supported between instances of 'list' and 'tuple'")
    XCTAssertEqual(fixture.error("x = 1 >= none")?.message, "'>=' not supported between instances of 'int' and 'NoneType'")
  }

  func testIsComparesNoneAndBoolsByIdentityAndScalarsByValue() {
    XCTAssertEqual(fixture.repr("x = none; [x is none, x is not none, 0 is none]"), "[true, false, false]")
    XCTAssertEqual(fixture.repr("[true is true, 1 is 1, 1 is 1.0, \"a\" is \"a\", (1, 2) is (1, 2)]"), "[true, true, false, true, true]")
  }

  func testIsComparesFunctionsAndHandlesByIdentityAndListsNever() throws {
    XCTAssertEqual(fixture.repr("def f() { }; g = f; def h() { }; [f is g, f is h, len is len]"), "[true, false, true]")
    XCTAssertEqual(fixture.repr("a = [1]; b = a; a is b"), "false")
    fixture.interpreter.globals["p"] = .handle(FakeHandle())
    fixture.interpreter.globals["q"] = .handle(FakeHandle())
    XCTAssertEqual(fixture.repr("r = p; [p is r, p is q]"), "[true, false]")
  }

  func testDirListsTheMembersOfLanguageValuesSorted() {
    XCTAssertEqual(fixture.repr("dir({})"), #"["get", "items", "keys", "pop", "update", "values"]"#)
    XCTAssertEqual(fixture.repr("dir((1,))"), #"["count", "index"]"#)
    XCTAssertEqual(fixture.repr("\"append\" in dir([])"), "true")
    XCTAssertEqual(fixture.repr("\"upper\" in dir(\"s\")"), "true")
    XCTAssertEqual(fixture.repr("try { raise ValueError() } catch e { names = dir(e) }; names"), #"["kind", "line", "message", "origin", "trace", "where"]"#)
    XCTAssertEqual(fixture.repr("dir(1)"), "[]")
    for name in ["dir([])", "dir({})", "dir(\"\")"] {
      let members = (try? fixture.run(name))?.elementsIfSequence ?? []
      XCTAssertEqual(members.map(\.description), members.map(\.description).sorted(), name)
    }
  }

  func testDirOfAHandleAsksTheHost() {
    fixture.interpreter.globals["p"] = .handle(FakeHandle())
    XCTAssertEqual(fixture.repr("dir(p)"), #"["alive", "name", "pid"]"#)
    XCTAssertEqual(fixture.error("p.pidd")?.message, "a process has no attribute 'pidd'; did you mean 'pid'?")
  }
}
