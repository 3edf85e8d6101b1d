import AudioTestSupport
import Foundation
import GRDB
import Synchronization
import Testing

/// The seeded hostile matrix: eleven classes of input a hostile user or machine gives, each run
/// as a whole path (parse + compute + store) through the built binary, in its own home, under a
/// 2 GB address-space limit and a 10 s wall-clock limit. The oracles are the same for every
/// class:
/// - a signal exit is a crash;
/// - more than 10 s (killed) is a runaway, and so is the 2 GB limit (it ends in a signal);
/// - a refusal (non-zero exit) says what happened ("cadence: error: ...") and what to do
///   ("  try: ...");
/// - a history whose integrity check passed before still passes after, with no row lost; one
///   that failed before is byte for byte as it was; every other file cadence did not create
///   is unchanged.
///
/// `CADENCE_HOSTILE_COUNT` sets the inputs per class (default 12, about a minute on two cores);
/// `CADENCE_HOSTILE_SEED` replays another seed. A failure names its class, seed and input.
@Suite(.serialized) struct HostileMatrixTests {
  static let count = Int(ProcessInfo.processInfo.environment["CADENCE_HOSTILE_COUNT"] ?? "") ?? 12
  static let seed = UInt64(ProcessInfo.processInfo.environment["CADENCE_HOSTILE_SEED"] ?? "") ?? 20_261_207

  enum Kind: String, CaseIterable {
    case numbers, dates, watchFiles, soundFiles, config, historyFiles, stdin, outputs, environment
  }

  @Test(arguments: Kind.allCases)
  func aClassOfHostileInputs(_ kind: Kind) throws {
    let template = try HostileCase.templateHistory()
    var generator = SeededGenerator(seed: Self.seed &+ UInt64(Kind.allCases.firstIndex(of: kind) ?? 0) &* 1_000_003)
    let cases = (0..<Self.count).map { index in HostileCase.make(kind, index, &generator) }
    let failures = Mutex<[String]>([])
    DispatchQueue.concurrentPerform(iterations: cases.count) { index in
      let found = (try? cases[index].run(template: template)) ?? ["the harness failed"]
      if !found.isEmpty {
        failures.withLock { $0.append("\(kind.rawValue) #\(index) (seed \(Self.seed)): \(cases[index]): \(found)") }
      }
    }
    #expect(failures.withLock { $0 } == [])
  }

  /// Kills and parallel writers: four processes record into one history while a fifth is
  /// killed (SIGKILL) at a seeded moment; afterwards the history is whole, every command that
  /// was not killed stored its row, and the next command works.
  @Test func killsAndParallelWriters() throws {
    let template = try HostileCase.templateHistory()
    var generator = SeededGenerator(seed: Self.seed &+ 97)
    let failures = Mutex<[String]>([])
    for round in 0..<Self.count {
      let dir = scratchDirectory("matrix-kill-\(round)")
      let db = dir.appendingPathComponent("h.sqlite").path
      if generator.next() % 2 == 0 { try FileManager.default.copyItem(atPath: template, toPath: db) }
      let rowsBefore = (try? HostileCase.rows(db)) ?? 0
      let delay = useconds_t(generator.next() % 40_000)
      let stored = Mutex(0)
      DispatchQueue.concurrentPerform(iterations: 5) { i in
        if i == 4 {
          _ = try? cadence(["log", "--minutes", "20", "--db", db], environment: HostileCase.home(dir)) { process in
            usleep(delay)
            kill(process.processIdentifier, SIGKILL)
          }
        } else if let result = try? cadence(["measure", "\(160 + i)", "--db", db], environment: HostileCase.home(dir)) {
          if result.status == 0 {
            stored.withLock { $0 += 1 }
          } else {
            failures.withLock { $0.append("round \(round): \(result.stderr)") }
          }
        }
      }
      let after = try cadence(["history", "--db", db], environment: HostileCase.home(dir))
      var found: [String] = []
      if after.status != 0 { found.append("round \(round), history after: \(after.stderr)") }
      if (try? HostileCase.integrity(db)) != "ok" { found.append("round \(round): integrity check failed") }
      let rows = (try? HostileCase.rows(db)) ?? -1
      if rows < rowsBefore + stored.withLock({ $0 }) { found.append("round \(round): \(rows) rows, fewer than stored") }
      failures.withLock { $0 += found }
    }
    #expect(failures.withLock { $0 } == [])
  }

