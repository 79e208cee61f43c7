// The time axis of a timeline: where its ticks go and how seconds are written. The terminal,
// SVG and HTML drawings share it so that all three read the same.
import ProcLabEngine

enum TimelineAxis {
  /// The tick interval: 1, 2 or 5 times a power of ten, the smallest that cuts `span`
  /// seconds into at most `maxTicks` intervals.
  static func step(span: Double, maxTicks: Int) -> Double {
    guard span > 0, maxTicks > 0 else { return 1 }
    var power = 1e-6
    while true {
      for factor in [1.0, 2.0, 5.0] where span / (factor * power) <= Double(maxTicks) {
        return factor * power
      }
      power *= 10
    }
  }

  /// The tick times, from 0 up to `span` (seconds from the window's start).
  static func ticks(span: Double, step: Double) -> [Double] {
    guard span > 0, step > 0 else { return [0] }
    var ticks: [Double] = []
    var i = 0
    while Double(i) * step <= span * (1 + 1e-9) {
      ticks.append(Double(i) * step)
      i += 1
    }
    return ticks
  }

  /// A tick's label with as many decimals as the step needs: "0s", "0.2s", "1.5s", "10s".
  static func label(_ seconds: Double, step: Double) -> String {
    decimal(seconds, digits: digits(for: step)) + "s"
  }

  static func digits(for step: Double) -> Int {
    var digits = 0
    var scaled = step
    while digits < 6 && (scaled - scaled.rounded()).magnitude > 1e-6 {
      scaled *= 10
      digits += 1
    }
    return digits
  }

  /// `value` rounded to `digits` decimals, without Foundation's formatters.
  static func decimal(_ value: Double, digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int((value.magnitude * scale).rounded())
    let sign = value < 0 && scaled != 0 ? "-" : ""
    let whole = String(scaled / Int(scale))
    guard digits > 0 else { return sign + whole }
    let fraction = String(scaled % Int(scale))
    return sign + whole + "." + String(repeating: "0", count: digits - fraction.count) + fraction
  }

  /// Seconds for people: "0.312s" under a second, "4.20s" under a minute, then "2m05s".
  static func duration(_ seconds: Double) -> String {
    if seconds < 1 { return decimal(seconds, digits: 3) + "s" }
    if seconds < 60 { return decimal(seconds, digits: 2) + "s" }
    let whole = Int(seconds.rounded())
    let rest = whole % 60
    return "\(whole / 60)m" + (rest < 10 ? "0" : "") + "\(rest)s"
  }
}

extension TimelineSegment.State {
  /// What the state means, for legends and tooltips.
  var meaning: String {
    switch self {
    case .running: "running"
    case .ready: "ready (runnable, waiting for a CPU: the kernel's run-queue time)"
    case .sleeping: "sleeping"
    case .blocked: "blocked (waiting on a join, a queue, a pipe)"
    case .idle: "idle (pool worker waiting for a task)"
    case .suspended: "suspended (SIGSTOP)"
    case .zombie: "zombie (ended, not yet reaped)"
    }
  }
}
