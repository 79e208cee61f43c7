// `timeline` on real processes: parallel sleeps overlap in time, sleeps joined one by one do
// not, the must-work block of the issue runs and writes well-formed SVG, and the command's
// options (last=, all, html) work.
import Foundation
import XCTest

#if canImport(FoundationXML)
  import FoundationXML
#endif

final class TimelineTests: XCTestCase {
  /// The columns each `Process-N` lane covers in the terminal drawing (its first to its last
  /// drawn column), keyed by name. Output to a pipe has no colour, so the marks are plain.
  private func laneColumns(_ text: String) -> [String: ClosedRange<Int>] {
    var lanes: [String: ClosedRange<Int>] = [:]
    for line in text.split(separator: "\n") where line.hasPrefix("Process-") {
      let name = String(line.prefix { $0 != " " })
      let characters = Array(line)
      // The lane starts after the label: the name, spaces, the PID and one space.
      var index = name.count
      while characters[index] == " " { index += 1 }
      while characters[index].isNumber { index += 1 }
      let lane = characters[(index + 1)...]
      guard let first = lane.firstIndex(where: { $0 != " " }),
        let last = lane.lastIndex(where: { $0 != " " })
      else { continue }
      lanes[name] = (first - index - 1)...(last - index - 1)
    }
    return lanes
  }

  /// Each lane's horizontal extent in the SVG (from its first bar to the end of its last),
  /// keyed by the process's name.
  private func laneSpans(_ svgPath: String) throws -> [String: ClosedRange<Double>] {
    let data = try Data(contentsOf: URL(fileURLWithPath: svgPath))
    let lanes = try SVGLanes.read(data)
    return lanes.mapValues { bars in bars.map(\.lowerBound).min()!...bars.map(\.upperBound).max()! }
  }

