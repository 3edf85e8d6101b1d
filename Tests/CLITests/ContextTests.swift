import Foundation
import Testing

/// The command context: what a command reaches outside itself comes from it, tests run commands
/// in-process through a closed one, and no process a test starts sees the developer's home.
@Suite struct ContextTests {
  /// Every process a test starts has HOME and the XDG base folders in a home of the test run's
  /// own, whatever the developer's environment says.
  @Test func everyProcessATestStartsHasAnIsolatedHome() throws {
    let env = try cadence([], executable: "/usr/bin/env")
    let variables = Dictionary(
      env.stdout.split(separator: "\n").compactMap { line -> (String, String)? in
        guard let eq = line.firstIndex(of: "=") else { return nil }
        return (String(line[..<eq]), String(line[line.index(after: eq)...]))
      }, uniquingKeysWith: { $1 })
    #expect(isolatedHome.hasPrefix(FileManager.default.temporaryDirectory.path))
    #expect(variables["HOME"] == isolatedHome)
    #expect(variables["XDG_CONFIG_HOME"] == isolatedHome + "/.config")
    #expect(variables["XDG_DATA_HOME"] == isolatedHome + "/.local/share")
    #expect(variables["XDG_STATE_HOME"] == isolatedHome + "/.local/state")
    #expect(variables["XDG_CACHE_HOME"] == isolatedHome + "/.cache")
    // A test's own setting wins.
    let own = try cadence([], environment: ["XDG_CONFIG_HOME": "/elsewhere"], executable: "/usr/bin/env")
    #expect(own.stdout.contains("\nXDG_CONFIG_HOME=/elsewhere\n"))
  }

  /// In-process and as a process, a command prints the same bytes and exits the same way:
  /// usage errors, errors a module threw, help, --version and results.
  @Test(arguments: [
    ["log", "--effort", "11", "--pain", "0"],
    ["sesion"],
    ["plan"],
    ["history", "remove", "7"],
    ["--version"],
    ["cues"],
    ["measure", "171", "--date", "2026-03-01"],
    ["measure", "171", "--date", "2026-05-01"],
  ])
  func inProcessIsTheBinary(arguments: [String]) throws {
    let dir = scratchDirectory("same-\(arguments.joined(separator: "-"))")
    let environment = ["CADENCE_NOW": "2026-04-01T08:00:00Z", "TZ": "UTC"]
    let process = try cadence(arguments + db(arguments, dir, "p"), environment: environment)
    let here = try inProcess(arguments + db(arguments, dir, "i"), environment: environment)
    #expect(here.status == process.status)
    #expect(here.stdout == process.stdout.replacingOccurrences(of: "p.sqlite", with: "i.sqlite"))
    #expect(here.stderr == process.stderr.replacingOccurrences(of: "p.sqlite", with: "i.sqlite"))
  }

  private func db(_ arguments: [String], _ dir: URL, _ name: String) -> [String] {
    ["log", "plan", "history", "measure"].contains(arguments[0])
      ? ["--db", dir.appendingPathComponent(name + ".sqlite").path] : []
  }

  /// The date a command records is checked against the context's now, not the machine's clock.
  @Test func recordedDatesAreCheckedAgainstTheContextsNow() throws {
    let dir = scratchDirectory("context-now")
    let db = dir.appendingPathComponent("h.sqlite").path
    let future = try inProcess(
      ["measure", "171", "--date", "2026-05-01", "--db", db], environment: ["CADENCE_NOW": "2026-04-01T08:00:00Z"])
    #expect(future.status == 64)
    #expect(
      future.stderr
        == "cadence: error: --date must be from 2000-01-01 to now (2026-04-01T08:00:00Z): what you record has already happened; got '2026-05-01'\n  try: cadence measure --help\n"
    )
    let past = try inProcess(
      ["measure", "171", "--date", "2026-03-01", "--db", db], environment: ["CADENCE_NOW": "2026-04-01T08:00:00Z"])
    #expect(past.status == 0)
    #expect(
      past.stdout
        == "measured 171 spm on 2026-03-01\nStored in your history. Next: cadence plan makes your plan from it, then cadence session plays its first rung.\n"
    )
  }

  /// CADENCE_NOW that cannot be read is refused before anything runs.
  @Test func anUnreadableNowIsAnError() throws {
    let dir = scratchDirectory("bad-now")
    let db = dir.appendingPathComponent("h.sqlite").path
    let result = try cadence(["measure", "170", "--db", db], environment: ["CADENCE_NOW": "yesterday"])
    #expect(result.status == 64)
    #expect(
      result.stderr
        == "cadence: error: CADENCE_NOW='yesterday' is not a date and time cadence can read\n  try: set it like 2026-11-20T07:30:00Z or 2026-11-20T07:30 (years 1970-2199), or unset it to use the clock\n"
    )
    #expect(!FileManager.default.fileExists(atPath: db))
  }
}