  /// MPRIS calls with wrong methods, signatures and types, sent to a running session (JACK's
  /// dummy device, a private bus): the run goes on through all of them, then ends on Stop and
  /// is stored.
  @Test(
    .enabled(if: jackAvailable && busAvailable, "needs jackd2 and dbus (.ci/run installs them)"),
    .timeLimit(.minutes(5)))
  func hostileMediaCalls() throws {
    let dir = scratchDirectory("matrix-mpris")
    let bus = try PrivateBus(in: dir)
    defer { bus.stop() }
    let device = try PacedDevice(name: "cadence-matrix-\(getpid())", in: dir)
    defer { device.stop() }
    let db = dir.appendingPathComponent("h.sqlite").path
    let session = try launch(
      cadenceBinary,
      [
        "session", "--cadence", "170", "--warmup", "0", "--minutes", "10", "--cooldown", "0", "--device",
        "cadencejack", "--latency", "40", "--db", db,
      ], env: device.environment.merging(bus.environment) { $1 }, log: dir.appendingPathComponent("session.out"))
    defer { if session.isRunning { kill(session.processIdentifier, SIGKILL) } }
    let name = "org.mpris.MediaPlayer2.cadence"
    #expect(bus.waitForName(name))
    var generator = SeededGenerator(seed: Self.seed &+ 131)
    let calls = max(20, Self.count * 5)
    for _ in 0..<calls {
      _ = bus.send(HostileCase.mediaCall(name, &generator))
    }
    #expect(session.isRunning, "the session ended during the calls")
    #expect(bus.property(name, "PlaybackStatus").hasPrefix("variant string \""))
    #expect(bus.call(name, "Stop"))
    for _ in 0..<100 where session.isRunning { usleep(100_000) }
    #expect(!session.isRunning)
    #expect(session.terminationReason == .exit && session.terminationStatus == 0)
    #expect(try HostileCase.integrity(db) == "ok")
    #expect(try HostileCase.rows(db) == 1)
  }
}

/// One hostile input: the command, its environment, its standard input and the files it is
/// given; `run` applies the oracles.
struct HostileCase: CustomStringConvertible, Sendable {
  var arguments: [String]
  var environment: [String: String] = [:]
  var stdin: Data?
  /// Files written in the case's folder before the run (not cadence's: checksummed).
  var files: [String: Data] = [:]
  /// The history: none, the template, or the template changed by `historyChange`.
  var history = false
  var historyChange: (@Sendable (String) throws -> Void)?
  var historyChangeName = ""
  /// Standard output goes to /dev/full.
  var fullOutput = false
  /// Extra paths to make before the run: name -> symbolic link target.
  var links: [String: String] = [:]

  var description: String {
    let env = environment.keys.sorted().map { "\($0)=\(String(describing: environment[$0] ?? "").prefix(80))" }
    return "\(env.joined(separator: " ")) cadence \(arguments.map { String($0.prefix(80)) }.joined(separator: " "))"
      + (historyChangeName.isEmpty ? "" : " [history: \(historyChangeName)]")
      + (stdin.map { " <\($0.count) bytes" } ?? "") + (fullOutput ? " >/dev/full" : "")
      + (files.isEmpty ? "" : " files: \(files.keys.sorted())")
  }

  static func home(_ dir: URL) -> [String: String] {
    [
      "HOME": dir.path, "XDG_CONFIG_HOME": dir.path + "/.config", "XDG_DATA_HOME": dir.path + "/.data",
      "XDG_STATE_HOME": dir.path + "/.state", "XDG_CACHE_HOME": dir.path + "/.cache", "TZ": "UTC",
      "CADENCE_NOW": "2026-06-01T08:00:00Z",
    ]
  }

