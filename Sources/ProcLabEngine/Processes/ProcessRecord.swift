// One child process as the session knows it: identity, what it reported it is doing,
// how it ended, and whether anyone has joined it. Scripts hold it as a Process handle.
import ProcLabScript
import Glibc

public final class ProcessRecord: Handle {
  public enum Termination: Equatable, Sendable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    /// From a status that waitpid filled in.
    init(waitStatus status: Int32) {
      self = (status & 0x7f) == 0 ? .exited((status >> 8) & 0xff) : .signaled(status & 0x7f)
    }

    /// "exited 0", "killed by SIGKILL".
    public var description: String {
      switch self {
      case .exited(let code): "exited \(code)"
      case .signaled(let signal): "killed by \(SignalName.name(signal))"
      }
    }
  }

  public let name: String
  /// 0 until the process starts.
  public private(set) var pid: Int32 = 0
  /// The call it runs, as written (`sq(3)`), or `fork()`.
  public let target: String
  public private(set) var startedAt: Double
  /// What the process will run, until it starts (Process() makes it first, start() forks).
  public private(set) var plan: ProcessPlan?
  /// The session's end of the control channel, and the pidfd that becomes readable at exit.
  var channel: Channel?
  var pidfd: Int32 = -1
  /// What the child last reported: "sleeping", "blocked on join of Process-3", ...
  public internal(set) var activity: Activity
  public internal(set) var termination: Termination?
  public internal(set) var endedAt: Double?
  /// CPU time the kernel reported when the process was reaped.
  public internal(set) var finalCPU: CPUTimes?
  public internal(set) var reaped = false
  public internal(set) var joined = false
  public internal(set) var suspended = false
  public internal(set) var signalsSent: [String] = []
  /// Spawned with orphan=true by a child: it outlives this process, which neither waits for
  /// it nor stops it when it ends (the session adopts it).
  public internal(set) var orphan = false

  /// Its scheduling options and what the sampler read of it (see SchedulingSampler).
  public internal(set) var scheduling = ProcessScheduling()

  /// What a `repeat` run reported before it ended (nil for other processes, or none yet).
  var runOutcome: RunOutcome?

  init(name: String, plan: ProcessPlan?, target: String? = nil) {
    self.name = name
    self.plan = plan
    self.target = target ?? plan?.text ?? "fork()"
    self.startedAt = CPUClock.monotonicSeconds()
    self.activity = Activity(.running, "new: not started", since: startedAt)
  }

  /// `at`: when it was forked, before any handshake (scheduling options) that followed.
  func started(pid: Int32, channel: Channel, pidfd: Int32, at time: Double = CPUClock.monotonicSeconds()) {
    self.pid = pid
    self.channel = channel
    self.pidfd = pidfd
    plan = nil
    startedAt = time
    activity = Activity(.running, "running \(target)", since: startedAt)
  }

  public var isStarted: Bool { pid != 0 }

  /// Started and not ended: Python's is_alive().
  public var isAlive: Bool { isStarted && termination == nil }

  /// Python's convention: the exit status, or minus the signal number that killed it.
  public var exitCode: Int? {
    switch termination {
    case .exited(let code): Int(code)
    case .signaled(let signal): -Int(signal)
    case nil: nil
    }
  }

  /// "exited 0", "killed by SIGKILL"; nil while running.
  public var endDescription: String? { termination?.description }

  // MARK: Handle

  public var typeName: String { "process" }

  public var display: String {
    if !isStarted { return "<Process \(name) new>" }
    if let exitCode { return "<Process \(name) pid=\(pid) stopped exitcode=\(exitCode)>" }
    return "<Process \(name) pid=\(pid) \(suspended ? "suspended" : "started")>"
  }
}

/// What a process made by Process() (or spawn) will run once started.
public struct ProcessPlan {
  public var callee: Value
  public var arguments: [Value]
  public var keywords: [String: Value]
  /// Where it was asked for: the place of an error in the call itself.
  public var location: SourceLocation
  /// The call as it runs, arguments evaluated: `work(3)`.
  public var text: String

  public init(callee: Value, arguments: [Value], keywords: [String: Value], location: SourceLocation, text: String) {
    self.callee = callee
    self.arguments = arguments
    self.keywords = keywords
    self.location = location
    self.text = text
  }
}

/// What a process is doing, as it last told the session.
public struct Activity: Sendable, Equatable {
  public enum State: UInt8, Sendable {
    case running, sleeping, blocked
  }

  public var state: State
  public var text: String
  public var since: Double
  /// When a timed wait ends (sleep, join with timeout), on the machine-wide monotonic clock.
  public var until: Double?

  public init(_ state: State, _ text: String, since: Double, until: Double? = nil) {
    self.state = state
    self.text = text
    self.since = since
    self.until = until
  }
}
