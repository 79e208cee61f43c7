// `repeat`: how the runs of a statement came out, counted by outcome (values in order, then
// errors by kind) with a percentage bar, and the spread of the runs' times.
import ProcLabEngine
import ProcLabScript

struct RunTally {
  /// The statement as written (its first line), and how many runs it asked for.
  let label: String
  let planned: Int
  private(set) var seconds: [Double] = []
  private var entries: [String: Entry] = [:]

  private struct Entry {
    var order: Order
    var count: Int
  }

  /// Values before errors; numbers by size, strings alphabetically, the rest by their text.
  private struct Order: Comparable {
    var group: Int
    var number: Double
    var text: String

    static func < (l: Order, r: Order) -> Bool {
      (l.group, l.number, l.text) < (r.group, r.number, r.text)
    }
  }

  /// The widest an outcome is shown, and the bar's length at 100%.
  static let labelLimit = 40
  static let barWidth = 20

  init(label: String, planned: Int) {
    let lines = label.split(separator: "\n", omittingEmptySubsequences: false)
    self.label = lines.count > 1 ? String(lines[0]) + " ..." : label
    self.planned = planned
  }

  mutating func add(_ outcome: RunOutcome, seconds: Double) {
    self.seconds.append(seconds)
    let (name, order) = RunTally.describe(outcome)
    entries[name, default: Entry(order: order, count: 0)].count += 1
  }

  private static func describe(_ outcome: RunOutcome) -> (String, Order) {
    switch outcome {
    case .value(let value):
      let text = value.repr
      switch value {
      case .int(let n): return (text, Order(group: 0, number: Double(n), text: text))
      case .bool(let b): return (text, Order(group: 0, number: b ? 1 : 0, text: text))
      case .float(let f) where !f.isNaN: return (text, Order(group: 0, number: f, text: text))
      case .string(let s): return (text, Order(group: 1, number: 0, text: s))
      default: return (text, Order(group: 2, number: 0, text: text))
      }
    case .uncrossable(let typeName):
      let text = "<\(typeName)>"
      return (text, Order(group: 3, number: 0, text: text))
    case .raised(let error):
      return (error.kind.name, Order(group: 4, number: 0, text: error.kind.name))
    case .ended(.exited(let code)):
      return ("exit \(code)", Order(group: 5, number: Double(code), text: ""))
    case .ended(let termination):
      return (termination.description, Order(group: 6, number: 0, text: termination.description))
    }
  }

  /// `repeat 20 race(): 20 runs, 0.9 ms .. 3.1 ms (median 1.4 ms)` and a line per outcome.
  func render(interrupted: Bool = false) -> String {
    let runs = seconds.count
    var head = "\(label): "
    head += runs == planned && !interrupted ? "\(runs) run\(runs == 1 ? "" : "s")" : "\(runs) of \(planned) runs"
    if interrupted { head += " (interrupted)" }
    if runs > 0 {
      let sorted = seconds.sorted()
      let middle = sorted.count / 2
      let median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
      head += ", \(RunTally.time(sorted[0])) .. \(RunTally.time(sorted[sorted.count - 1])) (median \(RunTally.time(median)))"
    }
    let rows = entries.sorted { $0.value.order < $1.value.order }.map { (name: RunTally.shortened($0.key), count: $0.value.count) }
    let nameWidth = rows.map(\.name.count).max() ?? 0
    let countWidth = rows.map { String($0.count).count }.max() ?? 0
    var lines = [head]
    for row in rows {
      let share = Double(row.count) / Double(runs)
      let percent = String(Int((share * 100).rounded())) + "%"
      let bar = String(repeating: "#", count: max(1, Int((share * Double(RunTally.barWidth)).rounded())))
      lines.append(
        "  " + row.name + String(repeating: " ", count: nameWidth - row.name.count) + "  "
          + RunTally.padLeft(String(row.count), countWidth) + "  " + RunTally.padLeft(percent, 4) + "  " + bar)
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private static func time(_ seconds: Double) -> String {
    let unit = TimeReport.unit(for: seconds)
    return ProcessTableView.format(seconds / unit.scale, 1) + " " + unit.name
  }

  private static func shortened(_ text: String) -> String {
    let oneLine = text.replacingNewlines()
    return oneLine.count <= labelLimit ? oneLine : String(oneLine.prefix(labelLimit - 3)) + "..."
  }

  private static func padLeft(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
  }
}

extension String {
  fileprivate func replacingNewlines() -> String {
    String(map { $0 == "\n" ? " " : $0 })
  }
}
