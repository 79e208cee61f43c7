// The interpreter checks for Ctrl-C and other events at every loop round and call: that check
// is one load of a word shared with the signal handlers (`proclab_attention`, in C so that no
// lazy initialisation guards it). Signals set their own bits; a host sets bit 0 when it wants
// its `checkInterrupt` called for a reason of its own. Only while some bit is set does the
// interpreter call the host.
import CSystem

public enum Attention {
  /// The host's `checkInterrupt` runs at the next check.
  public static func raise() { _ = proclab_attention_or(1) }

  /// The host's own reason is served (signals' bits stay).
  public static func lower() { _ = proclab_attention_and(~1) }

  @inline(__always)
  static var isRaised: Bool { proclab_attention_load() != 0 }
}
