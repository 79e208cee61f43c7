// Under a timeline, a line per process the sampler read: how long it ran, how long it waited
// for a CPU (the ready marks) and how many times it was given one, as the kernel counted them.
import ProcLabEngine

extension TimelineText {
  /// "  rr1 4121  ran 1.021s, waited 1.009s for a CPU, 21 switches"; empty when no lane has counters.
  static func schedulingSummary(_ timeline: Timeline) -> String {
    let lanes = timeline.lanes.compactMap { lane in lane.scheduling.map { (who: "\(lane.name) \(lane.pid)", counters: $0) } }
    guard !lanes.isEmpty else { return "" }
    let width = lanes.map(\.who.count).max()!
    var text = ""
    for (who, counters) in lanes {
      let ran = TimelineAxis.decimal(counters.onCPU, digits: 3)
      let waited = TimelineAxis.decimal(counters.waited, digits: 3)
      text += "  " + who + String(repeating: " ", count: width - who.count)
      text += "  ran \(ran)s, waited \(waited)s for a CPU, \(counters.slices) switch\(counters.slices == 1 ? "" : "es")\n"
    }
    return text
  }
}
