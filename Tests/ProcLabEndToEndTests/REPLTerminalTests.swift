// Drives the interactive REPL on a real pseudo-terminal as a person would: typing, history,
// Tab, Ctrl-C, Ctrl-D, multi-line entries, and children's output arriving while one types.
// libedit redraws with cursor escapes, so the tests wait for results and prompts, not for the
// text being edited. They type the way a person does, a moment after the prompt appears, except
// for one test that checks typing at once (pasted text, scripted sessions).
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

final class REPLTerminalTests: XCTestCase {
  private let prompt = "proclab> "
  private var historyPath = ""
  private var home = ""

  override func setUpWithError() throws {
    historyPath = temporaryPath("history")
    home = temporaryPath("home")
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
  }

  override func tearDown() {
    try? FileManager.default.removeItem(atPath: historyPath)
    try? FileManager.default.removeItem(atPath: home)
  }

  /// A new session on its own terminal, its first prompt already shown.
  private func startSession() throws -> PseudoTerminal {
    let terminal = try PseudoTerminal(
      executable: try proclabExecutable().path, arguments: [],
      environment: [
        "PATH": "/usr/bin:/bin", "TERM": "xterm", "HOME": home, "PROCLAB_HISTORY": historyPath,
      ])
    try terminal.waitFor(prompt, timeout: 10)
    return terminal
  }

  /// Sends keys after a person's pause: nobody types within milliseconds of seeing a prompt.
  private func type(_ terminal: PseudoTerminal, _ keys: String) {
    Thread.sleep(forTimeInterval: 0.15)
    terminal.send(keys)
  }

  /// Types a line, presses Enter and waits for `result`, then for the next prompt.
  private func run(_ terminal: PseudoTerminal, _ line: String, expecting result: String) throws {
    type(terminal, line + "\r")
    try terminal.waitFor(result, timeout: 5)
    try terminal.waitFor(prompt, timeout: 5)
  }

  /// Ctrl-D at an empty prompt, then the exit status.
  private func endSession(_ terminal: PseudoTerminal) throws -> Int32 {
    type(terminal, "\u{04}")
    return try terminal.waitForExit(timeout: 5)
  }

  func testAStatementRunsAndItsResultIsShown() throws {
    let terminal = try startSession()
    try run(terminal, "print(6 * 7)", expecting: "42\r\n")
    try run(terminal, "x = 4000; x + 1", expecting: "4001\r\n")
    XCTAssertEqual(try endSession(terminal), 0)
  }

  func testAnErrorIsReportedAndTheSessionGoesOn() throws {
    let terminal = try startSession()
    try run(terminal, "y = 1 / 0", expecting: "ZeroDivisionError: division by zero")
    try run(terminal, "print(\"still \" + \"here\")", expecting: "still here")
    XCTAssertEqual(try endSession(terminal), 0)
  }

  func testHistoryIsKeptAcrossSessions() throws {
    let first = try startSession()
    try run(first, "print(\"hist\" + \"ory\")", expecting: "history\r\n")
    XCTAssertEqual(try endSession(first), 0)
    let saved = (try? String(contentsOfFile: historyPath, encoding: .utf8)) ?? ""
    XCTAssertTrue(saved.contains("hist"), "history file: \(saved)")  // libedit's encoding

    let second = try startSession()
    type(second, "\u{1b}[A")  // Up: the previous session's line
    type(second, "\r")
    try second.waitFor("history\r\n", timeout: 5)
    try second.waitFor(prompt, timeout: 5)
    XCTAssertEqual(try endSession(second), 0)
  }

  func testTabCompletesACommandWord() throws {
    let terminal = try startSession()
    try run(terminal, "def work() { print(\"wor\" + \"ked\") }", expecting: "")
    type(terminal, "p = spa")
    type(terminal, "\t")
    type(terminal, " work(); join p\r")
    try terminal.waitFor("worked\r\n", timeout: 5)
    try terminal.waitFor(prompt, timeout: 5)
    XCTAssertFalse(terminal.output.contains("Error"), terminal.output)
    XCTAssertEqual(try endSession(terminal), 0)
  }

  func testTabCompletesRepeatAndTheStatementItRepeats() throws {
    let terminal = try startSession()
    try run(terminal, "queue jobs; queue put jobs 7", expecting: "")
    type(terminal, "repe")
    type(terminal, "\t")
    type(terminal, " 3 que")
    type(terminal, "\t")
    type(terminal, " get jobs\r")
    try terminal.waitFor("  7  3  100%  ####################\r\n", timeout: 5)
    try terminal.waitFor(prompt, timeout: 5)
    try run(terminal, "help repeat", expecting: "repeat N STATEMENT")
    XCTAssertFalse(terminal.output.contains("Error"), terminal.output)
    XCTAssertEqual(try endSession(terminal), 0)
  }

