// Draws `pool`: each pool, then its workers with state, tasks done and current task.

enum PoolView {
  static func render(summaries: [String], rows: [[String]]) -> String {
    guard !summaries.isEmpty else { return "no pool yet: pool start N, or any pool command, starts one\n" }
    let table = TextTable.render([["POOL", "WORKER", "PID", "STATE", "TASKS", "DOING"]] + rows, rightAligned: [0, 2, 4])
    return summaries.joined(separator: "\n") + "\n" + table
  }
}
