// Files: a failed write is an OSError with the path and the reason, and temp_dir() gives a
// session a private directory (mkdtemp) that goes when the session ends.
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

final class FileTests: XCTestCase {
  func testAFailedWriteIsAnOSErrorWithThePathAndTheReason() throws {
    let lines = try passingLines(
      """
      for f in [write_file, append_file] {
        try { f("/dev/full", "x" * 100) } catch e { print(e.kind, e.message) }
      }
      """)
    XCTAssertEqual(lines.count, 2, "\(lines)")
    for line in lines {
      XCTAssertEqual(line, "OSError write /dev/full failed: no space left on device (ENOSPC)")
    }
  }

  func testTempDirIsPrivateSharedWithChildrenAndRemovedAtTheEnd() throws {
    let lines = try passingLines(
      """
      d = temp_dir()
      expect temp_dir() == d
      def child() { write_file(temp_dir() + "/from-child", "hi") }
      p = spawn child()
      join p
      expect read_file(d + "/from-child") == "hi"
      print(d)
      """)
    XCTAssertEqual(lines.count, 1)
    let path = lines[0]
    XCTAssertTrue(path.contains("/proclab-"), path)
    XCTAssertFalse(FileManager.default.fileExists(atPath: path), "\(path) is still there")
  }

  func testTempDirIsMadeWithMode0700() throws {
    let run = try BackgroundProclab(script: "print(temp_dir())\nsleep(20)")
    XCTAssertTrue(eventually(within: 10) { run.stdout.hasSuffix("\n") }, run.stderr)
    let path = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    var info = stat()
    XCTAssertEqual(lstat(path, &info), 0, path)
    XCTAssertEqual(info.st_mode & 0o777, 0o700)
    XCTAssertEqual(info.st_mode & S_IFMT, S_IFDIR)
    run.signal(SIGTERM)
    XCTAssertEqual(run.waitForExit(within: 5), 143)
    XCTAssertFalse(FileManager.default.fileExists(atPath: path), "SIGTERM left \(path)")
  }
}
