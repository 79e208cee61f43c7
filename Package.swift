// swift-tools-version:6.0
// proclab: a scriptable REPL for process experiments on real OS processes.
import PackageDescription

// Release builds leave out the run-time check that two accesses to one variable never overlap:
// it cost a quarter of every call in the interpreter (a lookup in a thread-local set per access
// to the interpreter's stack and frame). Debug builds, which every test runs, keep it.
let releaseSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
  name: "proclab",
  targets: [
    // libedit, reached through a header-only shim (el_set and history() are variadic).
    .systemLibrary(name: "CEditLine", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
    // Linux calls Swift cannot make directly (variadic prctl, C globals); no logic.
    .target(name: "CSystem"),
    .target(name: "ProcLabScript", dependencies: ["CSystem"], swiftSettings: releaseSettings),
    .target(name: "ProcLabEngine", dependencies: ["ProcLabScript", "CSystem"], swiftSettings: releaseSettings),
    .target(
      name: "ProcLabShell", dependencies: ["ProcLabScript", "ProcLabEngine", "CEditLine", "CSystem"],
      swiftSettings: releaseSettings),
    .executableTarget(
      name: "proclab",
      dependencies: ["ProcLabShell", "ProcLabEngine", "ProcLabScript"], swiftSettings: releaseSettings),
    .testTarget(name: "ProcLabScriptTests", dependencies: ["ProcLabScript"]),
    .testTarget(name: "ProcLabEngineTests", dependencies: ["ProcLabEngine"]),
    .testTarget(name: "ProcLabShellTests", dependencies: ["ProcLabShell"]),
    // Runs the built `proclab` (scripts, samples, a pseudo-terminal): the engine forks, and
    // forking the multi-threaded test runner is exactly what the design forbids.
    .testTarget(name: "ProcLabEndToEndTests", dependencies: ["proclab"]),
  ]
)
