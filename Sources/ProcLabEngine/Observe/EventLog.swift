// What happened to which process and when, on the machine-wide monotonic clock: starts,
// what each process said it was doing, pool task spans, signals, exits and reaps. The
// timeline is drawn from it. Bounded: the oldest events go first.

public struct ProcessEvent: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    case started(String)
    /// The process began running, sleeping or waiting (with what it said, e.g. "blocked on get q").
    case activity(Activity.State, String)
    /// A pool worker ran tasks from `since` until this event.
    case ranTasks(since: Double, String)
    /// The kernel's counters show it mostly waiting for a CPU (ready) or not, from this moment.
    /// Boxed: its counters would make every event of the log bigger.
    indirect case scheduling(ready: Bool, SchedulingCounters)
    case suspended
    case resumed
    case signalled(String)
    /// "exited 0", "killed by SIGKILL": from here it is a zombie until reaped.
    case exited(String)
    case reaped
    /// The session saw the process holding a lock (by its name) from this moment, and no
    /// longer after `released`'s moment: its looks at holders are 20 ms apart (HoldWatch).
    case holding(String)
    case released(String)
    /// The log follows the process no further: a `repeat` run that started it ended while
    /// it was still there (it dies with the run), so its lane stops here, without a mark.
    case untracked
  }

  public var time: Double
  public var pid: Int32
  public var name: String
  /// Pool workers wait for tasks between them; other processes run unless they say otherwise.
  public var isPoolWorker: Bool
  public var kind: Kind
}

public final class EventLog {
  private var events: [ProcessEvent] = []
  private var head = 0
  /// About 2 MB at most (an event is 80-100 bytes with its texts): enough for the timeline of
  /// the last few thousand processes, and small enough that a long session's memory stays flat.
  private let capacity = 20_000
  /// Off in forked children: only the session draws timelines (and the last run of a
  /// `repeat`, which sends its events to the session).
  var enabled = true
  /// How many events were ever recorded: where a run's own events begin (see since(_:)).
  private(set) var recorded = 0

  init() {}

  func record(_ pid: Int32, _ name: String, _ kind: ProcessEvent.Kind, at time: Double = CPUClock.monotonicSeconds(), poolWorker: Bool = false) {
    guard enabled else { return }
    add(ProcessEvent(time: time, pid: pid, name: name, isPoolWorker: poolWorker, kind: kind))
  }

  /// Events that another process recorded (a `repeat` run), kept as if recorded here.
  func add(_ events: [ProcessEvent]) {
    guard enabled else { return }
    for event in events { add(event) }
  }

  private func add(_ event: ProcessEvent) {
    recorded += 1
    if events.count < capacity {
      events.append(event)
    } else {
      events[head] = event
      head = (head + 1) % capacity
    }
  }

  /// The events recorded after the first `count` (as many of them as are still kept).
  func since(_ count: Int) -> [ProcessEvent] {
    let wanted = min(recorded - count, events.count)
    return Array(all.suffix(max(0, wanted)))
  }

  /// Every event kept, oldest first.
  public var all: [ProcessEvent] {
    Array(events[head...]) + Array(events[..<head])
  }
}
