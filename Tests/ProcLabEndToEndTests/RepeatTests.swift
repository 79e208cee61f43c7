// `repeat N STATEMENT`: each run in its own fresh child, nothing leaking back, and a tally
// whose counts add up to the runs: values, error kinds, exit codes, and Ctrl-C mid-way.
import Foundation
import XCTest

final class RepeatTests: XCTestCase {
  /// The tally's rows after its header line: outcome text and count.
  private func tally(_ stdout: String, header: String) throws -> (head: String, rows: [(outcome: String, count: Int)]) {
    let lines = stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let start = try XCTUnwrap(lines.firstIndex { $0.hasPrefix(header + ":") }, stdout)
    var rows: [(String, Int)] = []
    for line in lines[(start + 1)...] {
      guard line.hasPrefix("  ") else { break }
      // "  OUTCOME  COUNT  PERCENT%  BAR": the outcome may hold spaces (`exit 3`).
      let words = line.split(separator: " ").map(String.init)
      guard words.count >= 4, let count = Int(words[words.count - 3]), words[words.count - 2].hasSuffix("%") else { break }
      rows.append((words[..<(words.count - 3)].joined(separator: " "), count))
    }
    return (lines[start], rows)
  }

  func testEachRunIsItsOwnProcessAndTheCountsAddUpToN() throws {
    let result = try proclab("print(pid())\nrepeat 12 pid()")
    XCTAssertEqual(result.status, 0, result.stderr)
    let session = try XCTUnwrap(result.stdout.split(separator: "\n").first.map(String.init))
    let (head, rows) = try tally(result.stdout, header: "repeat 12 pid()")
    XCTAssertTrue(head.hasPrefix("repeat 12 pid(): 12 runs, "), head)
    XCTAssertTrue(head.contains(" .. ") && head.contains("(median "), head)
    XCTAssertEqual(rows.count, 12, result.stdout)
    XCTAssertEqual(Set(rows.map(\.outcome)).count, 12, result.stdout)
    XCTAssertFalse(rows.contains { $0.outcome == session }, result.stdout)
    XCTAssertEqual(rows.map(\.count).reduce(0, +), 12)
    XCTAssertTrue(rows.allSatisfy { Int($0.outcome) != nil }, result.stdout)
  }

  func testAVariableOrAQueueChangedInARunIsUnchangedInTheNextRunAndTheSession() throws {
    let lines = try passingLines(
      """
      x = 1
      queue q; queue put q "a"
      repeat 3 { x = x + 10; y = queue get q block=false; queue put q "b"; queue r; [x, y] }
      expect x == 1
      expect (queue qsize q) == 1
      expect (queue get q) == "a"
      try { queue put r 1; print("r leaked") } catch e { print(e.kind) }
      print("x", x)
      """)
    XCTAssertEqual(lines.count, 4, lines.joined(separator: "\n"))
    XCTAssertTrue(lines[0].hasPrefix("repeat 3 { x = x + 10; y = queue get q block=false; queue put q \"b\"; queue r; [x, y] }: 3 runs, "), lines[0])
    XCTAssertEqual(Array(lines.dropFirst()), ["  [11, \"a\"]  3  100%  ####################", "NameError", "x 1"])
  }

