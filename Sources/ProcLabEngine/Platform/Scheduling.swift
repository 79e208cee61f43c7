// How a process is scheduled: its nice value, its policy (normal, FIFO or round-robin real
// time) with a real-time priority, and the CPUs it may run on. Checked in the session, applied
// by the child to itself before it runs any of the user's code; renice and pin change them later.
import CSystem
import Glibc
import ProcLabScript

/// `spawn f() nice=5 cpu=[0] policy="rr" priority=10`: nil fields are inherited from the session.
public struct SchedulingOptions: Sendable, Equatable {
  public enum Policy: String, Sendable, CaseIterable {
    /// The normal time-sharing scheduler (SCHED_OTHER): CFS/EEVDF, weighted by nice.
    case other
    /// Real time, first come first served: runs until it blocks or yields.
    case fifo
    /// Real time, round robin: as fifo, but equal priorities take turns in time slices.
    case rr

    var number: Int32 {
      switch self {
      case .other: SCHED_OTHER
      case .fifo: SCHED_FIFO
      case .rr: SCHED_RR
      }
    }

    /// The policy named by the kernel's number (/proc/PID/stat field 41); batch and idle
    /// are normal scheduling too.
    init(kernelNumber: Int) {
      switch Int32(kernelNumber) {
      case SCHED_FIFO: self = .fifo
      case SCHED_RR: self = .rr
      default: self = .other
      }
    }
  }

  public private(set) var nice: Int?
  public private(set) var cpus: [Int]?
  public private(set) var policy: Policy?
  /// 1...99 for fifo and rr; nil for other.
  public private(set) var priority: Int?

  public static let niceRange = -20...19
  public static let priorityRange = 1...99

  public init() {}

  /// Checks every number before anything is forked: nice in -20...19, priority 1...99 and only
  /// with fifo or rr (fifo and rr alone take priority 1), CPUs among those this process may use.
  public init(nice: Int?, cpus: [Int]?, policy: Policy?, priority: Int?) throws(ScriptError) {
    if let nice, !SchedulingOptions.niceRange.contains(nice) {
      throw ScriptError(.valueError, "nice must be between -20 (most CPU) and 19 (least), got \(nice)")
    }
    if let priority {
      guard policy == .fifo || policy == .rr else {
        throw ScriptError(
          .valueError, "priority=\(priority) needs a real-time policy: add policy=\"fifo\" or policy=\"rr\" (normal processes use nice)")
      }
      guard SchedulingOptions.priorityRange.contains(priority) else {
        throw ScriptError(.valueError, "priority must be between 1 and 99 for policy=\"\(policy!.rawValue)\", got \(priority)")
      }
    }
    if let cpus { try Scheduling.checkCPUs(cpus) }
    self.nice = nice
    self.cpus = cpus
    self.policy = policy
    self.priority = priority ?? (policy == .fifo || policy == .rr ? 1 : nil)
  }

  public var isEmpty: Bool { nice == nil && cpus == nil && policy == nil }

  /// `renice`: the nice value now in force.
  mutating func set(nice: Int) { self.nice = nice }
  /// `pin`: the CPUs now allowed.
  mutating func set(cpus: [Int]) { self.cpus = cpus }

  /// "nice=-5", "policy=\"fifo\" priority=10": how the user asked for it, for error messages.
  var policyText: String { "policy=\"\(policy?.rawValue ?? "other")\"" + (priority.map { " priority=\($0)" } ?? "") }
}

/// The system calls behind the options, with errors that say what is missing and how to get it.
public enum Scheduling {
  /// Which step the kernel refused, and its errno: what a child reports back at its start.
  struct Refusal: Equatable {
    enum Step: Int32 {
      case nice = 1, policy = 2, cpus = 3
    }
    var step: Step
    var code: Int32
  }

