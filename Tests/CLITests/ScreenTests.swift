import Foundation
import Testing

/// Debian's Python with python3-pyte (`.ci/run` installs it).
let terminalEmulatorAvailable: Bool = {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
  process.arguments = ["-c", "import pyte"]
  process.standardOutput = FileHandle.nullDevice
  process.standardError = FileHandle.nullDevice
  guard (try? process.run()) != nil else { return false }
  process.waitUntilExit()
  return process.terminationStatus == 0
}()

/// What a terminal emulator (pyte) showed of a command run on a pseudo-terminal of a size.
struct EmulatedScreen: Decodable {
  var display: [String]
  var scrolled: Int
  var exit: Int32

  /// Runs `command` in a `columns` x `rows` terminal, types `keys` after `seconds`.
  static func run(
    _ command: [String], columns: Int, rows: Int, keysAfter seconds: Double, keys: String,
    environment: [String: String]
  ) throws -> EmulatedScreen {
    let script = repositoryRoot.appendingPathComponent("Tests/Support/Terminal/run-in-terminal.py").path
    let result = try cadence(
      [script, "\(columns)", "\(rows)", "\(seconds)", keys, "--"] + command,
      environment: environment.merging(["TERM": "xterm"]) { $1 }, executable: "/usr/bin/python3")
    return try JSONDecoder().decode(EmulatedScreen.self, from: Data(result.stdout.utf8))
  }
}

/// The live screen as a runner's terminal shows it: at 80x24 and 200x60 no line wraps and the
/// screen never scrolls while the session plays; the lines are fitted to the width.
@Suite(.serialized) struct ScreenTests {
  @Test(
    .enabled(if: terminalEmulatorAvailable && jackAvailable, "needs pyte (pip) and jackd2; .ci/run installs them"),
    .timeLimit(.minutes(2)), arguments: [(80, 24), (200, 60)])
  func aSessionFitsTheTerminal(columns: Int, rows: Int) throws {
    let dir = scratchDirectory("screen-\(columns)x\(rows)")
    let jack = try PacedDevice(name: "cadence-screen-\(getpid())-\(columns)", in: dir)
    defer { jack.stop() }
    let environment = jack.environment.merging(["TZ": "UTC", "CADENCE_NOW": "2026-03-01T08:00:00Z"]) { $1 }
    let screen = try EmulatedScreen.run(
      [
        cadenceBinary, "session", "--cadence", "170", "--warmup", "0.05", "--minutes", "1", "--cooldown", "0.1",
        "--speed", "10km/h", "--device", "cadencejack", "--latency", "20", "--db",
        dir.appendingPathComponent("h.sqlite").path,
      ], columns: columns, rows: rows, keysAfter: 6, keys: "q", environment: environment)
    #expect(screen.exit == 0, "\(screen.display)")
    #expect(screen.scrolled == 0, "\(screen.display)")
    // The live screen writes nothing in the last column: no terminal wraps one of its lines.
    // (The advice printed once before the run is prose, and wraps as prose does.)
    let live = screen.display.filter { $0.contains("CADENCE BLOCK") || $0.contains(" cue: ") || $0.contains("keys: ") }
    #expect(live.count == 3, "\(screen.display)")
    for row in live { #expect(row.unicodeScalars.count == columns && row.hasSuffix(" "), "\(row)") }
    let lines = screen.display.map { $0.trimmingCharacters(in: .whitespaces) }
    let status = try #require(lines.first { $0.hasPrefix("CADENCE BLOCK  ") }, "\(lines)")
    #expect(status.contains(" 170 spm  "), "\(status)")
    let keys = "keys: ↑↓ ±1  PgUp/PgDn ±5  space pause  n next phase  c next cue  q quit"
    if columns == 80 {
      #expect(!status.contains("["), "\(status)")
      #expect(lines.contains(keys), "\(lines)")
    } else {
      #expect(status.contains("[") && status.hasSuffix(" clicks"), "\(status)")
      #expect(lines.contains("step 0.98 m at 10.0 km/h · " + keys), "\(lines)")
    }
  }
}
