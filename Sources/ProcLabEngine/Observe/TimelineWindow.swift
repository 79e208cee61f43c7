// Which stretch of the event log a `timeline` shows: the last command together with the
// whole lives of the processes it dealt with, the last N seconds, or everything.

public enum TimelineWindow: Sendable, Equatable {
  /// The command that ran over [start, end], widened back to the start of every process that
  /// ended or was reaped while it ran (so `join all` shows the children it waited for from
  /// their spawn). Pool workers and processes still running do not widen it: a pool started
  /// minutes ago would squeeze the command into the last sliver of the picture. A command
  /// that touched no process (an `expect` or a `print` after a `join`) shows the last batch
  /// of processes to end instead: those that ended after the last one to end had started.
  case command(start: Double, end: Double)
  case last(Double)
  case all
}

extension Engine {
  public func timeline(_ window: TimelineWindow) -> Timeline {
    loop.serveReady()
    let events = self.events.all
    let now = CPUClock.monotonicSeconds()
    switch window {
    case .all:
      return Timeline.build(from: events, start: events.first?.time ?? now, end: now)
    case .last(let seconds):
      return Timeline.build(from: events, start: now - seconds, end: now)
    case .command(let start, let end):
      var started: [Int32: Double] = [:]
      var endedWithin: Set<Int32> = []
      var ends: [(pid: Int32, time: Double)] = []
      var touched = false
      for event in events where !event.isPoolWorker {
        if event.pid != sessionPid && event.time > start && event.time <= end { touched = true }
        switch event.kind {
        case .started: started[event.pid] = event.time
        case .exited, .reaped: if event.time > start && event.time <= end { endedWithin.insert(event.pid) }
        default: break
        }
        if case .exited = event.kind, event.time <= end { ends.append((event.pid, event.time)) }
      }
      if !touched, let last = ends.last, let lastStart = started[last.pid] {
        endedWithin = Set(ends.filter { $0.time >= lastStart }.map(\.pid))
      }
      var from = start
      for (pid, time) in started where time < start && endedWithin.contains(pid) && pid != sessionPid {
        from = min(from, time)
      }
      return Timeline.build(from: events, start: from, end: end)
    }
  }
}
