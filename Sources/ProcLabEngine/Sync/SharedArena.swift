// The session's shared arena: one MAP_SHARED region mapped when the session starts, so every
// process it forks (and theirs) sees the same pages at the same address, and a lock or value
// made by any of them, before or after another was forked, is reachable by all.
import CSystem
import Glibc
import ProcLabScript

/// Layout, all offsets from the start of the region (fresh pages read as zeros):
/// - header: the bump pointer (from the first object), the object count, how many processes
///   wait now;
/// - `slotCount` process slots: who waits for what, written by the waiter itself;
/// - a directory of every object's offset, for the session's scans (dead holders, cycles);
/// - objects, allocated by an atomic bump of the pointer and never freed (they live as long
///   as the session; untouched pages of the region cost nothing).
public final class SharedArena: @unchecked Sendable {
  /// The arena of this process tree, mapped by the session before its first fork.
  nonisolated(unsafe) public private(set) static var current: SharedArena?
  /// The engine of this process, which blocks for its handles (one engine per process).
  /// unowned(unsafe): it lives as long as the process.
  nonisolated(unsafe) static unowned(unsafe) var engine: Engine?

  static let size = 256 << 20
  static let slotCount = 512
  static let slotSize = 64
  static let maxObjects = 16384
  private static let nextOffset = 8
  private static let objectCountOffset = 16
  private static let waitingOffset = 20
  private static let slotsOffset = 64
  private static let directoryOffset = slotsOffset + slotCount * slotSize
  private static let objectsStart = directoryOffset + maxObjects * 8

  let base: UnsafeMutableRawPointer

  private init(base: UnsafeMutableRawPointer) {
    self.base = base
  }

  /// Maps the arena once, in the session; children inherit the mapping with fork.
  static func mapAtSessionStart() throws(ScriptError) {
    guard current == nil else { return }
    guard let region = proclab_map_shared(size) else {
      throw ScriptError(.osError, "mmap of the shared arena (\(size >> 20) MiB, MAP_SHARED|MAP_NORESERVE) failed: \(String(cString: strerror(errno)))")
    }
    current = SharedArena(base: region)
  }

  func word(_ offset: Int) -> UnsafeMutablePointer<UInt32> {
    (base + offset).assumingMemoryBound(to: UInt32.self)
  }

  // MARK: objects

  /// How many objects were made in the whole process tree.
  var objectCount: Int { Int(min(proclab_load32(word(SharedArena.objectCountOffset)), UInt32(SharedArena.maxObjects))) }

  /// How many processes are waiting on an arena object or a join right now.
  var waitingCount: UInt32 { proclab_load32(word(SharedArena.waitingOffset)) }

  /// Room for an object of `bytes` bytes (zeroed) and its number, from any process. Its
  /// header holds the kind, the number and a name; the directory lists it once it is made.
  func allocate(kind: SharedKind, payload bytes: Int, name: (Int) -> String) throws(ScriptError) -> Int {
    let index = Int(proclab_add32(word(SharedArena.objectCountOffset), 1))
    guard index < SharedArena.maxObjects else {
      throw ScriptError(.memoryError, "a session holds at most \(SharedArena.maxObjects) locks, events, values and arrays")
    }
    let total = UInt64((SharedObjectLayout.payload + bytes + 63) & ~63)
    // The pointer counts from the first object, so a fresh arena needs no write (a session
    // that makes no object never touches a page of it).
    let counter = (base + SharedArena.nextOffset).assumingMemoryBound(to: UInt64.self)
    let offset = SharedArena.objectsStart + Int(proclab_add64(counter, total))
    guard offset + Int(total) <= SharedArena.size else {
      throw ScriptError(.memoryError, "the shared arena (\(SharedArena.size >> 20) MiB) is full: \(bytes) more bytes do not fit")
    }
    let object = base + offset
    object.storeBytes(of: kind.rawValue, as: UInt32.self)
    object.storeBytes(of: UInt32(index + 1), toByteOffset: 4, as: UInt32.self)
    let text = Array(name(index + 1).utf8.prefix(SharedObjectLayout.nameBytes - 1))
    for (i, byte) in text.enumerated() { object.storeBytes(of: byte, toByteOffset: 8 + i, as: UInt8.self) }
    (base + SharedArena.directoryOffset + index * 8).storeBytes(of: UInt64(offset), as: UInt64.self)
    return offset
  }

