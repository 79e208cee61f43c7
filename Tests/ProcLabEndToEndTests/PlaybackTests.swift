// `proclab play` without a terminal (a transcript: `+ statement`, narration, output), its
// command line, the lessons in samples/lessons (as scripts and played), and the concept help.
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

final class PlaybackTests: XCTestCase {
  private var files: [String] = []

  override func tearDown() {
    for file in files { try? FileManager.default.removeItem(atPath: file) }
  }

  /// A lesson file in the temporary directory, removed after the test.
  private func lesson(_ text: String) throws -> String {
    let path = temporaryPath("lesson.plab")
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    files.append(path)
    return path
  }

  private func lessonFiles() throws -> [String] {
    let directory = packageRoot().appendingPathComponent("samples/lessons")
    return try FileManager.default.contentsOfDirectory(atPath: directory.path)
      .filter { $0.hasSuffix(".plab") }.sorted()
      .map { directory.appendingPathComponent($0).path }
  }

  func testWithoutATerminalStatementsNarrationAndOutputArePrinted() throws {
    let path = try lesson(
      """
      # A lesson about one process.
      # It has two lines of narration.

      def hello(n) {
        # a comment inside the function stays in the statement
        print(f"hello from child {n}")
      }
      #? What will the child print?
      p = spawn hello(7); join p   # spawn, then wait
      print("exit code", p.exitcode)
      # The end.
      """)
    let result = try runProclab(["play", path, "--delay", "0"])
    XCTAssertEqual(result.status, 0, result.stderr)
    let expected = [
      "# A lesson about one process.\n# It has two lines of narration.\n",
      "+ def hello(n) {\n    # a comment inside the function stays in the statement\n",
      "#? What will the child print?\n",
      "+ p = spawn hello(7); join p   # spawn, then wait\nhello from child 7\n",
      "+ print(\"exit code\", p.exitcode)\nexit code 0\n",
      "# The end.\n",
    ]
    var rest = Substring(result.stdout)
    for piece in expected {
      guard let found = rest.range(of: piece) else {
        return XCTFail("missing, or out of order: \(piece)\n--- stdout ---\n\(result.stdout)")
      }
      rest = rest[found.upperBound...]
    }
    XCTAssertFalse(result.stdout.contains("\u{1B}["), "no colour without a terminal")
  }

  func testAFailingStatementShowsItsErrorAndTheLessonGoesOn() throws {
    let path = try lesson("x = 1 / 0\nprint(\"still\", \"here\")\n")
    let result = try runProclab(["play", path, "--delay", "0"])
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertTrue(result.stderr.contains("\(path):1:7: ZeroDivisionError"), result.stderr)
    XCTAssertTrue(result.stdout.contains("still here\n"), result.stdout)
  }

  func testExitEndsTheLessonWithItsCode() throws {
    let path = try lesson("print(\"before\")\nexit 5\nprint(\"after\")\n")
    let result = try runProclab(["play", path, "--delay", "0"])
    XCTAssertEqual(result.status, 5)
    XCTAssertTrue(result.stdout.contains("before"), result.stdout)
    XCTAssertFalse(result.stdout.contains("after\n"), result.stdout)
  }

  func testAChildMadeByForkGoesOnWithTheRestOfTheLessonOnce() throws {
    let path = try lesson(
      """
      r = fork()
      if r == 0 {
        print("child", "went on")
        exit
      }
      join all
      print("parent", "went on")
      """)
    let result = try runProclab(["play", path, "--delay", "0"])
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(
      result.stdout.components(separatedBy: "child went on\n").count - 1, 1, result.stdout)
    XCTAssertEqual(
      result.stdout.components(separatedBy: "parent went on\n").count - 1, 1, result.stdout)
    XCTAssertEqual(result.stdout.components(separatedBy: "+ join all").count - 1, 1, result.stdout)
  }

  func testChildrenStillRunningAtTheEndAreWaitedFor() throws {
    let path = try lesson("def late() { sleep(0.4); print(\"late\", \"child\") }\nspawn late()\n")
    let result = try runProclab(["play", path, "--delay", "0"])
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertTrue(result.stdout.contains("late child\n"), result.stdout)
  }

  func testDelayPausesBetweenStatements() throws {
    let path = try lesson("a = now()\nb = now()\nprint(\"gap\", b - a >= 0.25)\n")
    let result = try runProclab(["play", path, "--delay", "0.3"])
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertTrue(result.stdout.contains("gap true\n"), result.stdout)
  }

  func testASyntaxErrorRunsNothingAndExits2() throws {
    let path = try lesson("print(\"ran\")\nx = (1 +\n")
    let result = try runProclab(["play", path, "--delay", "0"])
    XCTAssertEqual(result.status, 2)
    XCTAssertTrue(result.stderr.contains("SyntaxError"), result.stderr)
    XCTAssertFalse(result.stdout.contains("ran"), result.stdout)
  }

  func testAnUnreadableLessonExits3() throws {
    let result = try runProclab(["play", "/nonexistent/lesson.plab"])
    XCTAssertEqual(result.status, 3)
    XCTAssertTrue(result.stderr.contains("/nonexistent/lesson.plab"), result.stderr)
  }