  func testErrorsAreTalliedByKindAndExitCodesAsExit() throws {
    let result = try proclab(
      """
      queue q
      def take() { queue get q block=false }
      repeat 4 take()
      repeat 3 exit 3
      repeat 2 { 1 / 0 }
      print("still here")
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(try tally(result.stdout, header: "repeat 4 take()").rows.map { "\($0.outcome) \($0.count)" }, ["Empty 4"])
    XCTAssertEqual(try tally(result.stdout, header: "repeat 3 exit 3").rows.map { "\($0.outcome) \($0.count)" }, ["exit 3 3"])
    XCTAssertEqual(try tally(result.stdout, header: "repeat 2 { 1 / 0 }").rows.map { "\($0.outcome) \($0.count)" }, ["ZeroDivisionError 2"])
    XCTAssertTrue(result.stdout.hasSuffix("still here\n"), result.stdout)
  }

  func testValuesAreSortedAndAValueThatCannotCrossShowsItsType() throws {
    let result = try proclab(
      """
      def two() { return pid() % 2 + 10 }
      repeat 30 { if pid() % 3 == 0 { return 9 }; 100 }
      def idle() { }
      repeat 2 spawn idle()
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    let values = try tally(result.stdout, header: "repeat 30 { if pid() % 3 == 0 { return 9 }; 100 }").rows
    XCTAssertEqual(values.map(\.count).reduce(0, +), 30)
    XCTAssertEqual(values.map(\.outcome), values.map(\.outcome).sorted { Int($0)! < Int($1)! })
    XCTAssertTrue(Set(values.map(\.outcome)).isSubset(of: ["9", "100"]), result.stdout)
    XCTAssertEqual(try tally(result.stdout, header: "repeat 2 spawn idle()").rows.map(\.outcome), ["<process>"])
  }

  func testABadNumberOfRunsIsAValueErrorNamingTheBounds() throws {
    for script in ["repeat 0 pid()", "repeat 100001 pid()", "repeat -1 pid()", "repeat \"3\" pid()", "repeat 2.5 pid()"] {
      let result = try proclab(script)
      XCTAssertEqual(result.status, 1, script)
      XCTAssertTrue(result.stderr.contains("ValueError: repeat expects a whole number of runs from 1 to 100000"), "\(script): \(result.stderr)")
    }
    let caught = try passingLines("try { repeat 0 pid() } catch e { print(e.kind) }")
    XCTAssertEqual(caught, ["ValueError"])
  }

  func testRepeatIsStillAPlainNameWhereItIsOne() throws {
    XCTAssertEqual(try passingLines("repeat = 3; print(repeat + 1)"), ["4"])
    XCTAssertEqual(try passingLines("def f(repeat) { return repeat * 2 }; print(f(4))"), ["8"])
  }

  func testTheIssuesRaceCompletesAndItsCountsAddUpToTwenty() throws {
    let result = try proclab(
      """
      queue q
      def offer() { for i in range(10) { queue put q str(i) } }
      def getter() { for i in range(10) { queue get q block=false } }
      def race() { while not (queue empty q) { queue get q }; p = spawn offer(); c = spawn getter(); join p c; return c.exitcode }
      repeat 20 race()
      """, timeout: 60)
    XCTAssertEqual(result.status, 0, result.stderr)
    let (head, rows) = try tally(result.stdout, header: "repeat 20 race()")
    XCTAssertTrue(head.hasPrefix("repeat 20 race(): 20 runs, "), head)
    XCTAssertEqual(rows.map(\.count).reduce(0, +), 20, result.stdout)
    XCTAssertTrue(Set(rows.map(\.outcome)).isSubset(of: ["0", "1"]), result.stdout)
  }

  func testCtrlCKillsTheRunPrintsTheTallySoFarAndRaisesKeyboardInterrupt() throws {
    let run = try BackgroundProclab(script: "repeat 50 { sleep(0.2); pid() }\nprint(\"not reached\")")
    usleep(900_000)
    run.signal(SIGINT)
    let status = run.waitForExit(within: 10)
    XCTAssertEqual(status, 130, run.stderr)
    XCTAssertTrue(run.stderr.contains("KeyboardInterrupt"), run.stderr)
    let (head, rows) = try tally(run.stdout, header: "repeat 50 { sleep(0.2); pid() }")
    XCTAssertTrue(head.contains(" of 50 runs (interrupted)"), head)
    let done = rows.map(\.count).reduce(0, +)
    XCTAssertTrue((1...5).contains(done), run.stdout)
    XCTAssertTrue(head.hasPrefix("repeat 50 { sleep(0.2); pid() }: \(done) of 50 runs"), head)
    XCTAssertFalse(run.stdout.contains("not reached"))
  }
}
