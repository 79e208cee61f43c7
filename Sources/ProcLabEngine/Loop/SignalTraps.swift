// The session's signal handlers: they only set a flag and write a byte to a self-pipe,
// which the event loop watches, so Ctrl-C and SIGTERM are handled in ordinary code.
import ProcLabScript
import CSystem
import Glibc

nonisolated(unsafe) private var interruptPending: sig_atomic_t = 0
nonisolated(unsafe) private var terminationSignal: sig_atomic_t = 0
nonisolated(unsafe) private var wakeWriteEnd: Int32 = -1
nonisolated(unsafe) private var sessionPid: pid_t = 0

/// Signals a script handles (`on_signal`), one bit each, and those that arrived.
nonisolated(unsafe) private var handledMask: UInt64 = 0
nonisolated(unsafe) private var arrivedMask: UInt64 = 0

private func trap(_ signal: Int32) {
  if handledMask & (1 << UInt64(signal)) != 0 {
    arrivedMask |= 1 << UInt64(signal)
    var byte: UInt8 = 1
    if wakeWriteEnd >= 0 { _ = write(wakeWriteEnd, &byte, 1) }
    return
  }
  if signal != SIGINT && getpid() != sessionPid {
    // A child inherited the session's handler: a terminating signal ends it as it would
    // by default, so its exit code reads -15 for SIGTERM, as in Python.
    Glibc.signal(signal, SIG_DFL)
    raise(signal)
    return
  }
  if signal == SIGINT {
    interruptPending = 1
  } else {
    terminationSignal = signal
  }
  let saved = errno
  var byte: UInt8 = 1
  if wakeWriteEnd >= 0 { _ = write(wakeWriteEnd, &byte, 1) }
  errno = saved
}

public enum SignalTraps {
  /// The read end of the self-pipe: readable after any trapped signal.
  nonisolated(unsafe) public private(set) static var wakeReadEnd: Int32 = -1

  /// Installs the session's handlers (no SA_RESTART: a blocking read must return EINTR so
  /// libedit and poll wake up).
  public static func install() throws(ScriptError) {
    sessionPid = getpid()
    let ends = try Descriptors.pipe()
    Descriptors.setNonBlocking(ends.read)
    Descriptors.setNonBlocking(ends.write)
    wakeReadEnd = ends.read
    wakeWriteEnd = ends.write
    interruptPending = 0
    terminationSignal = 0
    var ignore = sigaction()
    ignore.__sigaction_handler.sa_handler = SIG_IGN
    sigaction(SIGPIPE, &ignore, nil)
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { trap($0) }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    sigaction(SIGINT, &action, nil)
    for signal in [SIGTERM, SIGHUP, SIGQUIT] { sigaction(signal, &action, nil) }
  }

  /// In a new child: let go of the session's self-pipe (the child must neither wake the
  /// session nor swallow its wake-ups). The handlers stay: a child's Ctrl-C (SIGINT) sets
  /// its own flag and interrupts its poll with EINTR; other signals take their default.
  /// No system call beyond two closes: this is on the spawn path.
  static func detachInChild() {
    if wakeReadEnd >= 0 {
      close(wakeReadEnd)
      close(wakeWriteEnd)
    }
    wakeReadEnd = -1
    wakeWriteEnd = -1
    interruptPending = 0
    terminationSignal = 0
  }

  /// Empties the self-pipe after the loop woke on it.
  static func drainWakeups() {
    var bytes = [UInt8](repeating: 0, count: 64)
    while read(wakeReadEnd, &bytes, bytes.count) > 0 {}
  }

  /// From now on `signal` is caught and queued for a script handler (see takeArrived).
  /// A child gets its own self-pipe here, so a signal arriving just before the event loop
  /// blocks still wakes it.
  static func handle(_ signal: Int32) throws(ScriptError) {
    if wakeReadEnd < 0 {
      let ends = try Descriptors.pipe()
      Descriptors.setNonBlocking(ends.read)
      Descriptors.setNonBlocking(ends.write)
      wakeReadEnd = ends.read
      wakeWriteEnd = ends.write
    }
    handledMask |= 1 << UInt64(signal)
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { trap($0) }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    sigaction(signal, &action, nil)
  }

  /// Handled signals that arrived since the last call, lowest number first.
  static func takeArrived() -> [Int32] {
    guard arrivedMask != 0 else { return [] }
    let arrived = arrivedMask
    arrivedMask = 0
    return (1..<64).filter { arrived & (1 << UInt64($0)) != 0 }.map(Int32.init)
  }

  static var signalsArrived: Bool { arrivedMask != 0 }

  /// True once per Ctrl-C: reading it clears it.
  public static func takeInterrupt() -> Bool {
    guard interruptPending != 0 else { return false }
    interruptPending = 0
    return true
  }

  public static var interruptIsPending: Bool { interruptPending != 0 }

  /// The SIGTERM/SIGHUP/SIGQUIT that asked the session to end, if any.
  public static var pendingTermination: Int32? { terminationSignal != 0 ? terminationSignal : nil }
}
