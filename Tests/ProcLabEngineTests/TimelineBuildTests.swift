// Lanes built from a fixed event log: a process's states in order, a zombie from its exit to
// its reap, marks for signals and exits, a pool worker idle between tasks, and a wait that is
// reported again with the start of its first report.
import XCTest

@testable import ProcLabEngine

final class TimelineBuildTests: XCTestCase {
  private func event(
    _ time: Double, _ kind: ProcessEvent.Kind, pid: Int32 = 5, worker: Bool = false
  ) -> ProcessEvent {
    ProcessEvent(
      time: time, pid: pid, name: worker ? "ForkPoolWorker-1" : "Process-1", isPoolWorker: worker,
      kind: kind)
  }

  private func states(_ lane: TimelineLane) -> [String] {
    lane.segments.map { "\($0.state.rawValue) \($0.start)-\($0.end)" }
  }

  func testAProcessRunsSleepsAndIsAZombieFromItsExitUntilItIsReaped() {
    let timeline = Timeline.build(
      from: [
        event(1, .started("nap(1)")),
        event(1.5, .activity(.sleeping, "sleeping")),
        event(2, .signalled("SIGUSR1")),
        event(2.5, .activity(.running, "running nap(1)")),
        event(3, .exited("exited 0")),
        event(4, .reaped),
      ], start: 0, end: 5)
    let lane = timeline.lanes[0]
    XCTAssertEqual(
      states(lane), ["running 1.0-1.5", "sleeping 1.5-2.5", "running 2.5-3.0", "zombie 3.0-4.0"])
    XCTAssertEqual(lane.segments.last?.label, "exited 0, not yet reaped")
    XCTAssertEqual(
      lane.marks,
      [
        TimelineMark(.signal, time: 2, label: "SIGUSR1"),
        TimelineMark(.exit, time: 3, label: "exited 0"),
      ])
  }

  func testAPoolWorkerIsIdleBetweenTasksAndSleepsInsideOne() {
    let timeline = Timeline.build(
      from: [
        event(1, .started("pool worker"), worker: true),
        event(2.1, .activity(.sleeping, "sleeping"), worker: true),
        event(2.4, .activity(.running, "running pool start 2"), worker: true),
        event(2.5, .ranTasks(since: 2, "nap(0.3)"), worker: true),
      ], start: 0, end: 3)
    XCTAssertEqual(
      states(timeline.lanes[0]),
      ["idle 1.0-2.0", "running 2.0-2.1", "sleeping 2.1-2.4", "running 2.4-2.5", "idle 2.5-3.0"])
    XCTAssertEqual(timeline.lanes[0].segments[3].label, "running nap(0.3)")
  }

  func testAPoolWorkersTasksAreKeptInTheOrderItRanThemClippedToTheWindow() {
    // Three tasks back to back; the window cuts the first and leaves the fourth out.
    let timeline = Timeline.build(
      from: [
        event(0, .started("pool worker"), worker: true),
        event(1, .ranTasks(since: 0.5, "run(1)"), worker: true),
        event(1.5, .ranTasks(since: 1, "run(6)"), worker: true),
        event(2, .ranTasks(since: 1.5, "sq(1) and 255 more"), worker: true),
        event(3.5, .ranTasks(since: 3, "run(9)"), worker: true),
      ], start: 0.8, end: 3)
    XCTAssertEqual(
      timeline.lanes[0].tasks,
      [
        TimelineTask(start: 0.8, end: 1, label: "run(1)"),
        TimelineTask(start: 1, end: 1.5, label: "run(6)"),
        TimelineTask(start: 1.5, end: 2, label: "sq(1) and 255 more"),
      ])
    let spawned = Timeline.build(from: [event(0, .started("f()")), event(1, .exited("exited 0"))], start: 0, end: 2)
    XCTAssertEqual(spawned.lanes[0].tasks, [])
  }

  func testLockHoldsSeenAcrossLooksAreKeptAndOneSeenOnceOrPastTheExitIsNot() {
    let timeline = Timeline.build(
      from: [
        event(1, .started("hold()")),
        event(1.2, .holding("Lock-1")),
        event(1.5, .holding("Lock-2")),
        event(1.6, .activity(.blocked, "blocked on lock Lock-3 held by Process-2 (pid 6)")),
        // Lock-2 was seen by one look only: no stretch to draw.
        event(1.5, .released("Lock-2")),
        event(2.5, .released("Lock-1")),
        event(3, .holding("Lock-3")),
        // It ended holding Lock-3: the hold ends with it (the session releases the lock then).
        event(3.4, .exited("killed by SIGKILL")),
        event(3.5, .released("Lock-3")),
        event(3.8, .started("other()"), pid: 6),
        event(4, .holding("Lock-4"), pid: 6),
      ], start: 0, end: 5)
    XCTAssertEqual(
      timeline.lanes[0].holds, [TimelineHold(start: 1.2, end: 2.5, lock: "Lock-1"), TimelineHold(start: 3, end: 3.4, lock: "Lock-3")])
    // Still held when the window ends: drawn to its end.
    XCTAssertEqual(timeline.lanes.count, 2)
    XCTAssertEqual(timeline.lanes.last?.holds, [TimelineHold(start: 4, end: 5, lock: "Lock-4")])
    XCTAssertEqual(Timeline.build(from: [event(1, .started("f()")), event(1.2, .holding("Lock-1"))], start: 2, end: 3).lanes[0].holds, [
      TimelineHold(start: 2, end: 3, lock: "Lock-1")
    ])
  }

