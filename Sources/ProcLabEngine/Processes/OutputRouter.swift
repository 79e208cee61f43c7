// Routes children's output to the person: raw (as written, interleaved by the OS), tagged
// (whole lines prefixed `[name pid]`) or grouped (each process's output when it ends).
import Glibc
import ProcLabScript

public enum OutputMode: String, Sendable, CaseIterable {
  case raw, tagged, grouped
}

public final class OutputRouter {
  public var mode: OutputMode = .raw
  /// `output chars`: every print writes one character per write(2), so the OS can
  /// interleave processes inside words (`hhhelloelloello`).
  public var characterWrites = false
  /// Where the session's own output and forwarded child output go. The shell swaps it for
  /// one that prints above the prompt while a person is typing.
  public var sink: (String) -> Void = { _ in }
  /// A write to stdout failed with EPIPE: nobody reads it any more (`proclab ... | head -1`).
  /// SIGPIPE is ignored, so the script learns it here and ends with BrokenPipeError.
  public private(set) var stdoutClosed = false

  private struct Stream {
    var label: String
    var grouped = false
    var pending: [UInt8] = []
  }

  private let loop: EventLoop
  /// In an interactive session children write raw output into one shared pseudo-terminal
  /// (see Descriptors.outputTerminal; the OS still interleaves their writes in order) so the
  /// session can print it above the prompt.
  private let forwardsRaw: Bool
  private var rawTerminal: (read: Int32, write: Int32)?
  private var streams: [Int32: Stream] = [:]

  init(loop: EventLoop, forwardsRaw: Bool) {
    self.loop = loop
    self.forwardsRaw = forwardsRaw
    sink = { [unowned self] text in self.writeStdout(text) }
  }

  /// Writes to fd 1, remembering a closed reader (see stdoutClosed).
  public func writeStdout(_ text: String) {
    if Descriptors.writeAll(1, text) == EPIPE {
      stdoutClosed = true
      Attention.raise()
    }
  }

  /// BrokenPipeError once stdout is closed, as Python's print raises it.
  public func checkStdout() throws(ScriptError) {
    guard stdoutClosed else { return }
    throw ScriptError(.brokenPipeError, "stdout is closed: nothing reads what this prints any more (EPIPE)")
  }

  /// The descriptor a new child should put on its stdout and stderr, or nil to inherit ours.
  /// For tagged and grouped modes it also returns the read end to attach after the fork.
  func childOutput() throws(ScriptError) -> (write: Int32?, read: Int32?) {
    switch mode {
    case .raw:
      guard forwardsRaw else { return (nil, nil) }
      if rawTerminal == nil {
        let ends = try Descriptors.outputTerminal()
        Descriptors.setNonBlocking(ends.read)
        SignalTraps.signalWhenReadable(ends.read)
        rawTerminal = ends
        streams[ends.read] = Stream(label: "")
        loop.watch(ends.read) { [unowned self] in self.drain(ends.read) }
      }
      return (rawTerminal!.write, nil)
    case .tagged, .grouped:
      let ends = try Descriptors.pipe()
      Descriptors.setNonBlocking(ends.read)
      return (ends.write, ends.read)
    }
  }

  /// Starts reading a child's own output pipe (tagged and grouped modes).
  func attach(_ fd: Int32, name: String, pid: Int32) {
    let grouped = mode == .grouped
    streams[fd] = Stream(label: grouped ? "── \(name) (pid \(pid)) ──\n" : "[\(name) \(pid)] ", grouped: grouped)
    if !grouped { SignalTraps.signalWhenReadable(fd) }
    loop.watch(fd) { [unowned self] in self.drain(fd) }
  }

  /// Everything the router holds open, so a new child can close what is not its own.
  var descriptors: [Int32] {
    Array(streams.keys) + (rawTerminal.map { [$0.write] } ?? [])
  }

  /// Forgets the session's streams in a freshly forked child.
  func resetInChild() {
    for fd in descriptors { close(fd) }
    streams = [:]
    rawTerminal = nil
    stdoutClosed = false
    sink = { [unowned self] text in self.writeStdout(text) }
  }

  /// Prints text from this process, after any child output that was written before it.
  public func print(_ text: String) {
    if !streams.isEmpty { drainAll() }
    if characterWrites {
      for c in text where !stdoutClosed { writeStdout(String(c)) }
    } else {
      sink(text)
    }
  }

  /// Reads every child stream now, so output written before this moment is shown first.
  public func drainAll() {
    for fd in Array(streams.keys) { drain(fd) }
  }

  private func drain(_ fd: Int32) {
    guard var stream = streams[fd] else { return }
    let open = Descriptors.readAvailable(fd, into: &stream.pending)
    if fd == rawTerminal?.read {
      if !stream.pending.isEmpty { sink(String(decoding: stream.pending, as: UTF8.self)) }
      stream.pending.removeAll(keepingCapacity: true)
    } else if !stream.grouped {
      emitWholeLines(&stream, final: !open)
    } else if !open, !stream.pending.isEmpty {
      sink(stream.label + String(decoding: stream.pending, as: UTF8.self))
    }
    if open {
      streams[fd] = stream
    } else {
      loop.unwatch(fd)
      close(fd)
      streams[fd] = nil
    }
  }

  private func emitWholeLines(_ stream: inout Stream, final: Bool) {
    guard let lastNewline = stream.pending.lastIndex(of: UInt8(ascii: "\n")) else {
      if final, !stream.pending.isEmpty { sink(stream.label + String(decoding: stream.pending, as: UTF8.self) + "\n") }
      return
    }
    let text = String(decoding: stream.pending[...lastNewline], as: UTF8.self)
    var out = ""
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
      out += stream.label + line + "\n"
    }
    sink(out)
    stream.pending.removeSubrange(...lastNewline)
    if final, !stream.pending.isEmpty { sink(stream.label + String(decoding: stream.pending, as: UTF8.self) + "\n") }
  }
}
