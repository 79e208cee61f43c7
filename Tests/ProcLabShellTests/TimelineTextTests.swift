// The terminal drawing of a fixed timeline: which column shows which state, the marks of
// exits and signals, the axis, the legend, and no escape codes when colour is off.
import ProcLabEngine
import XCTest

@testable import ProcLabShell

final class TimelineTextTests: XCTestCase {
  /// Ten seconds, two lanes: `a` goes through every state of a spawned process and exits at
  /// 8 s; `b` is a pool worker, idle all along, that gets a signal at 4 s.
  static let sample = Timeline(
    start: 100, end: 110,
    lanes: [
      TimelineLane(
        name: "a", pid: 10,
        segments: [
          TimelineSegment(state: .running, start: 100, end: 102, label: "running f()"),
          TimelineSegment(state: .sleeping, start: 102, end: 105, label: "sleeping"),
          TimelineSegment(state: .blocked, start: 105, end: 107, label: "blocked on get q"),
          TimelineSegment(state: .suspended, start: 107, end: 108, label: "suspended"),
          TimelineSegment(state: .zombie, start: 108, end: 110, label: "exited 0, not yet reaped"),
        ],
        marks: [TimelineMark(.exit, time: 108, label: "exited 0")]),
      TimelineLane(
        name: "b", pid: 11,
        segments: [
          TimelineSegment(state: .idle, start: 100, end: 110, label: "waiting for a task")
        ],
        marks: [TimelineMark(.signal, time: 104, label: "SIGUSR1")]),
    ])

  /// Width 26 leaves 20 lane columns beside "a 10 ": half a second each.
  private func lines(_ timeline: Timeline = sample, width: Int = 26, color: Bool = false)
    -> [String]
  {
    TimelineText.render(timeline, title: "t", width: width, color: color)
      .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }

  func testEachStateFillsTheColumnsOfItsTimeAndExitsAndSignalsMarkTheirMoment() {
    let text = lines()
    XCTAssertEqual(text[0], "t")
    XCTAssertEqual(text[1], "a 10 ████~~~~~~----‖‖|zzz")
    XCTAssertEqual(text[2], "b 11 ........x...........")
  }

  func testAColumnShowsTheStateThatCoversMostOfItAndStaysBlankWhenMostlyEmpty() {
    // Columns of one second: [0,1) is 0.3 s running and 0.5 s sleeping; [1,2) holds only
    // 0.3 s of sleep, less than half; [5,6) holds a 0.2 s run, the lane's only one.
    let timeline = Timeline(
      start: 0, end: 20,
      lanes: [
        TimelineLane(
          name: "p", pid: 7,
          segments: [
            TimelineSegment(state: .running, start: 0.2, end: 0.5, label: "r"),
            TimelineSegment(state: .sleeping, start: 0.5, end: 1.3, label: "s"),
          ], marks: []),
        TimelineLane(
          name: "q", pid: 8,
          segments: [TimelineSegment(state: .running, start: 5.4, end: 5.6, label: "r")], marks: []),
      ])
    let text = lines(timeline, width: 25)
    XCTAssertEqual(text[1], "p 7 ~" + String(repeating: " ", count: 19))
    XCTAssertEqual(text[2], "q 8      █" + String(repeating: " ", count: 14))
  }

  func testTheAxisHasTicksAtRoundStepsWithSecondsFromTheStart() {
    // 100 columns over 10 s: a tick every 2 s, 20 columns apart, under the lanes.
    let text = lines(width: 106)
    let axis = text[3]
    let labels = text[4]
    XCTAssertTrue(axis.hasPrefix("     ┬───"), axis)
    let ticks = axis.enumerated().filter { $0.element == "┬" }.map { $0.offset - 5 }
    XCTAssertEqual(ticks, [0, 20, 40, 60, 80, 99])
    XCTAssertEqual(
      labels,
      "     0s" + String(repeating: " ", count: 18) + "2s" + String(repeating: " ", count: 18)
        + "4s"
        + String(repeating: " ", count: 18) + "6s" + String(repeating: " ", count: 18) + "8s"
        + String(repeating: " ", count: 15) + "10s")
  }

  func testTheLegendNamesEveryMarkAndWrapsToTheWidth() {
    let legend = TimelineText.legend(width: 100, colored: false)
    XCTAssertEqual(
      legend,
      "█ running  ░ ready  ~ sleeping  - blocked  . idle  ‖ suspended  z zombie  | exit  x signal sent\n")
    let narrow = TimelineText.legend(width: 40, colored: false).split(separator: "\n")
    XCTAssertGreaterThan(narrow.count, 2)
    XCTAssertTrue(narrow.allSatisfy { $0.count <= 40 }, "\(narrow)")
  }

