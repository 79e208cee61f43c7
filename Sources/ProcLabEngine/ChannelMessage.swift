// The messages a child sends its session over the control channel (a SOCK_SEQPACKET
// socket pair, so each send arrives whole). One enum, encoded and decoded in one place.
import ProcLabScript

enum ChannelMessage {
  /// The child started doing something new (sleeping, blocked on a join, running a call).
  case activity(Activity)

  func encoded() throws(ScriptError) -> [UInt8] {
    var writer = WireWriter()
    switch self {
    case .activity(let activity):
      writer.byte(1)
      writer.byte(activity.state.rawValue)
      writer.double(activity.since)
      writer.double(activity.until ?? -1)
      writer.string(activity.text)
    }
    return writer.bytes
  }

  static func decode(_ bytes: [UInt8]) throws(ScriptError) -> ChannelMessage {
    var reader = WireReader(bytes)
    switch try reader.byte() {
    case 1:
      let state = Activity.State(rawValue: try reader.byte()) ?? .running
      let since = try reader.double()
      let until = try reader.double()
      return .activity(Activity(state, try reader.string(), since: since, until: until < 0 ? nil : until))
    case let tag:
      throw ScriptError("ProcessError", "unknown message \(tag) on a control channel")
    }
  }
}
