// Checks that huge and extreme values raise OverflowError, ValueError or MemoryError instead
// of trapping or aborting, that ranges answer len, sum, min, max and `in` without a list, and
// that a list grows in amortised O(1) when a loop collects items.
import ProcLabScript
import XCTest

final class ValueLimitTests: XCTestCase {
  private var fixture: ScriptFixture!
  private static let max = "9223372036854775807"
  private static let min = "(-9223372036854775807 - 1)"

  override func setUp() {
    fixture = ScriptFixture()
  }

  private func kind(_ code: String, file: StaticString = #filePath, line: UInt = #line) -> ErrorKind? {
    fixture.error(code, file: file, line: line)?.kind
  }

  func testRangesOfEveryIntAnswerLengthIndexAndMembershipExactly() {
    let (max, min) = (Self.max, Self.min)
    XCTAssertEqual(fixture.ran("len(range(\(max)))"), .int(Int.max))
    XCTAssertEqual(fixture.ran("range(\(min), \(max))[-1]"), .int(Int.max - 1))
    XCTAssertEqual(fixture.ran("range(\(min), \(max))[\(max)]"), .int(-1))
    XCTAssertEqual(fixture.ran("range(\(max), \(min), -7)[1]"), .int(Int.max - 7))
    XCTAssertEqual(fixture.ran("\(max) - 1 in range(\(min), \(max))"), .bool(true))
    XCTAssertEqual(fixture.ran("\(max) in range(\(min), \(max))"), .bool(false))
    XCTAssertEqual(fixture.ran("\(min) in range(\(max), \(min), -1)"), .bool(false))
    XCTAssertEqual(fixture.ran("10**18 in range(0, \(max), 2)"), .bool(true))
    XCTAssertEqual(fixture.ran("range(10**18) == range(10**18)"), .bool(true))
    XCTAssertEqual(fixture.ran("range(0, 3, 5) == range(0, 1)"), .bool(true))
    XCTAssertEqual(kind("len(range(\(min), \(max)))"), .overflowError)
    XCTAssertEqual(kind("range(\(min), \(max))[::2]"), .overflowError)
    XCTAssertEqual(fixture.repr("r = []; for i in range(\(max) - 2, \(max), 5) { r.append(i) }; r"), "[\(Int.max - 2)]")
  }

  func testSumMinAndMaxOfARangeNeedNoList() {
    XCTAssertEqual(fixture.ran("sum(range(10**9))"), .int(499_999_999_500_000_000))
    XCTAssertEqual(fixture.ran("sum(range(10, -11, -3))"), .int(10 + 7 + 4 + 1 - 2 - 5 - 8))
    XCTAssertEqual(fixture.ran("min(range(10**18))"), .int(0))
    XCTAssertEqual(fixture.ran("max(range(10**18))"), .int(999_999_999_999_999_999))
    XCTAssertEqual(fixture.ran("max(range(10, -10**18, -3))"), .int(10))
    XCTAssertEqual(fixture.ran("min(range(10, -10**18, -3))"), .int(10 - 3 * 333_333_333_333_333_336))
    XCTAssertEqual(kind("sum(range(10**15))"), .overflowError)
    XCTAssertEqual(kind("max(range(0))"), .valueError)
  }

