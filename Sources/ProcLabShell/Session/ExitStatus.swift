// The exit codes of `proclab`, stable so scripts and CI can tell failures apart
// (documented in the README).
import ProcLabScript

public enum ExitStatus {
  public static let success: Int32 = 0
  public static let runtimeError: Int32 = 1
  public static let syntaxError: Int32 = 2
  public static let ioError: Int32 = 3
  /// swift-argument-parser's code for a bad command line (EX_USAGE).
  public static let usage: Int32 = 64
  public static let interrupted: Int32 = 130

  static func of(_ error: ScriptError) -> Int32 {
    switch error.kind {
    case .syntaxError: syntaxError
    case .ioError: ioError
    case .keyboardInterrupt: interrupted
    case .systemExit: error.exitStatus
    default: runtimeError
    }
  }
}
