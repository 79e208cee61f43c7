// Checks how calls bind arguments: `*args`, `**kwargs`, keyword-only parameters, spreading
// `*xs` and `**d` into script functions and builtins, and Python's wording of arity errors.
import ProcLabScript
import XCTest

final class CallTests: XCTestCase {
  private var fixture: ScriptFixture!

  override func setUp() {
    fixture = ScriptFixture()
  }

  private func message(_ code: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
    let error = fixture.error(code, file: file, line: line)
    XCTAssertEqual(error?.kind, .typeError, file: file, line: line)
    return error?.message
  }

  func testStarArgsCollectsExtraPositionalArgumentsAsATuple() {
    XCTAssertEqual(fixture.repr("def f(a, *rest) { return [a, rest] }; f(1, 2, 3)"), "[1, (2, 3)]")
    XCTAssertEqual(fixture.repr("def f(a, *rest) { return [a, rest] }; f(1)"), "[1, ()]")
  }

  func testDoubleStarKwargsCollectsUnknownKeywordsInCallOrder() {
    XCTAssertEqual(fixture.repr("def f(a, **kw) { return [a, kw] }; f(1, z=2, b=3)"), #"[1, {"z": 2, "b": 3}]"#)
  }

  func testParametersAfterStarArgsAreKeywordOnly() {
    XCTAssertEqual(fixture.repr("def f(*xs, sep=\"-\") { return sep.join(xs) }; f(\"a\", \"b\", sep=\"+\")"), #""a+b""#)
    XCTAssertEqual(fixture.repr("def f(a, *, b) { return a + b }; f(1, b=2)"), "3")
    XCTAssertEqual(message("def f(a, *, b) { }; f(1, 2)"), "f() takes 1 positional argument but 2 were given")
    XCTAssertEqual(message("def f(a, *, b) { }; f(1)"), "f() missing 1 required keyword-only argument: 'b'")
  }

  func testSpreadingAListAndADictIntoAScriptFunction() {
    XCTAssertEqual(fixture.repr("def f(a, b, c=0) { return [a, b, c] }; f(*[1, 2], **{\"c\": 3})"), "[1, 2, 3]")
    XCTAssertEqual(fixture.repr("def f(a, b) { return a - b }; args = (5, 2); f(*args)"), "3")
  }

  func testSpreadingIntoABuiltin() {
    XCTAssertEqual(fixture.repr("max(*[3, 9, 4])"), "9")
    XCTAssertEqual(fixture.repr("sorted(*[[3, 1, 2]], **{\"reverse\": true})"), "[3, 2, 1]")
  }

  func testSpreadingSomethingElseIsATypeError() {
    XCTAssertEqual(message("def f(*a) { }; f(*5)"), "argument after * must be a sequence, not an int")
    XCTAssertEqual(message("def f(**a) { }; f(**[1])"), "argument after ** must be a dict, not a list")
  }

  func testArityErrorsReadAsPython() {
    XCTAssertEqual(message("def f(x, y) { }; f(1, 2, 3)"), "f() takes 2 positional arguments but 3 were given")
    XCTAssertEqual(message("def f(x, y=1) { }; f(1, 2, 3)"), "f() takes from 1 to 2 positional arguments but 3 were given")
    XCTAssertEqual(message("def f(x, y) { }; f(1, x=2)"), "f() got multiple values for argument 'x'")
    XCTAssertEqual(message("def f(x, y) { }; f(1, 2, z=3)"), "f() got an unexpected keyword argument 'z'")
    XCTAssertEqual(message("def f(x, y) { }; f(1)"), "f() missing 1 required positional argument: 'y'")
    XCTAssertEqual(message("def f(x, y) { }; f()"), "f() missing 2 required positional arguments: 'x' and 'y'")
    XCTAssertEqual(message("def f(x, y, z) { }; f()"), "f() missing 3 required positional arguments: 'x', 'y', and 'z'")
  }

  func testAParameterListRejectsDuplicatesAndParametersAfterKwargs() {
    XCTAssertNotNil(syntaxError("def f(a, a) { }"))
    XCTAssertNotNil(syntaxError("def f(**k, a) { }"))
  }

  func testThePoolWorkersOneArgumentCallBindsKwargsToo() throws {
    try fixture.run("def f(a, **kw) { return [a, kw] }")
    let f = fixture.global("f")!
    let location = SourceLocation(file: "t", line: 1, column: 1)
    XCTAssertEqual(try fixture.interpreter.call(f, argument: .int(1), at: location), .list([.int(1), .dict(Dict())]))
  }
}
