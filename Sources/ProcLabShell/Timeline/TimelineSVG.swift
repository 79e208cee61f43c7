// Draws a timeline as SVG for slides: a row per process with its segments as coloured bars
// (a tooltip each: the state and what the process said), a line where each pool task began
// (its tooltip: the task and its time), a dark strip along the bottom of a bar while the
// process holds a lock (its tooltip: the lock's name and when), exits and signals as
// markers, a time axis with a grid, and a legend. Plain SVG 1.1 that browsers and rsvg-convert show.
import ProcLabEngine

enum TimelineSVG {
  static let width = 1000.0
  static let margin = 16.0
  static let rowHeight = 26.0
  static let barHeight = 18.0
  static let titleHeight = 34.0
  /// Monospace at 13px is about 7.8px a character: enough to size the label column.
  static let characterWidth = 7.8
  static let longestName = 24
  static let ink = "#212121"
  static let exitColor = "#212121"
  static let signalColor = "#d32f2f"
  static let holdColor = "#1a237e"
  static let holdHeight = 5.0

  static func fill(of state: TimelineSegment.State) -> String {
    switch state {
    case .running: "#43a047"
    case .ready: "#c5e1a5"
    case .sleeping: "#64b5f6"
    case .blocked: "#ffb300"
    case .idle: "#e0e0e0"
    case .suspended: "#ab47bc"
    case .zombie: "#e57373"
    }
  }

  /// Where things go: the label column, the plot, then the axis and the legend under the lanes.
  struct Layout {
    let timeline: Timeline
    let plotLeft: Double
    let plotWidth: Double
    let lanesTop = TimelineSVG.titleHeight + 6
    var axisY: Double { lanesTop + Double(timeline.lanes.count) * TimelineSVG.rowHeight + 4 }
    var legendY: Double { axisY + 40 }
    var height: Double { legendY + 30 }

    init(_ timeline: Timeline) {
      self.timeline = timeline
      let labels = timeline.lanes.map {
        min(TimelineSVG.longestName, $0.name.count) + 1 + String($0.pid).count
      }
      plotLeft = TimelineSVG.margin + Double(labels.max() ?? 8) * TimelineSVG.characterWidth + 12
      plotWidth = TimelineSVG.width - plotLeft - TimelineSVG.margin - 14
    }

    func x(_ time: Double) -> Double {
      let span = max(timeline.end - timeline.start, 1e-9)
      return plotLeft + max(0, min(1, (time - timeline.start) / span)) * plotWidth
    }

    func barTop(_ row: Int) -> Double {
      let inset = (TimelineSVG.rowHeight - TimelineSVG.barHeight) / 2
      return lanesTop + Double(row) * TimelineSVG.rowHeight + inset
    }
  }

  /// The picture as an SVG document (with its XML declaration when `standalone`).
  static func render(_ timeline: Timeline, title: String, standalone: Bool = true) -> String {
    let layout = Layout(timeline)
    let span = max(timeline.end - timeline.start, 1e-9)
    let step = TimelineAxis.step(span: span, maxTicks: 10)
    let ticks = TimelineAxis.ticks(span: span, step: step)
    let size: Attributes = ["width": n(width), "height": n(layout.height)]

    var svg = standalone ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : ""
    svg += open(
      "svg",
      ["xmlns": "http://www.w3.org/2000/svg", "viewBox": "0 0 \(n(width)) \(n(layout.height))"],
      size, ["font-family": "DejaVu Sans, Helvetica, Arial, sans-serif", "font-size": "13"])
    svg += tag("title", content: escape(title))
    svg += tag("rect", ["x": "0", "y": "0"], size, ["fill": "#ffffff"])
    let heading: Attributes = ["x": n(margin), "y": "22", "font-size": "15", "font-weight": "bold"]
    svg += tag("text", heading, ["fill": ink], content: escape(title))

    // The grid first, so that the bars cover it.
    svg += open("g", ["class": "grid", "stroke": "#eeeeee", "stroke-width": "1"])
    for tick in ticks {
      let x = n(layout.x(timeline.start + tick))
      svg += tag("line", ["x1": x, "y1": n(layout.lanesTop), "x2": x, "y2": n(layout.axisY)])
    }
    svg += "</g>\n"
    for (row, lane) in timeline.lanes.enumerated() {
      svg += self.lane(lane, top: layout.barTop(row), layout)
    }
    svg += axis(ticks, step: step, layout)
    svg += legend(y: layout.legendY, holds: timeline.lanes.contains { !$0.holds.isEmpty })
    return svg + "</svg>\n"
  }