  func testAHeldLockMarksItsColumnsOverRunningAndSleepingButAWaitShowsThrough() {
    // a holds Lock-1 from 1 s to 6 s: over running, sleeping and into its wait (5-7 s).
    var timeline = TimelineTextTests.sample
    timeline.lanes[0].holds = [TimelineHold(start: 101, end: 106, lock: "Lock-1"), TimelineHold(start: 101.5, end: 103, lock: "Lock-2")]
    let text = lines(timeline)
    XCTAssertEqual(text[1], "a 10 ██########----‖‖|zzz")
    XCTAssertEqual(text[2], "b 11 ........x...........")
    XCTAssertTrue(text.contains("# holding a lock (seen every 20 ms)"), text.joined(separator: "\n"))
    XCTAssertEqual(
      TimelineText.legend(width: 200, colored: false, holds: true),
      "█ running  ░ ready  ~ sleeping  - blocked  . idle  ‖ suspended  z zombie  # holding a lock (seen every 20 ms)  | exit  x signal sent\n")
    XCTAssertFalse(lines().joined().contains("holding"), "no lane holds a lock: the legend leaves it out")
    let colored = TimelineText.cells(of: timeline.lanes[0], in: timeline, columns: 20)
    XCTAssertEqual(colored[4], TimelineText.Cell(mark: "#", color: TimelineText.holdColor))
  }

  func testEndingsListWhoEndedOrGotASignalAndWhen() {
    let text = lines(width: 106)
    XCTAssertEqual(
      Array(text[6...]), ["  at 4.000s  b 11  got SIGUSR1", "  at 8.000s  a 10  exited 0", ""])
  }

  func testWithoutColourThereAreNoEscapeCodesAndWithColourEachStateHasItsOwn() {
    let plain = TimelineText.render(Self.sample, title: "t", width: 80, color: false)
    XCTAssertFalse(plain.contains("\u{1B}"))
    let colored = TimelineText.render(Self.sample, title: "t", width: 80, color: true)
    for code in ["32", "36", "33", "90", "35", "31"] {
      XCTAssertTrue(colored.contains("\u{1B}[\(code)m"), "no colour \(code)")
    }
    // Colour is added around the marks, never instead of them.
    XCTAssertEqual(strippingEscapes(colored), plain)
  }

  /// Two pool workers over ten seconds: w1 runs run(1) then run(6), w2 runs run(2) and waits.
  static let rounds = Timeline(
    start: 0, end: 10,
    lanes: [
      TimelineLane(
        name: "w1", pid: 1,
        segments: [
          TimelineSegment(state: .sleeping, start: 0, end: 8, label: "sleeping"),
          TimelineSegment(state: .idle, start: 8, end: 10, label: "waiting for a task"),
        ], marks: [],
        tasks: [TimelineTask(start: 0, end: 4, label: "run(1)"), TimelineTask(start: 4, end: 8, label: "run(6)")]),
      TimelineLane(
        name: "w2", pid: 2,
        segments: [
          TimelineSegment(state: .sleeping, start: 0, end: 4, label: "sleeping"),
          TimelineSegment(state: .idle, start: 4, end: 10, label: "waiting for a task"),
        ], marks: [],
        tasks: [TimelineTask(start: 0, end: 4, label: "run(2)")]),
    ])

  func testEachTaskIsTaggedWhereItBeganInTheOrderTasksBeganAndTheLegendSaysWhatItRan() {
    let text = lines(Self.rounds)
    XCTAssertEqual(text[1], "w1 1 1~~~~~~~3~~~~~~~....")
    XCTAssertEqual(text[2], "w2 2 2~~~~~~~............")
    // The legend under the marks' legend, wrapped to the width under its heading.
    let legend = Array(text.drop { !$0.hasPrefix("tasks:") })
    XCTAssertEqual(legend, ["tasks:  1 run(1)  2 run(2)", "        3 run(6)", ""], text.joined(separator: "\n"))
    // In colour the tag is bold over its state's colour, and the picture is otherwise the same.
    let colored = TimelineText.render(Self.rounds, title: "t", width: 26, color: true)
    XCTAssertTrue(colored.contains("\u{1B}[1;36m1\u{1B}[0m"), colored)
    XCTAssertEqual(strippingEscapes(colored), lines(Self.rounds).joined(separator: "\n"))
  }

  func testAPoolOfFiveWithItsTasksFitsEightyColumns() {
    // E13 as a pool draws it: five workers with long names and PIDs, six tasks in two rounds.
    var lanes = [TimelineLane(name: "MainProcess", pid: 123_456, segments: [TimelineSegment(state: .blocked, start: 0, end: 0.6, label: "b")], marks: [])]
    for worker in 1...5 {
      var tasks = [TimelineTask(start: 0, end: 0.3, label: "run(\(worker))")]
      if worker == 1 { tasks.append(TimelineTask(start: 0.3, end: 0.6, label: "run(6)")) }
      lanes.append(
        TimelineLane(
          name: "ForkPoolWorker-\(worker)", pid: Int32(123_456 + worker),
          segments: [TimelineSegment(state: .sleeping, start: 0, end: tasks.last!.end, label: "sleeping")], marks: [],
          tasks: tasks))
    }
    let text = lines(Timeline(start: 0, end: 0.6, lanes: lanes), width: 80)
    XCTAssertTrue(text.allSatisfy { $0.count <= 80 }, text.joined(separator: "\n"))
    XCTAssertTrue(text[2].hasPrefix("ForkPoolWorker-1 123457 1~~~"), text[2])
    XCTAssertEqual(text[2].filter { $0 == "6" }.count, 1, text[2])
    XCTAssertTrue(text.contains { $0.hasPrefix("tasks:  1 run(1)  2 run(2)") }, text.joined(separator: "\n"))
  }

