// One row of `ps`: proclab's view of a process (what it is doing, whether it was joined)
// beside the kernel's (state letter, CPU time, memory), taken at one moment.
import Glibc

public struct ProcessSnapshot: Sendable {
  public var pid: Int32
  public var ppid: Int32
  public var name: String
  /// The five-state model's name: new, ready, running, blocked, suspended-ready,
  /// suspended-blocked, terminated (DOING says on what it is blocked, and how it ended).
  public var state: String
  /// The kernel's letter from /proc (R, S, D, T, Z), or "-" once the process is reaped.
  public var kernelState: String
  public var cpuSeconds: Double?
  public var residentBytes: Int?
  public var elapsed: Double
  public var doing: String
  /// The kernel's scheduling facts: NI, CPU (last one it ran on), READY and CSW columns.
  public var scheduling: SchedulingFacts? = nil
}

extension Engine {
  /// The session (or this child) first, then its children; joined ones only with `includeJoined`.
  public func snapshot(includeJoined: Bool) -> [ProcessSnapshot] {
    // Read what children reported since the loop last ran, so "doing" is current.
    loop.serveReady()
    let now = CPUClock.monotonicSeconds()
    let me = ProcFS.info(pid: getpid())
    var rows = [
      ProcessSnapshot(
        pid: getpid(), ppid: getppid(), name: processName, state: activity.state == .running ? "running" : "blocked",
        kernelState: me.map { String($0.state) } ?? "?",
        cpuSeconds: me.map { $0.userSeconds + $0.systemSeconds }, residentBytes: me?.residentBytes,
        elapsed: me.map { ProcFS.uptimeSeconds() - $0.startSecondsSinceBoot } ?? 0,
        doing: activity.describe(now: now), scheduling: SchedulingFacts.read(pid: getpid()))
    ]
    for record in includeJoined ? processes : unjoined {
      rows.append(snapshot(of: record, now: now))
    }
    for record in unstarted {
      rows.append(
        ProcessSnapshot(
          pid: 0, ppid: getpid(), name: record.name, state: "new", kernelState: "-", cpuSeconds: nil, residentBytes: nil,
          elapsed: now - record.startedAt, doing: "not started: \(record.target) (start() forks it)"))
    }
    for pool in pools {
      for worker in pool.workers {
        let kernel = ProcFS.info(pid: worker.pid)
        let (state, doing) = pool.describe(worker, now: now)
        rows.append(
          ProcessSnapshot(
            pid: worker.pid, ppid: kernel?.ppid ?? getpid(), name: worker.name, state: state,
            kernelState: kernel.map { String($0.state) } ?? "-",
            cpuSeconds: kernel.map { $0.userSeconds + $0.systemSeconds }, residentBytes: kernel?.residentBytes,
            elapsed: kernel.map { ProcFS.uptimeSeconds() - $0.startSecondsSinceBoot } ?? 0, doing: doing))
      }
    }
    return rows + kernelOnlyRows(below: rows)
  }

  /// The processes proclab did not start from here, as the kernel's tree shows them: the
  /// children of this process's children (and so on), and the orphans the session adopted,
  /// each with its real parent. Each comes after the rows already listed, parents first.
  func kernelOnlyRows(below listed: [ProcessSnapshot]) -> [ProcessSnapshot] {
    let me = getpid()
    var names: [Int32: String] = [:]
    for row in listed where row.pid != 0 { names[row.pid] = row.name }
    let uptime = ProcFS.uptimeSeconds()
    var rows: [ProcessSnapshot] = []
    var frontier = listed.filter { $0.pid != 0 && $0.kernelState != "-" && $0.kernelState != "Z" }.map(\.pid)
    while !frontier.isEmpty {
      var next: [Int32] = []
      for parent in frontier {
        for pid in ProcFS.children(of: parent) where names[pid] == nil {
          guard let kernel = ProcFS.info(pid: pid) else { continue }
          let adopted = kernel.ppid == me && !isChild
          let name = adopted ? "orphan" : "child of \(names[kernel.ppid] ?? String(kernel.ppid))"
          names[pid] = name
          let state: String
          switch kernel.state {
          case "Z", "X": state = "terminated"
          case "T", "t": state = "suspended"
          case "R": state = "running"
          default: state = "blocked"
          }
          rows.append(
            ProcessSnapshot(
              pid: pid, ppid: kernel.ppid, name: name, state: state, kernelState: String(kernel.state),
              cpuSeconds: kernel.userSeconds + kernel.systemSeconds, residentBytes: kernel.residentBytes,
              elapsed: uptime - kernel.startSecondsSinceBoot,
              doing: adopted ? "orphan, adopted by the session" : "started by \(names[kernel.ppid] ?? String(kernel.ppid)) (seen in /proc)"))
          next.append(pid)
        }
      }
      frontier = next
    }
    return rows
  }