  func testTabCompletesAVariableName() throws {
    let terminal = try startSession()
    try run(terminal, "unique_variable_name = 4000", expecting: "")
    type(terminal, "print(unique_v")
    type(terminal, "\t")
    type(terminal, " + 1)\r")
    try terminal.waitFor("4001\r\n", timeout: 5)
    try terminal.waitFor(prompt, timeout: 5)
    XCTAssertEqual(try endSession(terminal), 0)
  }

  func testCtrlCStopsASleepAndTheSessionGoesOn() throws {
    let terminal = try startSession()
    type(terminal, "sleep(10)\r")
    Thread.sleep(forTimeInterval: 0.3)  // let the sleep begin
    let start = Date()
    terminal.send("\u{03}")
    try terminal.waitFor("KeyboardInterrupt", timeout: 3)
    try terminal.waitFor(prompt, timeout: 3)
    XCTAssertLessThan(Date().timeIntervalSince(start), 2, "Ctrl-C did not interrupt sleep")
    try run(terminal, "print(\"al\" + \"ive\")", expecting: "alive\r\n")
    XCTAssertEqual(try endSession(terminal), 0)
  }

  func testCtrlCStopsAJoinButNotTheProcess() throws {
    let terminal = try startSession()
    try run(terminal, "def nap() { sleep(20) }", expecting: "")
    try run(terminal, "p = spawn nap()", expecting: "")
    type(terminal, "join p\r")
    Thread.sleep(forTimeInterval: 0.3)  // let the join begin
    terminal.send("\u{03}")
    try terminal.waitFor("KeyboardInterrupt", timeout: 3)
    try terminal.waitFor(prompt, timeout: 3)
    try run(terminal, "print(p.alive, p.exitcode)", expecting: "true none\r\n")
    try run(terminal, "kill p; join p; print(p.exitcode)", expecting: "-15\r\n")
    XCTAssertEqual(try endSession(terminal), 0)
  }

  func testCtrlCAtThePromptDiscardsTheLineAndGivesANewPrompt() throws {
    let terminal = try startSession()
    type(terminal, "\u{03}")
    try terminal.waitFor(prompt, timeout: 2)
    type(terminal, "\"dis\" + \"carded\"")
    type(terminal, "\u{03}")
    try terminal.waitFor(prompt, timeout: 2)
    try run(terminal, "\"ke\" + \"pt\"", expecting: "\"kept\"\r\n")
    XCTAssertFalse(terminal.output.contains("discarded"), terminal.output)
    XCTAssertEqual(try endSession(terminal), 0)
  }

  func testAChildsOutputAppearsAboveThePromptAndTheTypedTextSurvives() throws {
    let terminal = try startSession()
    try run(terminal, "def later() { sleep(0.5); print(\"from\" + \" child\") }", expecting: "")
    try run(terminal, "p = spawn later()", expecting: "")
    type(terminal, "x = 12")
    try terminal.waitFor("from child", timeout: 5)
    // The prompt and the unfinished line are drawn again below the child's line.
    try terminal.waitFor(prompt, timeout: 2)
    try terminal.waitFor("x = 12", timeout: 2)
    type(terminal, "34\r")
    try terminal.waitFor(prompt, timeout: 5)
    try run(terminal, "print(x + 1)", expecting: "1235\r\n")
    XCTAssertEqual(try endSession(terminal), 0)
  }

  func testForkAtThePromptRunsTheRestOfTheEntryInTheChildOnly() throws {
    let terminal = try startSession()
    type(terminal, "r = fork(); if r != 0 { join all }; print(\"after\", r == 0, r != 0)\r")
    try terminal.waitFor("after true false\r\n", timeout: 5)
    try terminal.waitFor("after false true\r\n", timeout: 5)
    try terminal.waitFor(prompt, timeout: 5)
    // Only the session reads the terminal: each entry runs once.
    try run(terminal, "print(\"once\" + \"!\")", expecting: "once!\r\n")
    XCTAssertEqual(try endSession(terminal), 0)
    XCTAssertEqual(terminal.output.components(separatedBy: "once!").count - 1, 1, terminal.output)
  }

  func testTabAfterADotCompletesTheMethodsOfTheValue() throws {
    let terminal = try startSession()
    try run(terminal, "q = Queue()", expecting: "")
    type(terminal, "q.put(5); print(q.qs")
    type(terminal, "\t")
    type(terminal, "() + 40)\r")
    try terminal.waitFor("41\r\n", timeout: 5)
    try terminal.waitFor(prompt, timeout: 5)
    XCTAssertEqual(try endSession(terminal), 0)
  }