  func testTheLanesOfThreeParallelSleepsOverlap() throws {
    let svg = temporaryPath("parallel.svg")
    defer { try? FileManager.default.removeItem(atPath: svg) }
    let result = try proclab(
      """
      def nap(s) { sleep(s) }
      a = spawn nap(0.4)
      b = spawn nap(0.4)
      c = spawn nap(0.4)
      join all
      timeline
      timeline svg "\(svg)"
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    let columns = laneColumns(result.stdout)
    XCTAssertEqual(columns.keys.sorted(), ["Process-1", "Process-2", "Process-3"], result.stdout)
    for (name, range) in columns {
      for (other, otherRange) in columns where other != name {
        let shared =
          min(range.upperBound, otherRange.upperBound)
          - max(range.lowerBound, otherRange.lowerBound)
        XCTAssertGreaterThan(
          shared, range.count * 3 / 4, "\(name) and \(other) should overlap:\n\(result.stdout)")
      }
    }
    let spans = try laneSpans(svg)
    XCTAssertEqual(spans.keys.filter { $0.hasPrefix("Process-") }.count, 3)
    let p1 = try XCTUnwrap(spans["Process-1"])
    let p3 = try XCTUnwrap(spans["Process-3"])
    XCTAssertLessThan(p3.lowerBound, p1.upperBound - (p1.upperBound - p1.lowerBound) / 2)
  }

  func testTheLanesOfThreeSleepsJoinedOneByOneDoNotOverlap() throws {
    let svg = temporaryPath("serial.svg")
    defer { try? FileManager.default.removeItem(atPath: svg) }
    let result = try proclab(
      """
      def nap(s) { sleep(s) }
      a = spawn nap(0.2)
      join a
      b = spawn nap(0.2)
      join b
      c = spawn nap(0.2)
      join c
      timeline all
      timeline svg "\(svg)" all
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    // On the terminal a column is shared at most where one ends and the next begins.
    let columns = laneColumns(result.stdout)
    XCTAssertEqual(columns.keys.sorted(), ["Process-1", "Process-2", "Process-3"], result.stdout)
    XCTAssertLessThanOrEqual(
      columns["Process-1"]!.upperBound, columns["Process-2"]!.lowerBound, result.stdout)
    XCTAssertLessThanOrEqual(
      columns["Process-2"]!.upperBound, columns["Process-3"]!.lowerBound, result.stdout)
    // In the SVG each ends before the next starts (half a pixel for the thinnest bar).
    let spans = try laneSpans(svg)
    let p1 = try XCTUnwrap(spans["Process-1"])
    let p2 = try XCTUnwrap(spans["Process-2"])
    let p3 = try XCTUnwrap(spans["Process-3"])
    XCTAssertLessThanOrEqual(p1.upperBound, p2.lowerBound + 0.5)
    XCTAssertLessThanOrEqual(p2.upperBound, p3.lowerBound + 0.5)
    XCTAssertGreaterThan(
      p3.lowerBound - p1.lowerBound, 100, "the three should be spread over the picture")
  }

  func testTheMustWorkBlockDrawsBothChildrenAndWritesWellFormedSVG() throws {
    let path = temporaryPath("timeline.svg")
    let result = try proclab(
      """
      def nap(s) { sleep(s) }
      a = spawn nap(0.3)
      b = spawn nap(0.3)
      join all
      timeline
      timeline svg "\(path)"
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    XCTAssertEqual(result.stderr, "")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    XCTAssertTrue(
      lines.first?.hasPrefix("timeline of join all · 3 processes · ") ?? false, result.stdout)
    XCTAssertTrue(
      lines.contains { $0.hasPrefix("MainProcess ") && $0.contains("-") },
      "the session waits in join all:\n\(result.stdout)")
    XCTAssertTrue(
      lines.contains { $0.hasPrefix("Process-1 ") && $0.contains("~~~~") }, result.stdout)
    XCTAssertTrue(
      lines.contains { $0.hasPrefix("Process-2 ") && $0.contains("~~~~") }, result.stdout)
    XCTAssertTrue(
      lines.contains { $0.contains("█ running") && $0.contains("z zombie") },
      "legend:\n\(result.stdout)")
    XCTAssertTrue(
      lines.contains { $0.contains("Process-1") && $0.hasSuffix("exited 0") }, result.stdout)
    XCTAssertFalse(result.stdout.contains("\u{1B}"), "no colour into a pipe")
    XCTAssertTrue(
      lines.last?.hasPrefix("wrote \(path): 3 processes over 0.") ?? false,
      result.stdout)

    let lanes = try SVGLanes.read(Data(contentsOf: URL(fileURLWithPath: path)))
    XCTAssertEqual(lanes.keys.sorted(), ["MainProcess", "Process-1", "Process-2"])
  }

  func testLastTakesSecondsWithOrWithoutAUnitAndHTMLWritesAPage() throws {
    let html = temporaryPath("page.html")
    defer { try? FileManager.default.removeItem(atPath: html) }
    let result = try proclab(
      """
      def nap(s) { sleep(s) }
      p = spawn nap(0.1)
      join p
      timeline last=5s
      timeline last=5
      timeline last="500ms"
      timeline all
      timeline html "\(html)" last=2
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    let titles = result.stdout.split(separator: "\n").filter { $0.hasPrefix("timeline of ") }
    XCTAssertEqual(titles.count, 4, result.stdout)
    XCTAssertTrue(
      titles[0].hasPrefix("timeline of the last 5s · 2 processes · 5.00s"), String(titles[0]))
    XCTAssertTrue(titles[1].hasPrefix("timeline of the last 5s"), String(titles[1]))
    XCTAssertTrue(titles[2].hasPrefix("timeline of the last 0.5s"), String(titles[2]))
    XCTAssertTrue(
      titles[3].hasPrefix("timeline of the whole session · 2 processes"), String(titles[3]))
    let page = try String(contentsOfFile: html, encoding: .utf8)
    XCTAssertTrue(page.hasPrefix("<!DOCTYPE html>"))
    XCTAssertTrue(page.contains("<title>timeline of the last 2s"))
    XCTAssertTrue(page.contains("Process-1"))
  }

  func testAWrongArgumentIsAUsageErrorAndAnUnwritableFileAnIOError() throws {
    let usage = try proclab("timeline sideways")
    XCTAssertEqual(usage.status, 1)
    XCTAssertTrue(
      usage.stderr.contains(
        "UsageError: usage: timeline [all | last=SECONDS] [svg \"FILE\" | html \"FILE\"]"),
      usage.stderr)
    let bad = try proclab("timeline last=soon")
    XCTAssertTrue(
      bad.stderr.contains("last= takes a duration such as 5, 5s, 500ms or 2m"), bad.stderr)
    let unwritable = try proclab("timeline svg \"/nonexistent/dir/t.svg\"")
    XCTAssertEqual(unwritable.status, 3, "an I/O error ends a script with status 3")
    XCTAssertTrue(
      unwritable.stderr.contains(
        "IOError: cannot write /nonexistent/dir/t.svg: No such file or directory"),
      unwritable.stderr)
  }
}

/// Reads a timeline SVG back: the horizontal extent of each segment bar, grouped by the lane
/// (the process name in the lane's label).
enum SVGLanes {
  static func read(_ data: Data) throws -> [String: [ClosedRange<Double>]] {
    let parser = XMLParser(data: data)
    let reader = Reader()
    parser.delegate = reader
    guard parser.parse() else {
      throw ProclabRunError(
        description: "the SVG is not well-formed XML: \(String(describing: parser.parserError))")
    }
    return reader.lanes
  }

  private static let states: Set<String> = [
    "running", "ready", "sleeping", "blocked", "idle", "suspended", "zombie",
  ]

  private final class Reader: NSObject, XMLParserDelegate {
    var lanes: [String: [ClosedRange<Double>]] = [:]
    private var lane: String?
    private var readingLabel = false
    private var label = ""

    func parser(
      _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
      qualifiedName: String?,
      attributes: [String: String] = [:]
    ) {
      if name == "g" && attributes["class"] == "lane" { lane = nil }
      if name == "text" && attributes["class"] == "label" {
        readingLabel = true
        label = ""
      }
      if name == "rect", let state = attributes["class"], SVGLanes.states.contains(state), let lane,
        let x = Double(attributes["x"] ?? ""), let width = Double(attributes["width"] ?? "")
      {
        lanes[lane, default: []].append(x...(x + width))
      }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      if readingLabel { label += string }
    }

    func parser(
      _ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?
    ) {
      if name == "text" && readingLabel {
        readingLabel = false
        lane = String(label.prefix { $0 != " " })
      }
    }
  }
}
