// Starts real child processes for the engine tests with posix_spawn, because
// fork() in the multi-threaded test runner is exactly what the design forbids.
import Glibc
import XCTest

/// A child started with posix_spawn in its own process group, so that killing
/// the group also ends whatever the child started.
struct SpawnedProcess {
  let pid: pid_t

  init(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
    posix_spawnattr_setpgroup(&attributes, 0)

    let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=/usr/bin:/bin"), nil]
    defer { for pointer in argv + envp { free(pointer) } }

    var pid: pid_t = 0
    let result = posix_spawn(&pid, arguments[0], nil, &attributes, argv, envp)
    guard result == 0 else {
      XCTFail("posix_spawn \(arguments[0]): errno \(result)", file: file, line: line)
      throw SpawnFailed()
    }
    self.pid = pid
  }

  /// Kills the child's whole group and reaps the child itself; grandchildren
  /// are left to PID 1, as they would be after a real session ends.
  func killAndReap() {
    kill(-pid, SIGKILL)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
  }
}

struct SpawnFailed: Error {}

/// Polls `condition` until it holds or `seconds` pass; children need a moment
/// to exec and to fork their own children.
func eventually(within seconds: Double = 5, _ condition: () -> Bool) -> Bool {
  var waited = 0.0
  while !condition() {
    if waited >= seconds { return false }
    usleep(10_000)
    waited += 0.01
  }
  return true
}
