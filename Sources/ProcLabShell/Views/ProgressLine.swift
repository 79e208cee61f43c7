// The progress line of a long pool map on a terminal: done / total, rate, elapsed, on one
// line redrawn in place, shown only after half a second and erased when the map ends.
import ProcLabEngine

enum ProgressLine {
  nonisolated(unsafe) private static var shown = false

  static func draw(_ progress: MapProgress?) {
    guard let progress else {
      if shown { Descriptors.writeAll(1, "\r\u{1B}[K") }
      shown = false
      return
    }
    guard progress.elapsed >= 0.5 else { return }
    let rate = Double(progress.done) / max(progress.elapsed, 0.001)
    let text = "\(progress.label): \(progress.done)/\(progress.total) done, \(ProcessTableView.format(rate, 1))/s, \(ProcessTableView.format(progress.elapsed, 1))s"
    Descriptors.writeAll(1, "\r\u{1B}[K" + text)
    shown = true
  }
}
