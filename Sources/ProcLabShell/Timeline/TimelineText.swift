// Draws a timeline in the terminal: one row per process (its name and PID, then its lane
// across the width), a time axis under the lanes, a legend, the pool tasks' tags (see
// TimelineTaskTags), and how each process ended. Every state has its own mark, so the
// picture reads the same without colour; so does holding a lock, drawn over running,
// sleeping or ready (a wait, `-`, shows through: waiting for a second lock while holding one).
import CSystem
import Glibc
import ProcLabEngine

public enum TimelineText {
  /// The terminal's width when stdout is one, else 100 columns.
  static var outputWidth: Int {
    guard isatty(1) == 1 else { return 100 }
    let columns = Int(proclab_window_columns(1))
    return columns > 0 ? columns : 100
  }

  static func mark(of state: TimelineSegment.State) -> Character {
    switch state {
    case .running: "█"
    case .ready: "░"
    case .sleeping: "~"
    case .blocked: "-"
    case .idle: "."
    case .suspended: "‖"
    case .zombie: "z"
    }
  }

  /// Holding a lock (blue): over the state, unless the process is blocked or suspended.
  static let holdMark: Character = "#"
  static let holdColor = "34"

  static func mark(of kind: TimelineMark.Kind) -> Character {
    kind == .exit ? "|" : "x"
  }

  /// SGR parameters: green, cyan, yellow, grey, magenta, red; the moments in bold.
  static func color(of state: TimelineSegment.State) -> String {
    switch state {
    case .running: "32"
    case .ready: "2;32"
    case .sleeping: "36"
    case .blocked: "33"
    case .idle: "90"
    case .suspended: "35"
    case .zombie: "31"
    }
  }

  static func color(of kind: TimelineMark.Kind) -> String {
    kind == .exit ? "1" : "1;31"
  }

  /// One column of a lane: a mark and its colour.
  struct Cell: Equatable {
    var mark: Character
    var color: String?
    static let empty = Cell(mark: " ", color: nil)
  }

  /// The whole picture, `width` columns wide, under a `title` line.
  static func render(_ timeline: Timeline, title: String, width: Int, color: Bool) -> String {
    let span = timeline.end - timeline.start
    var text = (color ? "\u{1B}[1m" + title + "\u{1B}[0m" : title) + "\n"
    guard !timeline.lanes.isEmpty, span > 0 else {
      return text + "nothing happened in this window\n"
    }
    let pidWidth = timeline.lanes.map { String($0.pid).count }.max() ?? 1
    let nameWidth = min(24, timeline.lanes.map(\.name.count).max() ?? 1)
    let labelWidth = nameWidth + 1 + pidWidth
    let columns = max(20, width - labelWidth - 2)
    let indent = String(repeating: " ", count: labelWidth + 1)
    let tasks = TimelineTaskTags(timeline, columns: columns)

    for (index, lane) in timeline.lanes.enumerated() {
      let name =
        lane.name.count > nameWidth ? String(lane.name.prefix(nameWidth - 1)) + "…" : lane.name
      let pid = String(lane.pid)
      let label = name + String(repeating: " ", count: labelWidth - name.count - pid.count) + pid
      text +=
        label + " "
        + paint(
          cells(of: lane, in: timeline, columns: columns, tags: tasks.tags.filter { $0.lane == index }),
          color: color) + "\n"
    }
    for line in axis(span: span, columns: columns) { text += indent + line + "\n" }
    text += legend(width: width, colored: color, holds: timeline.lanes.contains { !$0.holds.isEmpty })
    text += tasks.legend(width: width, colored: color)
    text += endings(timeline)
    text += schedulingSummary(timeline)
    return text
  }

  /// A lane's columns. Each column covers span/columns seconds and shows the state that covers
  /// most of it, or nothing when the process was there for less than half of it; an exit or a
  /// signal marks the column of its moment. A process shorter than half a column still gets one.
  /// A task's tag goes where the task began, in bold over the state there.
  static func cells(
    of lane: TimelineLane, in timeline: Timeline, columns: Int, tags: [TimelineTaskTags.Tag] = []
  ) -> [Cell] {
    let span = timeline.end - timeline.start
    let states = TimelineSegment.State.allCases
    var cover = [[Double]](repeating: [Double](repeating: 0, count: states.count), count: columns)
    for segment in lane.segments {
      let from = max(0, (segment.start - timeline.start) / span * Double(columns))
      let to = min(Double(columns), (segment.end - timeline.start) / span * Double(columns))
      guard to > from else { continue }
      let index = states.firstIndex(of: segment.state)!
      for column in Int(from)..<min(columns, Int(to.rounded(.up))) {
        cover[column][index] += min(to, Double(column + 1)) - max(from, Double(column))
      }
    }
    func best(_ column: Int) -> Cell {
      let amounts = cover[column]
      let index = amounts.indices.max { amounts[$0] < amounts[$1] }!
      return Cell(mark: mark(of: states[index]), color: color(of: states[index]))
    }
    var cells = [Cell](repeating: .empty, count: columns)
    for column in 0..<columns where cover[column].reduce(0, +) >= 0.5 {
      cells[column] = best(column)
    }
    let covered = holdCover(of: lane, in: timeline, columns: columns)
    let shownThrough: Set<Character> = [mark(of: .blocked), mark(of: .suspended), mark(of: .zombie), " "]
    for column in 0..<columns where covered[column] >= 0.5 && !shownThrough.contains(cells[column].mark) {
      cells[column] = Cell(mark: holdMark, color: holdColor)
    }
    if !lane.segments.isEmpty, !cells.contains(where: { $0 != .empty }) {
      let column = cover.indices.max { cover[$0].reduce(0, +) < cover[$1].reduce(0, +) }!
      if cover[column].reduce(0, +) > 0 { cells[column] = best(column) }
    }
    for tag in tags {
      cells[tag.column] = Cell(mark: tag.mark, color: "1;" + (cells[tag.column].color ?? color(of: .running)))
    }
    // Exits go on top of signals: a kill shows its signal and its end in the same column.
    for mark in lane.marks.sorted(by: { $0.kind == .signal && $1.kind == .exit }) {
      let column = Int((mark.time - timeline.start) / span * Double(columns))
      cells[min(columns - 1, max(0, column))] = Cell(
        mark: self.mark(of: mark.kind), color: color(of: mark.kind))
    }
    return cells
  }

