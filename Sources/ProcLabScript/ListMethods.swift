// Methods of lists (`xs.append(v)`) and the ones tuples share (`t.index(v)`, `t.count(v)`).
// A method that changes the list works on a copy the caller writes back to the variable.

enum ListMethods {
  /// Every method name, as `dir` lists them.
  static let names = ["append", "count", "extend", "index", "insert", "pop"]
  /// The methods a tuple has too: those that leave the sequence as it is.
  static let tupleNames = ["count", "index"]

  static func changesList(_ name: String) -> Bool {
    name == "append" || name == "extend" || name == "insert" || name == "pop"
  }

  /// `xs.append(item)`, checked against the memory budget when the list must grow.
  @inline(__always)
  static func append(_ item: Value, to items: inout [Value]) throws(ScriptError) {
    if items.count == items.capacity {
      try MemoryBudget.checkItems(items.count, adding: items.count)
      if items.count >= LargeLists.minimumItems { LargeLists.grow(&items) }
    }
    items.append(item)
  }

  /// Runs the method on `items`; nil when there is no such method.
  static func call(_ items: inout [Value], _ name: String, _ call: BuiltinCall) throws(ScriptError) -> Value? {
    switch name {
    case "append":
      try append(try call.argument(0, "the item to append"), to: &items)
      return Value.none
    case "extend":
      let more = try call.argument(0, "a sequence")
      guard let elements = try more.sequenceElements(interrupts: call.interpreter.host) else {
        throw ScriptError(.typeError, "extend() takes a sequence, not \(more.typeNameWithArticle)")
      }
      try MemoryBudget.checkItems(items.count, adding: elements.count)
      items.append(contentsOf: elements)
      return Value.none
    case "insert":
      guard case .int(let i) = try call.argument(0, "an index") else { throw ScriptError(.typeError, "insert() needs an int index") }
      let at = i < 0 ? max(0, items.count + i) : min(i, items.count)
      if items.count == items.capacity { try MemoryBudget.checkItems(items.count, adding: items.count) }
      items.insert(try call.argument(1, "the item to insert"), at: at)
      return Value.none
    case "pop":
      guard !items.isEmpty else { throw ScriptError(.indexError, "pop from an empty list") }
      guard let index = call.arguments.first else { return items.removeLast() }
      return items.remove(at: try Operators.listIndex(index, count: items.count, at: call.location))
    case "index":
      let item = try call.argument(0, "the item to find")
      guard let i = items.firstIndex(of: item) else { throw ScriptError(.valueError, "\(item.repr) is not in the sequence") }
      return .int(i)
    case "count":
      return .int(count(try call.argument(0, "the item to count"), in: items))
    default:
      return nil
    }
  }

  private static func count(_ item: Value, in items: [Value]) -> Int {
    items.reduce(0) { $1 == item ? $0 + 1 : $0 }
  }

  /// `xs.index(v)` and `xs.count(v)` on a list or tuple for a compiled call site, as
  /// StringMethods.quick: nil for an item not there, which `call` reports.
  static func quick(_ items: [Value], _ method: ValueMethod, _ argument: Value) -> Value? {
    switch method {
    case .index: items.firstIndex(of: argument).map { .int($0) }
    case .count: .int(count(argument, in: items))
    default: nil
    }
  }
}
