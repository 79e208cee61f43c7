// Checks signal name and number conversion in both directions, the spellings
// users type, and that nonsense is refused rather than guessed.
import Glibc
import XCTest

@testable import ProcLabEngine

final class SignalNameTests: XCTestCase {
  func testAcceptsBarePrefixedLowercaseAndNumericSpellings() {
    XCTAssertEqual(SignalName.number("KILL"), SIGKILL)
    XCTAssertEqual(SignalName.number("SIGKILL"), SIGKILL)
    XCTAssertEqual(SignalName.number("kill"), SIGKILL)
    XCTAssertEqual(SignalName.number("sigterm"), SIGTERM)
    XCTAssertEqual(SignalName.number("9"), 9)
    XCTAssertEqual(SignalName.number("IOT"), SIGABRT)
  }

  func testNameIsPrefixedUppercase() {
    XCTAssertEqual(SignalName.name(SIGKILL), "SIGKILL")
    XCTAssertEqual(SignalName.name(SIGWINCH), "SIGWINCH")
  }

  func testEveryNameRoundTrips() {
    XCTAssertEqual(SignalName.all.count, 30)
    XCTAssertEqual(SignalName.all.first, "SIGHUP")
    for name in SignalName.all {
      let number = SignalName.number(name)
      XCTAssertNotNil(number, name)
      XCTAssertEqual(number.map(SignalName.name), name)
    }
  }

  func testRealTimeSignalsRoundTripByNumber() {
    XCTAssertEqual(SignalName.name(40), "SIG40")
    XCTAssertEqual(SignalName.number("SIG40"), 40)
  }

  func testRejectsUnknownNamesAndNumbersOutOfRange() {
    for bad in ["", "SIG", "KILLL", "SIGFOO", "0", "-9", "65", "1000", " 9", "9x"] {
      XCTAssertNil(SignalName.number(bad), "\"\(bad)\"")
    }
  }
}
