// Sending open file descriptors to another process over a Unix socket (SCM_RIGHTS). The
// control-message layout is written by hand: Glibc's CMSG macros do not reach Swift, and a C
// shim would need headers that clash with Foundation's modules.
import Glibc
import ProcLabScript

enum DescriptorPassing {
  /// cmsghdr is { size_t len; int level; int type; } followed by the data, 8-byte aligned.
  private static let headerSize = 16

  private static func space(for count: Int) -> Int { headerSize + (4 * count + 7) & ~7 }

  /// Sends `bytes` with `descriptors` attached, as one message; the receiver gets its own
  /// copies of the descriptors. Waits while the socket is full; EINTR is retried.
  static func send(_ bytes: [UInt8], with descriptors: [Int32], over socket: Int32) throws(ScriptError) {
    var control = [UInt8](repeating: 0, count: space(for: descriptors.count))
    control.withUnsafeMutableBytes { raw in
      raw.storeBytes(of: headerSize + 4 * descriptors.count, toByteOffset: 0, as: Int.self)
      raw.storeBytes(of: SOL_SOCKET, toByteOffset: 8, as: Int32.self)
      raw.storeBytes(of: Int32(SCM_RIGHTS), toByteOffset: 12, as: Int32.self)
      for (i, descriptor) in descriptors.enumerated() {
        raw.storeBytes(of: descriptor, toByteOffset: headerSize + 4 * i, as: Int32.self)
      }
    }
    var payload = bytes
    while true {
      let sent = withMessage(&payload, &control) { message in sendmsg(socket, &message, Int32(MSG_NOSIGNAL)) }
      if sent == bytes.count { return }
      if sent < 0 && errno == EINTR { continue }
      throw Descriptors.systemError("sendmsg")
    }
  }

  /// What one non-blocking receive found.
  enum Received {
    /// Nothing is waiting.
    case nothing
    /// Every holder of the other end has closed it (or the socket failed).
    case closed
    /// One message: its bytes, and every descriptor that came with it, which the caller now
    /// owns and must close if it does not keep them. `truncated` when the message or its
    /// descriptors did not fit (the kernel closes the descriptors that did not).
    case message(bytes: [UInt8], descriptors: [Int32], truncated: Bool)
  }

  /// Receives one message of at most `maxBytes` bytes and `maxDescriptors` descriptors,
  /// without waiting. Descriptors arrive close-on-exec.
  static func receive(maxBytes: Int, maxDescriptors: Int, from socket: Int32) -> Received {
    var control = [UInt8](repeating: 0, count: space(for: maxDescriptors))
    var bytes = [UInt8](repeating: 0, count: maxBytes)
    var flags: Int32 = 0
    var controlLength = 0
    var received = 0
    repeat {
      received = withMessage(&bytes, &control) { message in
        let n = recvmsg(socket, &message, Int32(MSG_CMSG_CLOEXEC) | Int32(MSG_DONTWAIT))
        flags = message.msg_flags
        controlLength = Int(message.msg_controllen)
        return n
      }
    } while received < 0 && errno == EINTR
    if received < 0 { return errno == EAGAIN || errno == EWOULDBLOCK ? .nothing : .closed }
    let descriptors = parseDescriptors(control, length: min(controlLength, control.count))
    // A message of no bytes and no descriptors is what a closed stream reads as.
    if received == 0 && descriptors.isEmpty && controlLength == 0 && flags & Int32(MSG_TRUNC) == 0 { return .closed }
    let truncated = flags & Int32(MSG_TRUNC) != 0 || flags & Int32(MSG_CTRUNC) != 0
    return .message(bytes: Array(bytes[0..<received]), descriptors: descriptors, truncated: truncated)
  }

  /// Every descriptor in the control messages received: each header is checked against the
  /// length the kernel wrote before it is followed.
  private static func parseDescriptors(_ control: [UInt8], length: Int) -> [Int32] {
    var descriptors: [Int32] = []
    control.withUnsafeBytes { raw in
      var offset = 0
      while offset + headerSize <= length {
        let size = raw.load(fromByteOffset: offset, as: Int.self)
        guard size >= headerSize, size <= length - offset else { break }
        let level = raw.load(fromByteOffset: offset + 8, as: Int32.self)
        let type = raw.load(fromByteOffset: offset + 12, as: Int32.self)
        if level == SOL_SOCKET && type == Int32(SCM_RIGHTS) {
          for i in 0..<(size - headerSize) / 4 {
            descriptors.append(raw.load(fromByteOffset: offset + headerSize + 4 * i, as: Int32.self))
          }
        }
        offset += (size + 7) & ~7
      }
    }
    return descriptors
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
}
