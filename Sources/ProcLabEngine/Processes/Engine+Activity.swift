// What a process is doing (running, sleeping, blocked on what), told to its parent and logged
// for the timeline; Ctrl-C, terminating signals and script signal handlers.
import CSystem
import Glibc
import ProcLabScript

extension Engine {
  /// Throws KeyboardInterrupt after a Ctrl-C; ends the session after SIGTERM and friends;
  /// runs the script's handlers of signals that arrived.
  public func checkInterrupt() throws(ScriptError) {
    guard SignalTraps.anyArrived else { return }
    Attention.lower()
    if SignalTraps.signalsArrived { runSignalHandlers() }
    if SignalTraps.takeAdoptions() { noticeAdoption() }
    if !pendingCallbacks.isEmpty { runPendingCallbacks() }
    // Every check after stdout closed raises BrokenPipeError, as every print would.
    if output.stdoutClosed { Attention.raise() }
    try checkSignals()
  }

  /// Ends the session after SIGTERM, SIGHUP or SIGQUIT; throws KeyboardInterrupt after a
  /// Ctrl-C, and BrokenPipeError once stdout is closed; shows children's output that came
  /// while the session computed. Runs no script code, so the parser and long builtins call
  /// it mid-way (see Interruption).
  public func checkSignals() throws(ScriptError) {
    if SignalTraps.takeOutputArrival() { output.drainAll() }
    if let signal = SignalTraps.pendingTermination { terminate(by: signal) }
    if SignalTraps.takeInterrupt() { throw ScriptError(.keyboardInterrupt, "interrupted") }
    try output.checkStdout()
  }

  /// `on_signal(NAME, f)`: from now on this process calls `handler(NAME)` when the signal comes.
  public func onSignal(_ signal: Int32, call handler: Value) throws(ScriptError) {
    guard signal != SIGKILL, signal != SIGSTOP else {
      throw ScriptError(.valueError, "\(SignalName.name(signal)) cannot be caught: the kernel acts on it directly")
    }
    signalHandlers[signal] = handler
    try SignalTraps.handle(signal)
  }

  /// Calls the `on_signal` handler of each signal that arrived, with the signal's name. An
  /// error in a handler is reported and does not stop the code the signal interrupted.
  func runSignalHandlers() {
    guard let interpreter else { return }
    for signal in SignalTraps.takeArrived() {
      guard let handler = signalHandlers[signal] else { continue }
      do {
        _ = try interpreter.call(handler, [.string(SignalName.name(signal))], at: SourceLocation(file: "<signal>", line: 1, column: 1))
      } catch {
        Descriptors.writeAll(2, "in the handler of \(SignalName.name(signal)) in \(processName) (pid \(getpid())):\n" + error.report(sources: interpreter.sources))
      }
    }
  }

  /// Sets what this process is doing for the length of `work`, telling the parent if any.
  public func during<T>(_ doing: Activity, _ work: () throws(ScriptError) -> T) rethrows -> T {
    let before = activity
    report(doing)
    defer {
      var back = before
      back.since = CPUClock.monotonicSeconds()
      report(back)
    }
    return try work()
  }

  /// The session waits at the prompt: `ps` and the timeline show it blocked on the terminal.
  public func waitForInput() {
    report(Activity(.blocked, "waiting for input at the prompt", since: CPUClock.monotonicSeconds()))
  }

  /// What this process is running now (the session's current statement, for `ps`).
  public func setActivity(_ text: String) {
    report(Activity(.running, text, since: CPUClock.monotonicSeconds()))
  }

  func report(_ doing: Activity) {
    activity = doing
    events.record(getpid(), processName, .activity(doing.state, doing.text), at: doing.since)
    try? parentChannel?.send(ChannelMessage.activity(doing))
  }
}