  /// Runs the case in a folder of its own and returns what the oracles found (empty: nothing).
  func run(template: String) throws -> [String] {
    let dir = scratchDirectory("matrix-\(UInt32.random(in: 0...UInt32.max))")
    defer { try? FileManager.default.removeItem(at: dir) }
    let db = dir.appendingPathComponent("h.sqlite").path
    if history { try FileManager.default.copyItem(atPath: template, toPath: db) }
    if let historyChange { try historyChange(db) }
    for (name, data) in files {
      let path = dir.appendingPathComponent(name).path
      try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try data.write(to: URL(fileURLWithPath: path))
    }
    for (name, target) in links {
      try FileManager.default.createSymbolicLink(
        atPath: dir.appendingPathComponent(name).path,
        withDestinationPath: target.replacingOccurrences(of: "@DIR", with: dir.path))
    }
    let foreign = Dictionary(
      uniqueKeysWithValues: files.keys.map { ($0, try? Data(contentsOf: dir.appendingPathComponent($0))) })
    let historyBefore = FileManager.default.contents(atPath: db)
    let intactBefore = historyBefore.map { _ in (try? Self.integrity(db)) == "ok" }
    let rowsBefore = intactBefore == true ? (try? Self.rows(db)) : nil

    let resolved =
      arguments.map { $0.replacingOccurrences(of: "@DIR", with: dir.path) }
      + (Self.usesHistory(arguments) ? ["--db", db] : [])
    var environment = Self.home(dir).merging(self.environment) { $1 }
    for (key, value) in environment { environment[key] = value.replacingOccurrences(of: "@DIR", with: dir.path) }
    let outcome = try Self.launch(resolved, environment: environment, stdin: stdin, fullOutput: fullOutput, in: dir)

    var found: [String] = []
    switch outcome.ending {
    case .timedOut: found.append("runaway: still running after 10 s")
    case .signal(let signal): found.append("crash: signal \(signal) \(outcome.stderr.suffix(300))")
    case .exit(0): break
    case .exit(let status):
      if !outcome.stderr.contains("cadence: error: ") || !outcome.stderr.contains("\n  try: ") {
        found.append("unclear refusal (exit \(status)): \(outcome.stderr.prefix(400))")
      }
    }
    for (name, data) in foreign where (try? Data(contentsOf: dir.appendingPathComponent(name))) != data {
      found.append("damaged: \(name) changed")
    }
    switch intactBefore {
    case true?:
      if (try? Self.integrity(db)) != "ok" { found.append("damaged: the history's integrity check fails after") }
      if let rowsBefore, let rows = try? Self.rows(db), rows < rowsBefore {
        found.append("damaged: the history lost rows (\(rowsBefore) -> \(rows))")
      }
    case false?:
      if FileManager.default.contents(atPath: db) != historyBefore {
        found.append("damaged: a damaged history was written to")
      }
    case nil: break
    }
    return found
  }

  static func usesHistory(_ arguments: [String]) -> Bool {
    guard let command = arguments.first, !arguments.contains("--db") else { return false }
    return ["log", "plan", "history", "measure", "import", "tap", "warn"].contains(command)
      && !(command == "history" && arguments.count > 1 && arguments[1] == "remove" && arguments.count < 3)
  }

  enum Ending { case exit(Int32), signal(Int32), timedOut }

  /// The binary under prlimit's 2 GB address-space limit, killed after 10 s.
  static func launch(
    _ arguments: [String], environment: [String: String], stdin: Data?, fullOutput: Bool, in dir: URL
  ) throws -> (ending: Ending, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
    process.arguments = ["--as=2147483648", "--", cadenceBinary] + arguments
    var env = testEnvironment(environment)
    for key in env.keys where key.hasPrefix("LC_") || key == "LANG" || key == "LANGUAGE" {
      if environment[key] == nil { env[key] = nil }
    }
    process.environment = env
    process.currentDirectoryURL = dir
    let errPath = dir.appendingPathComponent(".stderr").path
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    process.standardError = err
    process.standardOutput = fullOutput ? FileHandle(forWritingAtPath: "/dev/full") : FileHandle.nullDevice
    let inputPath = dir.appendingPathComponent(".stdin").path
    if let stdin {
      _ = FileManager.default.createFile(atPath: inputPath, contents: stdin)
      process.standardInput = FileHandle(forReadingAtPath: inputPath)
    } else {
      process.standardInput = FileHandle.nullDevice
    }
    let done = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in done.signal() }
    try process.run()
    var ending: Ending
    if done.wait(timeout: .now() + 10) == .timedOut {
      kill(process.processIdentifier, SIGKILL)
      done.wait()
      ending = .timedOut
    } else {
      ending =
        process.terminationReason == .uncaughtSignal
        ? .signal(process.terminationStatus) : .exit(process.terminationStatus)
    }
    try err.close()
    let text = String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
    return (ending, text)
  }

  static func integrity(_ db: String) throws -> String {
    var config = Configuration()
    config.readonly = true
    return try DatabaseQueue(path: "file:\(db)?immutable=1", configuration: config).read {
      try String.fetchAll($0, sql: "PRAGMA integrity_check").joined(separator: "\n")
    }
  }

  /// Runs, measurements and plans: what a command must never lose.
  static func rows(_ db: String) throws -> Int {
    let queue = try DatabaseQueue(path: db)
    defer { try? queue.close() }
    return try queue.read { db in
      try ["run", "measurement", "plan"].reduce(0) {
        $0 + (try Int.fetchOne(db, sql: "SELECT count(*) FROM \($1)") ?? 0)
      }
    }
  }

  /// A history with a plan, a run with its check-in and a measurement, made once per test run.
  static func templateHistory() throws -> String {
    try templateLock.withLock { path in
      if let path { return path }
      let dir = scratchDirectory("matrix-template")
      let db = dir.appendingPathComponent("h.sqlite").path
      for (arguments, now) in [
        (["plan", "--current", "160", "--baseline-pain", "0"], "2026-05-01T08:00:00Z"),
        (["log", "--minutes", "30", "--effort", "5", "--pain", "0", "--distance", "5km"], "2026-05-02T08:00:00Z"),
        (["measure", "162"], "2026-05-03T08:00:00Z"),
      ] {
        let result = try cadence(arguments + ["--db", db], environment: home(dir).merging(["CADENCE_NOW": now]) { $1 })
        guard result.status == 0 else { throw HarnessError(text: "template: \(result.stderr)") }
      }
      path = db
      return db
    }
  }
  private static let templateLock = Mutex<String?>(nil)
}

