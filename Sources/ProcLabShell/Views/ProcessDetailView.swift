// Draws `ps p`: one process's control block, a labelled line per fact.
import ProcLabEngine

enum ProcessDetailView {
  static func render(_ detail: ProcessDetail) -> String {
    let row = detail.row
    let f = ProcessTableView.format
    var lines: [(String, String)] = [
      ("name", row.name),
      ("pid", String(row.pid)),
      ("parent pid", String(row.ppid)),
      ("process group", detail.processGroup.map { String($0) } ?? "-"),
      ("runs", detail.target),
      ("state", "\(row.state) (kernel: \(row.kernelState == "-" ? "reaped" : row.kernelState))"),
      ("doing", row.doing),
      ("started", "\(f(detail.startedSecondsAgo, 1))s ago"),
      ("elapsed", f(row.elapsed, 1) + "s"),
      ("cpu", detail.cpu.map { "user \(f($0.user, 3))s, system \(f($0.system, 3))s" } ?? "-"),
      ("memory", row.residentBytes.map(ProcessTableView.memory) ?? "-"),
    ]
    if let threads = detail.threads { lines.append(("threads", String(threads))) }
    if let facts = row.scheduling {
      let policy = facts.policy == .other ? "other (time sharing), nice \(facts.nice)" : "\(facts.policy.rawValue) (real time), priority \(facts.priority)"
      lines.append(("scheduling", policy + ", CPUs " + facts.cpus.map(String.init).joined(separator: ",") + (facts.lastCPU.map { ", last ran on CPU \($0)" } ?? "")))
      lines.append(("on a CPU", "\(f(facts.counters.onCPU, 3))s in \(facts.counters.slices) turns; ready (waiting for a CPU) \(f(facts.counters.waited, 3))s"))
    }
    if let voluntary = detail.voluntarySwitches, let involuntary = detail.involuntarySwitches {
      lines.append(("context switches", "\(voluntary) voluntary, \(involuntary) involuntary"))
    }
    lines.append(("signals sent", detail.signalsSent.isEmpty ? "none" : detail.signalsSent.joined(separator: ", ")))
    lines.append(("joined", detail.joined ? "yes" : "no"))
    let width = lines.map(\.0.count).max() ?? 0
    return lines.map { $0.0.padding(to: width + 1) + " " + $0.1 }.joined(separator: "\n") + "\n"
  }
}