  static func lane(_ lane: TimelineLane, top: Double, _ layout: Layout) -> String {
    let start = layout.timeline.start
    let name =
      lane.name.count > longestName ? String(lane.name.prefix(longestName - 1)) + "…" : lane.name
    var svg = open("g", ["class": "lane"])
    let pid = tag("tspan", ["fill": "#757575"], content: String(lane.pid), line: false)
    svg += tag(
      "text", ["class": "label", "x": n(margin), "y": n(top + 13), "fill": ink],
      ["font-family": "DejaVu Sans Mono, Menlo, Consolas, monospace"],
      content: escape(name) + " " + pid)
    for segment in lane.segments {
      let left = layout.x(segment.start)
      let barWidth = max(0.5, layout.x(segment.end) - left)
      // "a (10) sleeping, ...", "a (10) zombie: exited 0, not yet reaped, ...".
      let state = segment.state.rawValue
      let said = segment.label.hasPrefix(state) ? segment.label : "\(state): \(segment.label)"
      let when = "\(seconds(segment.start - start))–\(seconds(segment.end - start))"
      let length = TimelineAxis.duration(segment.end - segment.start)
      let tip = tag(
        "title", content: escape("\(lane.name) (\(lane.pid)) \(said), \(when) (\(length))"),
        line: false)
      let bar: Attributes = [
        "x": n(left), "y": n(top), "width": n(barWidth), "height": n(barHeight),
      ]
      svg += tag("rect", ["class": state], bar, ["fill": fill(of: segment.state)], content: tip)
      if let caption = caption(segment.label, fitting: barWidth) {
        let color = segment.state == .running || segment.state == .suspended ? "#ffffff" : ink
        let at: Attributes = ["x": n(left + 4), "y": n(top + 13), "font-size": "11", "fill": color]
        svg += tag("text", at, ["pointer-events": "none"], content: escape(caption))
      }
    }
    for hold in lane.holds {
      svg += holdStrip(hold, top: top, lane: lane, layout)
    }
    for task in lane.tasks {
      svg += taskStart(task, top: top, lane: lane, layout)
    }
    for mark in lane.marks {
      svg += marker(mark, at: layout.x(mark.time), top: top, lane: lane, start: start)
    }
    return svg + "</g>\n"
  }

  /// What a bar says inside it: the whole label, or its start and "…" when the bar is long
  /// enough for some of it; 11px sans-serif is about 6.5px a character.
  static func caption(_ label: String, fitting barWidth: Double) -> String? {
    let room = Int((barWidth - 8) / 6.5)
    if label.count <= room { return label }
    guard room >= 8 else { return nil }
    return String(label.prefix(room - 1)) + "…"
  }

  /// Where a pool task began on its worker's lane (and so where the one before it ended): a
  /// dark line across the bar, its tooltip naming the task and its time.
  static func taskStart(_ task: TimelineTask, top: Double, lane: TimelineLane, _ layout: Layout) -> String {
    let start = layout.timeline.start
    let when = "\(seconds(task.start - start))–\(seconds(task.end - start))"
    let said = "\(lane.name) (\(lane.pid)) task \(task.label), \(when) (\(TimelineAxis.duration(task.end - task.start)))"
    let x = n(layout.x(task.start))
    let line: Attributes = ["x1": x, "y1": n(top), "x2": x, "y2": n(top + barHeight)]
    return tag(
      "line", ["class": "task"], line, ["stroke": ink, "stroke-width": "2"],
      content: tag("title", content: escape(said), line: false))
  }

  /// A lock held: a strip along the bottom of the bar, its tooltip naming the lock and when
  /// the session saw it held (its looks are 20 ms apart).
  static func holdStrip(_ hold: TimelineHold, top: Double, lane: TimelineLane, _ layout: Layout) -> String {
    let start = layout.timeline.start
    let when = "\(seconds(hold.start - start))–\(seconds(hold.end - start))"
    let said = "\(lane.name) (\(lane.pid)) holding \(hold.lock), \(when) (\(TimelineAxis.duration(hold.end - hold.start)), seen every 20 ms)"
    let left = layout.x(hold.start)
    let strip: Attributes = [
      "x": n(left), "y": n(top + barHeight - holdHeight), "width": n(max(0.5, layout.x(hold.end) - left)), "height": n(holdHeight),
    ]
    return tag("rect", ["class": "hold"], strip, ["fill": holdColor], content: tag("title", content: escape(said), line: false))
  }

  /// An exit: a dark bar across the lane; a signal: a red triangle pointing down at the lane.
  static func marker(
    _ mark: TimelineMark, at x: Double, top: Double, lane: TimelineLane, start: Double
  ) -> String {
    let what = mark.kind == .signal ? "got \(mark.label)" : mark.label
    let said = "\(lane.name) (\(lane.pid)) \(what) at \(seconds(mark.time - start))"
    let tip = tag("title", content: escape(said), line: false)
    switch mark.kind {
    case .exit:
      let bar: Attributes = [
        "x": n(x - 1.5), "y": n(top - 3), "width": "3", "height": n(barHeight + 6),
      ]
      return tag("rect", ["class": "exit"], bar, ["fill": exitColor], content: tip)
    case .signal:
      let points = "\(n(x - 5)),\(n(top - 4)) \(n(x + 5)),\(n(top - 4)) \(n(x)),\(n(top + 5))"
      return tag(
        "polygon", ["class": "signal", "points": points, "fill": signalColor], content: tip)
    }
  }

