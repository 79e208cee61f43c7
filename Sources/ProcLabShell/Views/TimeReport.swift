// `time`: wall, user and system time of a statement, children's CPU included, printed as
// bash does for one run and as hyperfine does (min, median, mean ± σ, max) for several.
import ProcLabEngine
import ProcLabScript

struct TimeReport {
  var walls: [Double]
  var user: Double
  var system: Double

  static func measure(repeats: Int, _ body: () throws(ScriptError) -> Void) throws(ScriptError) -> TimeReport {
    let startSelf = CPUClock.selfTimes()
    let startChildren = CPUClock.childrenTimes()
    var walls: [Double] = []
    walls.reserveCapacity(repeats)
    for _ in 0..<repeats {
      let start = CPUClock.monotonicSeconds()
      try body()
      walls.append(CPUClock.monotonicSeconds() - start)
    }
    let cpu = (CPUClock.selfTimes() - startSelf) + (CPUClock.childrenTimes() - startChildren)
    return TimeReport(walls: walls, user: cpu.user, system: cpu.system)
  }

  func render(label: String) -> String {
    if walls.count == 1 {
      return "\nreal\t\(TimeReport.bash(walls[0]))\nuser\t\(TimeReport.bash(user))\nsys\t\(TimeReport.bash(system))\n"
    }
    let sorted = walls.sorted()
    let n = Double(walls.count)
    let mean = walls.reduce(0, +) / n
    let variance = walls.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / max(1, n - 1)
    let sigma = variance.squareRoot()
    let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    let unit = TimeReport.unit(for: mean)
    func f(_ s: Double) -> String { ProcessTableView.format(s / unit.scale, 1) + " " + unit.name }
    return """
      Time: \(label)
        Time (mean ± σ):     \(f(mean)) ± \(f(sigma))    [User: \(f(user / n)), System: \(f(system / n))]
        Median:              \(f(median))
        Range (min … max):   \(f(sorted.first!)) … \(f(sorted.last!))    \(walls.count) runs

      """
  }

  /// bash's `0m0.201s`.
  static func bash(_ seconds: Double) -> String {
    let minutes = Int(seconds / 60)
    return "\(minutes)m" + ProcessTableView.format(seconds - Double(minutes) * 60, 3) + "s"
  }

  static func unit(for seconds: Double) -> (name: String, scale: Double) {
    if seconds >= 1 { return ("s", 1) }
    if seconds >= 1e-3 { return ("ms", 1e-3) }
    return ("µs", 1e-6)
  }
}
