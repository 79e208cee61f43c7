// Draws `ps` as an aligned text table: one row per process, the session first; `ps tree`
// orders the rows as the kernel's tree and indents each name under its parent's.
import ProcLabEngine

enum ProcessTableView {
  static func render(_ rows: [ProcessSnapshot], asTree: Bool = false) -> String {
    // CPU is the CPU it last ran on (as in top's P); TIME the CPU seconds it used; READY the
    // seconds it waited for a CPU; CSW its context switches, voluntary/involuntary.
    let header = ["PID", "PPID", "NAME", "STATE", "NI", "CPU", "TIME", "READY", "CSW", "RSS", "ELAPSED", "DOING"]
    var table = [header]
    for (row, depth) in asTree ? treeOrder(rows) : rows.map({ ($0, 0) }) {
      let name = depth == 0 ? row.name : String(repeating: "   ", count: depth - 1) + "└─ " + row.name
      table.append([
        row.pid == 0 ? "-" : String(row.pid), String(row.ppid), name, "\(row.state) \(row.kernelState)",
        row.scheduling.map { String($0.nice) } ?? "-",
        row.scheduling?.lastCPU.map { String($0) } ?? "-",
        row.cpuSeconds.map { format($0, 2) + "s" } ?? "-",
        row.scheduling.map { format($0.counters.waited, 2) + "s" } ?? "-",
        row.scheduling.map { "\($0.voluntarySwitches)/\($0.involuntarySwitches)" } ?? "-",
        row.residentBytes.map(memory) ?? "-",
        format(row.elapsed, 1) + "s",
        row.doing,
      ])
    }
    return TextTable.render(table, rightAligned: [0, 1, 4, 5, 6, 7, 8, 9, 10])
  }

  /// Depth first from the first row (this process): each row under its parent, with its
  /// depth. Processes not started yet hang under this process; a row whose parent is not
  /// listed comes last, at depth 1.
  static func treeOrder(_ rows: [ProcessSnapshot]) -> [(ProcessSnapshot, Int)] {
    guard let root = rows.first else { return [] }
    var children: [Int32: [Int]] = [:]
    for (index, row) in rows.enumerated().dropFirst() { children[row.pid == 0 ? root.pid : row.ppid, default: []].append(index) }
    var placed = Set<Int>([0])
    var ordered: [(ProcessSnapshot, Int)] = []
    func visit(_ index: Int, depth: Int) {
      ordered.append((rows[index], depth))
      guard rows[index].pid != 0 || index == 0 else { return }
      for child in children[rows[index].pid] ?? [] where !placed.contains(child) {
        placed.insert(child)
        visit(child, depth: depth + 1)
      }
    }
    visit(0, depth: 0)
    for index in rows.indices where !placed.contains(index) { ordered.append((rows[index], 1)) }
    return ordered
  }

  static func memory(_ bytes: Int) -> String {
    let mib = Double(bytes) / 1_048_576
    return mib >= 10 ? "\(Int(mib.rounded()))M" : format(mib, 1) + "M"
  }

  static func format(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int((value * scale).rounded())
    let whole = scaled / Int(scale)
    let fraction = String(scaled % Int(scale))
    return "\(whole)." + String(repeating: "0", count: digits - fraction.count) + fraction
  }
}

/// Columns padded to their widest cell; the last column is left ragged.
enum TextTable {
  static func render(_ rows: [[String]], rightAligned: Set<Int> = []) -> String {
    guard let columns = rows.first?.count else { return "" }
    var widths = [Int](repeating: 0, count: columns)
    for row in rows {
      for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
    }
    var text = ""
    for row in rows {
      var line = ""
      for (i, cell) in row.enumerated() {
        let pad = String(repeating: " ", count: widths[i] - cell.count)
        if i == columns - 1 {
          line += cell
        } else {
          line += (rightAligned.contains(i) ? pad + cell : cell + pad) + "  "
        }
      }
      text += line + "\n"
    }
    return text
  }
}
