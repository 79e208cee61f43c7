// What every object in the shared arena has: its place, its name, and the engine that blocks
// for it. Handles are per process; the object itself is the arena's bytes.
import CSystem
import Glibc
import ProcLabScript

public class SharedObject {
  let arena: SharedArena
  /// Where the object starts in the arena: the same in every process of the session.
  public let offset: Int
  /// The engine that blocks for it: the one of this process (a handle that crossed from
  /// another process, or was made before a fork, must wait with this process's engine).
  var engine: Engine { SharedArena.engine! }

  init(arena: SharedArena, offset: Int) {
    self.arena = arena
    self.offset = offset
  }

  /// `Lock-1`, `Value-3`: numbered across the whole session, as `ps` and warnings name it.
  public var name: String { arena.name(at: offset) }

  var payload: UnsafeMutableRawPointer { arena.base + offset + SharedObjectLayout.payload }

  func word(_ at: Int) -> UnsafeMutablePointer<UInt32> { (payload + at).assumingMemoryBound(to: UInt32.self) }
}

/// This process's PID, kept so a lock's fast path makes no system call (glibc no longer
/// caches getpid); set again in every forked child (Engine.becomeChild).
enum ProcessIdentity {
  nonisolated(unsafe) static var pid: pid_t = getpid()
}