// MARK: - The generators

extension HostileCase {
  static func make(_ kind: HostileMatrixTests.Kind, _ index: Int, _ g: inout SeededGenerator) -> HostileCase {
    switch kind {
    case .numbers: numbers(&g)
    case .dates: dates(&g)
    case .watchFiles: watchFile(&g)
    case .soundFiles: soundFile(&g)
    case .config: config(&g)
    case .historyFiles: historyFile(&g)
    case .stdin: standardInput(&g)
    case .outputs: output(&g)
    case .environment: environmentCase(&g)
    }
  }

  static func pick<T>(_ items: [T], _ g: inout SeededGenerator) -> T { items[Int(g.next() % UInt64(items.count))] }

  static let hostileNumbers = [
    "nan", "NaN", "-nan", "inf", "-inf", "infinity", "1e308", "1e309", "-1e308", "1e-400", "4.9e-324", "0", "-0",
    "0x1p3", "0x10", "1_000", "1,5", "١٧٠", "170spm", "", " ", "+", "-", ".", "1e", "9223372036854775808",
    "-9223372036854775809", "340282366920938463463374607431768211456", String(repeating: "9", count: 400),
    "0." + String(repeating: "0", count: 400) + "1", "170\u{0}", "1\n2", "30km/h", "30.0000000000001km/h",
    "5km", "3.1mi", "800m", "-5km", "1e300km", "nankm", "10mph", "0km/h", "-10km/h", "infmph", "2026-01-01",
  ]

  static func number(_ g: inout SeededGenerator) -> String {
    switch g.next() % 4 {
    case 0: pick(hostileNumbers, &g)
    case 1: String(Double(bitPattern: g.next()))
    case 2: String(Int64(bitPattern: g.next()) % Int64(pick([10, 1000, 1_000_000, Int64.max], &g)))
    default: String(format: "%.*g", Int(g.next() % 20), Double(Int64(bitPattern: g.next() % 4000)) / 7.0)
    }
  }

  static func numbers(_ g: inout SeededGenerator) -> HostileCase {
    let v = number(&g)
    let units = pick(["", "km", "mi", "m", "km/h", "mph", "min/km"], &g)
    let commands: [[String]] = [
      ["log", "--minutes", v], ["log", "--minutes", "30", "--distance", v + units],
      ["log", "--minutes", "30", "--speed", v + units], ["log", "--minutes", "30", "--effort", v, "--pain", "0"],
      ["log", "--minutes", "30", "--effort", "5", "--pain", v], ["log", "--minutes", "30", "--cadence", v],
      ["measure", v], ["plan", "--current", v], ["plan", "--current", "160", "--goal", v],
      ["plan", "--current", "160", "--step", v], ["plan", "--current", "160", "--speed", v + units],
      ["render", "play", v, "--minutes", "0.05", "-o", "@DIR/out.wav"],
      ["render", "play", "170", "--minutes", "0.05", "--rate", v, "-o", "@DIR/out.wav"],
      ["render", "play", "170", "--minutes", "0.05", "--volume", v, "-o", "@DIR/out.wav"],
      ["render", "play", "170", "--minutes", "0.05", "--ramp-to", v, "--ramp-minutes", "0.02", "-o", "@DIR/out.wav"],
      ["tap", "--seconds", v], ["history", "remove", v], ["history", "remove", "--measurement", v],
    ]
    var c = HostileCase(arguments: pick(commands, &g))
    c.history = g.next() % 2 == 0
    if c.arguments[0] == "tap" { c.stdin = Data((0..<40).map { "\(Double($0) * 0.35)\n" }.joined().utf8) }
    return c
  }

