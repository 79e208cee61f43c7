// What the Linux kernel knows of a process, read from /proc: the facts a `ps`
// table shows, the process tree, and whether a PID is really gone.
import CSystem
import Glibc

/// One process as /proc/PID/stat and /proc/PID/status describe it.
public struct KernelProcessInfo: Sendable, Equatable {
  public var pid: Int32
  public var ppid: Int32
  public var processGroup: Int32
  /// One of R S D T t Z X I (see proc(5)).
  public var state: Character
  public var userSeconds: Double
  public var systemSeconds: Double
  public var residentBytes: Int
  public var startSecondsSinceBoot: Double
  public var threads: Int
  public var voluntarySwitches: Int
  public var involuntarySwitches: Int
  /// -20...19; what setpriority and renice set.
  public var nice: Int
  /// The CPU it last ran on (field 39).
  public var lastCPU: Int
  /// SCHED_OTHER, SCHED_FIFO, ... as the kernel numbers them (field 41).
  public var policy: Int
  /// 1...99 under a real-time policy, else 0 (field 40).
  public var realtimePriority: Int

  public init(
    pid: Int32, ppid: Int32, processGroup: Int32, state: Character,
    userSeconds: Double, systemSeconds: Double, residentBytes: Int,
    startSecondsSinceBoot: Double, threads: Int,
    voluntarySwitches: Int, involuntarySwitches: Int,
    nice: Int = 0, lastCPU: Int = 0, policy: Int = 0, realtimePriority: Int = 0
  ) {
    self.pid = pid
    self.ppid = ppid
    self.processGroup = processGroup
    self.state = state
    self.userSeconds = userSeconds
    self.systemSeconds = systemSeconds
    self.residentBytes = residentBytes
    self.startSecondsSinceBoot = startSecondsSinceBoot
    self.threads = threads
    self.voluntarySwitches = voluntarySwitches
    self.involuntarySwitches = involuntarySwitches
    self.nice = nice
    self.lastCPU = lastCPU
    self.policy = policy
    self.realtimePriority = realtimePriority
  }
}

/// Readers for /proc. Every function answers "nothing" rather than failing,
/// because a process may exit between any two reads.
public enum ProcFS {
  /// The process `pid`, or nil when it has no /proc entry any more.
  ///
  /// ```swift
  /// if let me = ProcFS.info(pid: getpid()) { print(me.state, me.residentBytes) }
  /// ```
  public static func info(pid: Int32) -> KernelProcessInfo? {
    guard let stat = readSmallFile("/proc/\(pid)/stat"),
      let fields = StatFields(stat),
      let status = readSmallFile("/proc/\(pid)/status")
    else { return nil }
    let switches = contextSwitches(status)
    return KernelProcessInfo(
      pid: fields.pid,
      ppid: Int32(fields.int(StatFields.ppid)),
      processGroup: Int32(fields.int(StatFields.processGroup)),
      state: fields.state,
      userSeconds: Double(fields.int(StatFields.userTicks)) / ticksPerSecond,
      systemSeconds: Double(fields.int(StatFields.systemTicks)) / ticksPerSecond,
      residentBytes: fields.int(StatFields.residentPages) * pageSize,
      startSecondsSinceBoot: Double(fields.int(StatFields.startTicks)) / ticksPerSecond,
      threads: fields.int(StatFields.threads),
      voluntarySwitches: switches.voluntary,
      involuntarySwitches: switches.involuntary,
      nice: fields.int(StatFields.nice),
      lastCPU: fields.int(StatFields.processor),
      policy: fields.int(StatFields.policy),
      realtimePriority: fields.int(StatFields.realtimePriority))
  }

