// The limits every frame from another process is checked against before anything is
// allocated for it: bytes come from a peer, so each length, count and number is hostile.
import ProcLabScript

enum WireLimits {
  /// The largest frame the session reads from a queue connection or its pipe of puts. A
  /// peer buffers at most this much in the session before its frame is whole; a child's put
  /// of a bigger item fails in the child with ValueError (see QueueClient). 64 MiB holds a
  /// list of about seven million integers or a 64 MiB string.
  static let maxPeerFrame = 64 << 20
  /// How many bytes the session reads from one connection per wake-up: a peer that floods
  /// is read in batches, and every other descriptor is served between them.
  static let readBatch = 1 << 20
  /// Names (of functions, error kinds, queues, files and processes): PATH_MAX.
  static let maxNameBytes = 4096
  /// A function's `def` text, compiled by the receiver: no real definition comes near.
  static let maxSourceBytes = 256 << 10
  /// Line and column numbers of a place in a script. The receiver of a function pads its
  /// text to its place (see Engine.resolveFunction), so these size an allocation.
  static let maxLine = 1 << 20
  static let maxColumn = 1 << 20
  /// How many values one frame may hold in all (each costs far more decoded than its one
  /// byte on the wire).
  static let maxValues = 1 << 23
  /// Seconds: a longer timeout is no timeout (it is 31 years).
  static let maxTimeout = 1e9
}
