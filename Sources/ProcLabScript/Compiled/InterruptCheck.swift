// The host's Ctrl-C check as compiled loops and calls make it, on every round: without
// retaining the host. Calling a method of `Interpreter.host` (held unowned, as the host owns
// the interpreter) retains and releases it around the call, two atomic operations that cost
// a numeric loop a third of its time. The host outlives its interpreter, so none is needed.

struct InterruptCheck {
  private let host: Unmanaged<AnyObject>
  /// Calls `checkInterrupt` of the host's own type; its error, or nil.
  private let check: (AnyObject) -> ScriptError?

  init<Host: ScriptHost>(_ host: Host) {
    self.host = Unmanaged.passUnretained(host)
    check = { object in
      do throws(ScriptError) {
        try unsafeDowncast(object, to: Host.self).checkInterrupt()
        return nil
      } catch {
        return error
      }
    }
  }

  /// One load while nothing is pending: the host is called only while Attention is raised.
  @inline(__always)
  func callAsFunction() throws(ScriptError) {
    if Attention.isRaised, let error = host._withUnsafeGuaranteedRef(check) { throw error }
  }
}