  /// /proc/PID/schedstat: time on a CPU, time waiting on a run queue (ready), and how many
  /// times it was given a CPU. Nil when the process is gone (a zombie still has them).
  /// Read every few milliseconds while children live, so it parses bytes, not Strings.
  public static func schedulingCounters(pid: Int32) -> SchedulingCounters? {
    let fd = open("/proc/\(pid)/schedstat", O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    let time = CPUClock.monotonicSeconds()
    defer { close(fd) }
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 96) { buffer in
      let count = read(fd, buffer.baseAddress, buffer.count)
      guard count > 0 else { return nil }
      var numbers = (0, 0, 0)
      var field = 0
      for byte in buffer.prefix(count) {
        if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
          let digit = Int(byte - UInt8(ascii: "0"))
          switch field {
          case 0: numbers.0 = numbers.0 &* 10 &+ digit
          case 1: numbers.1 = numbers.1 &* 10 &+ digit
          default: numbers.2 = numbers.2 &* 10 &+ digit
          }
        } else {
          field += 1
          if field == 3 { break }
        }
      }
      guard field >= 2 else { return nil }
      return SchedulingCounters(time: time, onCPU: Double(numbers.0) / 1e9, waited: Double(numbers.1) / 1e9, slices: numbers.2)
    }
  }

  /// Seconds since boot, the clock that `startSecondsSinceBoot` is on.
  public static func uptimeSeconds() -> Double {
    guard let text = readSmallFile("/proc/uptime"),
      let first = text.split(separator: " ").first
    else { return 0 }
    return Double(first) ?? 0
  }

  /// Direct children of `pid`. Each thread keeps its own list (a child belongs
  /// to the thread that forked it), so every task's list is read.
  public static func children(of pid: Int32) -> [Int32] {
    var result: [Int32] = []
    for task in directoryEntries("/proc/\(pid)/task") {
      guard let text = readSmallFile("/proc/\(pid)/task/\(task)/children") else { continue }
      result += text.split(separator: " ").compactMap { Int32($0.filter { $0.isNumber }) }
    }
    return result
  }

  /// Children, grandchildren and so on, breadth first, so the deepest come
  /// last. A process that exits mid-walk simply drops out.
  public static func descendants(of pid: Int32) -> [Int32] {
    var result: [Int32] = []
    var frontier = children(of: pid)
    while !frontier.isEmpty {
      result += frontier
      frontier = frontier.flatMap { children(of: $0) }
    }
    return result
  }

  /// An errno from reading /proc, as a value.
  public struct ReadFailure: Error {
    public var code: Int32
  }

  /// Threads in this process; fork() is only safe when this is 1. The errno when
  /// /proc/self/stat cannot be read (no descriptor left): never a made-up count.
  public static func threadCount() -> Result<Int, ReadFailure> {
    // On every fork's path, so read bytes, not Strings: field 20 of /proc/self/stat, counted
    // after the ')' that closes the command name (which may itself hold spaces and ')').
    let fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return .failure(ReadFailure(code: errno)) }
    defer { close(fd) }
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { buffer in
      let count = read(fd, buffer.baseAddress, buffer.count)
      guard count > 0 else { return .failure(ReadFailure(code: count < 0 ? errno : EIO)) }
      var end = count - 1
      while end > 0 && buffer[end] != UInt8(ascii: ")") { end -= 1 }
      var field = 2
      var value = 0
      for i in (end + 1)..<count {
        let byte = buffer[i]
        if byte == UInt8(ascii: " ") {
          if field == 20 { return .success(value) }
          field += 1
        } else if field == 20 {
          value = value * 10 + Int(byte &- UInt8(ascii: "0"))
        }
      }
      return .failure(ReadFailure(code: EIO))
    }
  }

  /// True when `pid` has exited, reaped or not. A zombie still answers
  /// `kill(pid, 0)`, and PID 1 here reaps orphans late, so read the state.
  public static func isGone(pid: Int32) -> Bool {
    guard let stat = readSmallFile("/proc/\(pid)/stat"), let fields = StatFields(stat) else {
      return true
    }
    return fields.state == "Z" || fields.state == "X"
  }

  private static let ticksPerSecond = Double(max(1, proclab_clock_ticks()))
  private static let pageSize = max(1, proclab_page_size())

  /// The two context-switch counters of /proc/PID/status (0 when absent).
  private static func contextSwitches(_ status: String) -> (voluntary: Int, involuntary: Int) {
    var voluntary = 0
    var involuntary = 0
    for line in status.split(separator: "\n") {
      let parts = line.split(separator: ":", maxSplits: 1)
      guard parts.count == 2 else { continue }
      let value = Int(parts[1].trimmingBlanks()) ?? 0
      switch parts[0] {
      case "voluntary_ctxt_switches": voluntary = value
      case "nonvoluntary_ctxt_switches": involuntary = value
      default: break
      }
    }
    return (voluntary, involuntary)
  }
}

/// The fields of /proc/PID/stat. The command name sits in parentheses and may
/// itself contain spaces and ')', so the fixed fields start after the *last* ')'.
private struct StatFields {
  let pid: Int32
  let state: Character
  /// Fields after the command name: index 0 is field 3 (state) of proc(5).
  private let rest: [Substring]

  static let ppid = 1
  static let processGroup = 2
  static let userTicks = 11
  static let systemTicks = 12
  static let threads = 17
  static let startTicks = 19
  static let residentPages = 21
  static let nice = 16
  static let processor = 36
  static let realtimePriority = 37
  static let policy = 38

  init?(_ text: String) {
    guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"),
      let pid = Int32(text[..<open].trimmingBlanks())
    else { return nil }
    let rest = text[text.index(after: close)...].split(whereSeparator: { $0 == " " || $0 == "\n" })
    guard rest.count > StatFields.residentPages, let state = rest[0].first else { return nil }
    self.pid = pid
    self.state = state
    self.rest = rest
  }

  /// 0 for a field this kernel does not have.
  func int(_ index: Int) -> Int { index < rest.count ? Int(rest[index]) ?? 0 : 0 }
}

extension Substring {
  fileprivate func trimmingBlanks() -> Substring {
    let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" }
    guard let first = firstIndex(where: { !isBlank($0) }),
      let last = lastIndex(where: { !isBlank($0) })
    else { return "" }
    return self[first...last]
  }
}

/// The whole of a small file, or nil if it cannot be opened. /proc files
/// report size 0, so read until EOF rather than trusting stat().
private func readSmallFile(_ path: String) -> String? {
  let fd = open(path, O_RDONLY | O_CLOEXEC)
  guard fd >= 0 else { return nil }
  defer { close(fd) }
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 4096)
  while true {
    let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    if count < 0 && errno == EINTR { continue }
    // ESRCH here means the process exited after open(): treat it as gone.
    if count < 0 { return nil }
    if count == 0 { break }
    bytes += chunk[0..<count]
  }
  return String(decoding: bytes, as: UTF8.self)
}

/// Names in a directory, without "." and "..".
private func directoryEntries(_ path: String) -> [String] {
  guard let dir = opendir(path) else { return [] }
  defer { closedir(dir) }
  var names: [String] = []
  while let entry = readdir(dir) {
    let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
      String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
    }
    if name != "." && name != ".." { names.append(name) }
  }
  return names
}
