// Which values can go to another process, and the one error for those that cannot. A value
// that cannot cross is refused in the sending process, before any byte of its frame is written.
import ProcLabScript

/// Why a value cannot be sent to another process. The codec throws it while encoding into a
/// buffer (nothing has been written yet); a sender turns it into the script's TypeError.
struct CrossingError: Error {
  enum Reason {
    /// A handle (process, pool, queue, pipe end, async result) lives in its own process.
    case handle(typeName: String, hint: String)
    /// Lists inside lists deeper than `Crossing.maxDepth`.
    case tooDeep
    /// An encoded message larger than its channel takes: a frame can say 4 GiB, and the
    /// session reads at most WireLimits.maxPeerFrame from a queue connection.
    case tooLarge(bytes: Int, limit: Int)
    /// A function whose `def` text is longer than a receiver compiles (WireLimits.maxSourceBytes).
    case sourceTooLarge(name: String, bytes: Int)
  }

  let reason: Reason

  init(_ reason: Reason) { self.reason = reason }

  init(handle: any Handle) {
    reason = .handle(typeName: handle.typeName, hint: Crossing.hint(for: handle))
  }

  /// `TypeError: cannot send a queue to another process (...)`, for the call that tried.
  var scriptError: ScriptError {
    switch reason {
    case .handle(let typeName, let hint):
      ScriptError(.typeError, "cannot send \(withArticle(typeName)) to another process (\(hint))")
    case .tooDeep:
      ScriptError(.typeError, "cannot send a value nested more than \(Crossing.maxDepth) lists deep to another process")
    case .tooLarge(let bytes, let limit):
      ScriptError(.valueError, "cannot send a value of \(bytes) bytes to another process (a message holds at most \(Crossing.size(limit)))")
    case .sourceTooLarge(let name, let bytes):
      ScriptError(
        .valueError,
        "cannot send function \(name) to another process: its definition has \(bytes) bytes (at most \(Crossing.size(WireLimits.maxSourceBytes)))")
    }
  }
}

enum Crossing {
  /// How deep lists may nest in a message: the codec recurses once per level, in the sender
  /// and in the receiver, and a receiver must not run out of stack on a hostile frame.
  static let maxDepth = 1000

  /// Throws when `value` cannot cross; walks lists, touches nothing else. For values that are
  /// kept in this process for another one (an item the session puts in its own queue, a
  /// task's arguments waiting in the pool), so the error comes at the call that tried.
  static func check(_ value: Value) throws(CrossingError) {
    try check(value, depth: 1)
  }

  /// Checks each value as one message's top-level values; TypeError for the first that
  /// cannot cross.
  static func checkEach(_ values: some Collection<Value>) throws(ScriptError) {
    do {
      for index in values.indices {
        // A map's items are most often ints: the tag says so without a copy of each value.
        if case .int = values[index] { continue }
        try check(values[index], depth: 1)
      }
    } catch {
      throw error.scriptError
    }
  }

  /// The same rules as WireWriter.value, level for level.
  private static func check(_ value: Value, depth: Int) throws(CrossingError) {
    guard depth <= maxDepth else { throw CrossingError(.tooDeep) }
    // Exhaustive on purpose: a new kind of value must say here whether it crosses.
    switch value {
    case .none, .bool, .int, .float, .string, .range, .error:
      return
    case .function, .builtin:
      // Functions cross by name and `def` text; the receiver finds or compiles its own copy.
      return
    case .list(let items), .tuple(let items):
      for item in items { try check(item, depth: depth + 1) }
    case .dict(let dict):
      for item in dict.keys + dict.values { try check(item, depth: depth + 1) }
    case .handle(let handle):
      if handle is SharedObject || handle is ManagedProxy { return }
      throw CrossingError(handle: handle)
    }
  }

  /// 64 MiB, 4 GiB, 256 KiB: a limit as people say it.
  static func size(_ bytes: Int) -> String {
    if bytes >= 1 << 30, bytes % (1 << 30) == 0 { return "\(bytes >> 30) GiB" }
    if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
    if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
    return "\(bytes) bytes"
  }

  /// What to do instead, by kind of handle.
  static func hint(for handle: any Handle) -> String {
    switch handle {
    case let queue as QueueHandle:
      "a queue is shared by inheritance: make it before starting the process, or pass its name, \"\(queue.name)\""
    case is PipeEnd: "a pipe end is shared by inheritance: make the pipe before starting the process"
    case is ProcessRecord: "a process handle belongs to its parent: send its pid"
    case is Pool: "a pool belongs to the session: submit its tasks from there"
    case is AsyncResult: "an async result belongs to the process that submitted it: get its value and send that"
    default: "it belongs to the process that made it"
    }
  }
}

extension ChannelMessage {
  /// The frame, with an encoding failure as the sender's TypeError.
  func scriptFrame() throws(ScriptError) -> [UInt8] {
    do {
      return try encodedFrame()
    } catch {
      throw error.scriptError
    }
  }
}
