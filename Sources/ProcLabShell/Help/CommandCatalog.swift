// Every user-visible command and builtin, with its usage, a one-line summary and an
// example: `help` prints it, completion offers it, and the parser learns the command words.

public struct CommandHelp: Sendable {
  public var name: String
  public var usage: String
  public var summary: String
  public var example: String
}

public enum CommandCatalog {
  public static let commands: [CommandHelp] = [
    CommandHelp(
      name: "spawn", usage: "spawn FUNCTION(ARGS) [name=\"NAME\"]",
      summary: "start a real OS process (a fork of the session) that runs the call",
      example: "def work(n) { print(f\"worker {n} pid {pid()}\") }\np = spawn work(1) name=\"w1\""),
    CommandHelp(
      name: "join", usage: "join PROCESS... | join all  [timeout=SECONDS]",
      summary: "wait until processes end (Ctrl-C stops waiting, they keep running)",
      example: "join p timeout=2\njoin all"),
    CommandHelp(
      name: "kill", usage: "kill PROCESS... [signal=TERM|KILL|INT|...] [tree=true]",
      summary: "send a signal (default SIGTERM); tree=true signals its descendants too",
      example: "kill p signal=KILL\njoin p\nprint(p.exitcode)   # -9"),
    CommandHelp(
      name: "suspend", usage: "suspend PROCESS... [tree=true]",
      summary: "stop a process with SIGSTOP (kernel state T)", example: "suspend p\nps"),
    CommandHelp(
      name: "resume", usage: "resume PROCESS... [tree=true]",
      summary: "continue a suspended process with SIGCONT", example: "resume p"),
    CommandHelp(
      name: "signal", usage: "signal PROCESS NAME [tree=true]",
      summary: "send any signal by name or number", example: "signal p USR1"),
    CommandHelp(
      name: "ps", usage: "ps [all]",
      summary: "the process table: PIDs, state (proclab's and the kernel's), CPU, memory, what each does",
      example: "ps\nps all     # also processes already joined"),
    CommandHelp(
      name: "timeline", usage: "timeline [all | last=SECONDS] [svg \"FILE\" | html \"FILE\"]",
      summary: "one lane per process over time for the last command; svg/html write it for slides",
      example: "def nap(s) { sleep(s) }\na = spawn nap(0.3)\nb = spawn nap(0.3)\njoin all\ntimeline\ntimeline last=5s\ntimeline svg \"/tmp/timeline.svg\""),
    CommandHelp(
      name: "time", usage: "time [-n RUNS] STATEMENT",
      summary: "run a statement and print real, user and sys time (children's CPU included)",
      example: "time sleep(0.2)\ntime -n 10 sq(12)"),
    CommandHelp(
      name: "output", usage: "output [raw|tagged|grouped|chars]",
      summary: "children's output: as written, tagged per line, grouped per process, or a char per write",
      example: "output tagged\nspawn work(1)"),
    CommandHelp(
      name: "pool", usage: "pool [start N | map F XS | starmap | imap | imap_unordered | apply F(X) | apply_async F(X) | close | join | terminate] [pool=P]",
      summary: "worker processes for map and apply_async (help pool); pool alone shows them",
      example: "def sq(x) { return x * x }\npool map sq range(10)\nr = pool apply_async sq(7)\nget r timeout=1\npl = pool start 4 maxtasksperchild=100\npool map sq [1, 2] chunksize=1 pool=pl"),
    CommandHelp(
      name: "get", usage: "get RESULT [timeout=SECONDS]",
      summary: "the value of an async result; TimeoutError when late (the task goes on)",
      example: "r = pool apply_async slow(10)\ntry { get r timeout=0.5 } catch e { print(e.kind) }\nget r"),
    CommandHelp(
      name: "wait", usage: "wait RESULT [timeout=SECONDS]", summary: "wait for an async result without taking it",
      example: "wait r timeout=1\nprint(r.ready)"),
    CommandHelp(
      name: "map", usage: "map FUNCTION ITERABLE", summary: "the serial map, in this process (compare with pool map)",
      example: "time map sq range(1000)\ntime pool map sq range(1000)"),
    CommandHelp(
      name: "queue", usage: "queue NAME [maxsize=N] [joinable=true] | queue put|get|qsize|empty|full|task_done|join|show NAME ...",
      summary: "FIFO queues every process can use; get and put block, time out or not (help queue)",
      example: "queue q maxsize=2\nqueue put q 1\ndef consumer() { print(queue get q timeout=2) }\nspawn consumer()\nqueue show q"),
    CommandHelp(
      name: "send", usage: "send PIPE_END VALUE", summary: "send a value through a pipe end (from pipe())",
      example: "a, b = pipe()\nsend a \"hello\"\nprint(recv b)"),
    CommandHelp(
      name: "recv", usage: "recv PIPE_END [timeout=SECONDS]", summary: "the next value from a pipe end; EOFError once the other end is closed everywhere",
      example: "v = recv b timeout=1"),
    CommandHelp(
      name: "poll", usage: "poll PIPE_END [timeout=SECONDS]", summary: "whether a value can be read now (or within the timeout)",
      example: "if (poll b) { print(recv b) }"),
    CommandHelp(
      name: "load", usage: "load \"FILE\"", summary: "run a script file inside this session",
      example: "load \"samples/e02-start-join-in-order.plab\""),
    CommandHelp(
      name: "record", usage: "record FILE | record stop",
      summary: "save every entry from now on in a script that proclab play replays",
      example: "record \"/tmp/lesson.plab\"\n# a comment typed here is saved too\np = spawn work(1); join p\nrecord stop"),
    CommandHelp(
      name: "history", usage: "history", summary: "this session's entries so far, numbered",
      example: "history"),
    CommandHelp(
      name: "help", usage: "help [COMMAND | CONCEPT]", summary: "list the commands, show one command's usage and an example, or explain a concept",
      example: "help spawn\nhelp states"),
    CommandHelp(
      name: "exit", usage: "exit [CODE]", summary: "end the session (Ctrl-D too); running children are stopped",
      example: "exit"),
  ]

