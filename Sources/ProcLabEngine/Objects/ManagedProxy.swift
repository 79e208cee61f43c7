// What a process holds of a managed object: a proxy with its name, which asks the session for
// every read and change (Python's DictProxy, ListProxy, NamespaceProxy). A proxy crosses to
// other processes by name, as a queue does.
import ProcLabScript

/// `Manager()`: makes managed objects (the session owns them; there is no server process).
public final class ManagerHandle: Handle {
  unowned(unsafe) let engine: Engine

  init(engine: Engine) { self.engine = engine }

  public func make(_ kind: String, from start: Value) throws(ScriptError) -> any Handle {
    guard case .string(let name) = try engine.manage("", .tuple([.string("create"), .string(kind), start])) else {
      throw ScriptError(.processError, "the session did not name the new \(kind)")
    }
    return ManagedProxy.make(kind: kind, name: name)
  }

  public var typeName: String { "manager" }
  public var display: String { "<Manager of the session>" }
}

public class ManagedProxy {
  /// `dict-1`, `list-2`, `Namespace-3`: the session's name of the object.
  public let name: String

  init(name: String) { self.name = name }

  static func make(kind: String, name: String) -> any Handle {
    switch kind {
    case "dict": ManagedDict(name: name)
    case "list": ManagedList(name: name)
    default: ManagedNamespace(name: name)
    }
  }

  var kind: String { "" }

  /// Asks the session to do `operation` on the object.
  func call(_ operation: String, _ arguments: Value...) throws(ScriptError) -> Value {
    try call([.string(operation)] + arguments)
  }

  /// The operation's name, then its arguments.
  public func call(_ request: [Value]) throws(ScriptError) -> Value {
    try SharedArena.engine!.manage(name, .tuple(request))
  }
}

public final class ManagedDict: ManagedProxy, SequenceHandle {
  override var kind: String { "dict" }
  public func length() throws(ScriptError) -> Int { try call("len").intValue }
  public func item(_ key: Value) throws(ScriptError) -> Value { try call("getitem", key) }
  public func setItem(_ key: Value, to value: Value) throws(ScriptError) { _ = try call("setitem", key, value) }
  public func elements() throws(ScriptError) -> [Value] { try call("items").elementsIfSequence ?? [] }
  public var isMapping: Bool { true }
  public var typeName: String { "dict proxy" }
  public var display: String { "<DictProxy \(name)>" }
}

public final class ManagedList: ManagedProxy, SequenceHandle {
  override var kind: String { "list" }
  public func length() throws(ScriptError) -> Int { try call("len").intValue }
  public func item(_ key: Value) throws(ScriptError) -> Value { try call("getitem", key) }
  public func setItem(_ key: Value, to value: Value) throws(ScriptError) { _ = try call("setitem", key, value) }
  public func elements() throws(ScriptError) -> [Value] { try call("items").elementsIfSequence ?? [] }
  public var isMapping: Bool { false }
  public var typeName: String { "list proxy" }
  public var display: String { "<ListProxy \(name)>" }
}

/// `ns.x = 1` from any process; `ns.x` reads the session's value now.
public final class ManagedNamespace: ManagedProxy, AttributeHandle {
  override var kind: String { "Namespace" }

  public func attribute(_ name: String) throws(ScriptError) -> Value? {
    guard case .tuple(let found) = try call("getattr", .string(name)) else { return nil }
    return found.first
  }

  public func setAttribute(_ name: String, to value: Value) throws(ScriptError) { _ = try call("setattr", .string(name), value) }
  public var typeName: String { "namespace proxy" }
  public var display: String { "<NamespaceProxy \(name)>" }
}

extension Value {
  fileprivate var intValue: Int {
    if case .int(let n) = self { return n }
    return 0
  }
}

extension Engine {
  /// One request about a managed object, answered by the session's store: directly in the
  /// session, over this process's queue connection elsewhere.
  func manage(_ name: String, _ request: Value) throws(ScriptError) -> Value {
    try queueOperation(.manage, on: QueueTarget(name: name, unbounded: false), value: request)
  }

  public func makeManager() -> ManagerHandle { ManagerHandle(engine: self) }

  /// The managed objects and their contents, for `sync show` (the session's store only).
  public func managedReport() -> [(name: String, kind: String, contents: String)] {
    broker?.managed.report() ?? []
  }
}