  func testARunsEventsCrossToTheSessionWholeAndABadOneIsRefused() throws {
    let sent = [
      event(1, .started("offer()"), pid: 7),
      event(1.5, .activity(.blocked, "blocked on put q"), pid: 7),
      event(2, .ranTasks(since: 1.2, "sq(1) and 255 more"), pid: 8, worker: true),
      event(2.1, .signalled("SIGTERM"), pid: 7), event(2.2, .suspended, pid: 7), event(2.3, .resumed, pid: 7),
      event(2.5, .exited("killed by SIGTERM"), pid: 7), event(3, .reaped, pid: 7),
      event(3.5, .untracked, pid: 8, worker: true),
      event(3.6, .holding("Lock-1"), pid: 8, worker: true), event(3.7, .released("Lock-1"), pid: 8, worker: true),
      event(4, .started(String(repeating: "é", count: 5000)), pid: 9),
    ]
    let frame = try ChannelMessage.events(sent).encodedFrame()
    guard case .events(let received) = try ChannelMessage.decode(frame[4...], resolve: { _ in nil }) else {
      return XCTFail("not an events message")
    }
    XCTAssertEqual(Array(received.prefix(11)), Array(sent.prefix(11)))
    // A text too long for a name is cut, not refused.
    guard case .started(let target) = received[11].kind else { return XCTFail("\(received[11])") }
    XCTAssertTrue(target.hasSuffix("…") && target.utf8.count <= WireLimits.maxNameBytes, "\(target.utf8.count)")

    // A time that is not a number, a count larger than the frame, a cut frame: refused.
    var nan = try ChannelMessage.events([event(.nan, .reaped)]).encodedFrame()[4...]
    XCTAssertThrowsError(try ChannelMessage.decode(nan, resolve: { _ in nil }))
    nan = try ChannelMessage.events([event(1, .reaped)]).encodedFrame()[4...]
    var huge = Array(nan)
    huge[1] = 0xFF
    XCTAssertThrowsError(try ChannelMessage.decode(huge[...], resolve: { _ in nil }))
    XCTAssertThrowsError(try ChannelMessage.decode(nan.dropLast(), resolve: { _ in nil }))
  }

  func testAnUntrackedProcessesLaneStopsThereWithoutAMark() {
    let timeline = Timeline.build(
      from: [
        event(1, .started("pool worker"), worker: true),
        event(2, .ranTasks(since: 1.5, "sq(1)"), worker: true),
        event(2.5, .untracked, worker: true),
      ], start: 0, end: 10)
    XCTAssertEqual(states(timeline.lanes[0]), ["idle 1.0-1.5", "running 1.5-2.0", "idle 2.0-2.5"])
    XCTAssertEqual(timeline.lanes[0].marks, [])
    XCTAssertEqual(Timeline.build(from: [event(1, .started("f()")), event(2, .untracked)], start: 3, end: 4).lanes, [])
  }

  func testTheLogGivesTheEventsRecordedSinceACount() {
    let log = EventLog()
    log.record(1, "a", .started("a()"), at: 1)
    let mark = log.recorded
    log.record(2, "b", .started("b()"), at: 2)
    log.record(2, "b", .exited("exited 0"), at: 3)
    XCTAssertEqual(log.since(mark).map(\.time), [2, 3])
    XCTAssertEqual(log.since(log.recorded), [])
  }

  func testAWaitReportedAgainWithItsFirstStartDoesNotGoBackInTime() {
    // `pool map` reports its wait every 0.1 s with the time the wait began, for ps.
    let timeline = Timeline.build(
      from: [
        event(0, .started("the session")),
        event(1, .activity(.blocked, "blocked on pool map (0/2)")),
        event(1.1, .activity(.running, "running pool map")),
        event(1, .activity(.blocked, "blocked on pool map (1/2)")),
        event(1.2, .activity(.running, "running pool map")),
      ], start: 0, end: 2)
    XCTAssertEqual(
      timeline.lanes[0].segments.map(\.label),
      [
        "running the session", "blocked on pool map (0/2)", "blocked on pool map (1/2)",
        "running pool map",
      ])
    XCTAssertEqual(
      states(timeline.lanes[0]),
      ["running 0.0-1.0", "blocked 1.0-1.1", "blocked 1.1-1.2", "running 1.2-2.0"])
  }

  func testAnEarlierActivityReportedAgainAfterAWaitDoesNotHideTheWait() {
    // A queue get puts back what the process did before, with the time it began doing it.
    let timeline = Timeline.build(
      from: [
        event(0, .started("consumer()")),
        event(0, .activity(.running, "running")),
        event(1, .activity(.blocked, "blocked on get q")),
        event(0, .activity(.running, "running")),
        event(3, .exited("exited 0")),
      ], start: 0, end: 3)
    XCTAssertEqual(states(timeline.lanes[0]), ["running 0.0-1.0", "blocked 1.0-3.0"])
  }

  func testLanesAreClippedToTheWindowAndEmptyOnesLeftOut() {
    let timeline = Timeline.build(
      from: [
        event(0, .started("a()"), pid: 1), event(1, .exited("exited 0"), pid: 1),
        event(1.5, .reaped, pid: 1),
        event(2, .started("b()"), pid: 2), event(4, .exited("exited 1"), pid: 2),
      ], start: 3, end: 5)
    XCTAssertEqual(timeline.lanes.map(\.pid), [2])
    XCTAssertEqual(states(timeline.lanes[0]), ["running 3.0-4.0", "zombie 4.0-5.0"])
  }
}