  static func timestamp(_ g: inout SeededGenerator) -> String {
    let years: [Int] = [0, 1, 999, 1969, 1970, 2000, 2026, 2199, 2200, 9999, 10000, 99999, Int(g.next() % 300_000)]
    let year = pick(years, &g)
    let limits: [UInt64] = [15, 34, 26, 62, 62]
    var fields: [String] = []
    for limit in limits { fields.append(String(format: "%02d", Int(g.next() % limit))) }
    let fraction = g.next() % 3 == 0 ? "." + String(repeating: "9", count: Int(g.next() % 60) + 1) : ""
    let zone = pick(
      ["Z", "+00:00", "-12:00", "+14:00", "+99:99", "", "+0530", "z", " UTC", "Z" + String(repeating: "Z", count: 50)],
      &g)
    let base = "\(year)-\(fields[0])-\(fields[1])T\(fields[2]):\(fields[3]):\(fields[4])\(fraction)\(zone)"
    return g.next() % 6 == 0 ? String(base.prefix(Int(g.next() % UInt64(base.count + 1)))) : base
  }

  static func dates(_ g: inout SeededGenerator) -> HostileCase {
    let when = timestamp(&g)
    switch g.next() % 4 {
    case 0:
      var c = HostileCase(
        arguments: pick([["log", "--minutes", "5"], ["measure", "165"], ["plan"], ["warn", "walking-pain"]], &g))
      c.environment = ["CADENCE_NOW": when]
      c.history = true
      return c
    case 1:
      var c = HostileCase(arguments: ["log", "--minutes", "5", "--date", when])
      c.history = true
      return c
    default:
      var c = HostileCase(arguments: ["import", "@DIR/run.tcx"])
      c.files = ["run.tcx": tcx(start: when, points: 60, &g)]
      c.history = g.next() % 2 == 0
      return c
    }
  }

  /// A TCX run with seeded values: times from `start` on, cadence, speed and distance that may
  /// be anything.
  static func tcx(start: String, points: Int, _ g: inout SeededGenerator) -> Data {
    var text = """
      <?xml version="1.0" encoding="UTF-8"?>
      <TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
      <Activities><Activity Sport="\(pick(["Running", "Biking", "Other", "", "Running\u{0}"], &g))"><Id>\(start)</Id>
      <Lap StartTime="\(start)"><TotalTimeSeconds>\(number(&g))</TotalTimeSeconds><DistanceMeters>\(number(&g))</DistanceMeters><Track>

      """
    for i in 0..<points {
      let seconds = g.next() % 5 == 0 ? number(&g) : String(i)
      text +=
        "<Trackpoint><Time>2026-05-01T08:\(String(format: "%02d", (i / 60) % 60)):\(String(format: "%02d", i % 60))Z</Time>"
      text += "<DistanceMeters>\(g.next() % 3 == 0 ? number(&g) : String(i * 3))</DistanceMeters>"
      text += "<Cadence>\(g.next() % 4 == 0 ? number(&g) : "85")</Cadence>"
      text += "<Extensions><TPX><Speed>\(g.next() % 4 == 0 ? number(&g) : "3.0")</Speed></TPX></Extensions>"
      text += "<!-- \(seconds) --></Trackpoint>\n"
    }
    text += "</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n"
    if g.next() % 5 == 0 { text = String(text.prefix(Int(g.next() % UInt64(text.count)))) }
    return Data(text.utf8)
  }

  static let fitFiles: [Data] = {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("ActivitiesTests/Files")
    return [
      "activity-small-fenix2-run.fit", "garmin-fenix-5-run.fit", "compressed-speed-distance.fit",
      "garmin-fenix-5-bike.fit",
    ]
    .compactMap { FileManager.default.contents(atPath: folder.appendingPathComponent($0).path) }
  }()

  static func watchFile(_ g: inout SeededGenerator) -> HostileCase {
    var c = HostileCase(arguments: ["import"])
    c.history = g.next() % 2 == 0
    switch g.next() % 3 {
    case 0, 1:
      var data = pick(fitFiles, &g)
      switch g.next() % 3 {
      case 0:
        for _ in 0..<Int(g.next() % 16 + 1) {
          data[Int(g.next() % UInt64(data.count))] = UInt8(truncatingIfNeeded: g.next())
        }
      case 1: data = data.prefix(Int(g.next() % UInt64(data.count)))
      default:
        let at = Int(g.next() % UInt64(data.count))
        let length = Int(g.next() % 4096)
        data.insert(contentsOf: data[at..<min(data.count, at + length)], at: at)
      }
      c.files = ["run.fit": data]
      c.arguments += ["@DIR/run.fit"]
    default:
      var text =
        "<?xml version=\"1.0\"?><gpx version=\"1.1\" xmlns:gpxtpx=\"http://www.garmin.com/xmlschemas/TrackPointExtension/v1\">"
        + "<trk><type>\(pick(["running", "road_biking", "", "9"], &g))</type><trkseg>"
      for i in 0..<Int(g.next() % 400) {
        text +=
          "<trkpt lat=\"\(g.next() % 5 == 0 ? number(&g) : "47.0")\" lon=\"\(g.next() % 5 == 0 ? number(&g) : String(8.0 + Double(i) * 0.00003))\">"
        text +=
          "<time>\(g.next() % 7 == 0 ? timestamp(&g) : "2026-05-01T08:\(String(format: "%02d", (i / 60) % 60)):\(String(format: "%02d", i % 60))Z")</time>"
        text +=
          "<extensions><gpxtpx:TrackPointExtension><gpxtpx:cad>\(g.next() % 4 == 0 ? number(&g) : "86")</gpxtpx:cad>"
        text += "</gpxtpx:TrackPointExtension></extensions></trkpt>"
      }
      text += g.next() % 4 == 0 ? String(repeating: "<a>", count: Int(g.next() % 100_000)) : "</trkseg></trk></gpx>"
      c.files = ["run.gpx": Data(text.utf8)]
      c.arguments += ["@DIR/run.gpx"]
    }
    return c
  }

