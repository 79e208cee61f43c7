// Runs every script in samples/ with the built proclab: each must exit 0 and print its key lines.
import Foundation
import XCTest

final class SampleTests: XCTestCase {
  func testHelperRunsProclab() throws {
    let result = try runProclab(["-c", "print(1 + 2)"])
    XCTAssertEqual(result.status, 0)
    XCTAssertEqual(result.stdout, "3\n")
  }
}