  /// How much of each column the lane's lock holds cover (overlapping holds of two locks count once).
  static func holdCover(of lane: TimelineLane, in timeline: Timeline, columns: Int) -> [Double] {
    let span = timeline.end - timeline.start
    var cover = [Double](repeating: 0, count: columns)
    var reached = -Double.infinity
    for hold in lane.holds {
      let from = max(0, (max(hold.start, reached) - timeline.start) / span * Double(columns))
      let to = min(Double(columns), (hold.end - timeline.start) / span * Double(columns))
      reached = max(reached, hold.end)
      guard to > from else { continue }
      for column in Int(from)..<min(columns, Int(to.rounded(.up))) {
        cover[column] += min(to, Double(column + 1)) - max(from, Double(column))
      }
    }
    return cover
  }

  /// Runs of cells as text, each run of one colour in one escape sequence.
  static func paint(_ cells: [Cell], color: Bool) -> String {
    var text = ""
    var index = 0
    while index < cells.count {
      var end = index
      while end < cells.count && cells[end].color == cells[index].color { end += 1 }
      let run = String(cells[index..<end].map(\.mark))
      if color, let code = cells[index].color {
        text += "\u{1B}[\(code)m" + run + "\u{1B}[0m"
      } else {
        text += run
      }
      index = end
    }
    return text
  }

  /// The axis line with a tick at each step and, under it, the seconds from the window's start.
  static func axis(span: Double, columns: Int) -> [String] {
    let longest = TimelineAxis.label(span, step: 0.001).count
    let step = TimelineAxis.step(span: span, maxTicks: max(1, columns / (longest + 4)))
    var line = [Character](repeating: "─", count: columns)
    var labels = [Character](repeating: " ", count: columns)
    var free = 0
    for tick in TimelineAxis.ticks(span: span, step: step) {
      let column = min(columns - 1, Int((tick / span * Double(columns)).rounded()))
      line[column] = "┬"
      let label = Array(TimelineAxis.label(tick, step: step))
      let start = min(column, columns - label.count)
      guard start >= free else { continue }
      labels.replaceSubrange(start..<start + label.count, with: label)
      free = start + label.count + 1
    }
    return [String(line), String(labels).trailingSpacesRemoved]
  }

  /// Every mark with its name, wrapped to `width`; the lock mark when some lane has a hold
  /// (with how it is seen: the session looks at holders every 20 ms).
  static func legend(width: Int, colored: Bool, holds: Bool = false) -> String {
    var items = TimelineSegment.State.allCases.map { (mark(of: $0), color(of: $0), $0.rawValue) }
    if holds { items.append((holdMark, holdColor, "holding a lock (seen every 20 ms)")) }
    items.append((mark(of: .exit), color(of: .exit), "exit"))
    items.append((mark(of: .signal), color(of: .signal), "signal sent"))
    var text = ""
    var line = ""
    var lineWidth = 0
    for (mark, code, name) in items {
      let itemWidth = 2 + name.count
      if lineWidth > 0 && lineWidth + 2 + itemWidth > width {
        text += line + "\n"
        line = ""
        lineWidth = 0
      }
      if lineWidth > 0 {
        line += "  "
        lineWidth += 2
      }
      line += paint([Cell(mark: mark, color: code)], color: colored) + " " + name
      lineWidth += itemWidth
    }
    return text + line + "\n"
  }

  /// How and when processes ended or got signals in the window, the first twelve.
  static func endings(_ timeline: Timeline) -> String {
    var moments: [(time: Double, who: String, what: String)] = []
    for lane in timeline.lanes {
      for mark in lane.marks {
        let what = mark.kind == .signal ? "got \(mark.label)" : mark.label
        moments.append((mark.time, "\(lane.name) \(lane.pid)", what))
      }
    }
    guard !moments.isEmpty else { return "" }
    moments.sort { $0.time < $1.time }
    let shown = moments.prefix(12)
    let times = shown.map { TimelineAxis.decimal($0.time - timeline.start, digits: 3) + "s" }
    let timeWidth = times.map(\.count).max()!
    let whoWidth = shown.map(\.who.count).max()!
    var text = ""
    for (moment, at) in zip(shown, times) {
      text += "  at " + String(repeating: " ", count: timeWidth - at.count) + at + "  "
      let padding = String(repeating: " ", count: whoWidth - moment.who.count)
      text += moment.who + padding + "  " + moment.what + "\n"
    }
    if moments.count > 12 { text += "  and \(moments.count - 12) more\n" }
    return text
  }
}

extension String {
  var trailingSpacesRemoved: String {
    var text = self
    while text.last == " " { text.removeLast() }
    return text
  }
}
