// Checks when a command word is a name: bound by the user (a parameter, a local, a global,
// an earlier assignment in the text) or used as an operand; otherwise it starts a command.
import ProcLabScript
import XCTest

final class CommandWordTests: XCTestCase {
  private var fixture: ScriptFixture!

  override func setUp() {
    fixture = ScriptFixture()
  }

  private var recorded: [FakeHost.Recorded] { fixture.host.recorded }

  func testParametersNamedLikeCommandsAreValues() throws {
    try fixture.run("def f(wait, get) { return wait + get }; expect f(1, 2) == 3")
    try fixture.run("def g(map) { wait = map * 2; return wait }; expect g(4) == 8")
    XCTAssertEqual(recorded, [])
  }

  func testAGlobalTheSessionHasIsAValueInLaterEntries() throws {
    try fixture.run("wait = 5")
    try fixture.run("x = wait\ny = [wait]\nz = str(wait)")
    XCTAssertEqual(fixture.global("x"), .int(5))
    XCTAssertEqual(fixture.global("y"), .list([.int(5)]))
    XCTAssertEqual(recorded, [])
  }

  func testANameAssignedEarlierInTheTextIsAValue() throws {
    try fixture.run("get = 2\ndef h() { return get }\nexpect h() == 2\nexpect get == 2")
    XCTAssertEqual(recorded, [])
  }

  func testAnOperandPositionMakesAnyCommandWordAName() throws {
    try fixture.run("def f() { return wait + 1 }\nwait = 1\nexpect f() == 2")
    try fixture.run("def g() { return max(1, map) }\nmap = 7\nexpect g() == 7")
    XCTAssertEqual(recorded, [])
  }

  func testAnUnboundCommandWordWithArgumentsIsStillACommand() throws {
    try fixture.run("wait r timeout=1\njoin all\nmap sq range(3)")
    XCTAssertEqual(recorded.map(\.word), ["wait", "join", "map"])
    XCTAssertEqual(recorded[0].options, [nil, "timeout"])
  }

  func testACommandAloneInParenthesesIsStillACommand() throws {
    try fixture.run("x = (get)")
    XCTAssertEqual(recorded.map(\.word), ["get"])
  }

  func testANameBoundAfterwardsDoesNotChangeEarlierCommands() throws {
    try fixture.run("join p\njoin = 1")
    XCTAssertEqual(recorded.map(\.word), ["join"])
  }
}
