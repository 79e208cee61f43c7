// How much of this thread's stack is left. The parser and the interpreter recurse once per
// level of nesting, and a debug build spends kilobytes a level: they check here and raise
// an error while there is still room, instead of overflowing the stack.
import Glibc

enum StackGuard {
  /// The lowest address of the current thread's stack. The session runs on one thread, but
  /// tests run some interpreters on threads with bigger stacks: it is read again when the
  /// thread changes. glibc's `pthread_getattr_np` is not in the Glibc module (it needs _GNU_SOURCE), so it is
  /// looked up by name; without it, the stack's size limit below the first caller stands in.
  private static func lowestAddress() -> Int {
    typealias GetAttributes = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32
    if let symbol = dlsym(nil, "pthread_getattr_np") {
      let getAttributes = unsafeBitCast(symbol, to: GetAttributes.self)
      var attributes = pthread_attr_t()
      if getAttributes(pthread_self(), &attributes) == 0 {
        defer { pthread_attr_destroy(&attributes) }
        var address: UnsafeMutableRawPointer?
        var size = 0
        if pthread_attr_getstack(&attributes, &address, &size) == 0, let address { return Int(bitPattern: address) }
      }
    }
    var limit = rlimit()
    getrlimit(Int32(RLIMIT_STACK.rawValue), &limit)
    let size = limit.rlim_cur == rlim_t.max ? 8 << 20 : Int(min(limit.rlim_cur, 1 << 30))
    return currentAddress() + (256 << 10) - size
  }

  nonisolated(unsafe) private static var cached: (thread: pthread_t, limit: Int)?

  /// What a frame may still use before the guard fires: room for the frames between checks
  /// (a builtin, a sort, the error's report) in a debug build.
  static let margin = 512 << 10

  /// The lowest address a check on the current thread accepts.
  static var limit: Int {
    let thread = pthread_self()
    if let cached, pthread_equal(cached.thread, thread) != 0 { return cached.limit }
    let lowest = lowestAddress()
    let limit = lowest == 0 ? 0 : lowest + margin
    cached = (thread, limit)
    return limit
  }

  @inline(__always)
  static func currentAddress() -> Int {
    var marker: UInt8 = 0
    return withUnsafeMutablePointer(to: &marker) { Int(bitPattern: $0) }
  }
}
