// proclab's driver: parses the command line (with swift-argument-parser's conventions),
// picks the mode (REPL, piped input, script, -c text) and exits with the run's status.
import Glibc
import ProcLabEngine
import ProcLabScript
import ProcLabShell

let arguments = CommandLine.arguments.dropFirst()
let options: CommandLineOptions
switch CommandLineOptions.parse(Array(arguments)) {
case .success(let parsed): options = parsed
case .failure(let problem):
  Descriptors.writeAll(2, "Error: \(problem.message)\n" + problem.usage)
  exit(ExitStatus.usage)
}
if options.showHelp {
  Descriptors.writeAll(1, CommandLineOptions.help)
  exit(ExitStatus.success)
}
if options.play?.showHelp == true {
  Descriptors.writeAll(1, PlaybackOptions.help)
  exit(ExitStatus.success)
}
if options.showVersion {
  Descriptors.writeAll(1, CommandLineOptions.version + "\n")
  exit(ExitStatus.success)
}

// Room for deep recursion: the interpreter uses the C stack for script calls (a debug build
// takes ~30 KiB a call). The main thread's stack may grow to the soft limit; the kernel leaves
// at least 128 MiB below it for that, so 64 MiB is safe.
var stackLimit = rlimit()
if getrlimit(Int32(RLIMIT_STACK.rawValue), &stackLimit) == 0, stackLimit.rlim_cur < 64 << 20 {
  stackLimit.rlim_cur = min(64 << 20, stackLimit.rlim_max)
  setrlimit(Int32(RLIMIT_STACK.rawValue), &stackLimit)
}

// A lesson played on a terminal forwards children's output through the session, which shows
// it around the statement being typed.
let interactive =
  options.play != nil
  ? isatty(1) == 1 : options.script == nil && options.text == nil && isatty(0) == 1 && isatty(1) == 1
let session: Session
do {
  session = try Session(interactive: interactive)
} catch {
  Descriptors.writeAll(2, "proclab: \(error.message)\n")
  exit(ExitStatus.runtimeError)
}
session.echo = options.echo
if let maxMemory = options.maxMemory { MemoryBudget.bytes = maxMemory }
TerminalColor.allowed = options.color

let status: Int32
if let play = options.play {
  status = Playback(session: session, options: play).run()
} else if let text = options.text {
  status = ScriptRunner.run(text, file: "<-c>", session: session)
} else if let path = options.script {
  do {
    status = ScriptRunner.run(try readScript(path), file: path, session: session)
  } catch {
    Descriptors.writeAll(2, "proclab: \(error.message)\n")
    status = ExitStatus.ioError
  }
} else if interactive {
  status = REPL(session: session).run()
} else {
  status = PlainInput.run(session: session)
}
exit(status)
