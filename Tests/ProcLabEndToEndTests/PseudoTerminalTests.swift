// Proves the pseudo-terminal helper that the REPL's end-to-end tests stand on: echo, Ctrl-C, exit
// status, and no process left behind.
import Foundation
import XCTest

final class PseudoTerminalTests: XCTestCase {
  private let environment = ["PATH": "/usr/bin:/bin", "PS1": "$ "]

  func testTextSentToCatComesBackThroughTheTerminal() throws {
    let terminal = try PseudoTerminal(
      executable: "/bin/cat", arguments: [], environment: environment)
    terminal.send("hello pty\r")
    // Twice: once echoed by the terminal driver, once written back by cat.
    try terminal.waitFor("hello pty", timeout: 5)
    try terminal.waitFor("hello pty", timeout: 5)
    terminal.send("\u{04}")
    XCTAssertEqual(try terminal.waitForExit(timeout: 5), 0)
  }

  func testCtrlCInterruptsTheForegroundCommandOfAShell() throws {
    let terminal = try PseudoTerminal(
      executable: "/bin/sh", arguments: ["-i"], environment: environment)
    try terminal.waitFor("$ ", timeout: 5)
    terminal.send("sleep 10; echo after-sleep\r")
    try terminal.waitFor("sleep 10", timeout: 5)
    Thread.sleep(forTimeInterval: 0.3)  // let sh start sleep, so SIGINT finds it
    let start = Date()
    terminal.send("\u{03}")
    try terminal.waitFor("$ ", timeout: 5)
    XCTAssertLessThan(Date().timeIntervalSince(start), 2, "Ctrl-C did not interrupt sleep")
    // At a line start it is echo's output, not the echo of the typed command.
    XCTAssertFalse(terminal.output.contains("\nafter-sleep"), terminal.output)
    terminal.send("exit 3\r")
    XCTAssertEqual(try terminal.waitForExit(timeout: 5), 3)
  }

  func testTheTerminalHasTheRequestedSizeAndTerm() throws {
    let terminal = try PseudoTerminal(
      executable: "/bin/sh", arguments: ["-c", "stty size; echo term=$TERM"],
      environment: environment,
      columns: 91, rows: 17)
    try terminal.waitFor("17 91", timeout: 5)
    try terminal.waitFor("term=xterm", timeout: 5)
    XCTAssertEqual(try terminal.waitForExit(timeout: 5), 0)
  }

  func testTimeoutReportsTheOutputSeenAndKillsTheProgram() throws {
    let terminal = try PseudoTerminal(
      executable: "/bin/sh", arguments: ["-c", "echo started; exec sleep 30"],
      environment: environment)
    XCTAssertThrowsError(try terminal.waitFor("never printed", timeout: 0.5)) { error in
      XCTAssertTrue("\(error)".contains("started"), "\(error)")
    }
    XCTAssertThrowsError(try terminal.waitForExit(timeout: 0.2))
    XCTAssertEqual(try terminal.waitForExit(timeout: 5), 128 + SIGKILL)
  }
}
