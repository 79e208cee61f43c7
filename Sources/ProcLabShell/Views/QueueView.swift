// Draws `queue show q` (and `queue` for all): size and bound, the first items, who waits
// to get, put or join and for how long, and the unfinished tasks of a joinable queue.
import ProcLabEngine

enum QueueView {
  static func render(_ reports: [QueueReport]) -> String {
    guard !reports.isEmpty else { return "no queues yet: queue NAME [maxsize=N] makes one\n" }
    let f = ProcessTableView.format
    var text = ""
    for q in reports {
      let bound = q.maxsize > 0 ? " of at most \(q.maxsize)" : ""
      text += "queue \(q.name): \(q.count) item\(q.count == 1 ? "" : "s")\(bound)"
      if q.joinable { text += ", \(q.unfinished) unfinished task\(q.unfinished == 1 ? "" : "s")" }
      text += "\n"
      if !q.firstItems.isEmpty {
        text += "  items: " + q.firstItems.joined(separator: ", ") + (q.count > q.firstItems.count ? ", …" : "") + "\n"
      }
      for (label, waiting) in [("get", q.getters), ("put", q.putters), ("join", q.joiners)] {
        for w in waiting {
          let left = w.left.map { ", timeout in \(f($0, 1))s" } ?? ""
          text += "  waiting to \(label): \(w.who) for \(f(w.waited, 1))s\(left)\n"
        }
      }
    }
    return text
  }
}