  func testTasksShorterThanAColumnGetNoTagAndTheLegendCountsThem() {
    // Ten tasks of 0.1 s (a fifth of a column each), then one of 3 s.
    var tasks = (0..<10).map { TimelineTask(start: Double($0) * 0.1, end: Double($0 + 1) * 0.1, label: "sq(\($0))") }
    tasks.append(TimelineTask(start: 5, end: 8, label: "nap(3)"))
    let timeline = Timeline(
      start: 0, end: 10,
      lanes: [
        TimelineLane(
          name: "w1", pid: 1, segments: [TimelineSegment(state: .running, start: 0, end: 10, label: "r")], marks: [],
          tasks: tasks)
      ])
    let text = lines(timeline)
    XCTAssertEqual(text[1], "w1 1 ██████████1█████████")
    XCTAssertEqual(
      TimelineTaskTags(timeline, columns: 20).legend(width: 80, colored: false),
      "tasks:  1 nap(3)  (10 more, too short or too many to tag)\n")
  }

  func testTagsNeverLookLikeAMarkRunOutAfterTheAlphabetAndTheLegendFitsEightyColumns() {
    XCTAssertEqual(Set(TimelineTaskTags.alphabet).count, TimelineTaskTags.alphabet.count)
    for mark in ["█", "~", "-", ".", "‖", "z", "|", "x", " "] {
      XCTAssertFalse(TimelineTaskTags.alphabet.contains(Character(mark)), mark)
    }
    let count = TimelineTaskTags.alphabet.count + 5
    let tasks = (0..<count).map {
      TimelineTask(start: Double($0), end: Double($0 + 1), label: "fetch(\"https://example.org/page/\($0)\")")
    }
    let timeline = Timeline(
      start: 0, end: Double(count),
      lanes: [TimelineLane(name: "w", pid: 1, segments: [], marks: [], tasks: tasks)])
    let tags = TimelineTaskTags(timeline, columns: 3 * count)
    XCTAssertEqual(tags.tags.map(\.mark), TimelineTaskTags.alphabet)
    XCTAssertEqual(tags.tags.map(\.column), (0..<TimelineTaskTags.alphabet.count).map { 3 * $0 })
    XCTAssertEqual(tags.untagged, 5)
    let legend = tags.legend(width: 80, colored: false).split(separator: "\n")
    XCTAssertTrue(legend.allSatisfy { $0.count <= 80 }, legend.joined(separator: "\n"))
    // A long label is cut, not wrapped.
    XCTAssertTrue(legend[0].hasPrefix("tasks:  1 fetch(\"https://example.org/page…  2 "), String(legend[0]))
    XCTAssertTrue(legend.last!.hasSuffix("(5 more, too short or too many to tag)"))
  }

  func testAnEmptyWindowSaysSo() {
    let text = TimelineText.render(
      Timeline(start: 0, end: 1, lanes: []), title: "t", width: 80, color: false)
    XCTAssertEqual(text, "t\nnothing happened in this window\n")
  }

  func testTickStepsAreOneTwoOrFiveTimesAPowerOfTen() {
    XCTAssertEqual(TimelineAxis.step(span: 0.6, maxTicks: 10), 0.1, accuracy: 1e-12)
    XCTAssertEqual(TimelineAxis.step(span: 0.3, maxTicks: 10), 0.05, accuracy: 1e-12)
    XCTAssertEqual(TimelineAxis.step(span: 10, maxTicks: 5), 2, accuracy: 1e-12)
    XCTAssertEqual(TimelineAxis.step(span: 45, maxTicks: 8), 10, accuracy: 1e-12)
    XCTAssertEqual(TimelineAxis.label(0.25, step: 0.05), "0.25s")
    XCTAssertEqual(TimelineAxis.label(4, step: 2), "4s")
    XCTAssertEqual(TimelineAxis.decimal(-0.0004, digits: 3), "0.000")
    XCTAssertEqual(TimelineAxis.decimal(2.5, digits: 0), "3")
    XCTAssertEqual(TimelineAxis.duration(125), "2m05s")
  }

  private func strippingEscapes(_ text: String) -> String {
    var result = ""
    var inEscape = false
    for character in text {
      if character == "\u{1B}" {
        inEscape = true
      } else if inEscape {
        if character == "m" { inEscape = false }
      } else {
        result.append(character)
      }
    }
    return result
  }
}
