// `proclab play` on a real pseudo-terminal, driven as a viewer would: statements typed at the
// prompt, --step keys (Enter runs, s skips, q ends, i opens the REPL and Ctrl-D comes back,
// r runs the last statement again, also after the last one),
// questions that take a prediction, colours and NO_COLOR, children's output above the prompt.
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

final class PlaybackTerminalTests: XCTestCase {
  /// What --step shows after a statement while it waits for a key.
  private let waiting = "s skip"
  /// What --step shows after the last statement has run.
  private let atTheEnd = "r runs it again"
  private var files: [String] = []
  private var home = ""

  override func setUpWithError() throws {
    home = temporaryPath("home")
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    files = [home]
  }

  override func tearDown() {
    for file in files { try? FileManager.default.removeItem(atPath: file) }
  }

  /// Plays `text` as a lesson on a new terminal, typing fast (`--speed 50`) with no pauses.
  private func play(
    _ text: String, _ options: [String] = [], environment extra: [String: String] = [:]
  ) throws
    -> PseudoTerminal
  {
    let path = temporaryPath("lesson.plab")
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    files.append(path)
    var environment = [
      "PATH": "/usr/bin:/bin", "TERM": "xterm", "HOME": home, "PROCLAB_HISTORY": home + "/history",
    ]
    environment.merge(extra) { $1 }
    return try PseudoTerminal(
      executable: try proclabExecutable().path,
      arguments: ["play", path, "--speed", "50", "--delay", "0"] + options, environment: environment
    )
  }

  /// Sends keys after a viewer's pause.
  private func press(_ terminal: PseudoTerminal, _ keys: String) {
    Thread.sleep(forTimeInterval: 0.15)
    terminal.send(keys)
  }

  func testStatementsAreTypedAtThePromptAndRunWithNarrationApart() throws {
    let terminal = try play("# Narration comes first.\nprint(\"typed\", \"and\" + \" run\")\n")
    try terminal.waitFor("Narration comes first.", timeout: 10)
    try terminal.waitFor("proclab> print(\"typed\", \"and\" + \" run\")", timeout: 5)
    try terminal.waitFor("typed and run\r\n", timeout: 5)
    XCTAssertEqual(try terminal.waitForExit(timeout: 5), 0)
    XCTAssertTrue(
      terminal.output.contains("│ \u{1B}[0m\u{1B}[3;36mNarration comes first."), terminal.output)
  }

  func testNoColorAndTheNoColorOptionTakeTheColoursAway() throws {
    for (options, environment) in [([], ["NO_COLOR": "1"]), (["--no-color"], [:])] {
      let terminal = try play("# Plain narration.\nprint(1)\n", options, environment: environment)
      XCTAssertEqual(try terminal.waitForExit(timeout: 10), 0)
      XCTAssertTrue(terminal.output.contains("│ Plain narration."), terminal.output)
      XCTAssertFalse(
        terminal.output.contains("\u{1B}[3;36m"), "\(options) \(environment): \(terminal.output)")
    }
  }

  func testStepEnterRunsSSkipsAndQEndsTheLesson() throws {
    let terminal = try play(
      """
      print("o" + "ne")
      print("t" + "wo")
      print("th" + "ree")
      print("fo" + "ur")
      """, ["--step"])
    try terminal.waitFor(waiting, timeout: 10)
    press(terminal, "\r")
    try terminal.waitFor("one\r\n", timeout: 5)
    try terminal.waitFor(waiting, timeout: 5)
    press(terminal, "s")
    try terminal.waitFor("(skipped)", timeout: 5)
    try terminal.waitFor(waiting, timeout: 5)
    press(terminal, "\r")
    try terminal.waitFor("three\r\n", timeout: 5)
    try terminal.waitFor(waiting, timeout: 5)
    press(terminal, "q")
    XCTAssertEqual(try terminal.waitForExit(timeout: 5), 0)
    XCTAssertFalse(terminal.output.contains("two\r\n"), terminal.output)
    XCTAssertFalse(terminal.output.contains("four\r\n"), terminal.output)
    XCTAssertTrue(terminal.output.contains("(lesson ended)"), terminal.output)
  }

