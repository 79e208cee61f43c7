// The SVG and HTML drawings of a fixed timeline, read back with an XML parser: one coloured
// bar per segment with its tooltip, markers for exits and signals, the axis, the legend, and
// labels that stay well-formed whatever characters they hold.
import Foundation
import ProcLabEngine
import XCTest

@testable import ProcLabShell

#if canImport(FoundationXML)
  import FoundationXML
#endif

final class TimelineSVGTests: XCTestCase {
  func testTheSVGIsWellFormedWithOneBarPerSegmentInItsStatesColourAndATooltip() throws {
    let svg = try XMLElementTree.parse(
      TimelineSVG.render(TimelineTextTests.sample, title: "two lanes"))
    XCTAssertEqual(svg.name, "svg")
    let bars = svg.all("rect").filter { TimelineSegment.State(rawValue: $0["class"] ?? "") != nil }
    XCTAssertEqual(
      bars.map { $0["class"]! }, ["running", "sleeping", "blocked", "suspended", "zombie", "idle"])
    for bar in bars {
      let state = TimelineSegment.State(rawValue: bar["class"]!)!
      XCTAssertEqual(bar["fill"], TimelineSVG.fill(of: state))
    }
    XCTAssertEqual(
      bars[2].first("title")?.text, "a (10) blocked on get q, 5.000s–7.000s (2.00s)")
    XCTAssertEqual(
      bars[5].first("title")?.text, "b (11) idle: waiting for a task, 0.000s–10.000s (10.00s)")
    XCTAssertEqual(Set(bars.map { $0["fill"]! }).count, 6, "every state has its own colour")
  }

  func testBarsSpanTheirTimesAcrossThePlot() throws {
    let svg = try XMLElementTree.parse(TimelineSVG.render(TimelineTextTests.sample, title: "t"))
    let bars = svg.all("rect").filter {
      $0["class"] == "running" || $0["class"] == "sleeping" || $0["class"] == "idle"
    }
    let running = bars[0].span
    let sleeping = bars[1].span
    let idle = bars[2].span  // the whole window
    XCTAssertEqual(running.lowerBound, idle.lowerBound, accuracy: 0.01)
    XCTAssertEqual(running.upperBound, sleeping.lowerBound, accuracy: 0.01)
    // 0-2 s and 2-5 s of a 10 s window.
    XCTAssertEqual(
      running.upperBound - running.lowerBound, (idle.upperBound - idle.lowerBound) * 0.2,
      accuracy: 0.02)
    XCTAssertEqual(
      sleeping.upperBound - sleeping.lowerBound, (idle.upperBound - idle.lowerBound) * 0.3,
      accuracy: 0.02)
  }

  func testAHeldLockIsAStripAlongTheBarWhoseTooltipNamesTheLock() throws {
    var timeline = TimelineTextTests.sample
    timeline.lanes[0].holds = [TimelineHold(start: 101, end: 106, lock: "Lock-<1>")]
    let svg = try XMLElementTree.parse(TimelineSVG.render(timeline, title: "t"))
    let holds = svg.all("rect").filter { $0["class"] == "hold" }
    XCTAssertEqual(holds.map { $0.first("title")?.text }, ["a (10) holding Lock-<1>, 1.000s–6.000s (5.00s, seen every 20 ms)"])
    let idle = try XCTUnwrap(svg.all("rect").first { $0["class"] == "idle" }).span
    XCTAssertEqual(holds[0].span.upperBound - holds[0].span.lowerBound, (idle.upperBound - idle.lowerBound) * 0.5, accuracy: 0.02)
    XCTAssertTrue(svg.all("text").map(\.text).contains("holding a lock"))
    let plain = try XMLElementTree.parse(TimelineSVG.render(TimelineTextTests.sample, title: "t"))
    XCTAssertFalse(plain.all("text").map(\.text).contains("holding a lock"))
  }

  func testExitsAndSignalsHaveMarkersWithTooltips() throws {
    let svg = try XMLElementTree.parse(TimelineSVG.render(TimelineTextTests.sample, title: "t"))
    let exits = svg.all("rect").filter { $0["class"] == "exit" }
    let signals = svg.all("polygon").filter { $0["class"] == "signal" }
    XCTAssertEqual(exits.map { $0.first("title")?.text }, ["a (10) exited 0 at 8.000s"])
    XCTAssertEqual(signals.map { $0.first("title")?.text }, ["b (11) got SIGUSR1 at 4.000s"])
  }

