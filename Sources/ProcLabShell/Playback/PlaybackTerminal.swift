// The terminal while a lesson plays: keys read one at a time and not echoed (so a key pressed
// mid-lesson never lands in the picture), the event loop serving children while it waits.
import CSystem
import Glibc
import ProcLabEngine

final class PlaybackTerminal {
  enum Key: Equatable {
    case run, skip, quit, repl, other
    /// r: the statement that ran last, once more (a race, repeated live).
    case again
    /// Ctrl-C while waiting.
    case interrupted
  }

  private let loop: EventLoop
  /// The mode the lesson found the terminal in, put back for the REPL and at the end.
  private var original: termios?
  private var typedAhead: [UInt8] = []

  init(loop: EventLoop) {
    self.loop = loop
  }

  /// No line buffering and no echo; output processing and Ctrl-C (ISIG) stay as they were,
  /// so "\n" still starts a new row and Ctrl-C still interrupts a statement.
  func enterKeyMode() {
    var mode = termios()
    guard tcgetattr(0, &mode) == 0 else { return }
    if original == nil { original = mode }
    mode.c_lflag &= ~tcflag_t(ICANON | ECHO)
    withUnsafeMutableBytes(of: &mode.c_cc) { controls in
      controls[Int(VMIN)] = 1
      controls[Int(VTIME)] = 0
    }
    tcsetattr(0, TCSANOW, &mode)
  }

  /// The terminal as the lesson found it (before the REPL, a prediction line, and at the end).
  func restore() {
    guard var original else { return }
    tcsetattr(0, TCSANOW, &original)
  }

  /// Forgets keys pressed while a statement ran: they were meant for it, not for the next step.
  func discardTypedAhead() {
    tcflush(0, TCIFLUSH)
    typedAhead.removeAll()
  }

  /// The next key: Enter or Space runs, s skips, q (or Ctrl-D) quits, i opens the REPL, r
  /// runs the last statement again.
  func readKey() -> Key {
    while true {
      if let key = nextKey() { return key }
      guard loop.waitReadable(0) else { return .interrupted }
      var chunk = [UInt8](repeating: 0, count: 64)
      let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
      if count == 0 { return .quit }
      if count > 0 { typedAhead += chunk[..<count] }
    }
  }

  /// Columns of the terminal on stdout (80 when it does not say).
  var columns: Int {
    let columns = Int(proclab_window_columns(1))
    return columns > 0 ? columns : 80
  }

  private func nextKey() -> Key? {
    guard let first = typedAhead.first else { return nil }
    if first == 0x1B {
      // An escape sequence (an arrow, a function key) counts as one key: ESC, '[' or 'O',
      // parameters, then a final byte from '@' to '~'.
      var end = 1
      if end < typedAhead.count,
        typedAhead[end] == UInt8(ascii: "[") || typedAhead[end] == UInt8(ascii: "O")
      {
        end += 1
        while end < typedAhead.count, !(0x40...0x7E).contains(typedAhead[end]) { end += 1 }
        end = min(end + 1, typedAhead.count)
      }
      typedAhead.removeFirst(end)
      return .other
    }
    typedAhead.removeFirst()
    switch first {
    case 0x0A, 0x0D, UInt8(ascii: " "): return .run
    case UInt8(ascii: "s"), UInt8(ascii: "S"): return .skip
    case UInt8(ascii: "q"), UInt8(ascii: "Q"), 0x04: return .quit
    case UInt8(ascii: "i"), UInt8(ascii: "I"): return .repl
    case UInt8(ascii: "r"), UInt8(ascii: "R"): return .again
    default: return .other
    }
  }
}
