// What every object in the shared arena has: its place, its name, and the engine that blocks
// for it. Handles are per process; the object itself is the arena's bytes.
import CSystem
import Glibc
import ProcLabScript

public class SharedObject {
  let arena: SharedArena
  /// Where the object starts in the arena: the same in every process of the session.
  public let offset: Int
  /// unowned(unsafe): the engine lives as long as its process.
  unowned(unsafe) let engine: Engine

  init(arena: SharedArena, offset: Int, engine: Engine) {
    self.arena = arena
    self.offset = offset
    self.engine = engine
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
