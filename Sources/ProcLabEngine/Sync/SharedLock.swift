// Lock and RLock as one futex word in the shared arena: acquiring a free lock is one
// compare-and-swap, releasing an uncontended one one exchange; only a wait enters the kernel.
import CSystem
import Glibc
import ProcLabScript

/// Payload: `state` (0 free, 1 held, 2 held and maybe waited for: Drepper's "Futexes Are
/// Tricky" mutex), the holder's PID, for an RLock how many times it holds it, and how many
/// times it was taken (so the session's 20 ms look at holders tells one long hold from two).
public final class SharedLock: SharedObject, ContextHandle {
  private static let state = 0
  private static let owner = 4
  private static let depth = 8
  private static let generation = 12
  static let payloadBytes = 16

  public var recursive: Bool { arena.kind(at: offset) == .rlock }

  private var stateWord: UnsafeMutablePointer<UInt32> { word(SharedLock.state) }

  /// The holder's PID; 0 when free (or in the instant between taking the word and writing it).
  public var owner: pid_t { Int32(bitPattern: proclab_load32(word(SharedLock.owner))) }

  /// The holder of the lock at `offset`, without a handle (the session's graph reads many).
  static func owner(in arena: SharedArena, at offset: Int) -> pid_t {
    Int32(bitPattern: proclab_load32(arena.word(offset + SharedObjectLayout.payload + SharedLock.owner)))
  }

  /// Who holds the lock at `offset` and how many times it had been taken then, for the
  /// session's look at holds (Engine+HoldWatch): one read each, without a handle.
  static func hold(in arena: SharedArena, at offset: Int) -> (owner: pid_t, generation: UInt32) {
    let payload = arena.base + offset + SharedObjectLayout.payload
    return (
      Int32(bitPattern: proclab_load32(arena.word(offset + SharedObjectLayout.payload + SharedLock.owner))),
      payload.load(fromByteOffset: SharedLock.generation, as: UInt32.self)
    )
  }

  public var isLocked: Bool { proclab_load32(stateWord) != 0 }

  /// Python's acquire(block, timeout): true once held, false when not blocking or timed out.
  public func acquire(block: Bool = true, timeout: Double? = nil) throws(ScriptError) -> Bool {
    let me = ProcessIdentity.pid
    if recursive, owner == me {
      (payload + SharedLock.depth).storeBytes(of: (payload + SharedLock.depth).load(as: UInt32.self) + 1, as: UInt32.self)
      return true
    }
    if proclab_cas32(stateWord, 0, 1) == 0 {
      guard block else { return false }
      let word = stateWord
      let taken = try engine.waitShared(.lock, object: offset, timeout: timeout, waiters: nil) {
        proclab_exchange32(word, 2) == 0 ? .done : .sleep(word, 2)
      }
      guard taken else { return false }
    }
    proclab_store32(word(SharedLock.owner), UInt32(bitPattern: me))
    (payload + SharedLock.depth).storeBytes(of: 1, as: UInt32.self)
    // A plain store on the line the compare-and-swap just took: no cost worth measuring.
    let taken = payload + SharedLock.generation
    taken.storeBytes(of: taken.load(as: UInt32.self) &+ 1, as: UInt32.self)
    return true
  }

  /// Python's release(): a Lock held by no one is a ValueError, an RLock this process does not
  /// hold an AssertionError (multiprocessing's own errors and messages).
  public func release() throws(ScriptError) {
    if recursive {
      guard owner == ProcessIdentity.pid, isLocked else {
        throw ScriptError(.assertionError, "attempt to release recursive lock not owned by thread")
      }
      let depth = (payload + SharedLock.depth).load(as: UInt32.self)
      if depth > 1 {
        (payload + SharedLock.depth).storeBytes(of: depth - 1, as: UInt32.self)
        return
      }
    } else if !isLocked {
      throw ScriptError(.valueError, "semaphore or lock released too many times")
    }
    unlock()
  }

  /// For a Condition's wait: lets go however deeply this process holds it; returns the depth.
  func releaseFully() -> UInt32 {
    let depth = (payload + SharedLock.depth).load(as: UInt32.self)
    unlock()
    return depth
  }

  /// Takes it back after a Condition's wait, as deeply as it was held.
  func reacquire(depth: UInt32) throws(ScriptError) {
    // Blocking with no timeout returns only once held (or throws on Ctrl-C).
    _ = try acquire()
    (payload + SharedLock.depth).storeBytes(of: max(depth, 1), as: UInt32.self)
  }

  private func unlock() {
    proclab_store32(word(SharedLock.owner), 0)
    (payload + SharedLock.depth).storeBytes(of: 0, as: UInt32.self)
    if proclab_exchange32(stateWord, 0) == 2 { _ = proclab_futex_wake(stateWord, 1) }
  }

  /// The session frees a lock whose holder died; true if `pid` held it.
  func releaseIfHeld(by pid: pid_t) -> Bool {
    guard isLocked, owner == pid else { return false }
    unlock()
    return true
  }

  public func enter() throws(ScriptError) { _ = try acquire() }
  public func exit() throws(ScriptError) { try release() }

  public var typeName: String { "lock" }

  public var display: String {
    let kind = recursive ? "RLock" : "Lock"
    guard isLocked else { return "<\(kind) \(name) unlocked>" }
    return "<\(kind) \(name) held by \(engine.describeProcess(owner))>"
  }
}