  func testRRunsTheLastStatementAgainBeforeTheNextOneAndAfterTheLast() throws {
    let terminal = try play(
      """
      n = 0
      n += 1; print("run", "number", n)
      print("after", "the runs", n)
      """, ["--step"])
    try terminal.waitFor(waiting, timeout: 10)
    // Nothing ran yet: r does nothing, and the first statement still waits.
    press(terminal, "r")
    press(terminal, "\r")
    try terminal.waitFor(waiting, timeout: 5)
    press(terminal, "\r")
    try terminal.waitFor("run number 1\r\n", timeout: 5)
    try terminal.waitFor(waiting, timeout: 5)
    // Twice again, really run each time (n goes on counting), then the next statement.
    press(terminal, "r")
    try terminal.waitFor("run number 2\r\n", timeout: 5)
    try terminal.waitFor(waiting, timeout: 5)
    press(terminal, "r")
    try terminal.waitFor("run number 3\r\n", timeout: 5)
    try terminal.waitFor(waiting, timeout: 5)
    press(terminal, "\r")
    try terminal.waitFor("after the runs 3\r\n", timeout: 5)
    // After the last statement: r runs it once more, another key ends the lesson.
    try terminal.waitFor(atTheEnd, timeout: 5)
    press(terminal, "r")
    try terminal.waitFor("(again)", timeout: 5)
    try terminal.waitFor(atTheEnd, timeout: 5)
    press(terminal, "\r")
    XCTAssertEqual(try terminal.waitForExit(timeout: 5), 0)
    XCTAssertEqual(terminal.output.components(separatedBy: "after the runs 3\r\n").count - 1, 2, terminal.output)
    XCTAssertEqual(terminal.output.components(separatedBy: "(first, the last statement again)").count - 1, 2, terminal.output)
    XCTAssertFalse(terminal.output.contains("run number 4"), terminal.output)
  }

  func testIOpensTheREPLOnTheLessonsSessionAndCtrlDComesBack() throws {
    let terminal = try play(
      """
      x = 41; p = spawn sleep(20)
      print("x is", x)
      kill p; join p; print("exit code", p.exitcode)
      """, ["--step"])
    try terminal.waitFor(waiting, timeout: 10)
    press(terminal, "\r")
    try terminal.waitFor(waiting, timeout: 5)
    press(terminal, "i")
    try terminal.waitFor("Ctrl-D goes back to the lesson", timeout: 5)
    try terminal.waitFor("proclab> ", timeout: 5)
    press(terminal, "x = x + 1; print(\"alive\", p.alive)\r")
    try terminal.waitFor("alive true\r\n", timeout: 5)
    try terminal.waitFor("proclab> ", timeout: 5)
    press(terminal, "\u{04}")
    try terminal.waitFor("back to the lesson", timeout: 5)
    try terminal.waitFor(waiting, timeout: 5)
    press(terminal, "\r")
    try terminal.waitFor("x is 42\r\n", timeout: 5)
    try terminal.waitFor(waiting, timeout: 5)
    press(terminal, "\r")
    // The process started before the REPL lived through it, and the lesson can still kill it.
    try terminal.waitFor("exit code -15\r\n", timeout: 5)
    try terminal.waitFor(atTheEnd, timeout: 5)
    press(terminal, "\r")
    XCTAssertEqual(try terminal.waitForExit(timeout: 5), 0)
  }

  func testAQuestionTakesAPredictionAndShowsItBesideWhatHappened() throws {
    let terminal = try play(
      """
      def hi() { print("hi from", "child") }
      #? What will the child say?
      p = spawn hi(); join p
      print("after", "the question")
      """, environment: ["NO_COLOR": "1"])
    try terminal.waitFor("? What will the child say?", timeout: 10)
    try terminal.waitFor("your prediction> ", timeout: 5)
    press(terminal, "hello\r")
    try terminal.waitFor("hi from child\r\n", timeout: 5)
    try terminal.waitFor("you predicted", timeout: 5)
    try terminal.waitFor(
      "hello" + String(repeating: " ", count: 8) + " │ hi from child", timeout: 5)
    try terminal.waitFor("after the question\r\n", timeout: 5)
    XCTAssertEqual(try terminal.waitForExit(timeout: 5), 0)
  }

  func testChildOutputWhileAStatementWaitsAppearsAboveItsPrompt() throws {
    let terminal = try play(
      """
      def later() { sleep(0.5); print("from", "child") }
      p = spawn later()
      print("next", "statement")
      """, ["--step"])
    try terminal.waitFor(waiting, timeout: 10)
    press(terminal, "\r")
    try terminal.waitFor(waiting, timeout: 5)
    press(terminal, "\r")
    try terminal.waitFor(waiting, timeout: 5)
    // The child prints while the last statement waits: its line comes, then the prompt again.
    try terminal.waitFor("from child\r\n", timeout: 5)
    try terminal.waitFor("proclab> print(\"next\", \"statement\")", timeout: 5)
    press(terminal, "\r")
    try terminal.waitFor("next statement\r\n", timeout: 5)
    try terminal.waitFor(atTheEnd, timeout: 5)
    press(terminal, "\r")
    XCTAssertEqual(try terminal.waitForExit(timeout: 5), 0)
  }

  func testCtrlCWhileAStatementIsTypedEndsTheLessonWith130() throws {
    let terminal = try play(
      "print(\"a statement long enough to be typing when Ctrl-C comes\")\n", ["--speed", "0.5"])
    try terminal.waitFor("proclab> pr", timeout: 10)
    terminal.send("\u{03}")
    XCTAssertEqual(try terminal.waitForExit(timeout: 5), 130)
    XCTAssertFalse(terminal.output.contains("when Ctrl-C comes\r\n"), terminal.output)
  }
}
