// Ctrl-C while the session waits on a queue or a pipe, typed on a real pseudo-terminal: the wait
// ends at once with KeyboardInterrupt and a prompt, the queue is as it was, and it still works.
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

final class QueueTerminalTests: PromptTestCase {
  /// Types `line`, which must block, then presses Ctrl-C and waits for KeyboardInterrupt and
  /// the next prompt; returns how long that took.
  private func interrupt(_ terminal: PseudoTerminal, whileRunning line: String) throws
    -> TimeInterval
  {
    type(terminal, line)
    Thread.sleep(forTimeInterval: 0.7)
    let start = Date()
    terminal.send("\u{03}")
    try terminal.waitFor("KeyboardInterrupt", timeout: 3)
    try terminal.waitFor(prompt, timeout: 3)
    return Date().timeIntervalSince(start)
  }

  private func endSession(_ terminal: PseudoTerminal) throws {
    Thread.sleep(forTimeInterval: 0.15)
    terminal.send("\u{04}")
    XCTAssertEqual(try terminal.waitForExit(timeout: 5), 0)
  }

  func testCtrlCDuringABlockedGetLeavesTheQueueAsItWas() throws {
    let terminal = try startSession()
    try run(terminal, "queue q", expecting: "")
    XCTAssertLessThan(try interrupt(terminal, whileRunning: "queue get q"), 2)
    try run(terminal, "print(queue qsize q)", expecting: "0\r\n")
    // The interrupted get is gone: the next item stays in the queue for the next get.
    try run(terminal, "queue put q 7", expecting: "")
    try run(terminal, "print(queue qsize q)", expecting: "1\r\n")
    try run(terminal, "print(queue get q)", expecting: "7\r\n")
    XCTAssertLessThan(try interrupt(terminal, whileRunning: "queue get q timeout=60"), 2)
    try run(terminal, "queue put q 8; print(queue get q, queue qsize q)", expecting: "8 0\r\n")
    try endSession(terminal)
  }

  func testCtrlCDuringABlockedPutOnAFullQueueLeavesTheQueueAsItWas() throws {
    let terminal = try startSession()
    try run(terminal, "queue q maxsize=1", expecting: "")
    try run(terminal, "queue put q \"kept\"", expecting: "")
    XCTAssertLessThan(try interrupt(terminal, whileRunning: "queue put q \"dropped\""), 2)
    try run(terminal, "print(queue qsize q, queue get q)", expecting: "1 kept\r\n")
    try run(terminal, "print(queue qsize q)", expecting: "0\r\n")
    try run(terminal, "queue put q 1; print(queue get q)", expecting: "1\r\n")
    try endSession(terminal)
  }

  func testCtrlCDuringQueueJoinReturnsAndTheTasksStayUnfinished() throws {
    let terminal = try startSession()
    try run(terminal, "queue j joinable=true", expecting: "")
    try run(terminal, "queue put j 1", expecting: "")
    XCTAssertLessThan(try interrupt(terminal, whileRunning: "queue join j"), 2)
    try run(terminal, "queue show j", expecting: "1 unfinished task")
    try run(
      terminal, "queue get j; queue task_done j; queue join j; print(\"done\")",
      expecting: "done\r\n")
    try endSession(terminal)
  }

  func testCtrlCDuringAQueueGetInAChildOfTheREPLKeepsTheSession() throws {
    // A child blocked on get is not interrupted by the session's Ctrl-C wait on join.
    let terminal = try startSession()
    try run(terminal, "queue q", expecting: "")
    try run(terminal, "def g() { print(\"child got\", queue get q) }", expecting: "")
    try run(terminal, "p = spawn g()", expecting: "")
    XCTAssertLessThan(try interrupt(terminal, whileRunning: "join p"), 2)
    try run(terminal, "queue put q 5", expecting: "child got 5")
    try run(terminal, "join p; print(p.exitcode)", expecting: "0\r\n")
    try endSession(terminal)
  }

  func testCtrlCDuringRecvReturnsAndThePipeStillWorks() throws {
    let terminal = try startSession()
    try run(terminal, "a, b = pipe()", expecting: "")
    XCTAssertLessThan(try interrupt(terminal, whileRunning: "recv a"), 2)
    try run(terminal, "send b \"later\"; print(recv a)", expecting: "later\r\n")
    try endSession(terminal)
  }
}
