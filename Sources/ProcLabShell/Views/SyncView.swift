// Draws `sync show` (and `sync show X`): each lock, semaphore, event, condition, barrier and
// shared value of the session, its state now, and who waits on it for how long.
import ProcLabEngine

enum SyncView {
  static func render(_ reports: [SyncReport], managed: [(name: String, kind: String, contents: String)] = []) -> String {
    guard !reports.isEmpty || !managed.isEmpty else { return "no locks, events or shared values yet: Lock(), Event(), Value(\"i\", 0) make them\n" }
    let f = ProcessTableView.format
    var text = ""
    for report in reports {
      text += "\(report.kind) \(report.name): \(report.state)\n"
      for w in report.waiters { text += "  waiting: \(w.who) for \(f(w.waited, 1))s\n" }
    }
    for object in managed { text += "managed \(object.kind) \(object.name): \(object.contents)\n" }
    return text
  }
}
