// Signal names and numbers, in both directions, for `kill p sig=TERM` and for
// reporting "killed by SIGSEGV". Numbers come from Glibc, since they vary by CPU.
import Glibc

/// Converts between signal names and numbers.
///
/// ```swift
/// SignalName.number("term")  // SIGTERM's number, 15 on Linux
/// SignalName.number("SIGKILL")  // 9
/// SignalName.name(9)  // "SIGKILL"
/// ```
public enum SignalName {
  /// The number for a name written with or without "SIG", in any case, or as
  /// a decimal number ("9", "SIG9"); nil if it names no signal.
  public static func number(_ name: String) -> Int32? {
    var bare = Substring(name.uppercased())
    if bare.hasPrefix("SIG") { bare = bare.dropFirst(3) }
    if let number = Int32(bare) { return valid.contains(number) ? number : nil }
    return byName[String(bare)]
  }

  /// "SIGKILL" for 9. A number without a standard name (a real-time signal)
  /// becomes "SIG34", which `number` reads back.
  public static func name(_ number: Int32) -> String {
    byNumber[number] ?? "SIG\(number)"
  }

  /// Every standard signal's name, "SIGHUP" first, in signal-number order.
  public static let all: [String] = table.sorted { $0.number < $1.number }.map { "SIG" + $0.name }

  /// Signals 1 up to NSIG-1 exist on Linux, real-time ones included.
  private static let valid: ClosedRange<Int32> = 1...(NSIG - 1)

  private static let table: [(name: String, number: Int32)] = [
    ("HUP", SIGHUP), ("INT", SIGINT), ("QUIT", SIGQUIT), ("ILL", SIGILL),
    ("TRAP", SIGTRAP), ("ABRT", SIGABRT), ("BUS", SIGBUS), ("FPE", SIGFPE),
    ("KILL", SIGKILL), ("USR1", SIGUSR1), ("SEGV", SIGSEGV), ("USR2", SIGUSR2),
    ("PIPE", SIGPIPE), ("ALRM", SIGALRM), ("TERM", SIGTERM), ("CHLD", SIGCHLD),
    ("CONT", SIGCONT), ("STOP", SIGSTOP), ("TSTP", SIGTSTP), ("TTIN", SIGTTIN),
    ("TTOU", SIGTTOU), ("URG", SIGURG), ("XCPU", SIGXCPU), ("XFSZ", SIGXFSZ),
    ("VTALRM", SIGVTALRM), ("PROF", SIGPROF), ("WINCH", SIGWINCH), ("IO", SIGIO),
    ("PWR", SIGPWR), ("SYS", SIGSYS),
  ]

  /// Older spellings that scripts and `kill -l` users may still type.
  private static let aliases: [String: Int32] = ["IOT": SIGABRT, "CLD": SIGCHLD, "POLL": SIGIO]

  private static let byName: [String: Int32] = Dictionary(
    uniqueKeysWithValues: table.map { ($0.name, $0.number) }
  ).merging(aliases) { canonical, _ in canonical }

  private static let byNumber: [Int32: String] = Dictionary(
    table.map { ($0.number, "SIG" + $0.name) }
  ) { first, _ in first }
}
