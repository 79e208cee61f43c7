// Sending an open file descriptor to another process over a Unix socket (SCM_RIGHTS). The
// control-message layout is written by hand: Glibc's CMSG macros do not reach Swift, and a C
// shim would need headers that clash with Foundation's modules.
import Glibc
import ProcLabScript

enum DescriptorPassing {
  /// cmsghdr is { size_t len; int level; int type; } followed by the data, 8-byte aligned.
  private static let headerSize = 16
  private static let spaceForOne = 24

  /// Sends `bytes` with `descriptor` attached; the receiver gets its own copy of the descriptor.
  static func send(_ bytes: [UInt8], with descriptor: Int32, over socket: Int32) throws(ScriptError) {
    var control = [UInt8](repeating: 0, count: spaceForOne)
    control.withUnsafeMutableBytes { raw in
      raw.storeBytes(of: headerSize + 4, toByteOffset: 0, as: Int.self)
      raw.storeBytes(of: SOL_SOCKET, toByteOffset: 8, as: Int32.self)
      raw.storeBytes(of: Int32(SCM_RIGHTS), toByteOffset: 12, as: Int32.self)
      raw.storeBytes(of: descriptor, toByteOffset: headerSize, as: Int32.self)
    }
    var payload = bytes
    let sent = withMessage(&payload, &control) { sendmsg(socket, &$0, 0) }
    guard sent == bytes.count else { throw Descriptors.systemError("sendmsg") }
  }

  /// A message of one data buffer and one control buffer, for sendmsg and recvmsg.
  private static func withMessage(_ data: inout [UInt8], _ control: inout [UInt8], _ call: (inout msghdr) -> Int) -> Int {
    data.withUnsafeMutableBytes { dataBytes in
      control.withUnsafeMutableBytes { controlBytes in
        var vector = iovec(iov_base: dataBytes.baseAddress, iov_len: dataBytes.count)
        return withUnsafeMutablePointer(to: &vector) { vectorPointer in
          var message = msghdr()
          message.msg_iov = vectorPointer
          message.msg_iovlen = 1
          message.msg_control = controlBytes.baseAddress
          message.msg_controllen = controlBytes.count
          return call(&message)
        }
      }
    }
  }

  /// Receives exactly `count` bytes and the descriptor sent with them (nil if none came),
  /// waiting up to `timeout` seconds.
  static func receive(_ count: Int, from socket: Int32, timeout: Double) -> (bytes: [UInt8], descriptor: Int32?)? {
    var ready = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
    guard poll(&ready, 1, Int32(timeout * 1000)) == 1 else { return nil }
    var control = [UInt8](repeating: 0, count: spaceForOne)
    var bytes = [UInt8](repeating: 0, count: count)
    let received = withMessage(&bytes, &control) { recvmsg(socket, &$0, Int32(MSG_CMSG_CLOEXEC) | Int32(MSG_WAITALL)) }
    guard received == count else { return nil }
    let (length, level, type, descriptor) = control.withUnsafeBytes { raw in
      (
        raw.load(fromByteOffset: 0, as: Int.self), raw.load(fromByteOffset: 8, as: Int32.self),
        raw.load(fromByteOffset: 12, as: Int32.self), raw.load(fromByteOffset: headerSize, as: Int32.self)
      )
    }
    let passed = length == headerSize + 4 && level == SOL_SOCKET && type == Int32(SCM_RIGHTS)
    return (bytes, passed ? descriptor : nil)
  }
}
