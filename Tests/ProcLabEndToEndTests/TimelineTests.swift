// `timeline` on real processes: parallel sleeps overlap in time, sleeps joined one by one do
// not, a pool's rounds show as tagged task spans, the must-work block of the issue runs and
// writes well-formed SVG, and the command's options (last=, all, html) work.
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

  func testAPoolMapsRoundsShowAsTaggedTasksOnTheWorkersLanes() throws {
    // E13: six tasks of 0.3 s on five workers, one task each in the first round and the
    // sixth alone in the second, on a worker that ran one of the first five.
    let result = try proclab(
      """
      def run(fn) { sleep(0.3); return fn * fn }
      pool start 5
      rl = pool map run [1, 2, 3, 4, 5, 6] chunksize=1
      timeline
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    XCTAssertTrue(
      lines.contains("tasks:  1 run(1)  2 run(2)  3 run(3)  4 run(4)  5 run(5)  6 run(6)"), result.stdout)
    // Each worker's lane after its label: the name, spaces, the PID and one space.
    let workers = lines.filter { $0.hasPrefix("ForkPoolWorker-") }.map { line -> [Character] in
      var characters = Array(line)[...]
      while characters.first != " " { characters.removeFirst() }
      while characters.first == " " { characters.removeFirst() }
      while characters.first?.isNumber == true { characters.removeFirst() }
      return Array(characters.dropFirst())
    }
    XCTAssertEqual(workers.count, 5, result.stdout)
    let columns = workers[0].count
    var first: [Character] = []
    var secondRound: [(lane: Int, column: Int)] = []
    for (lane, cells) in workers.enumerated() {
      for (column, cell) in cells.enumerated() where cell.isNumber {
        if column < columns / 10 { first.append(cell) } else { secondRound.append((lane, column)) }
      }
    }
    XCTAssertEqual(first.sorted(), ["1", "2", "3", "4", "5"], "one task per worker at the start:\n\(result.stdout)")
    XCTAssertEqual(secondRound.count, 1, result.stdout)
    let sixth = try XCTUnwrap(secondRound.first)
    XCTAssertEqual(workers[sixth.lane][sixth.column], "6")
    // It began when a first-round task ended, about half way through the picture.
    XCTAssertGreaterThan(sixth.column, columns * 35 / 100, result.stdout)
    XCTAssertLessThan(sixth.column, columns * 65 / 100, result.stdout)
  }

  func testTheTimelineOfARepeatIsItsLastRunWithTheProcessesOfThatRun() throws {
    let result = try proclab(
      """
      def nap(s) { sleep(s) }
      def pair() { a = spawn nap(0.1); b = spawn nap(0.2); join a b; return b.exitcode }
      repeat 3 pair()
      timeline
      timeline all
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    let drawings = result.stdout.components(separatedBy: "timeline of ").dropFirst()
    XCTAssertEqual(drawings.count, 2, result.stdout)
    let lastRun = drawings.first!
    XCTAssertTrue(lastRun.hasPrefix("the last run of repeat 3 pair() · 4 processes · 0.2"), result.stdout)
    let lanes = lastRun.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
    XCTAssertEqual(Array(lanes.dropFirst().prefix(4)), ["MainProcess", "Run-3", "Run-3:1", "Run-3:2"], result.stdout)
    XCTAssertTrue(lastRun.contains("Run-3:2") && lastRun.contains("exited 0"), result.stdout)
    // The session keeps the lanes of every run, and the processes of the last run only.
    let whole = drawings.last!
    for lane in ["Run-1 ", "Run-2 ", "Run-3 ", "Run-3:1 ", "Run-3:2 "] {
      XCTAssertTrue(whole.contains("\n" + lane), "\(lane) in:\n\(result.stdout)")
    }
    XCTAssertFalse(whole.contains("Run-1:1"), result.stdout)
  }

  func testTheProcessesALastRunLeftRunningStopWithItAndDoNotHauntLaterTimelines() throws {
    // The run's default pool is never closed: its workers end with the run, after it has
    // sent what it saw.
    let result = try proclab(
      """
      def sq(x) { return x * x }
      def mapped() { return pool map sq range(4) }
      repeat 2 mapped()
      timeline
      sleep(0.3)
      timeline last=0.2
      """)
    XCTAssertEqual(result.status, 0, result.stderr)
    let drawings = result.stdout.components(separatedBy: "timeline of ").dropFirst()
    XCTAssertEqual(drawings.count, 2, result.stdout)
    XCTAssertTrue(drawings.first!.contains("\nForkPoolWorker-1 "), result.stdout)
    XCTAssertTrue(drawings.last!.hasPrefix("the last 0.2s · 1 process · "), result.stdout)
    XCTAssertFalse(drawings.last!.contains("ForkPoolWorker"), result.stdout)
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
