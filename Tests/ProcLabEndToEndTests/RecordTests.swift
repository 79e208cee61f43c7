// `record FILE` saves the entries that run (comments included) as a script `play` replays;
// `record stop` ends it; `history` lists the session's entries, numbered.
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

final class RecordTests: XCTestCase {
  private var recordingPath = ""

  override func setUp() {
    recordingPath = temporaryPath("recorded.plab")
  }

  override func tearDown() {
    try? FileManager.default.removeItem(atPath: recordingPath)
  }

  private func recording() -> String {
    (try? String(contentsOfFile: recordingPath, encoding: .utf8)) ?? ""
  }

  func testRecordThenPlayReproducesTheStatements() throws {
    let session = try runProclab(
      [],
      stdin: """
        print("before", "recording")
        record "\(recordingPath)"
        # a comment typed at the prompt
        def work(n) {
          print(f"work {n} in a child")
          return n * 2
        }
        p = spawn work(21); join p
        x = = 2
        print("answer", 6 * 7)
        record stop
        print("after", "recording")

        """)
    XCTAssertTrue(session.stdout.contains("recording to \(recordingPath)"), session.stdout)
    XCTAssertTrue(session.stdout.contains("recorded 4 entries in \(recordingPath)"), session.stdout)
    let saved = recording()
    XCTAssertTrue(saved.hasPrefix("# Recorded in proclab on "), saved)
    let body = saved.split(separator: "\n", maxSplits: 1).dropFirst().joined()
    XCTAssertEqual(
      body,
      """
      # a comment typed at the prompt
      def work(n) {
        print(f"work {n} in a child")
        return n * 2
      }
      p = spawn work(21); join p
      print("answer", 6 * 7)

      """, "the syntax error, the record commands and what ran outside are not recorded")

    let played = try runProclab(["play", recordingPath, "--delay", "0"])
    XCTAssertEqual(played.status, 0, played.stderr)
    for line in [
      "# a comment typed at the prompt\n", "+ def work(n) {\n",
      "+ p = spawn work(21); join p\nwork 21 in a child\n",
      "+ print(\"answer\", 6 * 7)\nanswer 42\n",
    ] {
      XCTAssertTrue(
        played.stdout.contains(line), "missing \(line)\n--- stdout ---\n\(played.stdout)")
    }
    XCTAssertFalse(played.stdout.contains("before recording"), played.stdout)
    XCTAssertFalse(played.stdout.contains("after recording"), played.stdout)
    // The replay is a script too.
    XCTAssertEqual(try runProclab([recordingPath]).status, 0)
  }

  func testAnEntryThatFailsIsRecordedBecauseItRan() throws {
    _ = try runProclab(
      [], stdin: "record \"\(recordingPath)\"\nprint(\"ok\")\nz = 1 / 0\nrecord stop\n")
    XCTAssertTrue(recording().hasSuffix("print(\"ok\")\nz = 1 / 0\n"), recording())
  }

  func testRecordAloneSaysWhetherItIsOnAndStopWithoutRecordingIsAUsageError() throws {
    let result = try runProclab(
      [], stdin: "record\nrecord stop\nrecord \"\(recordingPath)\"\nprint(1)\nrecord\n")
    XCTAssertTrue(result.stdout.contains("not recording; record FILE starts"), result.stdout)
    XCTAssertTrue(result.stderr.contains("UsageError: not recording"), result.stderr)
    XCTAssertTrue(
      result.stdout.contains("recording to \(recordingPath) (1 entries so far)"), result.stdout)
  }

  func testRecordingToAnUnwritablePathIsAnIOError() throws {
    let result = try runProclab(
      [], stdin: "record \"/nonexistent/dir/x.plab\"\nprint(\"goes\", \"on\")\n")
    XCTAssertTrue(
      result.stderr.contains("IOError: cannot write /nonexistent/dir/x.plab"), result.stderr)
    XCTAssertTrue(result.stdout.contains("goes on\n"), result.stdout)
  }

  func testHistoryListsTheSessionsEntriesNumbered() throws {
    let result = try runProclab(
      [],
      stdin: """
        x = 1
        # a note
        def f() {
          return x + 1
        }
        print(f())
        history

        """)
    XCTAssertEqual(result.status, 0, result.stderr)
    let listing = [
      "  1  x = 1", "  2  # a note", "  3  def f() {", "       return x + 1", "     }",
      "  4  print(f())",
      "  5  history",
    ]
    XCTAssertTrue(
      result.stdout.hasSuffix("2\n" + listing.joined(separator: "\n") + "\n"), result.stdout)
  }
}
