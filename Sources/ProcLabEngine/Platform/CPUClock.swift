// Clocks for timing experiments: a monotonic wall clock that NTP cannot step,
// and the CPU time (user and system) of this process and of its reaped children.
import Glibc

/// CPU time split the way the kernel accounts it.
public struct CPUTimes: Sendable, Equatable {
  public var user: Double
  public var system: Double

  public init(user: Double, system: Double) {
    self.user = user
    self.system = system
  }
}

/// The difference between two readings, e.g. `CPUClock.selfTimes() - before`.
public func - (a: CPUTimes, b: CPUTimes) -> CPUTimes {
  CPUTimes(user: a.user - b.user, system: a.system - b.system)
}

/// The sum of two spans, e.g. this process's and its children's CPU time.
public func + (a: CPUTimes, b: CPUTimes) -> CPUTimes {
  CPUTimes(user: a.user + b.user, system: a.system + b.system)
}

public enum CPUClock {
  /// Seconds on CLOCK_MONOTONIC: only differences mean anything.
  public static func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
  }

  /// CPU time this process has used so far.
  public static func selfTimes() -> CPUTimes { usage(RUSAGE_SELF) }

  /// CPU time of children that have exited *and been waited for*; a child
  /// still running, or a zombie, is not counted yet.
  public static func childrenTimes() -> CPUTimes { usage(RUSAGE_CHILDREN) }

  private static func usage(_ who: __rusage_who) -> CPUTimes {
    var usage = rusage()
    // Glibc imports the constants as an enum but declares the parameter an int.
    getrusage(who.rawValue, &usage)
    return CPUTimes(user: seconds(usage.ru_utime), system: seconds(usage.ru_stime))
  }

  private static func seconds(_ time: timeval) -> Double {
    Double(time.tv_sec) + Double(time.tv_usec) / 1e6
  }
}
