// `renice` and `pin`: changing a running child's nice value or CPUs, and keeping what was set
// on its record (spawn's options are applied by the child itself, see Scheduling.startChild).
import ProcLabScript

extension Engine {
  public func renice(_ record: ProcessRecord, to nice: Int) throws(ScriptError) {
    try checkRunning(record, "renice")
    try Scheduling.renice(record.pid, to: nice, name: record.name)
    record.scheduling.options.set(nice: nice)
  }

  public func pin(_ record: ProcessRecord, to cpus: [Int]) throws(ScriptError) {
    try checkRunning(record, "pin")
    try Scheduling.pin(record.pid, to: cpus, name: record.name)
    record.scheduling.options.set(cpus: cpus)
  }

  private func checkRunning(_ record: ProcessRecord, _ command: String) throws(ScriptError) {
    guard record.isStarted else {
      throw ScriptError(.valueError, "\(record.name) has not started: give the option to Process() or spawn instead (nice=, cpu=)")
    }
    guard record.isAlive else { throw ScriptError(.valueError, "\(record.name) has ended: there is nothing to \(command)") }
  }
}
