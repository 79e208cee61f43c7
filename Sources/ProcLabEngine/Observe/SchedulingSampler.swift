// Ready or running, from the kernel: while the session has live children it reads each one's
// /proc/PID/schedstat every few milliseconds and logs the stretches it spent waiting for a CPU
// (ready); the timeline and `ps` draw on it.
import Glibc

/// What /proc/PID/schedstat counts, read at `time` (monotonic seconds).
public struct SchedulingCounters: Sendable, Equatable {
  public var time: Double
  /// Seconds on a CPU (user + system, to the nanosecond).
  public var onCPU: Double
  /// Seconds runnable but waiting on a run queue: the ready state.
  public var waited: Double
  /// Times it was given a CPU: the context switches onto it.
  public var slices: Int

  public init(time: Double, onCPU: Double, waited: Double, slices: Int) {
    self.time = time
    self.onCPU = onCPU
    self.waited = waited
    self.slices = slices
  }

  /// The share of the time since `earlier` it spent on a CPU (0...1).
  public func cpuShare(since earlier: SchedulingCounters) -> Double {
    let span = time - earlier.time
    return span > 0 ? min(1, max(0, (onCPU - earlier.onCPU) / span)) : 0
  }
}

extension Engine {
  /// 4 ms: a few samples per round-robin slice (100 ms) and per column of a timeline of a few
  /// seconds, at a few µs a read per process (docs/LANGUAGE.md, Scheduling, says what it costs).
  static let samplingInterval = 0.004

  /// Arms the sampling timer if it is not armed; only the session samples (children log nothing).
  /// A child younger than one interval is left alone: most children of a spawn-and-join loop
  /// end before that (their end is read anyway), and reading them slowed that loop by 15%.
  func startSampling() {
    guard samplingTimer == nil, !isChild, events.enabled else { return }
    samplingTimer = loop.addTimer(at: CPUClock.monotonicSeconds() + Engine.samplingInterval) { [unowned self] in
      self.samplingTimer = nil
      let bornBefore = CPUClock.monotonicSeconds() - Engine.samplingInterval
      var live = false
      for record in current where record.isAlive {
        live = true
        if record.startedAt <= bornBefore { sample(record) }
      }
      if live { startSampling() }
    }
  }

  /// Reads one process's counters, logs the wait for a CPU that ended since the last reading,
  /// and keeps the window `ps` uses.
  func sample(_ record: ProcessRecord) {
    guard let now = ProcFS.schedulingCounters(pid: record.pid) else { return }
    logWait(of: record, until: now)
    record.scheduling.note(now)
  }

  /// The kernel adds a wait to the run-queue time only when the wait ends (the process gets a
  /// CPU), so a reading that grew by W, after the process ran R since, means it waited from
  /// about now - R - W to now - R: logged as a ready stretch then. Several short waits between
  /// two readings show as one; waits under a millisecond are not drawn (but counted in .ready).
  private func logWait(of record: ProcessRecord, until now: SchedulingCounters) {
    let latest = record.scheduling.latest ?? SchedulingCounters(time: record.startedAt, onCPU: 0, waited: 0, slices: 0)
    let waited = now.waited - latest.waited
    guard waited >= 0.001 else { return }
    let arrived = max(latest.time, now.time - (now.onCPU - latest.onCPU))
    let from = max(arrived - waited, record.scheduling.drawnUntil, record.startedAt)
    record.scheduling.drawnUntil = arrived
    events.record(record.pid, record.name, .scheduling(ready: true, now), at: from)
    events.record(record.pid, record.name, .scheduling(ready: false, now), at: arrived)
  }

  /// At the end (the process is a zombie, its counters still there): keeps the final counters
  /// for after the reap, and logs them for the timeline's summary. One read of schedstat: this
  /// is on the path of every join (the switches come with the reap's rusage). A process that
  /// lived less than one interval is not logged, as it was not sampled (the log stays lean).
  func noteEndOfScheduling(_ record: ProcessRecord, at time: Double) {
    guard let counters = ProcFS.schedulingCounters(pid: record.pid) else { return }
    record.scheduling.finalCounters = counters
    guard events.enabled, time - record.startedAt >= Engine.samplingInterval else { return }
    logWait(of: record, until: counters)
    events.record(record.pid, record.name, .scheduling(ready: false, counters), at: time)
  }
}

extension ProcessRecord {
  /// Everything the kernel says of its scheduling now; once it is reaped, its final counters
  /// and switches with the options it ran under (what it did not set, it had from the session,
  /// as read now); nil before it starts.
  public var schedulingFacts: SchedulingFacts? {
    guard isStarted else { return nil }
    if !reaped, let facts = SchedulingFacts.read(pid: pid) { return facts }
    guard let counters = scheduling.finalCounters else { return nil }
    let options = scheduling.options
    let session = ProcFS.info(pid: getpid())
    return SchedulingFacts(
      counters: counters, voluntarySwitches: scheduling.finalSwitches.voluntary, involuntarySwitches: scheduling.finalSwitches.involuntary,
      nice: options.nice ?? session?.nice ?? 0, policy: options.policy ?? .other, priority: options.priority ?? 0,
      cpus: options.cpus ?? Scheduling.allowedCPUs() ?? [], lastCPU: nil)
  }
}

/// A process's scheduling as `ps`, its attributes and `ps p` show it.
public struct SchedulingFacts: Sendable, Equatable {
  public var counters: SchedulingCounters
  public var voluntarySwitches: Int
  public var involuntarySwitches: Int
  public var nice: Int
  public var policy: SchedulingOptions.Policy
  /// 1...99 under fifo or rr, else 0.
  public var priority: Int
  public var cpus: [Int]
  /// Nil once the process is reaped.
  public var lastCPU: Int?

  /// From /proc/PID/stat, status and schedstat and the affinity mask; nil when it is gone.
  static func read(pid: Int32) -> SchedulingFacts? {
    guard let counters = ProcFS.schedulingCounters(pid: pid), let info = ProcFS.info(pid: pid) else { return nil }
    return SchedulingFacts(
      counters: counters, voluntarySwitches: info.voluntarySwitches, involuntarySwitches: info.involuntarySwitches,
      nice: info.nice, policy: SchedulingOptions.Policy(kernelNumber: info.policy), priority: info.realtimePriority,
      cpus: Scheduling.allowedCPUs(of: pid) ?? [], lastCPU: info.lastCPU)
  }
}

/// What the session knows of one child's scheduling: what was asked, and the sampler's readings.
public struct ProcessScheduling: Sendable {
  /// What spawn asked for (renice and pin change it): empty means inherited.
  public internal(set) var options = SchedulingOptions()
  /// The sampler's latest reading, and the one `ps` measures from (0.1 to 0.2 s before it).
  var latest: SchedulingCounters?
  var windowStart: SchedulingCounters?
  private var windowNext: SchedulingCounters?
  /// The end of the last ready stretch logged: the next starts no earlier.
  var drawnUntil = -Double.infinity
  /// Read as it ended (a zombie) and as it was reaped, kept after that.
  var finalCounters: SchedulingCounters?
  var finalSwitches = (voluntary: 0, involuntary: 0)

  mutating func note(_ counters: SchedulingCounters) {
    latest = counters
    guard let next = windowNext else {
      windowStart = counters
      windowNext = counters
      return
    }
    if counters.time - next.time >= 0.1 {
      windowStart = next
      windowNext = counters
    }
  }
}