  /// In a new child, before any user code: nice, then the policy. Pinning comes after the
  /// child has reported these (see applyCPUs), since on a CPU held by a real-time process
  /// it might not run again for a long time.
  static func applyPriority(_ options: SchedulingOptions) -> Refusal? {
    if let nice = options.nice, setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Int32(nice)) != 0 {
      return Refusal(step: .nice, code: errno)
    }
    if let policy = options.policy {
      var parameter = sched_param(sched_priority: Int32(options.priority ?? 0))
      if sched_setscheduler(0, policy.number, &parameter) != 0 { return Refusal(step: .policy, code: errno) }
    }
    return nil
  }

  /// The CPUs `cpus` for process `pid` (0: this one); the errno, or 0.
  static func applyCPUs(_ cpus: [Int], pid: Int32) -> Int32 {
    var mask = [UInt](repeating: 0, count: maskWords)
    for cpu in cpus { mask[cpu / UInt.bitWidth] |= 1 << UInt(cpu % UInt.bitWidth) }
    return proclab_sched_setaffinity(pid, mask, Int32(maskWords)) == 0 ? 0 : errno
  }

  /// The CPUs `pid` (0: this process) may run on, in order; nil if it is gone.
  public static func allowedCPUs(of pid: Int32 = 0) -> [Int]? {
    var mask = [UInt](repeating: 0, count: maskWords)
    let bytes = proclab_sched_getaffinity(pid, &mask, Int32(maskWords))
    guard bytes > 0 else { return nil }
    var cpus: [Int] = []
    for (word, bits) in mask.prefix(Int(bytes) / MemoryLayout<UInt>.size).enumerated() where bits != 0 {
      for bit in 0..<UInt.bitWidth where bits & (1 << UInt(bit)) != 0 { cpus.append(word * UInt.bitWidth + bit) }
    }
    return cpus
  }

  /// `renice p N`: the running process's nice value.
  public static func renice(_ pid: Int32, to nice: Int, name: String) throws(ScriptError) {
    guard SchedulingOptions.niceRange.contains(nice) else {
      throw ScriptError(.valueError, "nice must be between -20 (most CPU) and 19 (least), got \(nice)")
    }
    if setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(pid), Int32(nice)) != 0 {
      throw refused(Refusal(step: .nice, code: errno), SchedulingOptions.describing(nice: nice), of: name)
    }
  }

  /// `pin p [0, 1]`: the CPUs the running process may use from now on.
  public static func pin(_ pid: Int32, to cpus: [Int], name: String) throws(ScriptError) {
    try checkCPUs(cpus)
    let code = applyCPUs(cpus, pid: pid)
    if code != 0 { throw refused(Refusal(step: .cpus, code: code), "cpu=\(cpus)", of: name) }
  }

  /// Every CPU named must exist and be one this process may use (its affinity mask, which
  /// a container or taskset may have narrowed), each once.
  static func checkCPUs(_ cpus: [Int]) throws(ScriptError) {
    guard !cpus.isEmpty else { throw ScriptError(.valueError, "cpu needs at least one CPU number, e.g. cpu=[0]") }
    let allowed = allowedCPUs() ?? []
    let shown = allowed.map(String.init).joined(separator: ", ")
    var seen = Set<Int>()
    for cpu in cpus {
      guard allowed.contains(cpu) else {
        throw ScriptError(.valueError, "CPU \(cpu) is not one this session may run on (it may use CPUs \(shown))")
      }
      guard seen.insert(cpu).inserted else { throw ScriptError(.valueError, "CPU \(cpu) is named twice in cpu=\(cpus)") }
    }
  }

  /// The error for a refused step: PermissionError with what is missing and how to get it;
  /// anything else as the OSError it is.
  static func refused(_ refusal: Refusal, _ asked: String, of name: String) -> ScriptError {
    let denied = refusal.code == EPERM || refusal.code == EACCES
    switch (refusal.step, denied) {
    case (.nice, true):
      return ScriptError(
        .permissionError,
        "\(name): the system refused \(asked): a lower nice value (more CPU) needs CAP_SYS_NICE. "
          + "Run proclab as root (sudo), or raise the nice limit (ulimit -e 40 allows down to -20), or use nice 0 or more")
    case (.policy, true):
      return ScriptError(
        .permissionError,
        "\(name): the system refused \(asked): real-time scheduling needs CAP_SYS_NICE or a real-time limit. "
          + "Run proclab as root (sudo), or raise the limit (ulimit -r 99); in a container, also --cap-add=SYS_NICE "
          + "and a real-time CPU budget for its cgroup (cpu.rt_runtime_us above 0)")
    case (.cpus, true):
      return ScriptError(.permissionError, "\(name): the system refused \(asked): it may only pin processes of its own user (or as root)")
    default:
      return Descriptors.systemError("\(name): \(asked)", errno: refusal.code)
    }
  }

  // MARK: the start of a child with options (see Engine.forkChild)

  /// In the new child, first thing: applies nice and policy and reports the outcome to the
  /// session on `channel`; refused, it ends here. With CPUs to pin, it then waits for the
  /// session's go: the session pins it (a sleeping process moves at once), so the report is
  /// never stuck behind a real-time process on the CPU it is pinned to, and no user code
  /// runs before every option holds.
  static func startChild(_ options: SchedulingOptions, channel: Int32) {
    let refusal = applyPriority(options)
    var report: (Int32, Int32) = (refusal?.step.rawValue ?? 0, refusal?.code ?? 0)
    let sent = withUnsafeBytes(of: &report) { Descriptors.writeAll(channel, $0) }
    if refusal != nil || sent != 0 { _exit(127) }
    guard options.cpus != nil else { return }
    var go: UInt8 = 0
    while true {
      let count = read(channel, &go, 1)
      if count == 1 { return }
      if count < 0 && errno == EINTR { continue }
      _exit(127)
    }
  }

  /// In the session, right after the fork: reads the child's report, pins it and lets it go.
  /// On a refusal the child is gone (reaped here) and the error says why: nothing was spawned.
  static func settleChild(_ pid: Int32, _ options: SchedulingOptions, channel: Int32, name: String) throws(ScriptError) {
    var report: (Int32, Int32) = (0, 0)
    let got = withUnsafeMutableBytes(of: &report) { buffer in
      var offset = 0
      while offset < buffer.count {
        let count = read(channel, buffer.baseAddress! + offset, buffer.count - offset)
        if count < 0 && errno == EINTR { continue }
        if count <= 0 { break }
        offset += count
      }
      return offset == buffer.count
    }
    var refusal: Refusal?
    if !got {
      refusal = Refusal(step: .policy, code: ECHILD)
    } else if let step = Refusal.Step(rawValue: report.0) {
      refusal = Refusal(step: step, code: report.1)
    } else if let cpus = options.cpus {
      let code = applyCPUs(cpus, pid: pid)
      var go: UInt8 = 1
      if code != 0 { refusal = Refusal(step: .cpus, code: code) } else if write(channel, &go, 1) != 1 { refusal = Refusal(step: .cpus, code: errno) }
    }
    guard let refusal else { return }
    kill(pid, SIGKILL)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    if !got { throw ScriptError(.processError, "\(name) ended before it could apply its scheduling options") }
    throw refused(refusal, options.asked(refusal.step), of: name)
  }

  /// Enough words for 1024 CPUs, glibc's CPU_SETSIZE.
  private static let maskWords = 1024 / UInt.bitWidth
}

extension SchedulingOptions {
  static func describing(nice: Int) -> String { "nice=\(nice)" }

  /// What the refused step asked for, as the user wrote it.
  func asked(_ step: Scheduling.Refusal.Step) -> String {
    switch step {
    case .nice: SchedulingOptions.describing(nice: nice ?? 0)
    case .policy: policyText
    case .cpus: "cpu=\(cpus ?? [])"
    }
  }
}
