// The global variables: one cell per name, made once and never removed, so compiled code
// holds the cell of each global it names and reads it without hashing the name at run time.
// Read and written by name too (the engine and the shell set `_` and pool functions).

/// The value of one global name; nil while the name is not bound.
public final class GlobalCell {
  public let name: String
  private(set) var value: Value?
  /// Where a function this cell held goes when the cell is given another value (see retired).
  private unowned(unsafe) let table: GlobalTable

  init(_ name: String, in table: GlobalTable) {
    self.name = name
    self.table = table
  }

  func store(_ newValue: Value?) {
    if case .function(let function)? = value, table.callsRunning { table.retired.append(function) }
    value = newValue
  }

  /// Stores an int, as ValueStack.setInt does: over an int or nothing, with no destroy.
  @inline(__always)
  func setInt(_ i: Int) {
    switch value {
    case .int?, nil: withUnsafeMutablePointer(to: &value) { $0.initialize(to: .int(i)) }
    default: store(.int(i))
    }
  }

  /// The function this cell holds, not retained: a call made through the cell borrows it, as
  /// the cell keeps it alive, and `retired` keeps it once the cell lets it go.
  @inline(__always)
  var function: Unmanaged<Function>? {
    if case .function(let function)? = value { return Unmanaged.passUnretained(function) }
    return nil
  }
}

public final class GlobalTable: Sequence {
  /// Cells in the order their names were first seen: iteration (the pool's look at the
  /// session's functions) sees the globals in a stable order.
  private var cells: [GlobalCell] = []
  private var index: [String: Int] = [:]
  /// Functions a cell held until it was assigned another value while calls ran: one of them
  /// may be running (it borrowed the function from the cell), so they live until no call runs.
  var retired: [Function] = []
  /// The interpreter whose calls borrow functions from these cells.
  unowned(unsafe) var owner: Interpreter?

  /// Some call is running, so a function a cell lets go of may be running too.
  var callsRunning: Bool { (owner?.callDepth ?? 0) > 0 }

  init() {}

  /// The cell of `name`, made (unbound) on first use.
  func cell(_ name: String) -> GlobalCell {
    if let i = index[name] { return cells[i] }
    let made = GlobalCell(name, in: self)
    index[name] = cells.count
    cells.append(made)
    return made
  }

  public subscript(name: String) -> Value? {
    get { index[name].flatMap { cells[$0].value } }
    set {
      if newValue == nil, index[name] == nil { return }
      cell(name).store(newValue)
    }
  }

  /// The cell of `name` when it is bound now.
  func boundCell(_ name: String) -> GlobalCell? {
    guard let i = index[name], cells[i].value != nil else { return nil }
    return cells[i]
  }

  /// Unbinds every name: compiled code holds cells, and cells hold functions that hold
  /// their compiled code, so the interpreter breaks these cycles as it goes.
  func unbindAll() {
    for cell in cells { cell.store(nil) }
    retired = []
  }

  /// The names bound now.
  public var keys: [String] { cells.compactMap { $0.value == nil ? nil : $0.name } }

  public func makeIterator() -> some IteratorProtocol<(key: String, value: Value)> {
    var position = 0
    let cells = self.cells
    return AnyIterator { () -> (key: String, value: Value)? in
      while position < cells.count {
        let cell = cells[position]
        position += 1
        if let value = cell.value { return (cell.name, value) }
      }
      return nil
    }
  }
}
