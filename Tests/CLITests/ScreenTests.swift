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
  /// "never", "left" or "still on": whether the alternate screen was left after it was entered.
  var alternateScreen: String
  var cursorShown: Bool
  /// The terminal back in canonical mode with echo after the command.
  var canonicalEcho: Bool

  /// Runs `command` in a `columns` x `rows` terminal, types `keys` after `seconds`.
  static func run(
    _ command: [String], columns: Int, rows: Int, keysAfter seconds: Double, keys: String,
    resize: (after: Double, columns: Int, rows: Int)? = nil, environment: [String: String]
  ) throws -> EmulatedScreen {
    let script = repositoryRoot.appendingPathComponent("Tests/Support/Terminal/run-in-terminal.py").path
    let resizing = resize.map { ["\($0.after)", "\($0.columns)", "\($0.rows)"] } ?? []
    let result = try cadence(
      [script, "\(columns)", "\(rows)", "\(seconds)", keys] + resizing + ["--"] + command,
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
        "--speed", "10km/h", "--device", "cadencejack", "--latency", "20", "--screen", "line", "--db",
        dir.appendingPathComponent("h.sqlite").path,
      ], columns: columns, rows: rows, keysAfter: 6, keys: "q", environment: environment)
    #expect(screen.exit == 0, "\(screen.display)")
    #expect(screen.alternateScreen == "never" && screen.cursorShown && screen.canonicalEcho)
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

/// The full-screen view in a real terminal emulator at the sizes terminals open with and
/// larger: the target in block digits, the keys on the last row, nothing scrolled or wrapped;
/// and after q, Ctrl-C or SIGTERM the terminal is given back (alternate screen left, cursor
/// shown, canonical mode with echo).
@Suite(.serialized) struct BigScreenTerminalTests {
  /// "170" in block digits, as the screen's rows 3 to 7 begin.
  static let digits170 = [
    "   ██    ██████  ██████", " ████        ██  ██  ██", "   ██        ██  ██  ██", "   ██        ██  ██  ██",
    " ██████      ██  ██████",
  ]

  @Test(
    .enabled(if: terminalEmulatorAvailable && jackAvailable, "needs python3-pyte and jackd2; .ci/run installs them"),
    .timeLimit(.minutes(2)),
    arguments: [(80, 24, "q"), (100, 30, "SIGTERM"), (120, 40, "\\x03"), (200, 60, "q")])
  func aSessionInBlockDigits(columns: Int, rows: Int, keys: String) throws {
    let dir = scratchDirectory("big-\(columns)x\(rows)")
    let jack = try PacedDevice(name: "cadence-big-\(getpid())-\(columns)", in: dir)
    defer { jack.stop() }
    let environment = jack.environment.merging(["TZ": "UTC", "CADENCE_NOW": "2026-03-01T08:00:00Z"]) { $1 }
    let screen = try EmulatedScreen.run(
      [
        cadenceBinary, "session", "--cadence", "170", "--warmup", "0.05", "--minutes", "1", "--cooldown", "0.1",
        "--device", "cadencejack", "--latency", "20", "--db", dir.appendingPathComponent("h.sqlite").path,
      ], columns: columns, rows: rows, keysAfter: 6, keys: keys, environment: environment)
    #expect(screen.scrolled == 0, "\(screen.display)")
    #expect(screen.display.count == rows)
    for row in screen.display { #expect(row.unicodeScalars.count == columns && row.hasSuffix(" "), "\(row)") }
    #expect(screen.display[0].hasPrefix(" CADENCE BLOCK "), "\(screen.display)")
    for (index, digits) in Self.digits170.enumerated() {
      #expect(screen.display[2 + index].hasPrefix(digits + " "), "\(screen.display)")
    }
    #expect(screen.display[7].hasPrefix(" spm target "), "\(screen.display)")
    // The phase in block letters beside the time left, and their words below.
    #expect(screen.display[13].contains("      ████    ██████  ██████  ██████  ██  ██ "), "\(screen.display)")
    #expect(screen.display[14].hasPrefix(" left in this phase "), "\(screen.display)")
    #expect(screen.display[14].contains("  cadence block "), "\(screen.display)")
    #expect(screen.display[16].hasPrefix(" cue: "), "\(screen.display)")
    #expect(
      screen.display[rows - 1].hasPrefix(" keys: ↑↓ ±1  PgUp/PgDn ±5  space pause  n next phase  c next cue  q quit"),
      "\(screen.display)")
    #expect(screen.alternateScreen == "left")
    #expect(screen.cursorShown)
    #expect(screen.canonicalEcho)
    // Each is a way the runner stops: the run is saved and cadence exits 0.
    #expect(screen.exit == 0, "\(screen.exit)")
  }
}

