// The progress line of a long pool map on a terminal: done / total, rate, elapsed, on one
// row redrawn in place, shown only after half a second and erased when the map ends. Other
// output never lands in it: the row is erased before that output and drawn again after it,
// on a row of its own (not while a child's partial line is open on the row).
import ProcLabEngine

final class ProgressLine {
  private var text: String?
  private var drawn = false
  /// True when the cursor is at the start of a row, so the line does not overwrite a partial
  /// line of output.
  private let rowIsFree: () -> Bool

  init(rowIsFree: @escaping () -> Bool = { true }) {
    self.rowIsFree = rowIsFree
  }

  /// The engine's progress report (nil: the map ended).
  func update(_ progress: MapProgress?) {
    text = progress.flatMap(Self.text(for:))
    draw()
  }

  /// Shows other output with the progress line out of its way.
  func around(_ show: () -> Void) {
    guard text != nil || drawn else { return show() }
    erase()
    show()
    draw()
  }

  private func draw() {
    erase()
    guard let text, rowIsFree() else { return }
    Descriptors.writeAll(1, text)
    drawn = true
  }

  private func erase() {
    if drawn { Descriptors.writeAll(1, "\r\u{1B}[K") }
    drawn = false
  }

  private static func text(for progress: MapProgress) -> String? {
    guard progress.elapsed >= 0.5 else { return nil }
    let rate = Double(progress.done) / max(progress.elapsed, 0.001)
    return "\(progress.label): \(progress.done)/\(progress.total) done, \(ProcessTableView.format(rate, 1))/s, \(ProcessTableView.format(progress.elapsed, 1))s"
  }
}
