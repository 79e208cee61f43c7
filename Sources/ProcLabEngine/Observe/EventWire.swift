// Events crossing from a `repeat` run to the session: the last run of a `repeat` sends what
// its own children did (see Engine.runInChild), so that `timeline` can draw that run whole.
import ProcLabScript

extension ProcessEvent {
  /// Every text goes as a name (at most WireLimits.maxNameBytes): a longer one (a task label
  /// with a big argument) is cut, which the picture would do anyway.
  func encode(into writer: inout WireWriter) {
    func put(_ text: String) {
      writer.string(text.utf8.count <= WireLimits.maxNameBytes ? text : String(text.prefix(WireLimits.maxNameBytes / 4 - 1)) + "…")
    }
    writer.double(time)
    writer.int(Int(pid))
    put(name)
    writer.byte(isPoolWorker ? 1 : 0)
    switch kind {
    case .started(let target):
      writer.byte(0)
      put(target)
    case .activity(let state, let text):
      writer.byte(1)
      writer.byte(state.rawValue)
      put(text)
    case .ranTasks(let since, let label):
      writer.byte(2)
      writer.double(since)
      put(label)
    case .suspended: writer.byte(3)
    case .resumed: writer.byte(4)
    case .signalled(let name):
      writer.byte(5)
      put(name)
    case .exited(let how):
      writer.byte(6)
      put(how)
    case .reaped: writer.byte(7)
    case .untracked: writer.byte(8)
    case .holding(let lock):
      writer.byte(10)
      put(lock)
    case .released(let lock):
      writer.byte(11)
      put(lock)
    case .scheduling(let ready, let counters):
      writer.byte(9)
      writer.byte(ready ? 1 : 0)
      writer.double(counters.time)
      writer.double(counters.onCPU)
      writer.double(counters.waited)
      writer.int(counters.slices)
    }
  }

  /// One event, every field checked: its times are drawn, so they must be numbers.
  static func decode(from reader: inout WireReader) throws(ScriptError) -> ProcessEvent {
    let time = try reader.double()
    let pid = Int32(try reader.int(in: 1...Int(Int32.max), "pid"))
    let name = try reader.name()
    let worker = try reader.byte() == 1
    let kind: Kind
    switch try reader.byte() {
    case 0: kind = .started(try reader.name())
    case 1:
      guard let state = Activity.State(rawValue: try reader.byte()) else { throw WireReader.malformed("an unknown activity") }
      kind = .activity(state, try reader.name())
    case 2:
      let since = try reader.double()
      guard since.isFinite else { throw WireReader.malformed("a task start that is not a number") }
      kind = .ranTasks(since: since, try reader.name())
    case 3: kind = .suspended
    case 4: kind = .resumed
    case 5: kind = .signalled(try reader.name())
    case 6: kind = .exited(try reader.name())
    case 7: kind = .reaped
    case 8: kind = .untracked
    case 9:
      let ready = try reader.byte() == 1
      let times = (try reader.double(), try reader.double(), try reader.double())
      guard times.0.isFinite, times.1.isFinite, times.2.isFinite else { throw WireReader.malformed("scheduling counters that are not numbers") }
      let slices = try reader.int(in: 0...Int(Int32.max), "slices")
      kind = .scheduling(ready: ready, SchedulingCounters(time: times.0, onCPU: times.1, waited: times.2, slices: slices))
    case 10: kind = .holding(try reader.name())
    case 11: kind = .released(try reader.name())
    case let tag: throw WireReader.malformed("an unknown event \(tag)")
    }
    guard time.isFinite else { throw WireReader.malformed("an event time that is not a number") }
    return ProcessEvent(time: time, pid: pid, name: name, isPoolWorker: worker, kind: kind)
  }
}