  func testBadPlayCommandLinesExit64WithThePlayUsage() throws {
    for arguments in [
      ["play"], ["play", "x.plab", "--speed", "0"], ["play", "x.plab", "--delay", "-1"],
      ["play", "x.plab", "--speed"], ["play", "x.plab", "--frob"], ["play", "a.plab", "b.plab"],
    ] {
      let result = try runProclab(arguments)
      XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
      XCTAssertTrue(result.stderr.hasPrefix("Error: "), "\(arguments): \(result.stderr)")
      XCTAssertTrue(
        result.stderr.contains("Usage: proclab play <file>"), "\(arguments): \(result.stderr)")
    }
  }

  func testPlayHelpDescribesTheOptions() throws {
    let result = try runProclab(["play", "--help"])
    XCTAssertEqual(result.status, 0)
    for option in ["USAGE: proclab play <file>", "--speed", "--delay", "--step", "--no-color"] {
      XCTAssertTrue(result.stdout.contains(option), "\(option) missing:\n\(result.stdout)")
    }
    XCTAssertTrue(try runProclab(["--help"]).stdout.contains("proclab play"))
  }

  func testThereAreAtLeastThreeLessons() throws {
    let names = try lessonFiles().map { URL(fileURLWithPath: $0).lastPathComponent }
    for name in [
      "01-processes-and-fork.plab", "02-pools-and-timeouts.plab", "03-queues-and-races.plab",
    ] {
      XCTAssertTrue(names.contains(name), "samples/lessons/\(name) is missing")
    }
  }

  func testEveryLessonRunsAsAScript() throws {
    for path in try lessonFiles() {
      let result = try runProclab([path])
      XCTAssertEqual(
        result.status, 0,
        "\(path)\n--- stdout ---\n\(result.stdout)\n--- stderr ---\n\(result.stderr)")
    }
  }

  func testEveryLessonPlaysWithoutATerminalQuicklyWithNarrationAndQuestions() throws {
    for path in try lessonFiles() {
      let start = Date()
      let result = try runProclab(["play", path, "--delay", "0"])
      let seconds = Date().timeIntervalSince(start)
      XCTAssertEqual(
        result.status, 0,
        "\(path)\n--- stdout ---\n\(result.stdout)\n--- stderr ---\n\(result.stderr)")
      XCTAssertEqual(result.stderr, "", path)
      XCTAssertLessThan(seconds, 15, path)
      XCTAssertTrue(
        result.stdout.hasPrefix("# Lesson "), "\(path) starts with its title:\n\(result.stdout)")
      XCTAssertTrue(result.stdout.contains("\n#? "), "\(path) asks at least one question")
      XCTAssertTrue(result.stdout.contains("\n+ "), "\(path) shows its statements")
    }
  }

  // MARK: concept help

  func testEachConceptHasHelpWithCommandsToTry() throws {
    let words = [
      "states": ["running", "blocked", "zombie"], "fork": ["twice", "copy"],
      "pool": ["chunk", "TimeoutError"], "queue": ["block", "race"],
      "ipc": ["pipe", "signal", "shared memory"], "sync": ["deadlock", "Semaphore"], "shm": ["lost", "get_lock"],
      "sched": ["ready", "nice", "round robin", "PermissionError"],
    ]
    for (topic, expected) in words {
      let result = try runProclab(["-c", "help \(topic)"])
      XCTAssertEqual(result.status, 0, result.stderr)
      XCTAssertTrue(result.stdout.contains("\nTry:\n"), "help \(topic):\n\(result.stdout)")
      for word in expected {
        XCTAssertTrue(
          result.stdout.contains(word), "help \(topic) lacks '\(word)':\n\(result.stdout)")
      }
    }
  }

  func testTheCommandsToTryRunWithoutAnError() throws {
    for topic in ["states", "fork", "pool", "queue", "ipc", "sync", "shm"] {
      let help = try runProclab(["-c", "help \(topic)"]).stdout
      let tryBlock = help.components(separatedBy: "\nTry:\n")[1].components(separatedBy: "\n\n")[0]
      let lines = tryBlock.split(separator: "\n").map { String($0.dropFirst(2)) }
      let result = try runProclab([], stdin: lines.joined(separator: "\n") + "\n")
      XCTAssertEqual(
        result.status, 0, "help \(topic):\n\(tryBlock)\n--- stderr ---\n\(result.stderr)")
      XCTAssertEqual(result.stderr, "", "help \(topic)")
    }
  }

  func testTheOverviewListsTheConceptsOnOneLine() throws {
    let result = try runProclab(["-c", "help"])
    XCTAssertTrue(
      result.stdout.contains("Concepts: help states, help sched, help fork, help pool, help queue, help ipc, help sync, help shm\n"),
      result.stdout)
  }

  func testHelpOfAConceptThatIsAlsoACommandShowsBoth() throws {
    let result = try runProclab(["-c", "help pool"])
    XCTAssertTrue(result.stdout.contains("Pools:"), result.stdout)
    XCTAssertTrue(result.stdout.contains("pool start [N]"), result.stdout)
    XCTAssertTrue(result.stdout.contains("pool map FUNCTION ITERABLE"), result.stdout)
  }
}
