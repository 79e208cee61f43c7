// Drives the REPL in a pseudo-terminal: Ctrl-C cuts short a blocked acquire, and Ctrl-C inside
// a `with` block releases what the block held, so the session goes on with the lock free.
import Foundation
import XCTest

final class SyncTerminalTests: PromptTestCase {
  /// Types `line`, which must block, then presses Ctrl-C and waits for KeyboardInterrupt and
  /// the next prompt; returns how long that took.
  private func interrupt(_ terminal: PseudoTerminal, whileRunning line: String) throws -> TimeInterval {
    type(terminal, line)
    Thread.sleep(forTimeInterval: 0.5)
    let start = Date()
    terminal.send("\u{03}")
    try terminal.waitFor("KeyboardInterrupt", timeout: 3)
    try terminal.waitFor(prompt, timeout: 3)
    return Date().timeIntervalSince(start)
  }

  func testCtrlCInsideAWithBlockReleasesTheLock() throws {
    let terminal = try startSession()
    try run(terminal, "l = Lock()", expecting: "")
    XCTAssertLessThan(try interrupt(terminal, whileRunning: "with l { sleep(30) }"), 2)
    try run(terminal, "print(l.locked())", expecting: "false\r\n")
    try run(terminal, "def grab() { with l { print(\"child got it\") } }; join (spawn grab())", expecting: "child got it\r\n")
    Thread.sleep(forTimeInterval: 0.15)
    terminal.send("\u{04}")
    XCTAssertEqual(try terminal.waitForExit(timeout: 5), 0)
  }

  func testCtrlCCutsShortAnAcquireOfALockAChildHolds() throws {
    let terminal = try startSession()
    try run(terminal, "l = Lock(); s = Semaphore(0)", expecting: "")
    try run(terminal, "def hold() { with l { sleep(30) } }; p = spawn hold(); sleep(0.2)", expecting: "")
    XCTAssertLessThan(try interrupt(terminal, whileRunning: "l.acquire()"), 2)
    XCTAssertLessThan(try interrupt(terminal, whileRunning: "s.acquire()"), 2)
    try run(terminal, "print(l.locked(), l.owner == p.pid)", expecting: "true true\r\n")
    try run(terminal, "kill p; join p; print(l.acquire(timeout=2))", expecting: "true\r\n")
    Thread.sleep(forTimeInterval: 0.15)
    terminal.send("\u{04}")
    XCTAssertEqual(try terminal.waitForExit(timeout: 5), 0)
  }
}
