// The session's one poll() loop: child exits (pidfds, or SIGCHLD where there are none), child
// channels and output pipes, timers and the signal self-pipe. Every blocking command runs it
// until its condition holds; a terminating signal ends the session from inside it.
import ProcLabScript
import Glibc

public final class EventLoop {
  public enum Outcome: Equatable {
    case satisfied, timedOut, interrupted
  }

  private var handlers: [Int32: () -> Void] = [:]
  private var writeHandlers: [Int32: () -> Void] = [:]
  /// Timers by id: a deadline on the monotonic clock and what to do then (queue timeouts).
  private var timers: [Int: (deadline: Double, fire: () -> Void)] = [:]
  private var nextTimer = 1
  /// Exit notices by SIGCHLD, for children without a pidfd: what to call when each PID ends.
  private var exitWatchers: [Int32: () -> Void] = [:]
  /// A watcher was added: look once even without a SIGCHLD (its child may have ended before
  /// the trap was installed).
  private var exitCheckDue = false
  /// Called when a terminating signal arrives; it ends the process.
  var onTermination: ((Int32) -> Void)?
  /// Called when signals a script handles have arrived (runs the handlers, even mid-sleep).
  var onHandledSignals: (() -> Void)?
  /// Called when an orphan says it was adopted, and after each SIGCHLD (reaps adopted orphans).
  var onAdoption: (() -> Void)?
  var onChildExits: (() -> Void)?

  init() {}

  func watch(_ fd: Int32, _ handler: @escaping () -> Void) {
    handlers[fd] = handler
  }

  func unwatch(_ fd: Int32) {
    handlers[fd] = nil
    writeHandlers[fd] = nil
  }

  /// Calls `handler` whenever `fd` can take more bytes (a channel's outbox is waiting).
  func watchWritable(_ fd: Int32, _ handler: @escaping () -> Void) {
    writeHandlers[fd] = handler
  }

  func unwatchWritable(_ fd: Int32) {
    writeHandlers[fd] = nil
  }

  /// Calls `handler` once the child `pid` has ended (and before it is reaped): through its
  /// pidfd when it has one, else on SIGCHLD.
  func watchExit(of pid: Int32, pidfd: Int32, _ handler: @escaping () -> Void) {
    if pidfd >= 0 {
      watch(pidfd, handler)
      return
    }
    // Without a self-pipe (descriptors ran out) SIGCHLD still cuts poll short with EINTR.
    try? SignalTraps.watchChildExits()
    exitWatchers[pid] = handler
    exitCheckDue = true
  }

  func unwatchExit(of pid: Int32, pidfd: Int32) {
    if pidfd >= 0 { unwatch(pidfd) } else { exitWatchers[pid] = nil }
  }

  /// After a SIGCHLD: calls the watcher of every child that has ended (WNOWAIT: the child
  /// stays a zombie until whoever joins it reaps it).
  private func noticeExits() {
    exitCheckDue = false
    for (pid, handler) in exitWatchers {
      var info = siginfo_t()
      guard waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0, info._sifields._sigchld.si_pid == pid else { continue }
      exitWatchers[pid] = nil
      handler()
    }
  }

  /// Calls `fire` once at `deadline` (monotonic seconds); returns an id to cancel it.
  func addTimer(at deadline: Double, _ fire: @escaping () -> Void) -> Int {
    let id = nextTimer
    nextTimer += 1
    timers[id] = (deadline, fire)
    return id
  }

  func cancelTimer(_ id: Int) {
    timers[id] = nil
  }

  /// In a new child: the session's handlers are not its own. They are kept, not released
  /// (releasing writes to each closure, copying pages), and no longer polled.
  func forgetHandlersInChild() {
    _ = Unmanaged.passRetained(ParentHandlers(read: handlers, write: writeHandlers, timers: timers))
    handlers = [:]
    writeHandlers = [:]
    timers = [:]
    exitWatchers = [:]
    exitCheckDue = false
  }