  func testRoundOfInfinityNanAndHugeValuesRaisesAndAnyDigitsWork() {
    XCTAssertEqual(kind(#"round(float("inf"))"#), .overflowError)
    XCTAssertEqual(kind(#"round(float("nan"))"#), .valueError)
    XCTAssertEqual(kind("round(1e300)"), .overflowError)
    XCTAssertEqual(kind(#"int(float("-inf"))"#), .overflowError)
    XCTAssertEqual(kind(#"int("99999999999999999999999")"#), .overflowError)
    XCTAssertEqual(fixture.ran("round(1.5, \(Self.max))"), .float(1.5))
    XCTAssertEqual(fixture.ran("round(1.5, \(Self.min))"), .float(0))
    XCTAssertEqual(fixture.ran("round(1234.5678, -2)"), .float(1200))
    XCTAssertEqual(fixture.ran("round(1255, -1)"), .int(1260))
    XCTAssertEqual(fixture.ran("round(2**62 + 1)"), .int((1 << 62) + 1))
  }

  func testPowersTakeLogarithmicStepsAndOverflowCleanly() {
    XCTAssertEqual(fixture.ran("1 ** (2**62)"), .int(1))
    XCTAssertEqual(fixture.ran("(-1) ** (2**62 + 1)"), .int(-1))
    XCTAssertEqual(fixture.ran("3 ** 39"), .int(4_052_555_153_018_976_267))
    XCTAssertEqual(kind("2 ** 63"), .overflowError)
    XCTAssertEqual(kind("0 ** -1"), .zeroDivisionError)
  }

  func testRepetitionPastAnIntOverflowsAndPastTheBudgetIsAMemoryError() {
    XCTAssertEqual(kind(#""abc" * \#(Self.max)"#), .overflowError)
    XCTAssertEqual(kind("[0] * 4611686018427387904"), .memoryError)
    XCTAssertEqual(kind("(1, 2) * 10**15"), .memoryError)
    let error = fixture.error(#""x" * 10**11"#)
    XCTAssertEqual(error?.kind, .memoryError)
    XCTAssertTrue(error?.message.hasPrefix("cannot make a string of 100000000000 characters (about 93 GiB)") ?? false, error?.message ?? "")
    XCTAssertEqual(kind("list(range(10**10))"), .memoryError)
    XCTAssertEqual(kind("sorted(range(10**12))"), .memoryError)
    XCTAssertEqual(kind("tuple(range(10**12))"), .memoryError)
    XCTAssertEqual(kind("xs = []; xs.extend(range(10**12))"), .memoryError)
    XCTAssertEqual(kind("a, b = range(10**12)"), .valueError)
  }

  func testTheBudgetIsSettableAndDoublingAListStopsAtIt() {
    let saved = MemoryBudget.bytes
    defer { MemoryBudget.bytes = saved }
    MemoryBudget.bytes = 1 << 20
    XCTAssertEqual(kind("xs = [0]; while true { xs = xs + xs }"), .memoryError)
    XCTAssertEqual(kind("s = \"ab\"; while true { s += s }"), .memoryError)
    XCTAssertEqual(kind("xs = []; while true { xs.append(1) }"), .memoryError)
    XCTAssertEqual(kind("[0 for i in range(10**6)]"), .memoryError)
    XCTAssertEqual(MemoryBudget.parseSize("512M"), 512 << 20)
    XCTAssertEqual(MemoryBudget.parseSize("4G"), 4 << 30)
    XCTAssertEqual(MemoryBudget.parseSize("1.5GiB"), 3 << 29)
    XCTAssertEqual(MemoryBudget.parseSize("1000"), 1000)
    XCTAssertNil(MemoryBudget.parseSize("lots"))
    XCTAssertNil(MemoryBudget.parseSize("-1G"))
  }

  func testBuildingAListFromAHugeRangeChecksForCtrlC() {
    let saved = MemoryBudget.bytes
    defer { MemoryBudget.bytes = saved }
    MemoryBudget.bytes = Int.max
    fixture.host.interruptAfterChecks = 10
    XCTAssertEqual(kind("list(range(10**7))"), .keyboardInterrupt)
  }

  func testInPlaceChangesKeepListsValues() {
    XCTAssertEqual(fixture.repr("xs = [1]; ys = xs; ys.append(2); ys += [3]; ys[0] = 9; [xs, ys]"), "[[1], [9, 2, 3]]")
    XCTAssertEqual(fixture.repr("def f() { xs = [1]; ys = xs; xs.append(2); xs[0] = 5; return [xs, ys] }; f()"), "[[5, 2], [1]]")
    XCTAssertEqual(fixture.repr("xs = [1, 2]; xs.append(len(xs)); xs"), "[1, 2, 2]")
    XCTAssertEqual(fixture.repr("xs = [1]; xs.extend(xs); xs"), "[1, 1]")
    XCTAssertEqual(fixture.repr("xs = []; try { xs.pop() } catch e { }; xs.append(1); xs"), "[1]")
    XCTAssertEqual(fixture.repr("d = {}; e = d; d[\"a\"] = 1; [d, e]"), #"[{"a": 1}, {}]"#)
    XCTAssertEqual(fixture.repr("s = \"a\"; t = s; s += 1; [s, t]"), #"["a1", "a"]"#)
  }

  /// 200,000 appends of each kind: quadratic copying would take minutes even in release.
  func testCollectingItemsIsAmortisedConstantTimePerItem() throws {
    let code = """
      def collect(n) {
        xs = []
        for i in range(n) { xs.append(i) }
        ys = []
        for i in range(n) { ys += [i] }
        zs = [0] * n
        for i in range(n) { zs[i] = i }
        return len(xs) + len(ys) + len(zs)
      }
      gs = []
      for i in range(200000) { gs.append(i) }
      collect(200000) + len(gs)
      """
    let start = ContinuousClock.now
    XCTAssertEqual(fixture.ran(code), .int(800_000))
    let took = ContinuousClock.now - start
    XCTAssertLessThan(took, .seconds(20), "800,000 list changes took \(took)")
  }
}
