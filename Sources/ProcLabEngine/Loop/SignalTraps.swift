// The session's signal handlers: they only set a bit and write a byte to a self-pipe, which
// the event loop watches, so Ctrl-C, SIGTERM and child exits are handled in ordinary code.
import CSystem
import Glibc
import ProcLabScript

/// Every trapped signal that arrived and was not taken yet, one bit per signal number, in
/// `proclab_attention` (bit 0 is the host's: see Attention). The handler sets bits and
/// readers take them with one atomic operation, so a signal that arrives between reading and
/// clearing is never lost.
private enum Arrived {
  static func load() -> UInt64 { proclab_attention_load() }
  static func bitwiseOr(_ bits: UInt64) { _ = proclab_attention_or(bits) }
  /// Clears `bits`; what the word held before.
  static func bitwiseAnd(_ bits: UInt64) -> UInt64 { proclab_attention_and(bits) }
  static func clear() { _ = proclab_attention_exchange(0) }
}
nonisolated(unsafe) private var wakeWriteEnd: Int32 = -1
nonisolated(unsafe) private var sessionPid: pid_t = 0
/// Signals a script handles (`on_signal`), one bit each. Written only before the handler is
/// installed for that signal, so the handler never sees it change under it.
nonisolated(unsafe) private var handledMask: UInt64 = 0

private func bit(_ signal: Int32) -> UInt64 { UInt64(1) << UInt64(signal) }

/// Async-signal-safe: an atomic or, getpid, write, signal and raise, and errno is put back on
/// every path (the code it interrupted may be about to read errno).
private func trap(_ signal: Int32) {
  let saved = errno
  defer { errno = saved }
  let handled = handledMask & bit(signal) != 0
  if !handled && signal != SIGINT && signal != SIGCHLD && getpid() != sessionPid {
    // A child inherited the session's handler: a terminating signal ends it as it would
    // by default, so its exit code reads -15 for SIGTERM, as in Python.
    Glibc.signal(signal, SIG_DFL)
    raise(signal)
    return
  }
  Arrived.bitwiseOr(bit(signal))
  // The loop watches the output pipes itself: this signal is for code that is not in the loop.
  if signal == SIGIO { return }
  var byte: UInt8 = 1
  if wakeWriteEnd >= 0 { _ = write(wakeWriteEnd, &byte, 1) }
}

public enum SignalTraps {
  /// The read end of the self-pipe: readable after any trapped signal.
  nonisolated(unsafe) public private(set) static var wakeReadEnd: Int32 = -1

  /// The signals that end the session (after it stops its children): 128+N is its status.
  static let terminating: [Int32] = [SIGTERM, SIGHUP, SIGQUIT]
  private static let terminatingMask = bit(SIGTERM) | bit(SIGHUP) | bit(SIGQUIT)

  /// Installs the session's handlers (no SA_RESTART: a blocking read must return EINTR so
  /// libedit and poll wake up).
  public static func install() throws(ScriptError) {
    sessionPid = getpid()
    Arrived.clear()  // initialised before any handler runs
    try openWakePipe()
    var ignore = sigaction()
    ignore.__sigaction_handler.sa_handler = SIG_IGN
    sigaction(SIGPIPE, &ignore, nil)
    for signal in [SIGINT] + terminating { installTrap(signal) }
    installTrap(adoptionSignal)
    installTrap(SIGIO)
  }

  /// An orphan's two messages, one signal: its parent's death reaches it as this signal
  /// (PR_SET_PDEATHSIG), and once adopted it sends it to the session, which from then on
  /// reaps adopted orphans (see Engine+Orphans). A real-time signal: no script uses it.
  public static let adoptionSignal = proclab_sigrtmin() + 1

  private static func openWakePipe() throws(ScriptError) {
    let ends = try Descriptors.pipe()
    Descriptors.setNonBlocking(ends.read)
    Descriptors.setNonBlocking(ends.write)
    wakeReadEnd = ends.read
    wakeWriteEnd = ends.write
  }

  private static func installTrap(_ signal: Int32) {
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { trap($0) }
    sigemptyset(&action.sa_mask)
    let restarts = signal == SIGCHLD || signal == adoptionSignal || signal == SIGIO
    action.sa_flags = restarts ? SA_NOCLDSTOP | SA_RESTART : 0
    sigaction(signal, &action, nil)
  }

