// Children's output reaches the terminal as it is written, at the prompt too: while the session
// computes, a partial line at once, and never inside the progress line of a pool map.
import Foundation
import XCTest

final class OutputAsWrittenTests: PromptTestCase {
  /// Issue 10's first script: the ticks come while the session spins, not all at its end.
  func testAChildsLinesAppearWhileTheSessionComputes() throws {
    let terminal = try startSession()
    try run(terminal, "def tick() { for i in range(4) { print(\"tick\", i); sleep(0.25) } }", expecting: "")
    type(terminal, "t = spawn tick(); t0 = now(); while now() - t0 < 1.2 { }; print(\"session done\")\r")
    var seen: [String: Date] = [:]
    for line in ["tick 0", "tick 1", "tick 2", "tick 3", "session done"] {
      try terminal.waitFor(line, timeout: 5)
      seen[line] = Date()
    }
    // Held back until the loop ends, every tick would come within milliseconds of the end.
    let early = seen["session done"]!.timeIntervalSince(seen["tick 0"]!)
    XCTAssertGreaterThan(early, 0.6, terminal.output)
    XCTAssertGreaterThan(seen["tick 2"]!.timeIntervalSince(seen["tick 0"]!), 0.3, terminal.output)
    try terminal.waitFor(prompt, timeout: 5)
  }

  /// `print(".", end="")` shows at once on a row above the prompt; the line being typed is
  /// drawn again below it and is entered whole.
  func testAPartialLineShowsAtOnceAndTheTypedLineSurvives() throws {
    let terminal = try startSession()
    try run(terminal, "def dots() { for i in range(3) { print(\".\", end=\"\"); sleep(0.4) }; print(\"end\") }", expecting: "")
    try run(terminal, "p = spawn dots()", expecting: "")
    Thread.sleep(forTimeInterval: 0.15)
    terminal.send("x = 4")
    let firstDot = Date()
    try terminal.waitFor("..", timeout: 5)
    XCTAssertLessThan(Date().timeIntervalSince(firstDot), 1.0, "the partial line waited for its newline\n" + terminal.output)
    try terminal.waitFor("...end", timeout: 5)
    try terminal.waitFor("x = 4", timeout: 2)
    terminal.send("2\r")
    try terminal.waitFor(prompt, timeout: 5)
    try run(terminal, "print(x + 1)", expecting: "43\r\n")
  }

  /// Every line a worker prints starts at the left edge: the progress line is erased before it.
  func testChildOutputNeverLandsInsideTheProgressLine() throws {
    let terminal = try startSession()
    try run(terminal, "pool start 2", expecting: "")
    try run(terminal, "def slow(x) { sleep(0.3); print(\"item\" + \" \" + str(x)); return x }", expecting: "")
    try run(terminal, "pool map slow range(8)", expecting: "[0, 1, 2, 3, 4, 5, 6, 7]")
    let output = terminal.output
    XCTAssertTrue(output.contains("done,"), "no progress line was drawn\n" + output)
    var rest = Substring(output)
    while let found = rest.range(of: "item ") {
      // Scalars: as Characters "\r\n" is one, which ends with neither "\r" nor "\n".
      let before = String(rest[..<found.lowerBound]).unicodeScalars
      let atLeftEdge = before.last == "\n" || String(before).hasSuffix("\r\u{1B}[K")
      XCTAssertTrue(atLeftEdge, "a worker's line starts mid-row: \(String(before).suffix(40).debugDescription)")
      rest = rest[found.upperBound...]
    }
  }
}
