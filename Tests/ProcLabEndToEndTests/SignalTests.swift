// Signals reach every blocking and long operation of a session: a send on a full pipe, the
// parser, the last statement; the exit status names the signal, and a closed stdout ends a
// script at once with BrokenPipeError.
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

final class SignalTests: XCTestCase {
  /// Starts `script`, signals it after `delay` seconds, and returns its status and how long it
  /// took to end after the signal.
  private func signalled(_ script: String, with signal: Int32, after delay: Double, arguments: [String]? = nil) throws -> (
    status: Int32?, seconds: Double, stderr: String
  ) {
    let run = try BackgroundProclab(arguments: arguments ?? ["-c", script])
    usleep(useconds_t(delay * 1_000_000))
    let sent = Date()
    run.signal(signal)
    let status = run.waitForExit(within: 10)
    return (status, Date().timeIntervalSince(sent), run.stderr)
  }

  func testASendOnAFullPipeEndsWithTheSignalsStatusWithinASecond() throws {
    let script = #"a, b = pipe(); a.send("x" * 16777216)"#
    for (signal, status) in [(SIGTERM, Int32(143)), (SIGHUP, 129), (SIGINT, 130)] {
      let run = try signalled(script, with: signal, after: 0.8)
      XCTAssertEqual(run.status, status, "signal \(signal): \(run.stderr)")
      XCTAssertLessThan(run.seconds, 1.0, "signal \(signal)")
    }
  }

  func testSIGTERMDuringTheLastStatementsIsNotSwallowed() throws {
    // Top-level statements without loops or calls of script functions: nothing in them
    // looks for signals, so the end of the session must.
    let statements = Array(repeating: "s = str(xs)", count: 60).joined(separator: "\n")
    let script = "xs = [random() for i in range(200000)]\n" + statements
    let run = try signalled(script, with: SIGTERM, after: 1.0)
    XCTAssertEqual(run.status, 143, run.stderr)
  }

  func testCtrlCDuringTheLastStatementsEndsWithStatus130() throws {
    let statements = Array(repeating: "s = str(xs)", count: 60).joined(separator: "\n")
    let script = "xs = [random() for i in range(200000)]\n" + statements
    let run = try signalled(script, with: SIGINT, after: 1.0)
    XCTAssertEqual(run.status, 130, run.stderr)
    XCTAssertTrue(run.stderr.contains("KeyboardInterrupt"), run.stderr)
  }

  func testALongSortNoticesCtrlC() throws {
    let run = try signalled("xs = [random() for i in range(300000)]\nprint(\"sorting\")\nys = sorted(xs)\nys = sorted(xs)\nys = sorted(xs)\nys = sorted(xs)", with: SIGINT, after: 1.2)
    XCTAssertEqual(run.status, 130, run.stderr)
    XCTAssertLessThan(run.seconds, 1.0)
  }

  func testTheParserNoticesSIGTERM() throws {
    let path = temporaryPath("long.plab")
    try String(repeating: "x = 1 + 2\n", count: 300_000).write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let run = try signalled("", with: SIGTERM, after: 0.5, arguments: [path])
    XCTAssertEqual(run.status, 143, run.stderr)
    XCTAssertLessThan(run.seconds, 1.0)
  }

  func testAClosedStdoutEndsTheScriptAtOnceWithBrokenPipeError() throws {
    let started = Date()
    let result = try bash(
      #"$PROCLAB -c 'i = 0; while true { print(i); i += 1 }' | head -1; echo "status ${PIPESTATUS[0]}""#, timeout: 20)
    XCTAssertEqual(result.stdout, "0\nstatus 1\n", result.stderr)
    XCTAssertTrue(result.stderr.contains("BrokenPipeError"), result.stderr)
    XCTAssertLessThan(Date().timeIntervalSince(started), 10)
  }
}
