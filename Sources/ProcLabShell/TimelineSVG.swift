// Draws a timeline as SVG for slides: a row per process with its segments as coloured bars
// (a tooltip each: the state and what the process said), exits and signals as markers, a
// time axis with a grid, and a legend. Plain SVG 1.1 that browsers and rsvg-convert show.
import ProcLabEngine

enum TimelineSVG {
  static let width = 1000.0
  static let margin = 16.0
  static let rowHeight = 26.0
  static let barHeight = 18.0
  static let titleHeight = 34.0
  /// Monospace at 13px is about 7.8px a character: enough to size the label column.
  static let characterWidth = 7.8

  static func fill(of state: TimelineSegment.State) -> String {
    switch state {
    case .running: "#43a047"
    case .sleeping: "#64b5f6"
    case .blocked: "#ffb300"
    case .idle: "#e0e0e0"
    case .suspended: "#ab47bc"
    case .zombie: "#e57373"
    }
  }

  static let exitColor = "#212121"
  static let signalColor = "#d32f2f"

  /// The picture as an SVG document (with its XML declaration when `standalone`).
  static func render(_ timeline: Timeline, title: String, standalone: Bool = true) -> String {
    let span = max(timeline.end - timeline.start, 1e-9)
    let labels = timeline.lanes.map { "\($0.name) \($0.pid)" }
    let labelWidth = Double(min(28, labels.map(\.count).max() ?? 8)) * characterWidth
    let plotLeft = margin + labelWidth + 12
    let plotWidth = width - plotLeft - margin - 14
    let lanesTop = titleHeight + 6
    let lanesBottom = lanesTop + Double(timeline.lanes.count) * rowHeight
    let axisY = lanesBottom + 4
    let legendY = axisY + 40
    let height = legendY + 30
    func x(_ time: Double) -> Double { plotLeft + max(0, min(1, (time - timeline.start) / span)) * plotWidth }

    var svg = standalone ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : ""
    svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\""
    svg += " font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"13\">\n"
    svg += "<title>\(escape(title))</title>\n"
    svg += "<rect x=\"0\" y=\"0\" width=\"\(n(width))\" height=\"\(n(height))\" fill=\"#ffffff\"/>\n"
    svg += "<text x=\"\(n(margin))\" y=\"22\" font-size=\"15\" font-weight=\"bold\" fill=\"#212121\">\(escape(title))</text>\n"

    // The grid first, so that the bars cover it.
    let step = TimelineAxis.step(span: span, maxTicks: 10)
    let ticks = TimelineAxis.ticks(span: span, step: step)
    svg += "<g class=\"grid\" stroke=\"#eeeeee\" stroke-width=\"1\">\n"
    for tick in ticks {
      let tx = x(timeline.start + tick)
      svg += "<line x1=\"\(n(tx))\" y1=\"\(n(lanesTop))\" x2=\"\(n(tx))\" y2=\"\(n(axisY))\"/>\n"
    }
    svg += "</g>\n"

    for (row, lane) in timeline.lanes.enumerated() {
      let top = lanesTop + Double(row) * rowHeight
      let barTop = top + (rowHeight - barHeight) / 2
      svg += "<g class=\"lane\">\n"
      svg += "<text class=\"label\" x=\"\(n(margin))\" y=\"\(n(barTop + 13))\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" fill=\"#212121\">"
      svg += "\(escape(lane.name)) <tspan fill=\"#757575\">\(lane.pid)</tspan></text>\n"
      for segment in lane.segments {
        let left = x(segment.start)
        let barWidth = max(0.5, x(segment.end) - left)
        // "a (10) sleeping, ...", "a (10) zombie: exited 0, not yet reaped, ...".
        let said = segment.label.hasPrefix(segment.state.rawValue) ? segment.label : "\(segment.state.rawValue): \(segment.label)"
        let tip = "\(lane.name) (\(lane.pid)) \(said), \(seconds(segment.start - timeline.start))–\(seconds(segment.end - timeline.start))"
          + " (\(TimelineAxis.duration(segment.end - segment.start)))"
        svg += "<rect class=\"\(segment.state.rawValue)\" x=\"\(n(left))\" y=\"\(n(barTop))\" width=\"\(n(barWidth))\" height=\"\(n(barHeight))\" fill=\"\(fill(of: segment.state))\">"
        svg += "<title>\(escape(tip))</title></rect>\n"
        if let caption = caption(segment.label, fitting: barWidth) {
          let ink = segment.state == .running || segment.state == .suspended ? "#ffffff" : "#212121"
          svg += "<text x=\"\(n(left + 4))\" y=\"\(n(barTop + 13))\" font-size=\"11\" fill=\"\(ink)\" pointer-events=\"none\">\(escape(caption))</text>\n"
        }
      }
      for mark in lane.marks {
        svg += marker(mark, at: x(mark.time), top: barTop, lane: lane, start: timeline.start)
      }
      svg += "</g>\n"
    }

    svg += "<g class=\"axis\" fill=\"#424242\" stroke=\"#424242\">\n"
    svg += "<line x1=\"\(n(plotLeft))\" y1=\"\(n(axisY))\" x2=\"\(n(plotLeft + plotWidth))\" y2=\"\(n(axisY))\"/>\n"
    for tick in ticks {
      let tx = x(timeline.start + tick)
      svg += "<line x1=\"\(n(tx))\" y1=\"\(n(axisY))\" x2=\"\(n(tx))\" y2=\"\(n(axisY + 5))\"/>\n"
      svg += "<text x=\"\(n(tx))\" y=\"\(n(axisY + 19))\" stroke=\"none\" text-anchor=\"middle\">\(TimelineAxis.label(tick, step: step))</text>\n"
    }
    svg += "</g>\n"
    svg += legend(y: legendY)
    svg += "</svg>\n"
    return svg
  }

