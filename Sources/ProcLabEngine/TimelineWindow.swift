// Which stretch of the event log a `timeline` shows: the last command together with the
// whole lives of the processes it dealt with, the last N seconds, or everything.

public enum TimelineWindow: Sendable, Equatable {
  /// The command that ran over [start, end], widened back to the start of every process
  /// alive when it began (so `join all` shows the children it waited for from their spawn).
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
      var ended: [Int32: Double] = [:]
      for event in events {
        switch event.kind {
        case .started: started[event.pid] = event.time
        case .exited, .reaped: ended[event.pid] = min(ended[event.pid] ?? event.time, event.time)
        default: break
        }
      }
      var from = start
      for (pid, time) in started where time < start && (ended[pid] ?? .infinity) > start && pid != sessionPid {
        from = min(from, time)
      }
      return Timeline.build(from: events, start: from, end: end)
    }
  }
}
