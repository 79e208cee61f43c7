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
  func forkChild(named name: String) throws(ScriptError) -> ForkedChild? {
    let threads = ProcFS.threadCount()
    guard threads == 1 else {
      throw ScriptError(.processError, "this process has \(threads) threads; forking it now would be unsafe")
    }
    let (parentEnd, childEnd) = try Descriptors.socketPair()
    let childOutput: (write: Int32?, read: Int32?)
    do {
      childOutput = try output.childOutput()
    } catch {
      close(parentEnd)
      close(childEnd)
      throw error
    }
    let parent = getpid()
    let pid = fork()
    if pid < 0 {
      let error = Descriptors.systemError("fork")
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
      _ = proclab_set_pdeathsig(SIGKILL)
      if getppid() != parent { _exit(1) }
      if let write = childOutput.write {
        dup2(write, 1)
        dup2(write, 2)
      }
      close(parentEnd)
      becomeChild(named: name, channel: childEnd)
      return nil
    }
    setpgid(pid, pid)
    close(childEnd)
    if let read = childOutput.read, let write = childOutput.write {
      close(write)
      output.attach(read, name: name, pid: pid)
    }
    Descriptors.setNonBlocking(parentEnd)
    return ForkedChild(pid: pid, channel: parentEnd, pidfd: proclab_pidfd_open(pid))
  }

  /// How a child ended, from the siginfo of waitid.
  static func termination(from info: siginfo_t) -> ProcessRecord.Termination {
    let status = info._sifields._sigchld.si_status
    return info.si_code == CLD_EXITED ? .exited(status) : .signaled(status)
  }
}
