// Ints cross packed (a count and the raw numbers) in lists, tuples and pool tasks' items and
// results: what arrives is exactly what was sent, a frame that lies about its count is refused,
// and a map puts its chunks' results back in order however they arrive.
import ProcLabScript
import XCTest

@testable import ProcLabEngine

final class PackedWireTests: XCTestCase {
  private func roundTrip(_ value: Value) throws -> (value: Value, frameBytes: Int) {
    let frame = try ChannelMessage.queueReply(id: 1, .success(value)).encodedFrame()
    guard case .queueReply(1, .success(let back)) = try ChannelMessage.decode(frame[4...], resolve: { _ in nil }) else {
      throw XCTSkip("not a reply")
    }
    return (back, frame.count)
  }

  func testListsAndTuplesOfIntsArriveAsSentAndTakeEightBytesAnInt() throws {
    let ints = (0..<1000).map { Value.int($0 * 7919 - 3_000_000) }
    for value in [
      Value.list(ints), .tuple(ints), .list([]), .tuple([]), .list([.int(Int.min), .int(Int.max), .int(0), .int(-1)]),
      .list([.int(1)]),
    ] {
      let (back, _) = try roundTrip(value)
      XCTAssertEqual(back.repr, value.repr)
      XCTAssertEqual(back.typeName, value.typeName)
    }
    // A tag, a count and 8 bytes an int: about half the tagged form's 9 bytes an int plus tag.
    let (_, bytes) = try roundTrip(.list(ints))
    XCTAssertLessThanOrEqual(bytes, 64 + 8 * ints.count)
  }

  func testMixedAndNestedListsKeepEveryValueAndItsType() throws {
    let value = Value.list([
      .list([.int(1), .int(2)]), .tuple([.int(3)]), .list([.int(4), .float(4.0), .bool(true)]), .int(5), .string("6"),
      .list([.list([.int(7), .int(8)]), .list([])]),
    ])
    let (back, _) = try roundTrip(value)
    XCTAssertEqual(back.repr, value.repr)
    // 4.0 stays a float and true a bool inside a list that also holds ints.
    guard case .list(let items) = back, case .list(let mixed) = items[2] else { return XCTFail("not a list: \(back.repr)") }
    XCTAssertEqual(mixed.map(\.typeName), ["int", "float", "bool"])
  }

  func testTaskItemsAndResultsOfIntsArriveAsNumbersAndOthersAsValues() throws {
    let items: [Value] = (0..<300).map { .int($0) }
    let mixed: [Value] = [.int(1), .string("two"), .list([.int(3)])]
    let batch = TaskBatch(
      orders: [
        TaskOrder(id: 1, function: .none, items: .values(items[100..<200]), shape: .single),
        TaskOrder(id: 2, function: .none, items: .values(mixed[...]), shape: .single),
      ], characterWrites: false, definitions: [])
    let frame = try ChannelMessage.tasks(batch).encodedFrame()
    guard case .tasks(let back) = try ChannelMessage.decode(frame[4...], resolve: { _ in nil }) else { return XCTFail("not tasks") }
    guard case .ints(let numbers) = back.orders[0].items else { return XCTFail("ints did not arrive packed") }
    XCTAssertEqual(numbers, Array(100..<200))
    guard case .values = back.orders[1].items else { return XCTFail("mixed items arrived packed") }
    XCTAssertEqual(Array(back.orders[1].items).map(\.repr), mixed.map(\.repr))

    let outcomes = [
      TaskOutcome(id: 4, result: .success(.ints([]))),
      TaskOutcome(id: 1, result: .success(.ints([4, -5, Int.max]))),
      TaskOutcome(id: 2, result: .success(.values(mixed[...]))),
      TaskOutcome(id: 3, result: .failure(ScriptError(.valueError, "bad item", origin: "w"))),
    ]
    let results = try ChannelMessage.results(busySeconds: 0.5, outcomes).encodedFrame()
    guard case .results(0.5, let arrived) = try ChannelMessage.decode(results[4...], resolve: { _ in nil }) else {
      return XCTFail("not results")
    }
    XCTAssertEqual(arrived.map(\.id), [4, 1, 2, 3])
    XCTAssertEqual(try Array(arrived[0].result.get()), [])
    XCTAssertEqual(try Array(arrived[1].result.get()), [.int(4), .int(-5), .int(Int.max)])
    XCTAssertEqual(try Array(arrived[2].result.get()).map(\.repr), mixed.map(\.repr))
    guard case .failure(let error) = arrived[3].result else { return XCTFail("the error did not arrive") }
    XCTAssertEqual(error.message, "bad item")
  }

  func testAPackedCountLargerThanTheFrameIsRefused() throws {
    var frame = try ChannelMessage.queueReply(id: 1, .success(.list([.int(1), .int(2), .int(3)]))).encodedFrame()
    // The count follows the message tag, the id, the outcome byte and the list's tag.
    let countAt = 4 + 1 + 8 + 1 + 1
    XCTAssertEqual(frame[countAt - 1], 15, "not the packed list tag")
    for count in [4, 1 << 40, -1, Int.max] {
      withUnsafeBytes(of: Int64(count).littleEndian) { frame.replaceSubrange(countAt..<countAt + 8, with: $0) }
      XCTAssertThrowsError(try ChannelMessage.decode(frame[4...], resolve: { _ in nil }), "count \(count)")
    }
  }

  func testAMapPutsChunksBackInOrderAndFailsOnAWrongCount() throws {
    let place = SourceLocation(file: "t", line: 1, column: 1)
    let job = MapJob(total: 5, chunks: 2, place: place)
    job.expect(task: 1, count: 2)
    job.expect(task: 2, count: 3)
    job.deliver(2, .success(.values([.string("c"), .int(3), .none][...])))
    XCTAssertFalse(job.finished)
    job.deliver(1, .success(.ints([1, 2])))
    XCTAssertTrue(job.finished)
    XCTAssertEqual(try job.values(ordered: true).map(\.repr), ["1", "2", "\"c\"", "3", "none"])
    XCTAssertEqual(try job.values(ordered: false).map(\.repr), ["\"c\"", "3", "none", "1", "2"])

    // Tasks numbered with gaps are found too; a second outcome for a chunk is ignored.
    let gaps = MapJob(total: 4, chunks: 3, place: place)
    gaps.expect(task: 10, count: 1)
    gaps.expect(task: 12, count: 2)
    gaps.expect(task: 20, count: 1)
    gaps.deliver(20, .success(.ints([3])))
    gaps.deliver(12, .success(.ints([1, 2])))
    gaps.deliver(12, .failure(ScriptError(.valueError, "late")))
    gaps.deliver(11, .success(.ints([9])))
    XCTAssertFalse(gaps.finished)
    gaps.deliver(10, .success(.ints([0])))
    XCTAssertTrue(gaps.finished)
    XCTAssertEqual(try gaps.values(ordered: true), [.int(0), .int(1), .int(2), .int(3)])

    let empty = MapJob(total: 0, chunks: 0, place: place)
    XCTAssertTrue(empty.finished)
    XCTAssertEqual(try empty.values(ordered: true), [])

    let short = MapJob(total: 3, chunks: 1, place: place)
    short.expect(task: 7, count: 3)
    short.deliver(7, .success(.ints([1, 2])))
    XCTAssertTrue(short.finished, "a chunk with too few results must end the map, not leave it waiting")
    XCTAssertThrowsError(try short.values(ordered: true)) { error in
      XCTAssertEqual((error as? ScriptError)?.kind, .processError)
    }
  }
}