  static func soundFile(_ g: inout SeededGenerator) -> HostileCase {
    func u32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
    func u16(_ v: UInt16) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
    let rate = pick([0, 1, 8000, 44100, 48000, 192_000, 384_000, UInt32.max, UInt32(truncatingIfNeeded: g.next())], &g)
    let channels = pick([0, 1, 2, 8, 65535, UInt16(truncatingIfNeeded: g.next())], &g)
    let bits = pick([0, 8, 16, 24, 32, 12, UInt16(truncatingIfNeeded: g.next())], &g)
    let frames = Int(g.next() % 20_000)
    let dataBytes = pick([UInt32(frames * 2), UInt32.max, 0, UInt32(truncatingIfNeeded: g.next())], &g)
    var bytes = Array("RIFF".utf8) + u32(36 &+ dataBytes) + Array("WAVEfmt ".utf8) + u32(16)
    bytes += u16(pick([1, 3, 0xFFFE, 0, 85], &g)) + u16(channels) + u32(rate) + u32(rate &* UInt32(channels) &* 2)
    bytes += u16(channels &* 2) + u16(bits) + Array("data".utf8) + u32(dataBytes)
    bytes += (0..<frames * 2).map { _ in UInt8(truncatingIfNeeded: g.next()) }
    var c = HostileCase(arguments: [
      "render", "play", "170", "--minutes", "0.05", "--sound", "@DIR/click.wav", "-o", "@DIR/out.wav",
    ])
    c.files = ["click.wav": Data(bytes)]
    return c
  }

  static func config(_ g: inout SeededGenerator) -> HostileCase {
    let keys = [
      "device", "sound", "volume", "accent", "every", "latency", "speed_unit", "voice", "screen", "goal", "step",
      "warmup", "cooldown", "minutes", "cues", "offset", "unknown_key", "", "\"quoted key\"", "a.b.c",
    ]
    let values = [
      "\"woodblock\"", "\"beep\"", "70", "-1", "1e400", "nan", "inf", "true", "\"mph\"", "\"big\"", "[1, 2, 3]",
      "{ a = 1 }", "\"\"", "\"" + String(repeating: "x", count: 5000) + "\"", "1979-05-27T07:32:00Z",
      "0x7fffffffffffffff",
      "99999999999999999999", "'''\nmulti\n'''", "\"\\u0000\"", "[[[[[[[[[[[[1]]]]]]]]]]]]",
    ]
    var text = ""
    for _ in 0..<Int(g.next() % 12 + 1) {
      switch g.next() % 8 {
      case 0: text += "[" + pick(["table", "cadence", "", "[x]"], &g) + "]\n"
      case 1:
        text +=
          String(decoding: (0..<Int(g.next() % 60)).map { _ in UInt8(truncatingIfNeeded: g.next()) }, as: UTF8.self)
          + "\n"
      default: text += pick(keys, &g) + " = " + pick(values, &g) + "\n"
      }
    }
    if g.next() % 8 == 0 { text += String(repeating: "[", count: Int(g.next() % 70_000)) }
    var c = HostileCase(
      arguments: pick(
        [
          ["render", "play", "170", "--minutes", "0.05", "-o", "@DIR/out.wav"], ["plan", "--current", "160"],
          ["history"], ["cues"],
        ],
        &g))
    c.files = [".config/cadence/config.toml": Data(text.utf8)]
    c.history = true
    return c
  }

