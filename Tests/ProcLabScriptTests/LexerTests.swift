// Checks the lexer: numbers, strings and their escapes, f-strings, comments, where new lines
// end statements, and the places tokens and lexical errors report.
import ProcLabScript
import XCTest

final class LexerTests: XCTestCase {
  func testNumbersAreIntsOrFloatsAndUnderscoresGroupDigits() throws {
    XCTAssertEqual(
      try tokenKinds("42 1_000 3.5 1e-3 2E+2 0"),
      [.int(42), .int(1000), .float(3.5), .float(0.001), .float(200), .int(0), .end])
  }

  func testANumberTooLargeForAnIntIsASyntaxErrorAtTheNumber() {
    XCTAssertThrowsError(try tokenKinds("x = 9223372036854775808")) { error in
      let error = error as! ScriptError
      XCTAssertEqual(error.kind, .syntaxError)
      XCTAssertEqual(error.location?.lineColumn, "1:5")
      XCTAssertTrue(error.message.contains("out of range"), error.message)
    }
    XCTAssertEqual(try tokenKinds("9223372036854775807"), [.int(Int.max), .end])
  }

  func testADotAfterANumberIsAnAttributeUnlessADigitFollows() throws {
    XCTAssertEqual(try tokenKinds("1.5"), [.float(1.5), .end])
    XCTAssertEqual(try tokenKinds("xs.pop"), [.name("xs"), .op("."), .name("pop"), .end])
  }