  static func axis(_ ticks: [Double], step: Double, _ layout: Layout) -> String {
    let y = layout.axisY
    var svg = open("g", ["class": "axis", "fill": "#424242", "stroke": "#424242"])
    let right = n(layout.plotLeft + layout.plotWidth)
    svg += tag("line", ["x1": n(layout.plotLeft), "y1": n(y), "x2": right, "y2": n(y)])
    for tick in ticks {
      let x = n(layout.x(layout.timeline.start + tick))
      svg += tag("line", ["x1": x, "y1": n(y), "x2": x, "y2": n(y + 5)])
      let at: Attributes = ["x": x, "y": n(y + 19), "stroke": "none", "text-anchor": "middle"]
      svg += tag("text", at, content: TimelineAxis.label(tick, step: step))
    }
    return svg + "</g>\n"
  }

  static func legend(y: Double, holds: Bool = false) -> String {
    var svg = open("g", ["class": "legend", "fill": ink])
    var x = margin
    for state in TimelineSegment.State.allCases {
      let swatch: Attributes = ["x": n(x), "y": n(y - 11), "width": "14", "height": "14"]
      let meaning = tag("title", content: escape(state.meaning), line: false)
      svg += tag("rect", swatch, ["fill": fill(of: state)], content: meaning)
      svg += tag("text", ["x": n(x + 19), "y": n(y)], content: state.rawValue)
      x += 19 + Double(state.rawValue.count) * 7.5 + 18
    }
    let exit: Attributes = ["x": n(x + 5), "y": n(y - 13), "width": "3", "height": "18"]
    svg += tag("rect", exit, ["fill": exitColor])
    svg += tag("text", ["x": n(x + 14), "y": n(y)], content: "exit")
    x += 14 + 4 * 7.5 + 18
    let points = "\(n(x)),\(n(y - 12)) \(n(x + 10)),\(n(y - 12)) \(n(x + 5)),\(n(y - 3))"
    svg += tag("polygon", ["points": points, "fill": signalColor])
    svg += tag("text", ["x": n(x + 15), "y": n(y)], content: "signal sent")
    if holds {
      x += 15 + 11 * 7.5 + 18
      let strip: Attributes = ["x": n(x), "y": n(y - 6), "width": "14", "height": n(holdHeight)]
      svg += tag("rect", strip, ["fill": holdColor], content: tag("title", content: "holding a lock, as the session saw it (it looks every 20 ms)", line: false))
      svg += tag("text", ["x": n(x + 19), "y": n(y)], content: "holding a lock")
    }
    return svg + "</g>\n"
  }

  // MARK: writing XML

  /// Attributes in the order given, so that the output is stable; values are escaped here.
  typealias Attributes = KeyValuePairs<String, String>

  /// `<name a="v">content</name>`, or `<name a="v"/>` without content; `content` is markup
  /// (escape text first). A line of its own unless `line` is false.
  static func tag(
    _ name: String, _ attributes: Attributes..., content: String? = nil, line: Bool = true
  ) -> String {
    let start = "<" + name + text(of: attributes)
    let element = content.map { start + ">" + $0 + "</\(name)>" } ?? start + "/>"
    return element + (line ? "\n" : "")
  }

  /// A start tag whose element the caller closes.
  static func open(_ name: String, _ attributes: Attributes...) -> String {
    "<" + name + text(of: attributes) + ">\n"
  }

  private static func text(of attributes: [Attributes]) -> String {
    attributes.flatMap { $0 }.map { " \($0.key)=\"\(escape($0.value))\"" }.joined()
  }

  /// A coordinate with at most two decimals.
  static func n(_ value: Double) -> String {
    var text = TimelineAxis.decimal(value, digits: 2)
    while text.contains("."), text.last == "0" || text.last == "." { text.removeLast() }
    return text
  }

  static func seconds(_ value: Double) -> String {
    TimelineAxis.decimal(value, digits: 3) + "s"
  }

  /// Text made safe for XML content and attribute values.
  static func escape(_ text: String) -> String {
    var escaped = ""
    for character in text {
      switch character {
      case "&": escaped += "&amp;"
      case "<": escaped += "&lt;"
      case ">": escaped += "&gt;"
      case "\"": escaped += "&quot;"
      case "'": escaped += "&apos;"
      // XML 1.0 allows no control characters but tab, new line and carriage return.
      case "\t", "\n", "\r": escaped.append(character)
      default:
        let control = character.unicodeScalars.first.map { $0.value < 0x20 } ?? false
        escaped += control ? "?" : String(character)
      }
    }
    return escaped
  }
}
