// Ctrl-C while the session waits on a pool, typed on a real pseudo-terminal: the wait ends at
// once with KeyboardInterrupt and a prompt, and the pool stays usable. An interrupted map drops
// its tasks; an interrupted get leaves its task running.
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

final class PoolTerminalTests: PromptTestCase {
  /// Presses Ctrl-C and waits for KeyboardInterrupt and the next prompt; returns how long it took.
  private func interrupt(_ terminal: PseudoTerminal) throws -> TimeInterval {
    let start = Date()
    terminal.send("\u{03}")
    try terminal.waitFor("KeyboardInterrupt", timeout: 3)
    try terminal.waitFor(prompt, timeout: 3)
    return Date().timeIntervalSince(start)
  }

  func testCtrlCDuringPoolMapReturnsAtOnceAndThePoolStillWorks() throws {
    let terminal = try startSession()
    try run(terminal, "def f(x) { sleep(30); return x }", expecting: "")
    try run(terminal, "def sq(x) { return x * x }", expecting: "")
    try run(terminal, "pool start 2", expecting: "")
    type(terminal, "x = pool map f range(4)")
    Thread.sleep(forTimeInterval: 1)  // the map is waiting on its first two tasks
    XCTAssertLessThan(try interrupt(terminal), 2, "Ctrl-C did not stop the pool map")
    // The map's tasks are gone: the next map runs at once on the two (replaced) workers.
    let start = Date()
    try run(terminal, "print(pool map sq range(3))", expecting: "[0, 1, 4]\r\n")
    XCTAssertLessThan(Date().timeIntervalSince(start), 3, "the new map waited behind the old")
    type(terminal, "pool")
    try terminal.waitFor("tasks queued", timeout: 5)
    try terminal.waitFor(prompt, timeout: 5)
    let table = terminal.output.components(separatedBy: "tasks queued").last ?? ""
    XCTAssertFalse(table.contains("running f("), "an interrupted map task still runs:\n\(table)")
    terminal.send("\u{04}")
    XCTAssertEqual(try terminal.waitForExit(timeout: 5), 0)
  }

  func testCtrlCDuringGetReturnsAndTheTaskGoesOnRunning() throws {
    let terminal = try startSession()
    try run(terminal, "def forever(x) { while true { sleep(1) } }", expecting: "")
    try run(terminal, "def sq(x) { return x * x }", expecting: "")
    try run(terminal, "pool start 2", expecting: "")
    try run(terminal, "r = pool apply_async forever(1)", expecting: "")
    type(terminal, "get r")
    Thread.sleep(forTimeInterval: 1)
    XCTAssertLessThan(try interrupt(terminal), 2, "Ctrl-C did not stop get")
    try run(terminal, "print(r.ready)", expecting: "false\r\n")
    try run(terminal, "pool", expecting: "running forever(1)")
    try run(terminal, "print(pool map sq range(3))", expecting: "[0, 1, 4]\r\n")
    // A second interrupted get: the same task, still there.
    type(terminal, "get r timeout=60")
    Thread.sleep(forTimeInterval: 0.5)
    XCTAssertLessThan(try interrupt(terminal), 2, "Ctrl-C did not stop get with a timeout")
    try run(terminal, "pool", expecting: "running forever(1)")
    terminal.send("\u{04}")
    XCTAssertEqual(try terminal.waitForExit(timeout: 5), 0)
  }
}
