// Scheduling in the engine without forking: the options' checks, the schedstat reader on this
// process, and lanes that split running into running and ready from the sampler's events.
import Glibc
import XCTest

@testable import ProcLabEngine
@testable import ProcLabScript

final class SchedulingEngineTests: XCTestCase {
  private func event(_ time: Double, _ kind: ProcessEvent.Kind) -> ProcessEvent {
    ProcessEvent(time: time, pid: 7, name: "rr1", isPoolWorker: false, kind: kind)
  }

  private func counters(_ onCPU: Double, _ waited: Double, _ slices: Int) -> SchedulingCounters {
    SchedulingCounters(time: 0, onCPU: onCPU, waited: waited, slices: slices)
  }

  func testReadyStretchesCutARunningLaneAndTheLaneKeepsTheLatestCounters() {
    let timeline = Timeline.build(
      from: [
        event(1, .started("work(9)")),
        event(1.5, .scheduling(ready: true, counters(0.5, 0, 3))),
        event(2, .scheduling(ready: false, counters(0.5, 0.5, 4))),
        event(2.5, .activity(.sleeping, "sleeping")),
        event(3, .exited("exited 0")),
        event(3, .scheduling(ready: false, counters(1, 0.5, 5))),
      ], start: 0, end: 4)
    let lane = timeline.lanes[0]
    XCTAssertEqual(
      lane.segments.map { "\($0.state.rawValue) \($0.start)-\($0.end)" },
      ["running 1.0-1.5", "ready 1.5-2.0", "running 2.0-2.5", "sleeping 2.5-3.0", "zombie 3.0-4.0"])
    XCTAssertEqual(lane.segments[1].label, "ready: waiting for a CPU")
    XCTAssertEqual(lane.scheduling, counters(1, 0.5, 5))
  }

  /// A process that says it sleeps is blocked, not ready, whatever the last reading said.
  func testAWaitForACPUOnlyColoursRunning() {
    let timeline = Timeline.build(
      from: [
        event(0, .started("f()")), event(1, .activity(.blocked, "blocked on get q")),
        event(1.5, .scheduling(ready: true, counters(0, 0, 1))), event(3, .activity(.running, "running f()")),
      ], start: 0, end: 4)
    XCTAssertEqual(timeline.lanes[0].segments.map(\.state), [.running, .blocked, .ready])
  }

  func testThisProcessesSchedstatCountsTimeOnACPUAndTurns() throws {
    let before = try XCTUnwrap(ProcFS.schedulingCounters(pid: getpid()))
    // Spin until the kernel has counted 20 ms more on a CPU (a loaded machine takes longer).
    var after = before
    while after.onCPU - before.onCPU < 0.02 && after.time - before.time < 5 {
      after = try XCTUnwrap(ProcFS.schedulingCounters(pid: getpid()))
    }
    XCTAssertGreaterThanOrEqual(after.onCPU - before.onCPU, 0.02)
    XCTAssertLessThanOrEqual(after.onCPU - before.onCPU, after.time - before.time + 0.01)
    XCTAssertGreaterThanOrEqual(after.slices, before.slices)
    XCTAssertGreaterThanOrEqual(after.waited, before.waited)
    XCTAssertNil(ProcFS.schedulingCounters(pid: Int32.max))
  }

  func testStatGivesNiceAndPolicyAndTheAffinityMaskMatchesStatus() throws {
    let me = try XCTUnwrap(ProcFS.info(pid: getpid()))
    XCTAssertEqual(me.nice, Int(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)))
    XCTAssertEqual(me.policy, Int(SCHED_OTHER))
    let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
    let line = try XCTUnwrap(status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") })
    var listed: [Int] = []
    for part in line.split(separator: "\t").last!.split(separator: ",") {
      let ends = part.split(separator: "-").compactMap { Int($0) }
      listed += Array(ends[0]...(ends.last!))
    }
    XCTAssertEqual(Scheduling.allowedCPUs(), listed)
  }

  func testEveryOptionNumberIsCheckedWithAMessageThatNamesIt() {
    func message(_ make: () throws(ScriptError) -> SchedulingOptions) -> String {
      do {
        _ = try make()
        return "accepted"
      } catch {
        return "\(error.kind): \(error.message)"
      }
    }
    XCTAssertEqual(message { () throws(ScriptError) in try SchedulingOptions(nice: 20, cpus: nil, policy: nil, priority: nil) },
      "ValueError: nice must be between -20 (most CPU) and 19 (least), got 20")
    XCTAssertTrue(message { () throws(ScriptError) in try SchedulingOptions(nice: nil, cpus: nil, policy: .other, priority: 3) }
      .hasPrefix("ValueError: priority=3 needs a real-time policy"))
    XCTAssertEqual(message { () throws(ScriptError) in try SchedulingOptions(nice: nil, cpus: nil, policy: .rr, priority: 0) },
      "ValueError: priority must be between 1 and 99 for policy=\"rr\", got 0")
    XCTAssertTrue(message { () throws(ScriptError) in try SchedulingOptions(nice: nil, cpus: [-1], policy: nil, priority: nil) }
      .hasPrefix("ValueError: CPU -1 is not one this session may run on"))
    XCTAssertTrue(message { () throws(ScriptError) in try SchedulingOptions(nice: nil, cpus: [4096], policy: nil, priority: nil) }
      .hasPrefix("ValueError: CPU 4096 is not one"))
    XCTAssertEqual(message { () throws(ScriptError) in try SchedulingOptions(nice: nil, cpus: nil, policy: .fifo, priority: nil) }, "accepted")
    XCTAssertEqual(try? SchedulingOptions(nice: nil, cpus: nil, policy: .fifo, priority: nil).priority, 1)
  }

  func testARefusalSaysWhatIsMissingAndHowToGetIt() {
    let nice = Scheduling.refused(.init(step: .nice, code: EACCES), "nice=-5", of: "w")
    XCTAssertEqual(nice.kind, .permissionError)
    XCTAssertTrue(nice.message.contains("CAP_SYS_NICE") && nice.message.contains("ulimit -e"), nice.message)
    let policy = Scheduling.refused(.init(step: .policy, code: EPERM), "policy=\"rr\" priority=1", of: "w")
    XCTAssertEqual(policy.kind, .permissionError)
    XCTAssertTrue(policy.message.contains("ulimit -r") && policy.message.contains("cpu.rt_runtime_us"), policy.message)
    XCTAssertEqual(Scheduling.refused(.init(step: .policy, code: EINVAL), "policy=\"rr\"", of: "w").kind, .osError)
  }
}
