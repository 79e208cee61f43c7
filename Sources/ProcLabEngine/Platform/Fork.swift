// The one place proclab forks: checks the process is single-threaded, gives the child a
// control channel, its own process group, death with its parent, and its output routing.
import CSystem
import Glibc
import ProcLabScript

/// The parent's view of a child it just forked.
struct ForkedChild {
  let pid: Int32
  /// The parent's end of the control channel (non-blocking).
  let channel: Int32
  /// Readable when the child ends.
  let pidfd: Int32
}

extension Engine {
  /// Forks. Returns the child in the parent and nil in the child, which starts with a fresh
  /// engine of its own (see becomeChild).
  /// An `orphan` dies with the session, not with this process (see Engine+Orphans), and
  /// writes where this process writes, since it may outlive the pipe this process reads.
  /// `scheduling` holds before the child runs anything of the user's; when the system refuses
  /// it, nothing is left forked and the error says what is missing (see Scheduling.startChild).
  func forkChild(named name: String, orphan: Bool = false, scheduling: SchedulingOptions = SchedulingOptions()) throws(ScriptError) -> ForkedChild? {
    // Unreadable (no descriptor left, /proc missing) is not "0 threads": say why.
    let threads: Int
    switch ProcFS.threadCount() {
    case .success(let count): threads = count
    case .failure(let failure): throw Descriptors.systemError("cannot fork: reading /proc/self/stat to count threads", errno: failure.code)
    }
    guard threads == 1 else {
      throw ScriptError(.processError, "this process has \(threads) threads; forking it now would be unsafe")
    }
    let (parentEnd, childEnd) = try Descriptors.socketPair()
    let childOutput: (write: Int32?, read: Int32?)
    do {
      childOutput = orphan ? (nil, nil) : try output.childOutput()
    } catch {
      close(parentEnd)
      close(childEnd)
      throw error
    }
    let parent = getpid()
    let pid = fork()
    if pid < 0 {
      let code = errno
      let error =
        code == EAGAIN
        ? ScriptError(.osError, "cannot fork: process limit reached (EAGAIN); join or end some processes and try again")
        : Descriptors.systemError("fork", errno: code)
      close(parentEnd)
      close(childEnd)
      if let read = childOutput.read, let write = childOutput.write {
        close(read)
        close(write)
      }
      throw error
    }
    if pid == 0 {
      // Own process group: a Ctrl-C at the terminal reaches only the session.
      setpgid(0, 0)
      // Die with the parent, even when it is killed with SIGKILL; and if it already died
      // between fork and prctl, go now.
      if orphan {
        Engine.becomeOrphan(of: parent, session: sessionPid)
      } else {
        _ = proclab_set_pdeathsig(SIGKILL)
        if getppid() != parent { _exit(1) }
      }
      if !scheduling.isEmpty { Scheduling.startChild(scheduling, channel: childEnd) }
      // A child holds only what it uses: its stdout and stderr, not the pipe's own ends
      // (its read end would keep the pipe open for ever; the shared raw pipe's write end is
      // closed with the router's descriptors in resetInChild).
      if let write = childOutput.write {
        dup2(write, 1)
        dup2(write, 2)
        if let read = childOutput.read {
          close(read)
          if write > 2 { close(write) }
        }
      }
      close(parentEnd)
      becomeChild(named: name, channel: childEnd)
      return nil
    }
    setpgid(pid, pid)
    close(childEnd)
    if !scheduling.isEmpty {
      do {
        try Scheduling.settleChild(pid, scheduling, channel: parentEnd, name: name)
      } catch {
        close(parentEnd)
        if let read = childOutput.read, let write = childOutput.write {
          close(read)
          close(write)
        }
        throw error
      }
    }
    if let read = childOutput.read, let write = childOutput.write {
      close(write)
      output.attach(read, name: name, pid: pid)
    }
    Descriptors.setNonBlocking(parentEnd)
    // No pidfd (an old kernel, a seccomp filter, no descriptor left, or the fallback forced):
    // the loop learns of the exit by SIGCHLD instead.
    return ForkedChild(pid: pid, channel: parentEnd, pidfd: Engine.exitNoticesByPidfd ? proclab_pidfd_open(pid) : -1)
  }

  /// False when PROCLAB_EXIT_NOTICES=sigchld: every exit notice takes the SIGCHLD path, as
  /// where pidfd_open is missing (tests run joins and pools so).
  static let exitNoticesByPidfd: Bool = {
    guard let value = getenv("PROCLAB_EXIT_NOTICES") else { return true }
    return String(cString: value) != "sigchld"
  }()

  /// How a child ended, from the siginfo of waitid.
  static func termination(from info: siginfo_t) -> ProcessRecord.Termination {
    let status = info._sifields._sigchld.si_status
    return info.si_code == CLD_EXITED ? .exited(status) : .signaled(status)
  }
}