  /// The offsets of every object made so far (an entry still being written reads as 0).
  var objectOffsets: [Int] {
    (0..<objectCount).compactMap { i in
      let offset = Int((base + SharedArena.directoryOffset + i * 8).load(as: UInt64.self))
      return offset == 0 ? nil : offset
    }
  }

  /// A handle on the object at `offset`, as a message from another process names it; nil
  /// unless an object starts there (its number's directory entry points back at it).
  func handle(at offset: Int) -> (any Handle)? {
    guard offset >= SharedArena.objectsStart, offset < SharedArena.size - SharedObjectLayout.payload, offset % 64 == 0,
      let kind = kind(at: offset)
    else { return nil }
    let number = Int((base + offset + 4).load(as: UInt32.self))
    guard number >= 1, number <= objectCount, Int((base + SharedArena.directoryOffset + (number - 1) * 8).load(as: UInt64.self)) == offset else {
      return nil
    }
    switch kind {
    case .lock, .rlock: return SharedLock(arena: self, offset: offset)
    case .semaphore, .boundedSemaphore: return SharedSemaphore(arena: self, offset: offset)
    case .event: return SharedEvent(arena: self, offset: offset)
    case .value: return SharedValue(arena: self, offset: offset)
    case .array: return SharedArray(arena: self, offset: offset)
    case .condition: return SharedCondition(arena: self, offset: offset)
    case .barrier: return SharedBarrier(arena: self, offset: offset)
    }
  }

  func kind(at offset: Int) -> SharedKind? { SharedKind(rawValue: (base + offset).load(as: UInt32.self)) }

  func name(at offset: Int) -> String {
    let start = (base + offset + 8).assumingMemoryBound(to: UInt8.self)
    return String(decoding: UnsafeBufferPointer(start: start, count: strnlen(start, SharedObjectLayout.nameBytes)), as: UTF8.self)
  }

  // MARK: process slots

  /// This process's slot (claimed on its first wait), by PID: a forked child claims its own.
  private var mySlot: (pid: pid_t, offset: Int)?

  func slot(of pid: pid_t) -> Int? {
    for i in 0..<SharedArena.slotCount {
      let offset = SharedArena.slotsOffset + i * SharedArena.slotSize
      if Int32(bitPattern: proclab_load32(word(offset))) == pid { return offset }
    }
    return nil
  }

  /// The slot of this process, claimed the first time (nil if all are taken: the wait is
  /// then not shown, and takes part in no cycle).
  func ownSlot(name: String) -> Int? {
    let pid = getpid()
    if let mySlot, mySlot.pid == pid { return mySlot.offset }
    var found = slot(of: pid)
    if found == nil {
      for i in 0..<SharedArena.slotCount {
        let offset = SharedArena.slotsOffset + i * SharedArena.slotSize
        if proclab_cas32(word(offset), 0, UInt32(bitPattern: pid)) != 0 {
          found = offset
          break
        }
      }
    }
    guard let offset = found else { return nil }
    let text = Array(name.utf8.prefix(SharedSlot.nameBytes - 1)) + [0]
    for (i, byte) in text.enumerated() { (base + offset + SharedSlot.name + i).storeBytes(of: byte, as: UInt8.self) }
    mySlot = (pid, offset)
    return offset
  }

  /// Records what this process waits on; `object` is an arena offset, `pids` the processes
  /// a join waits for (at most four are kept).
  func beginWait(_ slot: Int, _ kind: WaitKind, object: Int = 0, pids: [pid_t] = []) {
    let s = base + slot
    s.storeBytes(of: UInt64(object), toByteOffset: SharedSlot.object, as: UInt64.self)
    s.storeBytes(of: CPUClock.monotonicSeconds(), toByteOffset: SharedSlot.since, as: Double.self)
    for i in 0..<SharedSlot.joinCount {
      s.storeBytes(of: i < pids.count ? pids[i] : 0, toByteOffset: SharedSlot.joins + 4 * i, as: Int32.self)
    }
    proclab_store32(word(slot + SharedSlot.stuck), 0)
    proclab_store32(word(slot + SharedSlot.kind), kind.rawValue)
    proclab_add32(word(SharedArena.waitingOffset), 1)
  }