/// The view is chosen by `--screen`, else the config's `screen`, else big; a bad value in
/// either is refused with what it may be.
@Suite struct ScreenChoiceTests {
  @Test func aBadScreenIsRefused() throws {
    let r = Runner("screen-choice")
    let option = try inProcess(["play", "170", "--screen", "huge", "--device", "null"])
    #expect(option.status == 64)
    #expect(
      option.stderr
        == "cadence: error: The value 'huge' is invalid for '--screen <view>'. Please provide one of 'big', 'line' or 'plain'.\n  try: cadence play --help\n"
    )
    let folder = r.dir.appendingPathComponent("config/cadence")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try "screen = \"huge\"\n".write(to: folder.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
    let config = try inProcess(
      ["plan", "--current", "160", "--db", r.db],
      environment: ["XDG_CONFIG_HOME": r.dir.appendingPathComponent("config").path])
    #expect(config.status == 65)
    #expect(
      config.stderr.contains("config.toml, line 1: screen must be \"big\", \"line\" or \"plain\""), "\(config.stderr)")
  }
}

/// A window resized during the run: the view is drawn again whole at the new size (SIGWINCH;
/// the size is read at every redraw), smaller to the line view and back.
@Suite(.serialized) struct ResizeTests {
  @Test(
    .enabled(if: terminalEmulatorAvailable && jackAvailable, "needs python3-pyte and jackd2; .ci/run installs them"),
    .timeLimit(.minutes(2)), arguments: [(120, 40, 80, 24), (100, 30, 60, 20)])
  func aResizedWindowIsRedrawn(columns: Int, rows: Int, newColumns: Int, newRows: Int) throws {
    let dir = scratchDirectory("resize-\(columns)-\(newColumns)")
    let jack = try PacedDevice(name: "cadence-resize-\(getpid())-\(newColumns)", in: dir)
    defer { jack.stop() }
    let environment = jack.environment.merging(["TZ": "UTC", "CADENCE_NOW": "2026-03-01T08:00:00Z"]) { $1 }
    let screen = try EmulatedScreen.run(
      [
        cadenceBinary, "session", "--cadence", "170", "--warmup", "0.05", "--minutes", "1", "--cooldown", "0.1",
        "--device", "cadencejack", "--latency", "20", "--db", dir.appendingPathComponent("h.sqlite").path,
      ], columns: columns, rows: rows, keysAfter: 7, keys: "q", resize: (4.5, newColumns, newRows),
      environment: environment)
    #expect(screen.exit == 0)
    #expect(screen.scrolled == 0, "\(screen.display)")
    #expect(screen.display.count == newRows)
    for row in screen.display { #expect(row.unicodeScalars.count == newColumns && row.hasSuffix(" "), "\(row)") }
    if newColumns >= 64 {
      #expect(screen.display[0].hasPrefix(" CADENCE BLOCK "), "\(screen.display)")
      #expect(screen.display[2].hasPrefix(BigScreenTerminalTests.digits170[0] + " "), "\(screen.display)")
      #expect(screen.display[newRows - 1].hasPrefix(" keys: "), "\(screen.display)")
    } else {
      // The line view at the top of the alternate screen; nothing left of the big digits.
      #expect(screen.display[0].hasPrefix(" CADENCE BLOCK  "), "\(screen.display)")
      #expect(screen.display[0].contains(" 170 spm"), "\(screen.display)")
      #expect(!screen.display.contains { $0.contains("██████  ██████") }, "\(screen.display)")
    }
    #expect(screen.alternateScreen == "left" && screen.cursorShown && screen.canonicalEcho)
  }
}

/// A foot pod's cadence (with a treadmill and the quiet coach) on the screens a runner sees,
/// in pyte: the line view's "sensed:" line with the belt, and the big view's second figure, at
/// 80x24 and 200x60, nothing wrapped or scrolled, the terminal given back after q, Ctrl-C and
/// SIGTERM.
@Suite(.serialized) struct SensedScreenTests {
  @Test(
    .enabled(
      if: terminalEmulatorAvailable && jackAvailable && bluezMockAvailable && busAvailable,
      "needs python3-pyte, jackd2, python3-dbusmock and dbus; .ci/run installs them"),
    .timeLimit(.minutes(2)),
    arguments: [(80, 24, "line", "q"), (200, 60, "line", "\\x03"), (80, 24, "big", "SIGTERM"), (200, 60, "big", "q")])
  func theSensedCadenceFits(columns: Int, rows: Int, view: String, keys: String) throws {
    let dir = scratchDirectory("sensed-screen-\(view)-\(columns)")
    let bluez = try MockBlueZ(
      in: dir, ["--packets", "04800355", "--rate", "5", "--treadmill-address", SensorCLITests.treadmill])
    defer { bluez.stop() }
    let jack = try PacedDevice(name: "cadence-sensed-screen-\(getpid())-\(view)-\(columns)", in: dir)
    defer { jack.stop() }
    let environment = jack.environment.merging(bluez.environment) { $1 }.merging([
      "TZ": "UTC", "CADENCE_NOW": "2026-03-01T08:00:00Z",
    ]) { $1 }
    let screen = try EmulatedScreen.run(
      [
        cadenceBinary, "session", "--cadence", "170", "--warmup", "0.05", "--minutes", "1", "--cooldown", "0.1",
        "--device", "cadencejack", "--latency", "20", "--screen", view, "--sensor", SensorCLITests.address,
        "--sensor", SensorCLITests.treadmill, "--quiet-coach", "3", "--db", dir.appendingPathComponent("h.sqlite").path,
      ], columns: columns, rows: rows, keysAfter: 6, keys: keys, environment: environment)
    #expect(screen.exit == 0, "\(screen.display)")
    #expect(screen.scrolled == 0, "\(screen.display)")
    #expect(screen.cursorShown && screen.canonicalEcho)
    if view == "line" {
      #expect(screen.alternateScreen == "never")
      let sensed = screen.display.filter { $0.hasPrefix(" sensed: ") }
      #expect(sensed.count == 1, "\(screen.display)")
      for row in sensed {
        #expect(row.unicodeScalars.count == columns && row.hasSuffix(" "), "\(row)")
        #expect(row.hasPrefix(" sensed: 170 spm, target 170: at the target"), "\(row)")
        // The treadmill's belt beside it, where the width has room.
        if columns == 200 { #expect(row.contains(" (belt 12.6 km/h, 0.0"), "\(row)") }
      }
    } else {
      #expect(screen.alternateScreen == "left")
      #expect(screen.display.count == rows)
      for row in screen.display { #expect(row.unicodeScalars.count == columns && row.hasSuffix(" "), "\(row)") }
      // The digits' labels: the target's, then the sensed figure's, under both.
      #expect(screen.display[7].hasPrefix(" spm target "), "\(screen.display)")
      #expect(screen.display[7].contains("    sensed: on the beat"), "\(screen.display)")
    }
  }
}
