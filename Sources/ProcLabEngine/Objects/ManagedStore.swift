// The session's managed objects: the dicts, lists and namespaces a Manager() hands out. They
// live in the session (the broker holds them, beside the queues); every process, the session
// included, changes them by one request each, so each change is whole and they are exact.
import ProcLabScript

final class ManagedStore {
  enum Kind: String {
    case dict, list, namespace = "Namespace"
  }

  /// A namespace keeps its attributes as a dict of names.
  private enum Object {
    case dict(Dict)
    case list([Value])
  }

  private var objects: [String: (kind: Kind, object: Object)] = [:]
  /// The names in the order made, for `sync show`.
  private(set) var names: [String] = []
  private var made = 0

  /// One operation: `operation` and its arguments, as ManagedProxy sends them.
  func perform(on name: String, _ request: Value) -> Result<Value, ScriptError> {
    guard case .tuple(let parts) = request, case .string(let operation) = parts.first else {
      return .failure(ScriptError(.processError, "a malformed request for managed object \(name)"))
    }
    let arguments = Array(parts.dropFirst())
    do throws(ScriptError) {
      if operation == "create" { return .success(.string(try create(arguments))) }
      guard let entry = objects[name] else { throw ScriptError(.nameError, "no managed object named \(name)") }
      var object = entry.object
      let result = try apply(operation, arguments, to: &object, kind: entry.kind, name: name)
      objects[name] = (entry.kind, object)
      return .success(result)
    } catch {
      return .failure(error)
    }
  }

  private func create(_ arguments: [Value]) throws(ScriptError) -> String {
    guard case .string(let word)? = arguments.first, let kind = Kind(rawValue: word) else {
      throw ScriptError(.valueError, "a manager makes dict, list or Namespace")
    }
    made += 1
    let name = "\(kind.rawValue)-\(made)"
    let start = arguments.count > 1 ? arguments[1] : .none
    switch kind {
    case .list:
      objects[name] = (kind, .list(start.elementsIfSequence ?? []))
    case .dict, .namespace:
      if case .dict(let d) = start { objects[name] = (kind, .dict(d)) } else { objects[name] = (kind, .dict(Dict())) }
    }
    names.append(name)
    return name
  }

  /// What `sync show` prints of each: its name and its contents now.
  func report() -> [(name: String, kind: String, contents: String)] {
    names.compactMap { name in
      guard let entry = objects[name] else { return nil }
      switch entry.object {
      case .dict(let d): return (name, entry.kind.rawValue, Value.dict(d).repr)
      case .list(let items): return (name, entry.kind.rawValue, Value.list(items).repr)
      }
    }
  }

  private func apply(_ operation: String, _ arguments: [Value], to object: inout Object, kind: Kind, name: String) throws(ScriptError) -> Value {
    func argument(_ i: Int) -> Value { i < arguments.count ? arguments[i] : .none }
    switch object {
    case .list(var items):
      defer { object = .list(items) }
      switch operation {
      case "len": return .int(items.count)
      case "items": return .list(items)
      case "getitem": return items[try sequencePosition(argument(0), count: items.count)]
      case "setitem": items[try sequencePosition(argument(0), count: items.count)] = argument(1)
      case "delitem": items.remove(at: try sequencePosition(argument(0), count: items.count))
      case "append": items.append(argument(0))
      case "extend": items.append(contentsOf: argument(0).elementsIfSequence ?? [])
      case "insert":
        guard case .int(let at) = argument(0) else { throw ScriptError(.typeError, "insert() index must be an int") }
        let clipped = at < 0 ? max(0, items.count + at) : min(at, items.count)
        items.insert(argument(1), at: clipped)
      case "pop":
        guard !items.isEmpty else { throw ScriptError(.indexError, "pop from empty list") }
        let at = argument(0) == .none ? items.count - 1 : try sequencePosition(argument(0), count: items.count)
        return items.remove(at: at)
      case "remove":
        guard let at = items.firstIndex(of: argument(0)) else { throw ScriptError(.valueError, "list.remove(x): x not in list") }
        items.remove(at: at)
      case "index":
        guard let at = items.firstIndex(of: argument(0)) else { throw ScriptError(.valueError, "\(argument(0).repr) is not in list") }
        return .int(at)
      case "count": return .int(items.filter { $0 == argument(0) }.count)
      case "clear": items = []
      default: throw ScriptError(.attributeError, "a list proxy has no method '\(operation)'")
      }
      return .none
    case .dict(var d):
      defer { object = .dict(d) }
      switch operation {
      case "len": return .int(d.count)
      case "items": return .list(d.keys)
      case "values": return .list(d.values)
      case "pairs": return .list(zip(d.keys, d.values).map { .tuple([$0, $1]) })
      case "copy": return .dict(d)
      case "getitem", "getattr":
        guard let value = try d.value(for: argument(0)) else {
          if operation == "getattr" { return .tuple([]) }
          throw ScriptError(.keyError, argument(0).repr)
        }
        return operation == "getattr" ? .tuple([value]) : value
      case "get": return try d.value(for: argument(0)) ?? argument(1)
      case "setitem", "setattr": try d.set(argument(1), for: argument(0))
      case "delitem", "delattr":
        guard try d.remove(argument(0)) != nil else {
          throw operation == "delattr" ? ScriptError(.attributeError, "\(argument(0).description)") : ScriptError(.keyError, argument(0).repr)
        }
      case "pop":
        if let value = try d.remove(argument(0)) { return value }
        guard arguments.count > 1 else { throw ScriptError(.keyError, argument(0).repr) }
        return argument(1)
      case "setdefault":
        if let value = try d.value(for: argument(0)) { return value }
        try d.set(argument(1), for: argument(0))
        return argument(1)
      case "update":
        guard case .dict(let more) = argument(0) else { throw ScriptError(.typeError, "update() takes a dict") }
        for (key, value) in zip(more.keys, more.values) { try d.set(value, for: key) }
      case "clear": d = Dict()
      default: throw ScriptError(.attributeError, "a dict proxy has no method '\(operation)'")
      }
      return .none
    }
  }
}
