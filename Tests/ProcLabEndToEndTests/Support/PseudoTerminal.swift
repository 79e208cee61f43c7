// Runs a program on a real pseudo-terminal and drives it as a user would: send keys, wait for text.
// The test runner is multi-threaded, so the child is started with posix_spawn, never fork().
import Glibc

struct PseudoTerminalError: Error, CustomStringConvertible {
  let description: String

  init(_ message: String, output: String = "") {
    description = output.isEmpty ? message : message + "\n--- output so far ---\n" + output
  }

  static func system(_ call: String) -> PseudoTerminalError {
    PseudoTerminalError("\(call) failed: \(String(cString: strerror(errno)))")
  }
}

final class PseudoTerminal {
  private let master: Int32
  private let pid: pid_t
  private var bytes: [UInt8] = []
  /// Where the next `waitFor` starts looking: just after the previous match, like expect(1).
  private var searchStart = 0
  private var masterClosedBySlave = false

  /// Starts `executable` (an absolute path) with exactly `environment`, plus TERM=xterm unless
  /// given, on a new pty that is its controlling terminal, so Ctrl-C written to it raises SIGINT.
  init(
    executable: String, arguments: [String], environment: [String: String], columns: Int = 100,
    rows: Int = 30
  ) throws {
    let pty = try PosixPTY.open(columns: columns, rows: rows)
    master = pty.master
    defer { close(pty.slave) }  // the child has its copies; ours would keep EOF from ever coming
    var environment = environment
    if environment["TERM"] == nil { environment["TERM"] = "xterm" }
    // setsid starts a new session and --ctty makes fd 0 (the slave) its controlling terminal. A
    // posix_spawn child is never a group leader, so setsid execs in place: our pid is the program's.
    let argv = ["/usr/bin/setsid", "--ctty", executable] + arguments
    do {
      pid = try Self.spawn(argv: argv, environment: environment, terminal: pty.slave)
    } catch {
      close(master)
      throw error
    }
  }

  deinit {
    // The program is not reaped before this point, so its pid (the group's id) cannot be reused
    // and the group kill cannot hit a stranger; it takes down anything the program left behind.
    killProcessGroup()
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    close(master)
  }

  /// Everything the program wrote so far, escapes included.
  var output: String {
    drain()
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Types `text`: "\r" is Enter, "\u{03}" Ctrl-C, "\u{04}" Ctrl-D, "\t" Tab, "\u{1b}[A" Up.
  func send(_ text: String) {
    var pending = Array(text.utf8)[...]
    while !pending.isEmpty {
      let written = pending.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
      if written > 0 {
        pending = pending.dropFirst(written)
      } else if written < 0 && (errno == EAGAIN || errno == EINTR) {
        drain()  // the program may be blocked writing to us; make room, then retry
        waitForMasterReadable(milliseconds: 10)
      } else {
        return
      }
    }
  }

  /// Waits until `needle` appears in output that arrived after the previous match, and returns
  /// all output so far. Throws, with the output, on timeout or when the program's side closes.
  @discardableResult
  func waitFor(_ needle: String, timeout: Double) throws -> String {
    let deadline = Clock.now + timeout
    let wanted = Array(needle.utf8)
    while true {
      drain()
      if let end = Self.find(wanted, in: bytes, from: searchStart) {
        searchStart = end
        return output
      }
      let remaining = deadline - Clock.now
      if masterClosedBySlave {
        throw PseudoTerminalError(
          "the program closed the terminal before \(quoted(needle)) appeared", output: output)
      }
      if remaining <= 0 {
        throw PseudoTerminalError(
          "timed out after \(timeout) s waiting for \(quoted(needle))", output: output)
      }
      waitForMasterReadable(milliseconds: Int32(min(remaining, 0.1) * 1000) + 1)
    }
  }

  /// The exit status (128 + signal number when a signal ended it, as shells report it).
  /// On timeout the whole process group is killed and an error thrown.
  func waitForExit(timeout: Double) throws -> Int32 {
    let deadline = Clock.now + timeout
    while true {
      drain()  // a program blocked on a full terminal buffer could otherwise never exit
      if let status = try exitStatus() { return status }
      if Clock.now >= deadline {
        killProcessGroup()
        throw PseudoTerminalError("the program did not exit within \(timeout) s", output: output)
      }
      waitForMasterReadable(milliseconds: 10)
    }
  }

  // MARK: Internals

  /// The status if the program has ended, leaving it a zombie (WNOWAIT) until deinit reaps it.
  private func exitStatus() throws -> Int32? {
    var info = siginfo_t()
    while waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) < 0 {
      if errno != EINTR { throw PseudoTerminalError.system("waitid") }
    }
    guard info._sifields._sigchld.si_pid == pid else { return nil }
    let status = info._sifields._sigchld.si_status
    return info.si_code == CLD_EXITED ? status : 128 + status
  }

