// A test case that drives proclab's REPL in a pseudo-terminal: a fresh history file per test,
// a session started at its prompt, and lines typed a moment after the prompt, as a person does.
import Foundation
import XCTest

class PromptTestCase: XCTestCase {
  let prompt = "proclab> "
  private(set) var historyPath = ""

  override func setUpWithError() throws {
    historyPath = temporaryPath("history")
  }

  override func tearDown() {
    try? FileManager.default.removeItem(atPath: historyPath)
  }

  func startSession() throws -> PseudoTerminal {
    let terminal = try PseudoTerminal(
      executable: try proclabExecutable().path, arguments: [],
      environment: [
        "PATH": "/usr/bin:/bin", "TERM": "xterm", "HOME": NSTemporaryDirectory(),
        "PROCLAB_HISTORY": historyPath,
      ])
    try terminal.waitFor(prompt, timeout: 10)
    return terminal
  }

  /// Types a line a moment after the prompt and presses Enter.
  func type(_ terminal: PseudoTerminal, _ line: String) {
    Thread.sleep(forTimeInterval: 0.15)
    terminal.send(line + "\r")
  }

  /// Types a line, then waits for `result` and the next prompt.
  func run(_ terminal: PseudoTerminal, _ line: String, expecting result: String) throws {
    type(terminal, line)
    try terminal.waitFor(result, timeout: 5)
    try terminal.waitFor(prompt, timeout: 5)
  }
}
