// Draws `ps` as an aligned text table: one row per process, the session first.
import ProcLabEngine

enum ProcessTableView {
  static func render(_ rows: [ProcessSnapshot]) -> String {
    let header = ["PID", "PPID", "NAME", "STATE", "CPU", "RSS", "ELAPSED", "DOING"]
    var table = [header]
    for row in rows {
      table.append([
        row.pid == 0 ? "-" : String(row.pid), String(row.ppid), row.name, "\(row.state) \(row.kernelState)",
        row.cpuSeconds.map { format($0, 2) + "s" } ?? "-",
        row.residentBytes.map(memory) ?? "-",
        format(row.elapsed, 1) + "s",
        row.doing,
      ])
    }
    return TextTable.render(table, rightAligned: [0, 1, 4, 5, 6])
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
