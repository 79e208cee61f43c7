// The one command table: every command, function and object type a script can use, in one
// list each. The parser's command words, help, Tab completion, `dir()` and argument checking
// all read it; nothing else declares a command.
import ProcLabEngine
import ProcLabScript

enum CommandTable {
  /// In the order `help` lists them, by group.
  static let groups: [CommandGroup] = [
    CommandGroup("Processes", ProcessCommands.commands, ProcessCommands.functions),
    CommandGroup("Scheduling", SchedulingCommands.commands, []),
    CommandGroup("Pools", PoolCommands.commands, PoolCommands.functions),
    CommandGroup("Queues", QueueCommands.commands, QueueCommands.functions),
    CommandGroup("Pipes", PipeCommands.commands, PipeCommands.functions),
    CommandGroup("The session", SessionCommands.commands, EngineFunctions.functions),
    CommandGroup("Sync", SyncCommands.commands, SyncCommands.functions),
    CommandGroup("Shm", [], SharedMemoryCommands.functions),
  ]

  struct CommandGroup: Sendable {
    let title: String
    let commands: [CommandSpec]
    let functions: [FunctionSpec]

    init(_ title: String, _ commands: [CommandSpec], _ functions: [FunctionSpec]) {
      self.title = title
      self.commands = commands
      self.functions = functions
    }
  }

  static let commands: [CommandSpec] = groups.flatMap(\.commands)
  static let functions: [FunctionSpec] = groups.flatMap(\.functions)
  static let objects: [ObjectSpec] = [
    ProcessCommands.process, ProcessCommands.identity, PoolCommands.pool, PoolCommands.asyncResult, QueueCommands.queue, PipeCommands.pipeEnd,
  ] + SyncCommands.objects + SharedMemoryCommands.objects

  static let words: [String] = commands.map(\.word)

  private static let commandsByWord: [String: CommandSpec] = Dictionary(uniqueKeysWithValues: commands.map { ($0.word, $0) })
  private static let objectsByType: [ObjectIdentifier: ObjectSpec] = Dictionary(uniqueKeysWithValues: objects.map { ($0.type, $0) })

  static func command(named word: String) -> CommandSpec? { commandsByWord[word] }

  static func function(named name: String) -> FunctionSpec? { functions.first { $0.signature.name == name } }

  static func object(of handle: any Handle) -> ObjectSpec? { objectsByType[ObjectIdentifier(type(of: handle))] }

  static func object(typeName: String) -> ObjectSpec? { objects.first { $0.typeName == typeName } }
}
