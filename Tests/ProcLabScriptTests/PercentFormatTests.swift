// Checks `"..." % values`, Python's printf-style formatting, against what Python 3.11 prints
// for the same expressions: the tutorial's own `"Process ID# %s" % (os.getpid())` and the
// flags, widths, precisions and conversions around it, and Python's errors.
import ProcLabScript
import XCTest

final class PercentFormatTests: XCTestCase {
  private var fixture: ScriptFixture!

  override func setUp() {
    fixture = ScriptFixture()
  }

  func testConversionsFlagsWidthsAndPrecisionsGivePythonsText() {
    let cases: [(String, String)] = [
      (#""Process ID# %s" % (1234)"#, "Process ID# 1234"),
      (#""%s will sleep for %s seconds" % ("w1", 2)"#, "w1 will sleep for 2 seconds"),
      (#""%d%%|%5d|%-5d|%05d|%+d|% d" % (5, 42, 42, 42, 42, 42)"#, "5%|   42|42   |00042|+42| 42"),
      (#""%.2f|%8.3f|%e|%g|%G|%E" % (3.14159, 2.5, 12345.678, 0.0001, 1e20, 1.5)"#, "3.14|   2.500|1.234568e+04|0.0001|1E+20|1.500000E+00"),
      (#""%x|%X|%#x|%o|%#o|%c|%c" % (255, 255, 255, 8, 8, 65, "z")"#, "ff|FF|0xff|10|0o10|A|z"),
      (#""%s|%.2s|%5s|%-5s|" % ("ab", "abc", "ab", "ab")"#, "ab|ab|   ab|ab   |"),
      (#""%(name)s is %(age)d" % {"name": "Ann", "age": 7}"#, "Ann is 7"),
      (#""%d|%i|%u|%d" % (3.99, -3, 7, true)"#, "3|-3|7|1"),
      (#""%s" % [1, 2]"#, "[1, 2]"),
      (#""%r" % "ab""#, #""ab""#),
      (#""%x|%o|%X|%.3d|%.0d|%.3x|%#.3o|%5.3d" % (-255, -8, -255, -5, 0, -5, 9, 42)"#, "-ff|-10|-FF|-005|0|-005|0o011|  042"),
      (#""%+.2e|%-8.1f|% g|%#.0f|%08.2f|%-+6d|%5c|%-3c|%+s|%05s" % (12345.6, 2.25, 3.0, 2.0, -3.14159, 7, 65, "z", "a", "ab")"#,
       "+1.23e+04|2.2     | 3|2.|-0003.14|+7    |    A|z  |a|   ab"),
    ]
    for (code, expected) in cases {
      XCTAssertEqual(fixture.ran(code), .string(expected), code)
    }
  }

  func testPythonsErrorsAtTheOperator() {
    let cases: [(String, ErrorKind, String)] = [
      (#"x = "%s and %s" % (1,)"#, .typeError, "not enough arguments for format string"),
      (#"x = "%s" % (1, 2)"#, .typeError, "not all arguments converted during string formatting"),
      (#"x = "%d" % "x""#, .typeError, "%d format: a real number is required, not str"),
      (#"x = "%x" % 1.5"#, .typeError, "%x format: an integer is required, not float"),
      (#"x = "%f" % "x""#, .typeError, "must be real number, not str"),
      (#"x = "%q" % 1"#, .valueError, "unsupported format character 'q' (0x71) at index 1"),
      (#"x = "ab %" % 1"#, .valueError, "incomplete format"),
      (#"x = "%(a)s" % 5"#, .typeError, "format requires a mapping"),
      (#"x = "%(b)s" % {"a": 1}"#, .keyError, "'b'"),
      (#"x = "%*d" % (3, 4)"#, .valueError, "a * width is not supported: write the number, or use an f-string"),
      (#"x = "%99999999999d" % 1"#, .valueError, "width too big (at most 1000000)"),
    ]
    for (code, kind, message) in cases {
      let error = fixture.error(code)
      XCTAssertEqual(error?.kind, kind, code)
      XCTAssertEqual(error?.message, message, code)
      XCTAssertEqual(error?.location?.column, code.range(of: "\" % ").map { code.distance(from: code.startIndex, to: $0.lowerBound) + 3 }, code)
    }
  }

  func testAnythingButAStringOnTheLeftIsStillTheModulo() {
    XCTAssertEqual(fixture.ran("7 % 3"), .int(1))
    XCTAssertEqual(fixture.error("x = [1] % 2")?.kind, .typeError)
  }
}