  /// What a bar says inside it: the whole label, or its start and "…" when the bar is long
  /// enough for some of it; 11px sans-serif is about 6.5px a character.
  static func caption(_ label: String, fitting barWidth: Double) -> String? {
    let room = Int((barWidth - 8) / 6.5)
    if label.count <= room { return label }
    guard room >= 8 else { return nil }
    return String(label.prefix(room - 1)) + "…"
  }

  /// An exit: a dark bar across the lane; a signal: a red triangle pointing down at the lane.
  static func marker(_ mark: TimelineMark, at mx: Double, top: Double, lane: TimelineLane, start: Double) -> String {
    let what = mark.kind == .signal ? "got \(mark.label)" : mark.label
    let tip = escape("\(lane.name) (\(lane.pid)) \(what) at \(seconds(mark.time - start))")
    switch mark.kind {
    case .exit:
      return "<rect class=\"exit\" x=\"\(n(mx - 1.5))\" y=\"\(n(top - 3))\" width=\"3\" height=\"\(n(barHeight + 6))\" fill=\"\(exitColor)\"><title>\(tip)</title></rect>\n"
    case .signal:
      let points = "\(n(mx - 5)),\(n(top - 4)) \(n(mx + 5)),\(n(top - 4)) \(n(mx)),\(n(top + 5))"
      return "<polygon class=\"signal\" points=\"\(points)\" fill=\"\(signalColor)\"><title>\(tip)</title></polygon>\n"
    }
  }

  static func legend(y: Double) -> String {
    var svg = "<g class=\"legend\" fill=\"#212121\">\n"
    var lx = margin
    for state in TimelineSegment.State.allCases {
      svg += "<rect x=\"\(n(lx))\" y=\"\(n(y - 11))\" width=\"14\" height=\"14\" fill=\"\(fill(of: state))\"><title>\(escape(state.meaning))</title></rect>\n"
      svg += "<text x=\"\(n(lx + 19))\" y=\"\(n(y))\">\(state.rawValue)</text>\n"
      lx += 19 + Double(state.rawValue.count) * 7.5 + 18
    }
    svg += "<rect x=\"\(n(lx + 5))\" y=\"\(n(y - 13))\" width=\"3\" height=\"18\" fill=\"\(exitColor)\"/>\n"
    svg += "<text x=\"\(n(lx + 14))\" y=\"\(n(y))\">exit</text>\n"
    lx += 14 + 4 * 7.5 + 18
    svg += "<polygon points=\"\(n(lx)),\(n(y - 12)) \(n(lx + 10)),\(n(y - 12)) \(n(lx + 5)),\(n(y - 3))\" fill=\"\(signalColor)\"/>\n"
    svg += "<text x=\"\(n(lx + 15))\" y=\"\(n(y))\">signal sent</text>\n"
    return svg + "</g>\n"
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
      default:
        // XML 1.0 allows no control characters but tab, new line and carriage return.
        if let scalar = character.unicodeScalars.first, scalar.value < 0x20, character != "\t", character != "\n", character != "\r" {
          escaped += "?"
        } else {
          escaped.append(character)
        }
      }
    }
    return escaped
  }
}