  static func historyFile(_ g: inout SeededGenerator) -> HostileCase {
    var c = HostileCase(
      arguments: pick(
        [["history"], ["log", "--minutes", "5"], ["plan"], ["measure", "170"], ["history", "--json"]], &g))
    c.history = true
    let seed = g.next()
    switch g.next() % 3 {
    case 0:
      let flips = Int(seed % 8) + 1
      c.historyChangeName = "\(flips) bytes flipped (seed \(seed))"
      c.historyChange = { db in
        var local = SeededGenerator(seed: seed)
        guard var data = FileManager.default.contents(atPath: db) else { return }
        for _ in 0..<flips {
          data[Int(local.next() % UInt64(data.count))] ^= UInt8(truncatingIfNeeded: local.next() | 1)
        }
        try data.write(to: URL(fileURLWithPath: db))
      }
    case 1:
      let statements = [
        "UPDATE run SET source = 'bike'", "UPDATE run SET effort = 'lots'", "UPDATE run SET durationSeconds = 1e308",
        "UPDATE measurement SET spm = -1", "UPDATE measurement SET spm = 'fast'", "UPDATE plan SET goalSPM = 9e99",
        "UPDATE plan SET holdDays = -5", "UPDATE run SET date = '99999-01-01'", "UPDATE run SET date = x'00ff'",
        "UPDATE plan SET createdAt = 'yesterday'", "DELETE FROM grdb_migrations WHERE identifier LIKE 'v3%'",
        "ALTER TABLE run DROP COLUMN pausedSeconds", "DROP TABLE planEvent",
        "INSERT INTO grdb_migrations VALUES ('v99')",
        "UPDATE run SET warningSigns = 'radiating-pain,,,x'", "UPDATE plan SET active = 7",
        "CREATE TABLE extra (x)", "PRAGMA user_version = 12345",
      ]
      let statement = pick(statements, &g)
      c.historyChangeName = statement
      c.historyChange = { db in
        let queue = try DatabaseQueue(path: db)
        try queue.writeWithoutTransaction { try $0.execute(sql: statement) }
        try queue.close()
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
      }
    default:
      let length = Int(seed % 49_152)
      c.historyChangeName = "truncated to \(length) bytes"
      c.historyChange = { db in
        guard let data = FileManager.default.contents(atPath: db) else { return }
        try data.prefix(length).write(to: URL(fileURLWithPath: db))
      }
    }
    return c
  }

  static func standardInput(_ g: inout SeededGenerator) -> HostileCase {
    var c = HostileCase(arguments: ["tap"] + (g.next() % 2 == 0 ? ["--foot"] : []))
    c.history = g.next() % 2 == 0
    var text = ""
    switch g.next() % 5 {
    case 0:
      text = (0..<Int(g.next() % 2000)).map { _ in number(&g) }.joined(separator: pick(["\n", " ", ",", "\t"], &g))
    case 1: text = String(repeating: "1", count: Int(g.next() % 3_000_000))
    case 2:
      text = (0..<Int(g.next() % 200)).map { String(Double($0) * Double(g.next() % 1000) / 1000) }.joined(
        separator: "\n")
    case 3: return withBytes(c, (0..<Int(g.next() % 100_000)).map { _ in UInt8(truncatingIfNeeded: g.next()) })
    default: text = String(repeating: "\n", count: Int(g.next() % 1_000_000))
    }
    c.stdin = Data(text.utf8)
    return c
  }

  private static func withBytes(_ c: HostileCase, _ bytes: [UInt8]) -> HostileCase {
    var c = c
    c.stdin = Data(bytes)
    return c
  }

  static func output(_ g: inout SeededGenerator) -> HostileCase {
    let targets = [
      "/dev/full", "@DIR", "@DIR/missing/out.wav", "@DIR/dangling.wav", "@DIR/loop.wav", "@DIR/out.xyz", "@DIR/out.mp3",
      "@DIR/out.ogg", "@DIR/out.flac", "@DIR/existing.wav", "@DIR/.", "@DIR/out.wav/", "-",
      "@DIR/" + String(repeating: "n", count: 300) + ".wav",
    ]
    let target = pick(targets, &g)
    var c = HostileCase(
      arguments: g.next() % 3 == 0
        ? ["history", "--svg", target.hasSuffix(".wav") ? String(target.dropLast(4)) + ".svg" : target]
        : ["render", "play", "170", "--minutes", "0.05", "-o", target])
    c.history = true
    c.files = ["existing.wav": Data("not a sound, kept as it is".utf8), "existing.svg": Data("<svg/>".utf8)]
    c.links = [
      "dangling.wav": "@DIR/target.wav", "dangling.svg": "@DIR/target.svg", "loop.wav": "loop.wav",
      "loop.svg": "loop.svg",
    ]
    c.fullOutput = target == "-" || g.next() % 4 == 0
    if target == "@DIR/existing.wav" || target == "@DIR/existing.svg" { c.files = [:] }
    return c
  }

