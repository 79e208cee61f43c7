// Which pool task ran when on which worker, in the terminal: each task long enough to see
// gets a one-character tag in the column where it began (so the tag is also the boundary
// with the task before), and a legend line says which item each tag stands for. Tags go
// out in the order the tasks began, so E13's rounds read 1-5 on five lanes, then 6.
import ProcLabEngine

struct TimelineTaskTags {
  /// One tagged task: its lane, the column of its start, its tag and what it ran.
  struct Tag: Equatable {
    var lane: Int
    var column: Int
    var mark: Character
    var label: String
  }

  var tags: [Tag] = []
  /// Tasks in the window that got no tag: shorter than a column, or past the last tag.
  var untagged = 0

  /// Digits, then letters; never `x` or `z`, which mark a signal and a zombie.
  static let alphabet = Array("123456789abcdefghijklmnopqrstuvwyABCDEFGHIJKLMNOPQRSTUVWXYZ")

  /// The tags of `timeline`'s tasks drawn `columns` wide. A task gets one when it lasts at
  /// least a column and starts in a column of its own, after the lane's last tag: shorter
  /// ones (a quick map's batches) would only stack tags on one another.
  init(_ timeline: Timeline, columns: Int) {
    let span = timeline.end - timeline.start
    guard span > 0 else { return }
    func column(_ time: Double) -> Double { (time - timeline.start) / span * Double(columns) }
    var tasks: [(lane: Int, task: TimelineTask)] = []
    for (index, lane) in timeline.lanes.enumerated() {
      for task in lane.tasks { tasks.append((index, task)) }
    }
    tasks.sort { ($0.task.start, $0.lane) < ($1.task.start, $1.lane) }
    var lastColumn = [Int](repeating: -1, count: timeline.lanes.count)
    for (lane, task) in tasks {
      let start = min(columns - 1, max(0, Int(column(task.start))))
      let long = column(task.end) - column(task.start) >= 1
      guard long, start > lastColumn[lane], tags.count < Self.alphabet.count else {
        untagged += 1
        continue
      }
      tags.append(Tag(lane: lane, column: start, mark: Self.alphabet[tags.count], label: task.label))
      lastColumn[lane] = start
    }
  }

  /// "tasks: 1 run(1)  2 run(2) ...", wrapped to `width` under the word "tasks:"; a label
  /// longer than 32 characters is cut with "…". Empty when no pool task ran in the window.
  func legend(width: Int, colored: Bool) -> String {
    guard !tags.isEmpty || untagged > 0 else { return "" }
    var items = tags.map { tag in
      let label = tag.label.count > 32 ? String(tag.label.prefix(31)) + "…" : tag.label
      return (mark: colored ? "\u{1B}[1m\(tag.mark)\u{1B}[0m" : String(tag.mark), width: 2 + label.count, text: " " + label)
    }
    if untagged > 0 {
      let note = "(\(untagged) more, too short or too many to tag)"
      items.append((mark: "", width: note.count, text: note))
    }
    let head = "tasks:"
    let indent = String(repeating: " ", count: head.count)
    var text = head
    var lineWidth = head.count
    for item in items {
      if lineWidth > head.count && lineWidth + 2 + item.width > width {
        text += "\n" + indent
        lineWidth = indent.count
      }
      text += "  " + item.mark + item.text
      lineWidth += 2 + item.width
    }
    return text + "\n"
  }
}