  func testTabAfterACommandCompletesItsSubcommandsAndOptions() throws {
    let terminal = try startSession()
    try run(terminal, "queue jobs", expecting: "")
    type(terminal, "queue pu")
    type(terminal, "\t")
    type(terminal, " jobs 7; print(queue get jobs time")
    type(terminal, "\t")
    type(terminal, "1)\r")
    try terminal.waitFor("7\r\n", timeout: 5)
    try terminal.waitFor(prompt, timeout: 5)
    XCTAssertFalse(terminal.output.contains("Error"), terminal.output)
    XCTAssertEqual(try endSession(terminal), 0)
  }

  func testCtrlDOnAContinuationLineDropsTheEntryAndTheSessionGoesOn() throws {
    let terminal = try startSession()
    type(terminal, "def half_typed() {\r")
    try terminal.waitFor("...", timeout: 5)
    type(terminal, "\u{04}")
    try terminal.waitFor(prompt, timeout: 5)
    try run(terminal, "print(\"still\" + \" here\")", expecting: "still here\r\n")
    XCTAssertEqual(try endSession(terminal), 0)
  }

  func testAnErrorInAFunctionFromAnEarlierEntryQuotesThatEntry() throws {
    let terminal = try startSession()
    try run(terminal, "def broken() { return 1 / 0 }", expecting: "")
    try run(terminal, "broken()", expecting: "ZeroDivisionError")
    XCTAssertTrue(terminal.output.contains("<input#1>:1:25: ZeroDivisionError"), terminal.output)
    XCTAssertTrue(terminal.output.contains("def broken() { return 1 / 0 }\r\n"), terminal.output)
    try run(terminal, "6 * 7", expecting: "42\r\n")
    try run(terminal, "_ + 1", expecting: "43\r\n")
    XCTAssertEqual(try endSession(terminal), 0)
  }

  func testAnOpenBraceContinuesTheEntryOnAContinuationPrompt() throws {
    let terminal = try startSession()
    type(terminal, "def f() {\r")
    try terminal.waitFor("...", timeout: 5)
    type(terminal, "return 7 * 6\r")
    try terminal.waitFor("...", timeout: 5)
    type(terminal, "}\r")
    try terminal.waitFor(prompt, timeout: 5)
    try run(terminal, "f()", expecting: "42\r\n")
    XCTAssertEqual(try endSession(terminal), 0)
  }

  func testCtrlDEndsTheSessionWithStatus0AndStopsRunningChildren() throws {
    let path = temporaryPath("pids")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let terminal = try startSession()
    try run(
      terminal, "def nap(path) { append_file(path, f\"{pid()}\\n\"); sleep(30) }", expecting: "")
    try run(terminal, "a = spawn nap(\"\(path)\"); b = spawn nap(\"\(path)\")", expecting: "")
    XCTAssertTrue(eventually(within: 5) { pids(inFile: path).count == 2 }, terminal.output)
    let recorded = pids(inFile: path)
    XCTAssertEqual(try endSession(terminal), 0)
    XCTAssertTrue(terminal.output.contains("stopped 2 running process(es)"), terminal.output)
    let survivors = { recorded.filter { !isGone($0) } }
    XCTAssertTrue(eventually(within: 3) { survivors().isEmpty }, "survivors: \(survivors())")
  }

  func testKeysTypedTheMomentThePromptAppearsAreNotLost() throws {
    // Pasted text and scripted sessions type at once. Several sessions, because the window in
    // which a key can arrive before the terminal is set up for editing is a few milliseconds;
    // the first session that shows the problem ends the test.
    for _ in 0..<20 {
      let terminal = try PseudoTerminal(
        executable: try proclabExecutable().path, arguments: [],
        environment: ["PATH": "/usr/bin:/bin", "HOME": home, "PROCLAB_HISTORY": historyPath])
      try terminal.waitFor(prompt, timeout: 10)
      terminal.send("print(40 + 2)\r")
      try terminal.waitFor("42\r\n", timeout: 5)
      try terminal.waitFor(prompt, timeout: 5)
      terminal.send("\u{04}")
      let status = try? terminal.waitForExit(timeout: 2)
      let echoes = terminal.output.components(separatedBy: "print(40 + 2)").count - 1
      if status != 0 || echoes != 1 {
        XCTFail(
          "exit status \(status.map(String.init) ?? "none: Ctrl-D was lost"), the line echoed "
            + "\(echoes) times:\n\(terminal.output)")
        return
      }
    }
  }
}