  static func environmentCase(_ g: inout SeededGenerator) -> HostileCase {
    let junk = [
      "", " ", "C", "POSIX", "en_US.UTF-8", "de_DE.ISO-8859-15@euro", String(repeating: "a", count: 20),
      "en_US." + String(repeating: "x", count: 200), "\u{7f}\u{1}", "../../etc", "relative/path", "@DIR/nonexistent",
      String(repeating: "/x", count: 3000), "-1", "99999999999999999999", "0", "dumb", "xterm-256color", "UTC",
      "Mars/Olympus", "<+0530>-5:30",
    ]
    var environment: [String: String] = [:]
    for _ in 0..<Int(g.next() % 5 + 1) {
      let key = pick(
        [
          "LC_ALL", "LANG", "LC_CTYPE", "LC_NUMERIC", "TERM", "COLUMNS", "LINES", "TZ", "XDG_DATA_HOME",
          "XDG_CONFIG_HOME",
          "CADENCE_SOUNDS_DIR", "NO_COLOR", "CADENCE_ESPEAK_LIBRARY", "HOME",
        ], &g)
      var value = pick(junk, &g)
      // The home stays in the case's folder: no test reads the user's own. (A relative or
      // empty XDG folder is ignored, as the specification says, for one in HOME.)
      if key == "HOME" {
        value = pick(["@DIR/home", "@DIR/nonexistent", "@DIR" + String(repeating: "/x", count: 3000)], &g)
      } else if key.hasPrefix("XDG_") && value.hasPrefix("/") {
        value = "@DIR" + value
      }
      environment[key] = value
    }
    var c = HostileCase(
      arguments: pick(
        [
          ["plan", "--current", "160"], ["history"],
          ["render", "play", "170", "--minutes", "0.05", "-o", "@DIR/out.wav"], ["cues"], ["log", "--minutes", "5"],
        ],
        &g))
    c.environment = environment
    c.history = true
    return c
  }

  /// A media-control call a desktop or a hostile client might send: unknown methods, wrong
  /// argument types, absurd values, properties that do not exist or cannot be set.
  static func mediaCall(_ name: String, _ g: inout SeededGenerator) -> [String] {
    let path = pick(["/org/mpris/MediaPlayer2", "/", "/org/mpris/MediaPlayer2/x"], &g)
    let argument = pick(
      [
        "int64:\(Int64(bitPattern: g.next()))", "string:\(String(repeating: "x", count: Int(g.next() % 5000)))",
        "double:\(pick(["nan", "inf", "-1e308", "0", "1.5"], &g))", "objpath:/org/mpris/MediaPlayer2/TrackList/NoTrack",
        "boolean:true", "uint32:\(UInt32(truncatingIfNeeded: g.next()))", "array:string:a,b",
      ], &g)
    switch g.next() % 5 {
    case 0:
      let method = pick(
        ["Previous", "Pause", "Play", "PlayPause", "Seek", "SetPosition", "OpenUri", "Nonexistent", "Raise"], &g)
      let interface = method == "Raise" ? "org.mpris.MediaPlayer2" : "org.mpris.MediaPlayer2.Player"
      return ["--dest=\(name)", path, "\(interface).\(method)"] + (g.next() % 2 == 0 ? [argument] : [])
    case 1:
      // Quit, Stop and Next (into a cool-down of none) end the run when called rightly; with an
      // argument they must be refused.
      let method = pick(
        ["org.mpris.MediaPlayer2.Quit", "org.mpris.MediaPlayer2.Player.Stop", "org.mpris.MediaPlayer2.Player.Next"], &g)
      return ["--dest=\(name)", path, method, argument]
    case 2:
      return [
        "--dest=\(name)", path, "org.freedesktop.DBus.Properties.Set", "string:org.mpris.MediaPlayer2.Player",
        "string:\(pick(["Volume", "Rate", "LoopStatus", "Shuffle", "PlaybackStatus", "Nope"], &g))",
        "variant:\(argument)",
      ]
    case 3:
      return [
        "--dest=\(name)", path, "org.freedesktop.DBus.Properties.\(pick(["Get", "GetAll"], &g))",
        "string:\(pick(["org.mpris.MediaPlayer2.Player", "org.mpris.MediaPlayer2", "x.y", ""], &g))",
        "string:\(pick(["Metadata", "Position", "Nope", ""], &g))",
      ]
    default:
      return ["--dest=\(name)", path, "org.freedesktop.DBus.Introspectable.Introspect", argument]
    }
  }
}
