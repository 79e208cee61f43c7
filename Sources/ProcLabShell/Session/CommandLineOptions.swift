// The command line, parsed by hand to keep Foundation (and its start-up cost and threads)
// out of the process, but with swift-argument-parser's conventions: --help, --version,
// "Error: ..." plus usage on stderr and exit code 64 for a bad command line.
import ProcLabScript

public struct CommandLineOptions {
  public var script: String?
  public var text: String?
  public var echo = false
  /// `--no-color`: no colour in timelines (NO_COLOR does the same).
  public var color = true
  public var showHelp = false
  public var showVersion = false
  /// `--max-memory SIZE`: the most one value may take (MemoryBudget.bytes); nil keeps the default.
  public var maxMemory: Int?
  /// `proclab play FILE ...`: a lesson's playback instead of a script.
  public var play: PlaybackOptions?

  public struct Problem: Error {
    public var message: String
    /// The usage line printed under the message (the `play` subcommand has its own).
    public var usage = CommandLineOptions.usage
  }

  public static let version = "proclab 0.1.0"

  public static let usage = "Usage: proclab [--echo] [--no-color] [--max-memory <size>] [-c <text> | <file>]\n       proclab play <file> [--speed <x>] [--delay <seconds>] [--step] [--no-color]\n  See 'proclab --help' for more information.\n"

  public static let help = """
    OVERVIEW: A scriptable REPL for process experiments on real OS processes.

    With no file and no -c, proclab opens an interactive session (or reads
    statements from standard input when it is not a terminal).

    USAGE: proclab [--echo] [--no-color] [--max-memory <size>] [-c <text> | <file>]
           proclab play <file> [--speed <x>] [--delay <seconds>] [--step] [--no-color]

    ARGUMENTS:
      <file>                  A script to run (samples/ has one per experiment).

    OPTIONS:
      -c <text>               Run <text> as a script.
      -x, --echo              Print each statement before running it, like bash -x.
      --no-color              No colours (so does a non-empty NO_COLOR).
      --max-memory <size>     The most memory one string, list or tuple may take
                              (512M, 4G, ...); past it is a MemoryError. The
                              default is a quarter of physical memory.
      --version               Show the version.
      -h, --help              Show help information.

    SUBCOMMANDS:
      play                    Play a lesson as if typed at the prompt (see
                              'proclab play --help').

    EXIT STATUS:
      0 success, 1 uncaught error, 2 syntax error, 3 unreadable file,
      64 bad command line, 130 interrupted by Ctrl-C.

    """

  public static func parse(_ arguments: [String]) -> Result<CommandLineOptions, Problem> {
    var options = CommandLineOptions()
    if arguments.first == "play" {
      switch PlaybackOptions.parse(arguments.dropFirst()) {
      case .success(let play): options.play = play
      case .failure(var problem):
        problem.usage = PlaybackOptions.usage
        return .failure(problem)
      }
      return .success(options)
    }
    var rest = arguments[...]
    while let argument = rest.popFirst() {
      switch argument {
      case "-h", "--help": options.showHelp = true
      case "--version": options.showVersion = true
      case "-x", "--echo": options.echo = true
      case "--no-color": options.color = false
      case "--max-memory":
        guard let text = rest.popFirst() else { return .failure(Problem(message: "Missing value for '--max-memory <size>'")) }
        guard let size = MemoryBudget.parseSize(text) else {
          return .failure(Problem(message: "Invalid size '\(text)' for '--max-memory <size>': give bytes or a number with K, M, G or T (512M, 4G)"))
        }
        options.maxMemory = size
      case "-c":
        guard let text = rest.popFirst() else { return .failure(Problem(message: "Missing value for '-c <text>'")) }
        options.text = text
      case "--":
        if let file = rest.popFirst() { options.script = file }
      default:
        if argument.hasPrefix("-") && argument != "-" {
          return .failure(Problem(message: "Unknown option '\(argument)'"))
        }
        guard options.script == nil else { return .failure(Problem(message: "Unexpected argument '\(argument)'")) }
        options.script = argument
      }
    }
    if options.script != nil && options.text != nil {
      return .failure(Problem(message: "Give either a file or -c <text>, not both"))
    }
    return .success(options)
  }
}