  func snapshot(of record: ProcessRecord, now: Double) -> ProcessSnapshot {
    let kernel = record.reaped ? nil : ProcFS.info(pid: record.pid)
    let facts = record.schedulingFacts
    let state: String
    var doing: String
    if let end = record.endDescription {
      state = "terminated"
      doing = record.joined ? end : "\(end), not joined (a zombie until joined)"
    } else if record.suspended || kernel?.state == "T" {
      state = record.activity.state == .running ? "suspended-ready" : "suspended-blocked"
      doing = "stopped (SIGSTOP) while \(record.activity.describe(now: now))"
    } else if let wait = sharedWait(of: record.pid, now: now) {
      state = wait.deadlocked ? "deadlocked" : "blocked"
      doing = wait.text
    } else if record.activity.state != .running {
      state = "blocked"
      doing = record.activity.describe(now: now)
    } else if kernel?.state == "R", let counters = facts?.counters {
      // R is running or ready: the share of the last 0.1-0.2 s it spent on a CPU tells which
      // (of its whole life while it is younger than that).
      let birth = SchedulingCounters(time: record.startedAt, onCPU: 0, waited: 0, slices: 0)
      let since = record.scheduling.windowStart.flatMap { counters.time - $0.time >= 0.05 ? $0 : nil } ?? birth
      let share = counters.cpuShare(since: since)
      state = share >= 0.5 ? "running" : "ready"
      doing = record.activity.describe(now: now) + " · on a CPU \(Int((share * 100).rounded()))% of the last \(Activity.seconds(counters.time - since.time))"
    } else {
      state = kernel == nil ? "running" : "blocked"
      doing = record.activity.describe(now: now) + (kernel == nil ? "" : " · waiting in the kernel")
    }
    let cpu = kernel.map { $0.userSeconds + $0.systemSeconds } ?? record.finalCPU.map { $0.user + $0.system }
    var doingNow = doing
    if !record.signalsSent.isEmpty { doingNow += " · signals sent: " + Engine.counted(record.signalsSent) }
    return ProcessSnapshot(
      pid: record.pid, ppid: kernel?.ppid ?? getpid(), name: record.name, state: state,
      kernelState: kernel.map { String($0.state) } ?? "-", cpuSeconds: cpu,
      residentBytes: record.termination == nil ? kernel?.residentBytes : nil,
      elapsed: (record.endedAt ?? now) - record.startedAt, doing: doingNow, scheduling: facts)
  }

  /// "SIGUSR1×2, SIGTERM" in the order first sent.
  static func counted(_ names: [String]) -> String {
    var order: [String] = []
    var counts: [String: Int] = [:]
    for name in names {
      if counts[name] == nil { order.append(name) }
      counts[name, default: 0] += 1
    }
    return order.map { counts[$0]! > 1 ? "\($0)×\(counts[$0]!)" : $0 }.joined(separator: ", ")
  }
}

extension Activity {
  /// "sleeping (0.4s left)", "blocked on join of p (for 1.2s)".
  func describe(now: Double) -> String {
    if let until { return "\(text) (\(Activity.seconds(max(0, until - now))) left)" }
    if state == .running { return text }
    return "\(text) (for \(Activity.seconds(now - since)))"
  }

  static func seconds(_ s: Double) -> String {
    let tenths = Int((s * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)s"
  }
}

/// Everything known of one process, for `ps p`: the process control block of the tutorial.
public struct ProcessDetail {
  public var row: ProcessSnapshot
  public var target: String
  public var processGroup: Int32?
  public var cpu: CPUTimes?
  public var startedSecondsAgo: Double
  public var threads: Int?
  public var voluntarySwitches: Int?
  public var involuntarySwitches: Int?
  public var signalsSent: [String]
  public var joined: Bool
}

extension Engine {
  public func detail(of record: ProcessRecord) -> ProcessDetail {
    loop.serveReady()
    let now = CPUClock.monotonicSeconds()
    let kernel = record.reaped ? nil : ProcFS.info(pid: record.pid)
    let cpu = kernel.map { CPUTimes(user: $0.userSeconds, system: $0.systemSeconds) } ?? record.finalCPU
    return ProcessDetail(
      row: snapshot(of: record, now: now), target: record.target, processGroup: kernel?.processGroup, cpu: cpu,
      startedSecondsAgo: now - record.startedAt, threads: kernel?.threads,
      voluntarySwitches: kernel?.voluntarySwitches, involuntarySwitches: kernel?.involuntarySwitches,
      signalsSent: record.signalsSent, joined: record.joined)
  }
}