  /// Serves events until `done()` holds, `deadline` (monotonic seconds) passes, or Ctrl-C.
  public func run(until deadline: Double? = nil, done: () -> Bool) -> Outcome {
    while true {
      if let signal = SignalTraps.pendingTermination { onTermination?(signal) }
      if SignalTraps.signalsArrived { onHandledSignals?() }
      if done() { return .satisfied }
      if SignalTraps.takeInterrupt() { return .interrupted }
      var timeout: Int32 = -1
      if let deadline {
        let left = deadline - CPUClock.monotonicSeconds()
        if left <= 0 {
          // Look once before giving up: `poll end` and `timeout=0` ask about right now.
          _ = waitOnce(timeoutMilliseconds: 0, alsoWatching: nil)
          return done() ? .satisfied : .timedOut
        }
        timeout = Int32(min(left * 1000 + 0.999, 60_000))
      }
      _ = waitOnce(timeoutMilliseconds: timeout, alsoWatching: nil)
    }
  }

  /// Blocks until `fd` is readable, serving events meanwhile; false after a Ctrl-C.
  /// The line editor reads the terminal through this, so children are served while a person
  /// types; `between` runs after each round of events (pool callbacks that became due).
  public func waitReadable(_ fd: Int32, between: () -> Void = {}) -> Bool {
    while true {
      between()
      if let signal = SignalTraps.pendingTermination { onTermination?(signal) }
      if SignalTraps.takeInterrupt() { return false }
      if waitOnce(timeoutMilliseconds: -1, alsoWatching: fd) { return true }
    }
  }

  /// Serves whatever is ready now without blocking.
  public func serveReady() {
    _ = waitOnce(timeoutMilliseconds: 0, alsoWatching: nil)
  }

  private func fireDueTimers() {
    guard !timers.isEmpty else { return }
    let now = CPUClock.monotonicSeconds()
    for (id, timer) in timers where timer.deadline <= now {
      timers[id] = nil
      timer.fire()
    }
  }

  /// One poll(): runs the handlers of ready descriptors; true if `extra` is readable.
  private func waitOnce(timeoutMilliseconds: Int32, alsoWatching extra: Int32?) -> Bool {
    var fds = [pollfd(fd: SignalTraps.wakeReadEnd, events: Int16(POLLIN), revents: 0)]
    fds.reserveCapacity(handlers.count + 2)
    for fd in handlers.keys { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
    for fd in writeHandlers.keys { fds.append(pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)) }
    if let extra { fds.append(pollfd(fd: extra, events: Int16(POLLIN), revents: 0)) }
    var timeout = timeoutMilliseconds
    if let soonest = timers.values.lazy.map(\.deadline).min() {
      let left = Int32(max(0, min((soonest - CPUClock.monotonicSeconds()) * 1000 + 0.999, 60_000)))
      timeout = timeout < 0 ? left : min(timeout, left)
    }
    if exitCheckDue { timeout = 0 }
    let ready = poll(&fds, nfds_t(fds.count), timeout)
    fireDueTimers()
    if fds[0].revents != 0 {
      SignalTraps.drainWakeups()
      if let signal = SignalTraps.pendingTermination { onTermination?(signal) }
    }
    if SignalTraps.takeAdoptions() { onAdoption?() }
    if SignalTraps.takeChildExits() || exitCheckDue {
      noticeExits()
      onChildExits?()
    }
    guard ready > 0 else { return false }
    var extraReady = false
    for entry in fds.dropFirst() where entry.revents != 0 {
      if entry.fd == extra {
        extraReady = true
      } else if entry.events == Int16(POLLOUT) {
        writeHandlers[entry.fd]?()
      } else {
        handlers[entry.fd]?()
      }
    }
    return extraReady
  }
}

/// The parent's handlers, kept alive in a child and never touched (see forgetHandlersInChild).
private final class ParentHandlers {
  let read: [Int32: () -> Void]
  let write: [Int32: () -> Void]
  /// The session's timers (its sampling timer is armed at nearly every fork).
  let timers: [Int: (deadline: Double, fire: () -> Void)]

  init(read: [Int32: () -> Void], write: [Int32: () -> Void], timers: [Int: (deadline: Double, fire: () -> Void)]) {
    self.read = read
    self.write = write
    self.timers = timers
  }
}