  func endWait(_ slot: Int) {
    proclab_store32(word(slot + SharedSlot.kind), 0)
    proclab_store32(word(slot + SharedSlot.stuck), 0)
    proclab_sub32(word(SharedArena.waitingOffset), 1)
  }

  /// Frees an ended process's slot (its parent calls this when it notices the end).
  func releaseSlot(of pid: pid_t) {
    guard let offset = slot(of: pid) else { return }
    if proclab_load32(word(offset + SharedSlot.kind)) != 0 { endWait(offset) }
    proclab_store32(word(offset), 0)
  }

  /// Every slot in use, read now.
  func waits() -> [SlotWait] {
    var found: [SlotWait] = []
    for i in 0..<SharedArena.slotCount {
      let offset = SharedArena.slotsOffset + i * SharedArena.slotSize
      let pid = Int32(bitPattern: proclab_load32(word(offset)))
      guard pid != 0, let kind = WaitKind(rawValue: proclab_load32(word(offset + SharedSlot.kind))), kind != .none else { continue }
      let s = base + offset
      let pids = (0..<SharedSlot.joinCount).map { s.load(fromByteOffset: SharedSlot.joins + 4 * $0, as: Int32.self) }.filter { $0 != 0 }
      let start = (s + SharedSlot.name).assumingMemoryBound(to: UInt8.self)
      found.append(
        SlotWait(
          slot: offset, pid: pid, name: String(decoding: UnsafeBufferPointer(start: start, count: strnlen(start, SharedSlot.nameBytes)), as: UTF8.self),
          kind: kind, object: Int(s.load(fromByteOffset: SharedSlot.object, as: UInt64.self)), joins: pids,
          since: s.load(fromByteOffset: SharedSlot.since, as: Double.self),
          stuck: Stuck(rawValue: proclab_load32(word(offset + SharedSlot.stuck))) ?? .no))
    }
    return found
  }

  func mark(_ slot: Int, _ stuck: Stuck) {
    proclab_store32(word(slot + SharedSlot.stuck), stuck.rawValue)
  }

  func mark(slotOf pid: pid_t, _ stuck: Stuck) {
    if let offset = slot(of: pid) { mark(offset, stuck) }
  }

  /// How a slot's waiter stands in the wait-for graph (see WaitGraph): for `ps` and `join`.
  func stuck(of pid: pid_t) -> Stuck {
    guard let offset = slot(of: pid), proclab_load32(word(offset + SharedSlot.kind)) != 0 else { return .no }
    return Stuck(rawValue: proclab_load32(word(offset + SharedSlot.stuck))) ?? .no
  }
}

/// What kind of object sits at an offset.
enum SharedKind: UInt32 {
  case lock = 1, rlock, semaphore, boundedSemaphore, event, value, array, condition, barrier
}

/// What a process waits on, as its slot says.
enum WaitKind: UInt32 {
  case none = 0, lock, semaphore, event, join, condition, barrier
}

/// Whether a waiter can ever go on: `deadlocked` is on a cycle, `behindDeadlock` waits
/// (through locks or joins) for one that is.
enum Stuck: UInt32 {
  case no = 0, deadlocked, behindDeadlock
}

/// One slot as read by the session.
struct SlotWait {
  let slot: Int
  let pid: pid_t
  let name: String
  let kind: WaitKind
  let object: Int
  let joins: [pid_t]
  let since: Double
  let stuck: Stuck
}

/// Offsets inside a process slot.
enum SharedSlot {
  static let kind = 4
  static let object = 8
  static let since = 16
  static let joins = 24
  static let joinCount = 4
  static let stuck = 40
  static let name = 44
  static let nameBytes = 20
}

/// Offsets inside an object: kind, number, name, then the payload.
enum SharedObjectLayout {
  static let nameBytes = 40
  static let payload = 48
}
