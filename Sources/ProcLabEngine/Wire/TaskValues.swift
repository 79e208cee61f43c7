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
  private var values: [Value] = []
  /// Whether every value so far was an int (then `values` is empty).
  private var allInts = true

  init(capacity: Int) { numbers.reserveCapacity(capacity) }

  /// Takes the value over: an int is stored as a number and nothing is left to free.
  @inline(__always)
  mutating func append(_ value: consuming Value) {
    if allInts {
      switch consume value {
      case .int(let n):
        numbers.append(n)
      case let other:
        allInts = false
        values = numbers.map(Value.int)
        numbers = []
        values.append(other)
      }
    } else {
      values.append(value)
    }
  }

  var gathered: TaskValues {
    allInts ? .ints(numbers) : .values(values[...])
  }
}
