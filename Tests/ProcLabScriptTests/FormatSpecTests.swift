// Checks Python's format-spec mini-language, in f-strings (`{x:>8.2f}`, `{x!r}`) and in
// `format(x, spec)`, against what Python 3.11 prints for the same expressions, and its errors.
import ProcLabScript
import XCTest

final class FormatSpecTests: XCTestCase {
  private var fixture: ScriptFixture!

  override func setUp() {
    fixture = ScriptFixture()
  }

  func testSpecsGivePythonsText() {
    let cases: [(String, String)] = [
      (#"f"{3.14159:.2f}|{42:5d}|{42:<5}|{42:^7}|{42:*>6}|{-42:=+8}|{42:08.3f}""#, "3.14|   42|42   |  42   |****42|-     42|0042.000"),
      (#"f"{1234567:,}|{1234567.891:,.2f}|{255:#x}|{255:#b}|{8:#o}|{255:X}|{0.25:.1%}""#, "1,234,567|1,234,567.89|0xff|0b11111111|0o10|FF|25.0%"),
      (#"f"{'ab':>5}|{'abcdef':.3}|{'ab':^6}|{[1, 2]}|{[1]!s:>6}""#, "   ab|abc|  ab  |[1, 2]|   [1]"),
      (#"f"{12345.678:e}|{0.0001:g}|{1e20:G}|{1.5:10}|{-0.0:+}|{65:c}|{true:>5}|{2.5:.0f}""#, "1.234568e+04|0.0001|1E+20|       1.5|-0.0|A|    1|2"),
      (#"f"{3.0}|{2.50:}|{1 / 3:.3}|{x == 2}|{x != 3}|{[1, 2][0:1]}|{x!r:>4}""#, "3.0|2.5|0.333|true|true|[1]|   2"),
      (#"format(3.14159, ".3f") + format(5) + format(1000000, "_")"#, "3.1425" + "1_000_000"),
    ]
    for (code, expected) in cases {
      XCTAssertEqual(fixture.ran("x = 2\n" + code), .string(expected), code)
    }
  }

  func testAFormatOfTheScriptsOwnIsNotWhatFStringsCall() {
    XCTAssertEqual(fixture.ran("def format(a, b) { return \"mine\" }\nf\"{1:>3}\""), .string("  1"))
  }

  func testPythonsErrorsAtTheField() {
    let cases: [(String, ErrorKind, String)] = [
      (#"y = f"{3:.2d}""#, .valueError, "Precision not allowed in integer format specifier"),
      (#"y = f"{'a':+}""#, .valueError, "Sign not allowed in string format specifier"),
      (#"y = f"{3:q}""#, .valueError, "Unknown format code 'q' for object of type 'int'"),
      (#"y = f"{3.5:x}""#, .valueError, "Unknown format code 'x' for object of type 'float'"),
      (#"y = f"{[1]:>5}""#, .typeError, "unsupported format string passed to list.__format__"),
      (#"y = f"{3.0:5.2.1f}""#, .valueError, "Invalid format specifier '5.2.1f' for object of type 'float'"),
      (#"y = f"{3:99999999}""#, .valueError, "width too big (at most 1000000)"),
      (#"y = format(1, 2)"#, .typeError, "format() spec must be a str, not int"),
    ]
    for (code, kind, message) in cases {
      let error = fixture.error(code)
      XCTAssertEqual(error?.kind, kind, code)
      XCTAssertEqual(error?.message, message, code)
      XCTAssertEqual(error?.location?.line, 1, code)
    }
  }
}
