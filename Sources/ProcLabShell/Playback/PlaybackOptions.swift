// `proclab play FILE [--speed X] [--delay S] [--step] [--no-color]`: the options of a lesson's
// playback, parsed by hand with swift-argument-parser's conventions (--help, exit code 64).

public struct PlaybackOptions: Equatable {
  public var file: String?
  /// Typing speed: 1 types about 25 characters a second; 2 twice as fast.
  public var speed = 1.0
  /// Seconds between one statement's end and the next step.
  public var delay = 0.6
  /// Wait for a key before each statement (Enter runs, s skips, r runs the last one again,
  /// i opens the REPL, q ends).
  public var step = false
  public var color = true
  public var showHelp = false

  public init() {}

  public static let usage =
    "Usage: proclab play <file> [--speed <x>] [--delay <seconds>] [--step] [--no-color]\n  See 'proclab play --help' for more information.\n"

  public static let help = """
    OVERVIEW: Play a lesson: each statement appears as if typed at the prompt, then runs on
    real processes in one session. Comment lines are narration; a `#? question` line asks
    for a prediction and shows it beside what really happened.

    USAGE: proclab play <file> [--speed <x>] [--delay <seconds>] [--step] [--no-color]

    ARGUMENTS:
      <file>                  A lesson or any script (samples/lessons/ has lessons).

    OPTIONS:
      --speed <x>             Typing speed; 1 is about 25 characters a second. (default: 1)
      --delay <seconds>       Pause between statements. (default: 0.6)
      --step                  Wait for a key before each statement: Enter (or Space) runs
                              it, s skips it, r runs the last statement again (also after
                              the last one), i opens the REPL on the lesson's session
                              (Ctrl-D comes back), q ends the lesson.
      --no-color              No colours (so does a non-empty NO_COLOR).
      -h, --help              Show help information.

    Without a terminal the statements are printed as `+ statement` before their output,
    and questions do not wait.

    EXIT STATUS:
      0 the lesson ended (a failing statement shows its error and the lesson goes on),
      2 syntax error, 3 unreadable file, 64 bad command line, 130 Ctrl-C, N `exit N`.

    """

  public static func parse(_ arguments: ArraySlice<String>) -> Result<
    PlaybackOptions, CommandLineOptions.Problem
  > {
    var options = PlaybackOptions()
    var rest = arguments
    while let argument = rest.popFirst() {
      switch argument {
      case "-h", "--help": options.showHelp = true
      case "--step": options.step = true
      case "--no-color": options.color = false
      case "--speed", "--delay":
        guard let text = rest.popFirst() else {
          return .failure(
            .init(
              message:
                "Missing value for '\(argument) <\(argument == "--speed" ? "x" : "seconds")>'"))
        }
        guard let value = Double(text), value.isFinite,
          argument == "--speed" ? value > 0 : value >= 0
        else {
          let what = argument == "--speed" ? "a number above 0" : "a number of seconds, 0 or more"
          return .failure(
            .init(message: "The value '\(text)' is invalid for '\(argument)': give \(what)"))
        }
        if argument == "--speed" { options.speed = value } else { options.delay = value }
      case "--":
        guard let file = rest.popFirst() else { break }
        guard options.file == nil else {
          return .failure(.init(message: "Unexpected argument '\(file)'"))
        }
        options.file = file
      default:
        if argument.hasPrefix("-") && argument != "-" {
          return .failure(.init(message: "Unknown option '\(argument)'"))
        }
        guard options.file == nil else {
          return .failure(.init(message: "Unexpected argument '\(argument)'"))
        }
        options.file = argument
      }
    }
    if options.file == nil && !options.showHelp {
      return .failure(.init(message: "Missing expected argument '<file>'"))
    }
    return .success(options)
  }
}
