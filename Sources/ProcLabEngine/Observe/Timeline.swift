// Turns the event log into lanes: for each process, the stretches of time it spent running,
// ready (runnable but waiting for a CPU, as the kernel counted it), sleeping, blocked, idle (a
// pool worker between tasks), suspended or as a zombie, plus the moments of its signals and
// its exit, a pool worker's task spans, and the locks it was seen holding. The shell draws
// lanes as text, SVG or HTML.

public struct TimelineSegment: Sendable, Equatable {
  public enum State: String, Sendable, CaseIterable {
    case running, ready, sleeping, blocked, idle, suspended, zombie
  }

  public var state: State
  public var start: Double
  public var end: Double
  /// What the process said it was doing ("blocked on join of a", "sleeping").
  public var label: String

  public init(state: State, start: Double, end: Double, label: String) {
    self.state = state
    self.start = start
    self.end = end
    self.label = label
  }
}

public struct TimelineMark: Sendable, Equatable {
  public enum Kind: Sendable {
    /// The session sent the process a signal.
    case signal
    /// The process ended (exited or was killed).
    case exit
  }

  public var kind: Kind
  public var time: Double
  /// "exited 0", "killed by SIGTERM", "SIGUSR1".
  public var label: String

  public init(_ kind: Kind, time: Double, label: String) {
    self.kind = kind
    self.time = time
    self.label = label
  }
}

/// One task (or one message's worth of quick tasks) a pool worker ran, from when the session
/// handed it over (or the worker finished the one before) until its result came back.
public struct TimelineTask: Sendable, Equatable {
  public var start: Double
  public var end: Double
  /// "run(3)", "sq over items 0-12", "sq(1) and 255 more".
  public var label: String

  public init(start: Double, end: Double, label: String) {
    self.start = start
    self.end = end
    self.label = label
  }
}

/// A stretch in which the session saw the process hold a lock: from the first of its looks
/// (20 ms apart) that saw this hold to the last, so the real hold began and ended up to a look
/// outside it; a hold seen by one look only is not drawn.
public struct TimelineHold: Sendable, Equatable {
  public var start: Double
  public var end: Double
  /// The lock's name: "Lock-1".
  public var lock: String

  public init(start: Double, end: Double, lock: String) {
    self.start = start
    self.end = end
    self.lock = lock
  }
}

public struct TimelineLane: Sendable, Equatable {
  public var name: String
  public var pid: Int32
  public var segments: [TimelineSegment]
  public var marks: [TimelineMark]
  /// A pool worker's tasks in the window, in the order it ran them (none for other processes).
  public var tasks: [TimelineTask]
  /// The locks it was seen holding in the window, by when each hold began.
  public var holds: [TimelineHold]
  /// The kernel's latest counters for it (time on a CPU, time ready, switches onto a CPU):
  /// nil for a process the sampler never read (pool workers, the session).
  public var scheduling: SchedulingCounters?

  public init(
    name: String, pid: Int32, segments: [TimelineSegment], marks: [TimelineMark], tasks: [TimelineTask] = [], holds: [TimelineHold] = [],
    scheduling: SchedulingCounters? = nil
  ) {
    self.name = name
    self.pid = pid
    self.segments = segments
    self.marks = marks
    self.tasks = tasks
    self.holds = holds
    self.scheduling = scheduling
  }
}

/// A picture's worth of lanes between two moments (seconds on the monotonic clock).
public struct Timeline: Sendable, Equatable {
  public var start: Double
  public var end: Double
  public var lanes: [TimelineLane]

  public init(start: Double, end: Double, lanes: [TimelineLane]) {
    self.start = start
    self.end = end
    self.lanes = lanes
  }

  /// Builds the lanes of `events` clipped to [start, end]. A process's state is what it last
  /// said; a pool worker is idle outside its task spans; after exit it is a zombie until reaped.
  public static func build(from events: [ProcessEvent], start: Double, end: Double) -> Timeline {
    var order: [Int32] = []
    var byPid: [Int32: [ProcessEvent]] = [:]
    for event in events {
      if byPid[event.pid] == nil { order.append(event.pid) }
      byPid[event.pid, default: []].append(event)
    }
    var lanes: [TimelineLane] = []
    for pid in order {
      let lane = buildLane(byPid[pid]!, start: start, end: end)
      if !lane.segments.isEmpty || !lane.marks.isEmpty { lanes.append(lane) }
    }
    return Timeline(start: start, end: end, lanes: lanes)
  }

  private enum Step {
    case event(ProcessEvent.Kind)
    case taskStart(String)
    case taskEnd
  }

