// swift-tools-version:6.0
// proclab: a scriptable REPL for process experiments on real OS processes.
import PackageDescription

let package = Package(
  name: "proclab",
  targets: [
    // libedit, reached through a header-only shim (el_set and history() are variadic).
    .systemLibrary(name: "CEditLine", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
    // Linux calls Swift cannot make directly (variadic prctl, C globals); no logic.
    .target(name: "CSystem"),
    .target(name: "ProcLabScript", dependencies: ["CSystem"]),
    .target(name: "ProcLabEngine", dependencies: ["ProcLabScript", "CSystem"]),
    .target(name: "ProcLabShell", dependencies: ["ProcLabScript", "ProcLabEngine", "CEditLine", "CSystem"]),
    .executableTarget(
      name: "proclab",
      dependencies: ["ProcLabShell", "ProcLabEngine", "ProcLabScript"]),
    .testTarget(name: "ProcLabScriptTests", dependencies: ["ProcLabScript"]),
    .testTarget(name: "ProcLabEngineTests", dependencies: ["ProcLabEngine"]),
    .testTarget(name: "ProcLabShellTests", dependencies: ["ProcLabShell"]),
    // Runs the built `proclab` (scripts, samples, a pseudo-terminal): the engine forks, and
    // forking the multi-threaded test runner is exactly what the design forbids.
    .testTarget(name: "ProcLabEndToEndTests", dependencies: ["proclab"]),
  ]
)