  func testEachPoolTaskStartsWithALineWhoseTooltipNamesTheTask() throws {
    let svg = try XMLElementTree.parse(TimelineSVG.render(TimelineTextTests.rounds, title: "t"))
    let starts = svg.all("line").filter { $0["class"] == "task" }
    XCTAssertEqual(
      starts.map { $0.first("title")?.text },
      [
        "w1 (1) task run(1), 0.000s–4.000s (4.00s)", "w1 (1) task run(6), 4.000s–8.000s (4.00s)",
        "w2 (2) task run(2), 0.000s–4.000s (4.00s)",
      ])
    // run(6) begins 4 s into the 10 s window: four tenths along w1's bars.
    let bars = svg.all("rect").filter { $0["class"] == "sleeping" || $0["class"] == "idle" }
    let whole = bars[0].span.lowerBound...bars[1].span.upperBound
    let x = try XCTUnwrap(Double(starts[1]["x1"] ?? ""))
    XCTAssertEqual(x, whole.lowerBound + (whole.upperBound - whole.lowerBound) * 0.4, accuracy: 0.02)
  }

  func testTheAxisAndTheLegendAreThere() throws {
    let svg = try XMLElementTree.parse(TimelineSVG.render(TimelineTextTests.sample, title: "t"))
    let texts = svg.all("text").map(\.text)
    for tick in ["0s", "2s", "4s", "6s", "8s", "10s"] {
      XCTAssertTrue(texts.contains(tick), "no tick \(tick) in \(texts)")
    }
    for name in [
      "running", "sleeping", "blocked", "idle", "suspended", "zombie", "exit", "signal sent",
    ] {
      XCTAssertTrue(texts.contains(name), "no legend entry \(name)")
    }
  }

  func testLabelsWithMarkupCharactersAreEscaped() throws {
    let name = #"<w&"1'>"#
    let timeline = Timeline(
      start: 0, end: 1,
      lanes: [
        TimelineLane(
          name: name, pid: 5,
          segments: [
            TimelineSegment(state: .running, start: 0, end: 1, label: "running f(\"a<b\" & 'c')")
          ],
          marks: [])
      ])
    let source = TimelineSVG.render(timeline, title: "title <&>")
    let svg = try XMLElementTree.parse(source)
    XCTAssertEqual(svg.first("title")?.text, "title <&>")
    let label = svg.all("text").first { $0["class"] == "label" }
    XCTAssertEqual(label?.text, name + " 5")
    XCTAssertEqual(
      svg.all("rect").first { $0["class"] == "running" }?.first("title")?.text,
      #"<w&"1'> (5) running f("a<b" & 'c'), 0.000s–1.000s (1.00s)"#)
  }

  func testTheHTMLPageHasATitleAndTheSVGInline() throws {
    let html = TimelineHTML.render(TimelineTextTests.sample, title: "timeline of join all")
    XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
    XCTAssertTrue(html.contains("<title>timeline of join all</title>"))
    let start = try XCTUnwrap(html.range(of: "<svg "))
    let end = try XCTUnwrap(html.range(of: "</svg>"))
    let svg = try XMLElementTree.parse(String(html[start.lowerBound..<end.upperBound]))
    XCTAssertEqual(svg.all("rect").filter { $0["class"] == "zombie" }.count, 1)
  }
}

/// A parsed XML element with its attributes, text and children: enough to query an SVG.
final class XMLElementTree {
  let name: String
  let attributes: [String: String]
  var text = ""
  var children: [XMLElementTree] = []

  init(name: String, attributes: [String: String]) {
    self.name = name
    self.attributes = attributes
  }

  subscript(attribute: String) -> String? { attributes[attribute] }

  /// Every element named `name` below this one, in document order.
  func all(_ name: String) -> [XMLElementTree] {
    children.flatMap { ($0.name == name ? [$0] : []) + $0.all(name) }
  }

  func first(_ name: String) -> XMLElementTree? { all(name).first }

  /// A bar's horizontal extent.
  var span: ClosedRange<Double> {
    let x = Double(self["x"] ?? "") ?? .nan
    let width = Double(self["width"] ?? "") ?? .nan
    return x...(x + width)
  }

  struct Malformed: Error, CustomStringConvertible {
    var description: String
  }

  static func parse(_ source: String) throws -> XMLElementTree {
    let parser = XMLParser(data: Data(source.utf8))
    let builder = Builder()
    parser.delegate = builder
    guard parser.parse(), let root = builder.root else {
      throw Malformed(
        description:
          "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "no root")\n\(source)")
    }
    return root
  }

  private final class Builder: NSObject, XMLParserDelegate {
    var root: XMLElementTree?
    var stack: [XMLElementTree] = []

    func parser(
      _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
      qualifiedName: String?,
      attributes: [String: String] = [:]
    ) {
      let element = XMLElementTree(name: name, attributes: attributes)
      stack.last?.children.append(element)
      if root == nil { root = element }
      stack.append(element)
    }

    func parser(
      _ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?
    ) {
      stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      for element in stack { element.text += string }
    }
  }
}