  func testStringsInEitherQuoteWithEveryDocumentedEscape() throws {
    XCTAssertEqual(
      try tokenKinds(#""a\nb\tc\rd\\e\"f\'g\0h\ei" 'it\'s' 'say "hi"'"#),
      [
        .string("a\nb\tc\rd\\e\"f'g\0h\u{1B}i"), .string("it's"), .string("say \"hi\""),
        .end,
      ])
  }

  func testPythonsOtherEscapesGiveTheirCharactersAndAnUnknownOneKeepsItsBackslash() throws {
    XCTAssertEqual(
      try tokenKinds(#""\u00e9\x41\101\012\U0001F600\a\b\f\v" "\d\q\z" "\777""#),
      [.string("\u{E9}AA\n\u{1F600}\u{7}\u{8}\u{C}\u{B}"), .string("\\d\\q\\z"), .string("\u{1FF}"), .end])
  }

  func testARawStringKeepsItsBackslashesAndAUStringIsPlain() throws {
    XCTAssertEqual(
      try tokenKinds(#"r"\d+\n" R'a\'b' u"x\ty" r"\"""#),
      [.string("\\d+\\n"), .string("a\\'b"), .string("x\ty"), .string("\\\""), .end])
  }

  func testBytesAndRawFormatStringsAreSyntaxErrorsThatSayWhatToWrite() {
    for (code, message) in [#"x = b"ab""#: "write \"...\"", #"x = rf"{y}""#: "write f\"...\""] {
      XCTAssertThrowsError(try tokenKinds(code), code) { error in
        let error = error as! ScriptError
        XCTAssertEqual(error.location?.column, 5, code)
        XCTAssertTrue(error.message.contains(message), "\(code): \(error.message)")
      }
    }
  }

  func testABadHexEscapeOrANamedOneIsASyntaxErrorAtItsBackslash() {
    let cases = [
      #"x = "ab\x4g""#: "2 hex digits, as in \\x41", #"x = "\u12""#: "4 hex digits, as in \\u00e9",
      #"x = "\U00110000""#: "110000 is not a Unicode character", #"x = "\uD800""#: "D800 is not a Unicode character",
      #"x = "\N{BULLET}""#: "\\N{...} names are not supported",
    ]
    for (code, message) in cases {
      XCTAssertThrowsError(try tokenKinds(code), code) { error in
        let error = error as! ScriptError
        XCTAssertEqual(error.kind, .syntaxError, code)
        XCTAssertEqual(error.location?.column, code.hasPrefix(#"x = "ab"#) ? 8 : 6, code)
        XCTAssertTrue(error.message.contains(message), "\(code): \(error.message)")
      }
    }
  }

  func testAnEscapedBraceInAFormatStringIsText() throws {
    let kinds = try tokenKinds(#"f"\x7b{n}\x7d""#)
    guard case .formatString(let pieces) = kinds[0] else { return XCTFail("not a format string: \(kinds[0])") }
    XCTAssertEqual(pieces, [.text("{"), .code("n", SourceLocation(file: "test.plab", line: 1, column: 8)), .text("}")])
  }

  func testAnUnterminatedStringIsReportedAtItsOpeningQuote() {
    XCTAssertThrowsError(try tokenKinds("x = 1\nprint(\"abc)\n")) { error in
      let error = error as! ScriptError
      XCTAssertEqual(error.kind, .syntaxError)
      XCTAssertEqual(error.location?.lineColumn, "2:7")
      XCTAssertTrue(error.message.contains("unterminated string"), error.message)
    }
  }

  func testAFormatStringSplitsIntoTextAndCodeWithTheCodesPlace() throws {
    let kinds = try tokenKinds(#"s = f"worker {i} has {{pid}}""#)
    XCTAssertEqual(kinds.count, 4)
    guard case .formatString(let pieces) = kinds[2] else {
      return XCTFail("not a format string: \(kinds[2])")
    }
    XCTAssertEqual(
      pieces,
      [
        .text("worker "),
        .code("i", SourceLocation(file: "test.plab", line: 1, column: 15)),
        .text(" has {pid}"),
      ])
  }

  func testAFormatStringsCodeIsPlacedInTheSourceAfterEscapes() throws {
    // `\"` and `\t` are two source characters each: `n` is at column 9 of line 2.
    let kinds = try tokenKinds("x = 1\nf\"\\\"a\\t{n}\"")
    guard case .formatString(let pieces) = kinds[4] else {
      return XCTFail("not a format string: \(kinds[4])")
    }
    XCTAssertEqual(
      pieces, [.text("\"a\t"), .code("n", SourceLocation(file: "test.plab", line: 2, column: 9))])
  }

  func testAFormatStringWithAnUnclosedBraceIsASyntaxError() {
    XCTAssertThrowsError(try tokenKinds(#"f"a {b""#)) { error in
      XCTAssertEqual((error as! ScriptError).kind, .syntaxError)
    }
  }

  func testACommentRunsToTheEndOfTheLine() throws {
    XCTAssertEqual(
      try tokenKinds("x = 1 # not code: ( \"\ny"),
      [.name("x"), .op("="), .int(1), .newline, .name("y"), .end])
  }

  func testNewLinesInsideParenthesesAndBracketsAreIgnored() throws {
    XCTAssertEqual(
      try tokenKinds("f(1,\n  2)\n[3,\n4]\n"),
      [
        .name("f"), .op("("), .int(1), .op(","), .int(2), .op(")"), .newline,
        .op("["), .int(3), .op(","), .int(4), .op("]"), .newline, .end,
      ])
  }

  func testNewLinesInsideBracesEndStatements() throws {
    XCTAssertEqual(
      try tokenKinds("{\nx\n}"),
      [.op("{"), .newline, .name("x"), .newline, .op("}"), .end])
  }

  func testABackslashAtTheEndOfALineContinuesIt() throws {
    XCTAssertEqual(
      try tokenKinds("x = 1 + \\\n  2"), [.name("x"), .op("="), .int(1), .op("+"), .int(2), .end])
  }

  func testLongestOperatorWins() throws {
    XCTAssertEqual(
      try tokenKinds("a //= b ** c // d <= e != f"),
      [
        .name("a"), .op("//="), .name("b"), .op("**"), .name("c"), .op("//"), .name("d"),
        .op("<="), .name("e"), .op("!="), .name("f"), .end,
      ])
  }

  func testTokensKnowTheirLineColumnAndWhetherASpacePrecedesThem() throws {
    var lexer = Lexer(text: "put q (1+2)\n  yy", file: "t")
    let tokens = try lexer.tokenize()
    XCTAssertEqual(
      tokens.map(\.location.lineColumn),
      ["1:1", "1:5", "1:7", "1:8", "1:9", "1:10", "1:11", "1:12", "2:3", "2:5"])
    XCTAssertEqual(
      tokens.map(\.spaceBefore),
      [false, true, true, false, false, false, false, false, true, false])
  }

  func testAnUnknownCharacterIsASyntaxErrorAtItsPlace() {
    XCTAssertThrowsError(try tokenKinds("x = 1\ny = $")) { error in
      let error = error as! ScriptError
      XCTAssertEqual(error.kind, .syntaxError)
      XCTAssertEqual(error.location?.lineColumn, "2:5")
    }
  }
}
