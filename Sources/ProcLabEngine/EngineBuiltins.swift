// Builtins that touch the operating system: output, time, identity, randomness and files.
// Each is a thin call into the engine or libc; the language core knows none of them.
import CSystem
import Glibc
import ProcLabScript

extension Engine {
  public var builtins: [String: Builtin] {
    var table: [String: Builtin] = [:]
    for builtin in builtinList { table[builtin.name] = builtin }
    return table
  }

  private var builtinList: [Builtin] {
    [
      Builtin("print") { [unowned self] call throws(ScriptError) in
        let separator = call.keywords["sep"]?.description ?? " "
        let end = call.keywords["end"]?.description ?? "\n"
        output.print(call.arguments.map(\.description).joined(separator: separator) + end)
        return .none
      },
      Builtin("sleep") { [unowned self] call throws(ScriptError) in
        try sleep(try Engine.seconds(call.argument(0, "seconds")))
        return .none
      },
      Builtin("now") { _ in .float(CPUClock.monotonicSeconds()) },
      Builtin("date") { _ in .string(Engine.localDate()) },
      Builtin("pid") { _ in .int(Int(getpid())) },
      Builtin("ppid") { _ in .int(Int(getppid())) },
      Builtin("name") { [unowned self] _ in .string(processName) },
      Builtin("cpu_count") { _ in .int(Int(proclab_nproc_online())) },
      Builtin("random") { call throws(ScriptError) in try Engine.random(call) },
      Builtin("fork") { [unowned self] _ throws(ScriptError) in .int(try forkHere()) },
      Builtin("pipe") { [unowned self] call throws(ScriptError) in
        let (a, b) = try makePipe(duplex: call.keywords["duplex"]?.isTruthy ?? true)
        return .list([.handle(a), .handle(b)])
      },
      Builtin("on_signal") { [unowned self] call throws(ScriptError) in
        let name = try Engine.text(call.argument(0, "a signal name"), "a signal name")
        guard let signal = SignalName.number(name) else {
          throw ScriptError(.valueError, "unknown signal \(name) (expected a name like USR1, TERM, INT)")
        }
        guard signal != SIGKILL, signal != SIGSTOP else {
          throw ScriptError(.valueError, "\(SignalName.name(signal)) cannot be caught: the kernel acts on it directly")
        }
        let handler = try call.argument(1, "a function to call")
        signalHandlers[signal] = handler
        try SignalTraps.handle(signal)
        return .none
      },
      Builtin("write_file") { call throws(ScriptError) in
        try Engine.writeFile(call, flags: O_WRONLY | O_CREAT | O_TRUNC)
      },
      Builtin("append_file") { call throws(ScriptError) in
        try Engine.writeFile(call, flags: O_WRONLY | O_CREAT | O_APPEND)
      },
      Builtin("remove_file") { call throws(ScriptError) in
        let path = try Engine.text(call.argument(0, "a path"), "a path")
        guard unlink(path) == 0 || errno == ENOENT else { throw Descriptors.systemError("remove \(path)") }
        return .none
      },
      Builtin("read_file") { call throws(ScriptError) in
        .string(try Engine.readFile(try Engine.text(call.argument(0, "a path"), "a path")))
      },
    ]
  }

  static func seconds(_ value: Value) throws(ScriptError) -> Double {
    switch value {
    case .int(let i) where i >= 0: return Double(i)
    case .float(let d) where d >= 0 && d.isFinite: return d
    default: throw ScriptError(.valueError, "expected a number of seconds (0 or more), got \(value.repr)")
    }
  }

  static func text(_ value: Value, _ what: String) throws(ScriptError) -> String {
    guard case .string(let s) = value else { throw ScriptError(.typeError, "expected \(what) as a string, got \(value.repr)") }
    return s
  }

  /// Local date and time, `2026-11-27 06:50:31`.
  static func localDate() -> String {
    var now = time(nil)
    var parts = tm()
    localtime_r(&now, &parts)
    var buffer = [CChar](repeating: 0, count: 64)
    let count = strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M:%S", &parts)
    return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// `random()` a float in [0, 1); `random(n)` an int in [0, n); `random(a, b)` an int in [a, b].
  static func random(_ call: BuiltinCall) throws(ScriptError) -> Value {
    switch call.arguments.count {
    case 0:
      return .float(Double.random(in: 0..<1))
    case 1:
      guard case .int(let n) = call.arguments[0], n > 0 else { throw ScriptError(.valueError, "random(n) needs an int n > 0") }
      return .int(Int.random(in: 0..<n))
    default:
      guard case .int(let a) = call.arguments[0], case .int(let b) = call.arguments[1], a <= b else {
        throw ScriptError(.valueError, "random(a, b) needs ints with a <= b")
      }
      return .int(Int.random(in: a...b))
    }
  }

  private static func writeFile(_ call: BuiltinCall, flags: Int32) throws(ScriptError) -> Value {
    let path = try text(call.argument(0, "a path"), "a path")
    let content = try call.argument(1, "the text to write").description
    let fd = open(path, flags | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw Descriptors.systemError("open \(path)") }
    defer { close(fd) }
    Descriptors.writeAll(fd, content)
    return .none
  }

  /// A whole file as text; errors name the path and the reason.
  public static func readFile(_ path: String) throws(ScriptError) -> String {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw Descriptors.systemError("open \(path)") }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = read(fd, &chunk, chunk.count)
      if n > 0 {
        bytes.append(contentsOf: chunk[0..<n])
      } else if n < 0 && errno == EINTR {
        continue
      } else if n < 0 {
        throw Descriptors.systemError("read \(path)")
      } else {
        return String(decoding: bytes, as: UTF8.self)
      }
    }
  }
}
