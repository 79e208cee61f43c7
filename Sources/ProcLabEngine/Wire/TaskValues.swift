// The items of a pool task, or the values it gave. A map's items and results are most often
// ints: those cross packed (see WireWriter.values) and are kept as plain numbers on arrival,
// which cost nothing to free; an array of values is freed value by value (about as long as
// the call of a tiny function per item).
import ProcLabScript

enum TaskValues {
  /// Ints, as they arrived packed, or as a worker's results while every one was an int.
  case ints([Int])
  /// Anything else, or a chunk of a map's items in the session (a slice of the map's list,
  /// kept without a copy to send again if a worker dies).
  case values(ArraySlice<Value>)
}

extension TaskValues: RandomAccessCollection {
  var startIndex: Int { 0 }

  var endIndex: Int {
    switch self {
    case .ints(let numbers): numbers.count
    case .values(let values): values.count
    }
  }

  subscript(position: Int) -> Value {
    switch self {
    case .ints(let numbers): .int(numbers[position])
    case .values(let values): values[values.startIndex + position]
    }
  }
}

/// A worker's results of one task, gathered as ints until a value that is not one comes.
struct TaskValuesGatherer {
  private var numbers: [Int] = []
  private var values: [Value]?

  init(capacity: Int) { numbers.reserveCapacity(capacity) }

  mutating func append(_ value: Value) {
    if values == nil {
      if case .int(let n) = value {
        numbers.append(n)
        return
      }
      values = numbers.map(Value.int)
      numbers = []
    }
    values!.append(value)
  }

  var gathered: TaskValues {
    if let values { return .values(values[...]) }
    return .ints(numbers)
  }
}