  /// In a new child: let go of the session's self-pipe (the child must neither wake the
  /// session nor swallow its wake-ups). The handlers stay: a child's Ctrl-C (SIGINT) sets
  /// its own bit and interrupts its poll with EINTR; other signals take their default.
  /// No system call beyond two closes: this is on the spawn path.
  static func detachInChild() {
    if wakeReadEnd >= 0 {
      close(wakeReadEnd)
      close(wakeWriteEnd)
    }
    wakeReadEnd = -1
    wakeWriteEnd = -1
    Arrived.clear()
  }

  /// Empties the self-pipe after the loop woke on it.
  static func drainWakeups() {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { bytes in
      while read(wakeReadEnd, bytes.baseAddress, bytes.count) > 0 {}
    }
  }

  /// From now on `signal` is caught and queued for a script handler (see takeArrived).
  /// A child gets its own self-pipe here, so a signal arriving just before the event loop
  /// blocks still wakes it.
  static func handle(_ signal: Int32) throws(ScriptError) {
    if wakeReadEnd < 0 { try openWakePipe() }
    handledMask |= bit(signal)
    installTrap(signal)
  }

  /// From now on SIGCHLD wakes the loop (exit notices where pidfd is missing). In a child
  /// that has children of its own, it gets its own self-pipe first.
  static func watchChildExits() throws(ScriptError) {
    if wakeReadEnd < 0 { try openWakePipe() }
    installTrap(SIGCHLD)
  }

  /// Handled signals that arrived since the last call, lowest number first.
  static func takeArrived() -> [Int32] {
    guard Arrived.load() & handledMask != 0 else { return [] }
    let before = Arrived.bitwiseAnd(~handledMask)
    let taken = before & handledMask
    return (1..<64).filter { taken & bit(Int32($0)) != 0 }.map(Int32.init)
  }

  static var signalsArrived: Bool { Arrived.load() & handledMask != 0 }

  /// True when SIGCHLD came since the last call: some child may have ended.
  static func takeChildExits() -> Bool {
    guard Arrived.load() & bit(SIGCHLD) != 0 else { return false }
    return Arrived.bitwiseAnd(~bit(SIGCHLD)) & bit(SIGCHLD) != 0
  }

  /// Arms SIGIO on `fd` (the end the session reads of a pipe or pseudo-terminal children write
  /// their output to): the kernel signals the session whenever a child writes, so the
  /// interpreter's checks at loop iterations and calls show output while the session
  /// computes, not only when it waits.
  static func signalWhenReadable(_ fd: Int32) {
    guard getpid() == sessionPid else { return }
    _ = fcntl(fd, F_SETOWN, sessionPid)
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC)
  }

  /// True when a child wrote output since the last call (see signalWhenReadable).
  static func takeOutputArrival() -> Bool {
    guard Arrived.load() & bit(SIGIO) != 0 else { return false }
    return Arrived.bitwiseAnd(~bit(SIGIO)) & bit(SIGIO) != 0
  }

  /// True when an orphan told the session it was adopted since the last call.
  static func takeAdoptions() -> Bool {
    let mask = bit(adoptionSignal)
    guard Arrived.load() & mask != 0 else { return false }
    return Arrived.bitwiseAnd(~mask) & mask != 0
  }

  /// True once per Ctrl-C: reading it clears it (atomically, so a second Ctrl-C that comes
  /// meanwhile is kept for the next reader).
  public static func takeInterrupt() -> Bool {
    guard interruptIsPending else { return false }
    return Arrived.bitwiseAnd(~bit(SIGINT)) & bit(SIGINT) != 0
  }

  public static var interruptIsPending: Bool {
    Arrived.load() & bit(SIGINT) != 0 && handledMask & bit(SIGINT) == 0
  }

  /// The SIGTERM/SIGHUP/SIGQUIT that asked the session to end, if any. It stays pending: the
  /// session ends on it.
  public static var pendingTermination: Int32? {
    let bits = Arrived.load() & terminatingMask & ~handledMask
    guard bits != 0 else { return nil }
    return terminating.first { bits & bit($0) != 0 }
  }

  /// True when any trapped signal is waiting to be taken, or the engine raised Attention: one
  /// load, as the interpreter's check at every loop round and call.
  static var anyArrived: Bool { Arrived.load() != 0 }
}