  public static let builtins: [CommandHelp] = [
    CommandHelp(name: "print", usage: "print(VALUES..., sep=\" \", end=\"\\n\")", summary: "write values (one write per call)", example: "print(\"pid\", pid())"),
    CommandHelp(name: "sleep", usage: "sleep(SECONDS)", summary: "wait; children are served meanwhile", example: "sleep(0.5)"),
    CommandHelp(name: "fork", usage: "fork()", summary: "the real fork: the child's PID in the parent, 0 in the child", example: "if fork() == 0 { print(\"child\", pid()) }"),
    CommandHelp(name: "now", usage: "now()", summary: "monotonic seconds (float), for measuring", example: "t0 = now()"),
    CommandHelp(name: "date", usage: "date()", summary: "local date and time as text", example: "print(date())"),
    CommandHelp(name: "pid", usage: "pid()", summary: "this process's PID", example: "print(pid())"),
    CommandHelp(name: "ppid", usage: "ppid()", summary: "the parent's PID", example: "print(ppid())"),
    CommandHelp(name: "name", usage: "name()", summary: "this process's name: MainProcess in the session", example: "print(name())"),
    CommandHelp(name: "cpu_count", usage: "cpu_count()", summary: "number of CPUs online", example: "print(cpu_count())"),
    CommandHelp(name: "random", usage: "random() | random(N) | random(A, B)", summary: "float in [0,1), int in [0,N) or in [A,B]", example: "sleep(random() * 2)"),
    CommandHelp(
      name: "pipe", usage: "pipe([duplex=false])",
      summary: "two connected ends [a, b] of a real duplex pipe; with duplex=false, a receives and b sends only",
      example: "a, b = pipe()\nr, w = pipe(duplex=false)"),
    CommandHelp(name: "on_signal", usage: "on_signal(NAME, FUNCTION)", summary: "call FUNCTION(name) when this process gets the signal", example: "on_signal(\"USR1\", got)"),
    CommandHelp(name: "remove_file", usage: "remove_file(PATH)", summary: "delete a file (no error if it is already gone)", example: "remove_file(\"/tmp/a.txt\")"),
    CommandHelp(name: "len", usage: "len(X)", summary: "length of a list, range or string", example: "len([1, 2])"),
    CommandHelp(name: "range", usage: "range([START,] STOP[, STEP])", summary: "a lazy range of ints", example: "for i in range(5) { print(i) }"),
    CommandHelp(name: "str", usage: "str(X)", summary: "text of a value", example: "str(42)"),
    CommandHelp(name: "int", usage: "int(X)", summary: "whole number from a number or text", example: "int(\"42\")"),
    CommandHelp(name: "float", usage: "float(X)", summary: "float from a number or text", example: "float(1)"),
    CommandHelp(name: "write_file", usage: "write_file(PATH, TEXT)", summary: "replace a file's content", example: "write_file(\"/tmp/a.txt\", date())"),
    CommandHelp(name: "append_file", usage: "append_file(PATH, TEXT)", summary: "add to the end of a file", example: "append_file(\"/tmp/a.txt\", \"more\\n\")"),
    CommandHelp(name: "read_file", usage: "read_file(PATH)", summary: "a file's content as text", example: "print(read_file(\"/tmp/a.txt\"))"),
    CommandHelp(name: "min/max/sum/sorted/abs/round", usage: "min(XS) ...", summary: "the usual helpers on numbers and lists", example: "sum(range(10))"),
  ]

  public static func command(named name: String) -> CommandHelp? {
    commands.first { $0.name == name } ?? builtins.first { $0.name == name }
  }
}
