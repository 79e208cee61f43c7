// Orphans: processes made with `spawn f() orphan=true` outlive the process that spawned them
// and are adopted by the session, a child subreaper, which reaps them and ends them with itself.
//
// Dying with the session, however it ends, SIGKILL included: an orphan-to-be gets the
// adoption signal, not SIGKILL, as its PR_SET_PDEATHSIG. The kernel sends it when the parent
// dies, after it has reparented the orphan, so the handler reads the new parent with
// getppid(): the session means "adopted", and the handler re-arms PR_SET_PDEATHSIG with
// SIGKILL, which from then on fires when the session dies; anything else means the session is
// gone already, and the orphan ends itself. A signal handler, not the event loop, so an orphan
// busy computing reacts at once; and the kernel keeps the death signal across reparenting, so
// a session that dies between the two steps still sends the adoption signal (the handler then
// sees another parent and ends the orphan).
import CSystem
import Glibc

/// Read by the orphan's signal handler: set once in the orphan before the handler is installed.
nonisolated(unsafe) private var bornParent: pid_t = 0
nonisolated(unsafe) private var adoptingSession: pid_t = 0
nonisolated(unsafe) private var adoptionSignal: Int32 = 0

/// Async-signal-safe: getppid, prctl and kill only; errno is put back.
private func parentChanged(_: Int32) {
  let saved = errno
  defer { errno = saved }
  checkAdoption()
}

private func checkAdoption() {
  let parent = getppid()
  // Still with the parent that spawned it: the signal came from someone else.
  if parent == bornParent { return }
  if parent == adoptingSession {
    _ = proclab_set_pdeathsig(SIGKILL)
    // The session may have died before the prctl took hold: then nothing would kill us.
    if getppid() == adoptingSession {
      kill(adoptingSession, adoptionSignal)
      return
    }
  }
  kill(getpid(), SIGKILL)
}

extension Engine {
  /// In an orphan-to-be, right after fork: dies with the session, not with `parent` (see above).
  static func becomeOrphan(of parent: pid_t, session: pid_t) {
    bornParent = parent
    adoptingSession = session
    adoptionSignal = SignalTraps.adoptionSignal
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { parentChanged($0) }
    sigemptyset(&action.sa_mask)
    action.sa_flags = SA_RESTART
    sigaction(adoptionSignal, &action, nil)
    _ = proclab_set_pdeathsig(adoptionSignal)
    // The parent may have died between fork and prctl: no signal came for it.
    checkAdoption()
  }

  /// The session becomes a child subreaper: an orphan among its descendants is adopted by
  /// the session, not by PID 1.
  static func becomeSubreaper() {
    _ = proclab_set_child_subreaper()
  }

  /// The session's children it did not fork itself: orphans it adopted (zombies included).
  func adoptedChildren() -> [Int32] {
    guard !isChild else { return [] }
    var own = Set(current.map(\.pid))
    for pool in pools { own.formUnion(pool.workers.map(\.pid)) }
    return ProcFS.children(of: getpid()).filter { !own.contains($0) }
  }

  /// Reaps the adopted orphans that ended, by PID (never waitpid(-1), which would take the
  /// statuses of the session's own children); returns those still alive.
  @discardableResult
  func reapAdopted() -> [Int32] {
    var alive: [Int32] = []
    for pid in adoptedChildren() {
      var info = siginfo_t()
      let reaped = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG) == 0 && info._sifields._sigchld.si_pid == pid
      if !reaped { alive.append(pid) }
    }
    return alive
  }

  /// An orphan said it was adopted: from now on every SIGCHLD reaps adopted orphans that ended.
  func noticeAdoption() {
    if !adopting {
      adopting = true
      try? SignalTraps.watchChildExits()
    }
    reapAdopted()
  }

  /// The adopted orphans still alive, for the end of the session. The first one found turns
  /// on SIGCHLD, then the children are read again, so an exit in between still wakes the loop.
  func liveAdopted() -> [Int32] {
    let alive = reapAdopted()
    guard !alive.isEmpty, !adopting else { return alive }
    noticeAdoption()
    return reapAdopted()
  }

  /// Kills and reaps every adopted orphan and its descendants (the end of the session).
  func stopAdopted() {
    for pid in adoptedChildren() {
      for descendant in ProcFS.descendants(of: pid) { kill(descendant, SIGKILL) }
      kill(pid, SIGKILL)
      var status: Int32 = 0
      _ = waitpid(pid, &status, 0)
    }
  }
}