  private static func buildLane(_ events: [ProcessEvent], start: Double, end: Double) -> TimelineLane {
    let worker = events.contains { $0.isPoolWorker }
    // A worker's task span is known when it ends; split it into a start and an end step so
    // that what the worker said inside the span (sleeping...) falls between them.
    // Reports carry when the activity began, which can be before what the log already holds.
    // A wait reported again so (`pool map` does it every slice, to show the whole wait in ps)
    // goes on from the latest moment; running put back after a wait with its old start (a
    // queue get does that) keeps its time, so it cannot cut the wait short.
    var steps: [(time: Double, step: Step)] = []
    var tasks: [TimelineTask] = []
    var latest = -Double.infinity
    for event in events {
      switch event.kind {
      case .ranTasks(let since, let label):
        steps.append((since, .taskStart(label)))
        steps.append((event.time, .taskEnd))
        if event.time > start && since < end {
          tasks.append(TimelineTask(start: max(since, start), end: min(event.time, end), label: label))
        }
      case .activity(let state, _) where state != .running:
        latest = max(latest, event.time)
        steps.append((latest, .event(event.kind)))
      default:
        latest = max(latest, event.time)
        steps.append((event.time, .event(event.kind)))
      }
    }
    steps.sort { $0.time < $1.time }

    var segments: [TimelineSegment] = []
    var marks: [TimelineMark] = []
    var open: (state: TimelineSegment.State, since: Double, label: String)?
    var said: (state: TimelineSegment.State, label: String) = worker ? (.idle, "waiting for a task") : (.running, "running")
    var task: String?
    var suspended = false
    var ended: String?
    // Running as the process says, waiting for a CPU as the kernel counted it.
    var waitingForCPU = false
    var counters: SchedulingCounters?
    var holds: [TimelineHold] = []
    var holding: [String: Double] = [:]

    /// A hold ends: drawn if it lasted and meets the window.
    func letGo(_ lock: String, at time: Double) {
      guard let since = holding.removeValue(forKey: lock), time > since, time > start, since < end else { return }
      holds.append(TimelineHold(start: max(since, start), end: min(time, end), lock: lock))
    }

    func close(at time: Double) {
      guard let current = open else { return }
      let from = max(current.since, start)
      let to = min(time, end)
      if to > from {
        if let last = segments.last, last.state == current.state, last.label == current.label, abs(last.end - from) < 1e-9 {
          segments[segments.count - 1].end = to
        } else {
          segments.append(TimelineSegment(state: current.state, start: from, end: to, label: current.label))
        }
      }
      open = nil
    }
    /// Starts the stretch that the state now in force gives, at `time`.
    func settle(at time: Double) {
      close(at: time)
      if let ended {
        open = (.zombie, time, "\(ended), not yet reaped")
      } else if suspended {
        open = (.suspended, time, "suspended")
      } else if said.state == .running && waitingForCPU {
        open = (.ready, time, "ready: waiting for a CPU")
      } else {
        open = (said.state, time, said.label)
      }
    }

    for (time, step) in steps {
      switch step {
      case .taskStart(let label):
        task = label
        said = (.running, "running \(label)")
        settle(at: time)
      case .taskEnd:
        task = nil
        said = (.idle, "waiting for a task")
        settle(at: time)
      case .event(.started(let target)):
        said = worker ? (.idle, "waiting for a task") : (.running, "running \(target)")
        settle(at: time)
      case .event(.activity(let state, let text)):
        if state == .running {
          said = task.map { (.running, "running \($0)") } ?? (worker ? (.idle, "waiting for a task") : (.running, text))
        } else {
          said = (TimelineSegment.State(state), text)
        }
        settle(at: time)
      case .event(.suspended):
        suspended = true
        settle(at: time)
      case .event(.resumed):
        suspended = false
        settle(at: time)
      case .event(.signalled(let name)):
        if time >= start && time <= end { marks.append(TimelineMark(.signal, time: time, label: name)) }
      case .event(.holding(let lock)):
        holding[lock] = time
      case .event(.released(let lock)):
        letGo(lock, at: time)
      case .event(.exited(let how)):
        // What it held, it held until its end (the session releases it then).
        for lock in holding.keys.sorted() { letGo(lock, at: time) }
        ended = how
        if time >= start && time <= end { marks.append(TimelineMark(.exit, time: time, label: how)) }
        settle(at: time)
      case .event(.scheduling(let ready, let latest)):
        counters = latest
        waitingForCPU = ready
        if ended == nil { settle(at: time) }
      case .event(.reaped):
        close(at: time)
      case .event(.untracked):
        for lock in holding.keys.sorted() { letGo(lock, at: time) }
        close(at: time)
      case .event(.ranTasks):
        break
      }
    }
    close(at: end)
    for lock in holding.keys.sorted() { letGo(lock, at: end) }
    holds.sort { $0.start < $1.start }
    let first = events.first!
    return TimelineLane(name: first.name, pid: first.pid, segments: segments, marks: marks, tasks: tasks, holds: holds, scheduling: counters)
  }
}

extension TimelineSegment.State {
  init(_ state: Activity.State) {
    switch state {
    case .running: self = .running
    case .sleeping: self = .sleeping
    case .blocked: self = .blocked
    }
  }
}
