// A queue as a script holds it (`q = Queue(5)`, `queue q`). Every process that has the handle
// (or just the queue's name) reaches the same queue in the session (QueueService.swift).
import ProcLabScript

public final class QueueHandle: Handle {
  public let name: String
  /// nil when the handle was made from a name alone and the bound is not known here.
  public let maxsize: Int?
  public let joinable: Bool
  unowned let engine: Engine
  /// Made by Queue() in the session, with a name nobody typed: when the session's last handle
  /// goes, the queue goes too, once no process that could hold the handle is alive.
  let isAnonymous: Bool
  let createdAt = CPUClock.monotonicSeconds()

  init(name: String, maxsize: Int?, joinable: Bool, engine: Engine, isAnonymous: Bool = false) {
    self.name = name
    self.maxsize = maxsize
    self.joinable = joinable
    self.engine = engine
    self.isAnonymous = isAnonymous
  }

  deinit {
    if isAnonymous { engine.release(queue: name, madeAt: createdAt) }
  }

  public var typeName: String { "queue" }

  public var display: String {
    "<Queue \(name)\(maxsize ?? 0 > 0 ? " maxsize=\(maxsize!)" : "")\(joinable ? " joinable" : "")>"
  }

  /// A put on an unbounded queue needs no answer; one on a queue of unknown bound does.
  public var target: QueueTarget { QueueTarget(name: name, unbounded: maxsize == 0) }
}

/// The queue an operation is for: its name, and whether it is known to be unbounded (a put
/// on it then needs no answer).
public struct QueueTarget {
  public var name: String
  var unbounded: Bool
}