  private func killProcessGroup() {
    // setsid made the program a group leader; until it has run, only the pid itself exists.
    kill(-pid, SIGKILL)
    kill(pid, SIGKILL)
  }

  /// Reads whatever the master has without blocking.
  private func drain() {
    var chunk = [UInt8](repeating: 0, count: 8192)
    while !masterClosedBySlave {
      let count = chunk.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
      if count > 0 {
        bytes.append(contentsOf: chunk[0..<count])
      } else if count < 0 && errno == EINTR {
        continue
      } else if count < 0 && errno == EAGAIN {
        return
      } else {
        masterClosedBySlave = true  // Linux reports EIO once every slave fd is closed
      }
    }
  }

  private func waitForMasterReadable(milliseconds: Int32) {
    var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
    _ = poll(&descriptor, 1, milliseconds)
  }

  private func quoted(_ text: String) -> String {
    "\"" + text.unicodeScalars.map { $0.escaped(asASCII: true) }.joined() + "\""
  }

  private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
    guard !needle.isEmpty else { return start }
    guard haystack.count - start >= needle.count else { return nil }
    for index in start...(haystack.count - needle.count)
    where haystack[index..<(index + needle.count)].elementsEqual(needle) {
      return index + needle.count
    }
    return nil
  }

  private static func spawn(argv: [String], environment: [String: String], terminal: Int32) throws
    -> pid_t
  {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for target: Int32 in 0...2 { posix_spawn_file_actions_adddup2(&actions, terminal, target) }

    // The runner may ignore or block signals, and both survive exec: the program starts clean.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    var allSignals = sigset_t()
    sigfillset(&allSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let cArguments = argv.map { strdup($0) } + [nil]
    let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for string in cArguments + cEnvironment { free(string) } }
    var pid: pid_t = 0
    let result = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
    guard result == 0 else {
      errno = result
      throw PseudoTerminalError.system("posix_spawn \(argv[0])")
    }
    return pid
  }
}

/// posix_openpt, grantpt, unlockpt and ptsname_r: glibc declares them only under _XOPEN_SOURCE,
/// which Swift's Glibc module lacks, and this target has no C shim; they are not variadic, so
/// calling them through dlsym with their exact C types is sound.
private enum PosixPTY {
  typealias FileDescriptorCall = @convention(c) (Int32) -> Int32
  typealias NameCall = @convention(c) (Int32, UnsafeMutablePointer<CChar>?, Int) -> Int32

  /// A master (non-blocking, close-on-exec) and its slave (close-on-exec; spawn dups it to 0-2).
  static func open(columns: Int, rows: Int) throws -> (master: Int32, slave: Int32) {
    let master = function("posix_openpt", as: FileDescriptorCall.self)(
      O_RDWR | O_NOCTTY | O_CLOEXEC)
    guard master >= 0 else { throw PseudoTerminalError.system("posix_openpt") }
    var path = [CChar](repeating: 0, count: 64)
    guard function("grantpt", as: FileDescriptorCall.self)(master) == 0,
      function("unlockpt", as: FileDescriptorCall.self)(master) == 0,
      function("ptsname_r", as: NameCall.self)(master, &path, path.count) == 0
    else {
      close(master)
      throw PseudoTerminalError.system("grantpt/unlockpt/ptsname_r")
    }
    var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
    _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
    let slave = path.withUnsafeBufferPointer {
      Glibc.open($0.baseAddress!, O_RDWR | O_NOCTTY | O_CLOEXEC)
    }
    guard slave >= 0 else {
      close(master)
      throw PseudoTerminalError.system("open slave")
    }
    return (master, slave)
  }

  private static func function<F>(_ name: String, as type: F.Type) -> F {
    guard let symbol = dlsym(nil, name) else { fatalError("glibc has no \(name)") }
    return unsafeBitCast(symbol, to: type)
  }
}

private enum Clock {
  static var now: Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
  }
}
