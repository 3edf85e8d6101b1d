import AudioFile
import AudioTestSupport
import Foundation
import GRDB
import Testing

/// strace is installed and may trace here (a container without ptrace refuses it).
let straceWorks: Bool = {
  guard FileManager.default.isExecutableFile(atPath: "/usr/bin/strace") else { return false }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/strace")
  process.arguments = ["-qq", "-o", "/dev/null", "/bin/true"]
  process.standardOutput = FileHandle.nullDevice
  process.standardError = FileHandle.nullDevice
  guard (try? process.run()) != nil else { return false }
  process.waitUntilExit()
  return process.terminationStatus == 0
}()

let bluezMockAvailable =
  FileManager.default.fileExists(atPath: "/usr/lib/python3/dist-packages/dbusmock/templates/bluez5.py")
/// bleak in the venv scripts/setup-debian.sh --test makes.
let bleakPython = "/opt/cadence-test/bleak/bin/python"

/// A mock BlueZ with one foot pod on a private bus standing in as the system bus
/// (Tests/Support/Bluetooth/mock-bluez.py).
struct MockBlueZ {
  let bus: PrivateBus
  let mock: Process
  let server: Int32
  /// DBUS_SYSTEM_BUS_ADDRESS naming the private bus.
  let environment: [String: String]
  static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Support/Bluetooth")

  init(in dir: URL, _ arguments: [String] = []) throws {
    bus = try PrivateBus(in: dir)
    environment = ["DBUS_SYSTEM_BUS_ADDRESS": bus.environment["DBUS_SESSION_BUS_ADDRESS"] ?? ""]
    let ready = dir.appendingPathComponent("bluez-ready").path
    mock = try launch(
      "/usr/bin/python3", [Self.script.appendingPathComponent("mock-bluez.py").path, ready] + arguments,
      env: environment, log: dir.appendingPathComponent("bluez-mock.log"))
    for _ in 0..<200 where (try? String(contentsOfFile: ready, encoding: .utf8))?.isEmpty ?? true { usleep(50_000) }
    server = Int32((try? String(contentsOfFile: ready, encoding: .utf8)) ?? "") ?? 0
  }

  /// dbusmock's main loop does not end on SIGTERM: the mock and its server are killed.
  func stop() {
    kill(mock.processIdentifier, SIGKILL)
    mock.waitUntilExit()
    if server > 0 { kill(server, SIGKILL) }
    bus.stop()
  }
}

/// Foot pods through BlueZ on the system bus, with a mock BlueZ that bleak, a real client,
/// reads as it reads BlueZ.
@Suite(.serialized) struct SensorCLITests {
  static let address = "C0:FF:EE:00:18:14"
  static let treadmill = "C0:FF:EE:00:18:26"
  /// 3.5 m/s, 85, 85 and 86 per foot, running: a median of 85 per foot at any count.
  static let packets = "04800355,04800355,04800356"

  /// The mock is BlueZ as far as bleak can tell: bleak finds the pod, connects, subscribes and
  /// reads the values the mock sends; cadence, on the same mock, measures the cadence those
  /// values give (decoded by struct in Python, not by cadence).
  @Test(
    .enabled(if: bluezMockAvailable && busAvailable, "needs python3-dbusmock and dbus (.ci/run installs them)"),
    .timeLimit(.minutes(2)))
  func bleakAndCadenceReadTheSameFootPod() throws {
    #expect(FileManager.default.isExecutableFile(atPath: bleakPython), "scripts/setup-debian.sh --test installs bleak")
    let dir = scratchDirectory("bleak")
    let bluez = try MockBlueZ(in: dir, ["--packets", Self.packets, "--rate", "5"])
    defer { bluez.stop() }
    let bleak = try cadence(
      [MockBlueZ.script.appendingPathComponent("bleak-read.py").path, Self.address, "3"],
      environment: bluez.environment,
      executable: bleakPython)
    #expect(bleak.status == 0, "\(bleak.stderr)")
    let read = bleak.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    #expect(read.count >= 10, "\(bleak.stdout)")
    #expect(Set(read.map { $0.first ?? "" }) == ["04800355", "04800356"])
    #expect(Set(read.map { $0.dropFirst().joined(separator: " ") }) == ["3.5 85 1", "3.5 86 1"])

    let db = dir.appendingPathComponent("h.sqlite").path
    let measured = try cadence(
      ["measure", "--sensor", Self.address.lowercased(), "--seconds", "10", "--db", db],
      environment: bluez.environment.merging(["CADENCE_NOW": "2026-03-01T08:00:00Z"]) { $1 })
    #expect(measured.status == 0, "\(measured.stderr)")
    let lines = measured.stdout.split(separator: "\n")
    #expect(
      lines.first?.hasPrefix(
        "measured 170 spm on 2026-03-01 from \(Self.address): raw 85 per foot -> 170 spm (by the pod's speed), ")
        ?? false,
      "\(measured.stdout)")
    #expect(measured.stderr == "cadence: reading \(Self.address.lowercased()) for 10 s: run at your usual speed\n")
    let stored = try DatabaseQueue(path: db).read {
      try Row.fetchOne($0, sql: "SELECT spm, method FROM measurement")
    }
    #expect(stored?["spm"] == 170.0)
    #expect(stored?["method"] == "sensor")
  }

  /// The mock's treadmill is a treadmill as far as bleak can tell: bleak reads its Treadmill
  /// Data (decoded by struct in Python: 12.6 km/h, a distance that grows), and `cadence
  /// sensors` lists it beside the pod as a treadmill.
  @Test(
    .enabled(if: bluezMockAvailable && busAvailable, "needs python3-dbusmock and dbus (.ci/run installs them)"),
    .timeLimit(.minutes(2)))
  func bleakReadsTheTreadmillAndAScanListsIt() throws {
    #expect(FileManager.default.isExecutableFile(atPath: bleakPython), "scripts/setup-debian.sh --test installs bleak")
    let dir = scratchDirectory("bleak-treadmill")
    let bluez = try MockBlueZ(
      in: dir, ["--packets", Self.packets, "--rate", "5", "--treadmill-address", Self.treadmill])
    defer { bluez.stop() }
    let bleak = try cadence(
      [MockBlueZ.script.appendingPathComponent("bleak-read.py").path, Self.treadmill, "3", "treadmill"],
      environment: bluez.environment, executable: bleakPython)
    #expect(bleak.status == 0, "\(bleak.stderr)")
    let read = bleak.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    #expect(read.count >= 10, "\(bleak.stdout)")
    #expect(Set(read.map { $0.count > 1 ? $0[1] : "" }) == ["12.6"])
    let meters = read.compactMap { $0.count > 2 ? Int($0[2]) : nil }
    #expect(meters.count == read.count && meters == meters.sorted() && (meters.last ?? 0) >= 7, "\(meters)")
    let listed = try cadence(["sensors", "--seconds", "1"], environment: bluez.environment)
    #expect(listed.status == 0, "\(listed.stderr)")
    #expect(listed.stdout.contains("\(Self.treadmill)  Test Treadmill  treadmill  -6"), "\(listed.stdout)")
  }

  @Test(.enabled(if: bluezMockAvailable && busAvailable, "needs python3-dbusmock and dbus"), .timeLimit(.minutes(1)))
  func aScanListsTheFootPod() throws {
    let dir = scratchDirectory("sensors-scan")
    let bluez = try MockBlueZ(in: dir, ["--packets", Self.packets])
    defer { bluez.stop() }
    let listed = try cadence(["sensors", "--seconds", "1"], environment: bluez.environment)
    #expect(listed.status == 0, "\(listed.stderr)")
    #expect(listed.stdout.hasPrefix("\(Self.address)  Test Foot Pod  foot pod  -6"), "\(listed.stdout)")
    let json = try cadence(["sensors", "--seconds", "1", "--json"], environment: bluez.environment)
    let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
    #expect(parsed?.first?["address"] as? String == Self.address)
    #expect(parsed?.first?["kind"] as? String == "foot pod")
  }

  /// A link lost for 2 s mid-measurement: BlueZ keeps Notifying and the values come back
  /// without a new StartNotify; the measurement is whole and says so. Walking and
  /// no-cadence packets are left out and counted.
  @Test(.enabled(if: bluezMockAvailable && busAvailable, "needs python3-dbusmock and dbus"), .timeLimit(.minutes(1)))
  func aLinkLostAndBackKeepsTheMeasurement() throws {
    let dir = scratchDirectory("sensors-loss")
    let bluez = try MockBlueZ(
      in: dir, ["--packets", "04800355,00800340,04800300", "--rate", "6", "--drop-at", "2", "--drop-for", "2"])
    defer { bluez.stop() }
    let db = dir.appendingPathComponent("h.sqlite").path
    let measured = try cadence(
      ["measure", "--sensor", Self.address, "--seconds", "10", "--db", db],
      environment: bluez.environment.merging(["CADENCE_NOW": "2026-03-01T08:00:00Z"]) { $1 })
    #expect(measured.status == 0, "\(measured.stderr)")
    let lines = measured.stdout.split(separator: "\n").map(String.init)
    #expect(
      lines.first?.hasPrefix(
        "measured 170 spm on 2026-03-01 from \(Self.address): raw 85 per foot -> 170 spm (by the pod's speed), ")
        ?? false, "\(measured.stdout)")
    #expect(
      lines.count > 2 && lines[1].hasPrefix("Left out: ") && lines[1].contains(" walking or standing, ")
        && lines[1].hasSuffix(" no cadence."), "\(measured.stdout)")
    #expect(lines.contains("The pod's link was lost 1 time and came back."), "\(measured.stdout)")
  }

  /// A sensor that cannot be reached before a run is said, with what to do, and the run plays
  /// on without it. More than two sensors are refused.
  @Test func aRunGoesOnWithoutThePod() throws {
    let dir = scratchDirectory("sensors-run-without")
    let played = try cadence(
      ["play", "170", "--minutes", "0.05", "--device", "null", "--sensor", Self.address],
      environment: ["DBUS_SYSTEM_BUS_ADDRESS": "unix:path=\(dir.path)/none"])
    #expect(played.status == 0, "\(played.stderr)")
    #expect(
      played.stderr.contains(
        "cadence: no sensor \(Self.address): cannot reach the system bus to ask BlueZ for sensors ("))
    #expect(played.stderr.contains("; check that D-Bus runs (systemctl status dbus) (the run goes on without it)\n"))
    #expect(played.stdout.contains("played 0:03"), "\(played.stdout)")
    let three = try inProcess(["play", "170", "--sensor", "A", "--sensor", "B", "--sensor", "C"])
    #expect(three.status == 64)
    #expect(three.stderr.hasPrefix("cadence: error: --sensor takes a foot pod and a treadmill, two at most; got 3\n"))
  }

  /// `cadence sensors use` writes the config's foot pod (and what it counts) where BlueZ cannot
  /// tell, with --as; every other line stays byte for byte; a run then reads it without
  /// --sensor (here, with no bus, it says so and plays on), and --sensor none skips it;
  /// `sensors forget` takes it out. A config with an error is refused and left as it was.
  @Test func aSensorRememberedInTheConfig() throws {
    let dir = scratchDirectory("sensors-use")
    let config = dir.appendingPathComponent("cadence/config.toml")
    try FileManager.default.createDirectory(at: config.deletingLastPathComponent(), withIntermediateDirectories: true)
    let mine = "# my defaults\r\nvolume = 50   # loud enough\r\n"
    try mine.write(to: config, atomically: true, encoding: .utf8)
    let environment = ["XDG_CONFIG_HOME": dir.path]
    let used = try inProcess(
      ["sensors", "use", "c0:ff:ee:00:18:14", "--as", "foot-pod", "--counts", "steps"], environment: environment)
    #expect(used.status == 0, "\(used.stderr)")
    #expect(
      used.stdout
        == "Runs read the foot pod C0:FF:EE:00:18:14 now (foot_pod in \(config.path)); --sensor none skips it, "
        + "cadence sensors forget lets it go.\n")
    let written = try String(contentsOf: config, encoding: .utf8)
    // A CRLF file gets CRLF lines.
    #expect(written == mine + "foot_pod = \"C0:FF:EE:00:18:14\"\r\nfoot_pod_counts = \"steps\"\r\n")

    // The run reads it: no system bus here, so it is said, and the run plays on.
    let played = try cadence(
      ["play", "170", "--minutes", "0.05", "--device", "null", "--quiet-coach", "3"], environment: environment)
    #expect(played.status == 0, "\(played.stderr)")
    #expect(
      played.stderr.contains("cadence: no sensor C0:FF:EE:00:18:14: cannot reach the system bus"), "\(played.stderr)")
    let none = try inProcess(["play", "170", "--sensor", "none", "--quiet-coach", "3"], environment: environment)
    #expect(none.status == 64)
    #expect(
      none.stderr.hasPrefix(
        "cadence: error: --quiet-coach needs your live cadence: add --sensor ADDRESS (a foot pod), or run a session "
          + "with --listen\n"))

    let forgot = try inProcess(["sensors", "forget"], environment: environment)
    #expect(forgot.status == 0 && forgot.stdout == "Runs read no sensor without --sensor now.\n")
    #expect(try String(contentsOf: config, encoding: .utf8) == mine)
    let again = try inProcess(["sensors", "forget"], environment: environment)
    #expect(again.stdout == "No sensor is remembered in \(config.path).\n")

    let broken = "volume = 500\n"
    try broken.write(to: config, atomically: true, encoding: .utf8)
    let refused = try inProcess(["sensors", "use", "C0:FF:EE:00:18:14", "--as", "foot-pod"], environment: environment)
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("volume must be a percentage from 0 to 100; got 500"), "\(refused.stderr)")
    #expect(try String(contentsOf: config, encoding: .utf8) == broken)
    let bad = try inProcess(["sensors", "use", "C0:FF:EE"], environment: environment)
    #expect(bad.status == 64)
    #expect(
      bad.stderr.hasPrefix(
        "cadence: error: 'C0:FF:EE' is not a Bluetooth address like C0:FF:EE:00:18:14 (cadence sensors lists them)\n"))
  }

  /// With the mock BlueZ: a scan keeps what it found for the shell, which completes --sensor
  /// with it; `sensors use` learns from BlueZ that the address is a treadmill.
  @Test(.enabled(if: bluezMockAvailable && busAvailable, "needs python3-dbusmock and dbus"), .timeLimit(.minutes(1)))
  func aScanFeedsCompletionAndSensorsUse() throws {
    let dir = scratchDirectory("sensors-complete")
    let bluez = try MockBlueZ(in: dir, ["--packets", Self.packets, "--treadmill-address", Self.treadmill])
    defer { bluez.stop() }
    let environment = bluez.environment.merging(["XDG_CONFIG_HOME": dir.path, "XDG_CACHE_HOME": dir.path]) { $1 }
    let listed = try cadence(["sensors", "--seconds", "1"], environment: environment)
    #expect(listed.status == 0, "\(listed.stderr)")
    let cache = try String(contentsOf: dir.appendingPathComponent("cadence/sensors"), encoding: .utf8)
    #expect(cache.contains("\(Self.address)\tfoot pod\tTest Foot Pod\n"), "\(cache)")
    #expect(cache.contains("\(Self.treadmill)\ttreadmill\tTest Treadmill\n"), "\(cache)")
    let completed = try CompletionTests().complete(["play", "--sensor", "C0"], in: dir, environment: environment)
    #expect(Set(completed) == [Self.address, Self.treadmill])
    #expect(try CompletionTests().complete(["play", "--sensor", "n"], in: dir, environment: environment) == ["none"])
    // A second foot pod is let go before it is read, and said; the run reads the first.
    let twice = try cadence(
      ["play", "170", "--minutes", "0.05", "--device", "null", "--sensor", Self.address, "--sensor", Self.address],
      environment: environment)
    #expect(twice.status == 0, "\(twice.stderr)")
    #expect(
      twice.stderr.contains("cadence: \(Self.address) is a second foot pod; the run reads the first\n"),
      "\(twice.stderr)")
    let used = try cadence(["sensors", "use", Self.treadmill], environment: environment)
    #expect(used.status == 0, "\(used.stderr)")
    #expect(used.stdout.hasPrefix("Runs read the treadmill \(Self.treadmill) now (treadmill in "), "\(used.stdout)")
    #expect(
      try String(contentsOf: dir.appendingPathComponent("cadence/config.toml"), encoding: .utf8)
        == "treadmill = \"\(Self.treadmill)\"\n")
  }

  /// Hostile numbers for the sensor options: a clear error, exit 64, nothing stored and no bus
  /// reached.
  @Test(arguments: [
    (
      ["sensors", "--seconds", "nan"],
      "cadence: error: The value 'nan' is invalid for '--seconds <seconds>': 'nan' is not a decimal number, like 20 or 2.5"
    ),
    (["sensors", "--seconds", "1e308"], "cadence: error: --seconds must be from 1 to 60; got 1e+308"),
    (
      ["sensors", "--seconds", "0x10"],
      "cadence: error: The value '0x10' is invalid for '--seconds <seconds>': '0x10' is not a decimal number, like 20 or 2.5"
    ),
    (
      ["measure", "--sensor", "AA:BB:CC:DD:EE:FF", "--seconds", "-5"],
      "cadence: error: --seconds must be from 10 to 600; got -5.0"
    ),
    (
      ["measure", "170", "--sensor", "AA:BB:CC:DD:EE:FF"],
      "cadence: error: give your cadence (cadence measure 165) or a foot pod (--sensor ADDRESS), one of them"
    ),
    (
      ["measure", "--sensor", "AA:BB:CC:DD:EE:FF", "--counts", "hops"],
      "cadence: error: --counts must be steps or strides; got 'hops'"
    ),
    (
      ["play", "170", "--sensor", "AA:BB:CC:DD:EE:FF", "--quiet-coach", "nan"],
      "cadence: error: The value 'nan' is invalid for '--quiet-coach <spm>': 'nan' is not a decimal number, like 20 or 2.5"
    ),
    (
      ["play", "170", "--sensor", "AA:BB:CC:DD:EE:FF", "--quiet-coach", "0.5"],
      "cadence: error: --quiet-coach must be from 1 to 10 spm either side of the target; got 0.5"
    ),
    (
      ["play", "170", "--quiet-coach", "3"],
      "cadence: error: --quiet-coach needs your live cadence: add --sensor ADDRESS (a foot pod), or run a session with --listen"
    ),
    (
      ["session", "--cadence", "170", "--sensor", "AA:BB:CC:DD:EE:FF", "--quiet-coach", "3", "--intervals", "3/2"],
      "cadence: error: --quiet-coach does not combine with --intervals or --fade: they take the click away on their own schedule"
    ),
  ])
  func hostileSensorOptions(arguments: [String], message: String) throws {
    let dir = scratchDirectory("sensors-hostile")
    let db = dir.appendingPathComponent("h.sqlite").path
    let result = try inProcess(arguments + (arguments[0] == "measure" ? ["--db", db] : []))
    #expect(result.status == 64)
    #expect(result.stderr.hasPrefix(message + "\n"), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: db))
  }

  /// Every fault says which and what to do, exit 69, and stores nothing.
  @Test(.enabled(if: bluezMockAvailable && busAvailable, "needs python3-dbusmock and dbus"), .timeLimit(.minutes(2)))
  func faultsSayWhichAndWhatToDo() throws {
    let dir = scratchDirectory("sensors-faults")
    let db = dir.appendingPathComponent("h.sqlite").path
    let noBus = try cadence(
      ["sensors", "--seconds", "1"], environment: ["DBUS_SYSTEM_BUS_ADDRESS": "unix:path=\(dir.path)/none"])
    #expect(noBus.status == 69)
    #expect(noBus.stderr.hasPrefix("cadence: error: cannot reach the system bus to ask BlueZ for sensors ("))
    #expect(noBus.stderr.hasSuffix("  try: check that D-Bus runs (systemctl status dbus)\n"))

    let bus = try PrivateBus(in: dir.appendingPathComponent("empty"))
    let noDaemon = try cadence(
      ["sensors", "--seconds", "1"],
      environment: ["DBUS_SYSTEM_BUS_ADDRESS": bus.environment["DBUS_SESSION_BUS_ADDRESS"] ?? ""])
    bus.stop()
    #expect(noDaemon.status == 69)
    #expect(
      noDaemon.stderr
        == "cadence: error: bluetoothd is not running, so no Bluetooth sensor can be found\n"
        + "  try: sudo systemctl start bluetooth (on Debian, apt install bluez first)\n")

    for (arguments, words) in [
      (
        ["--adapter", "0"],
        "cadence: error: BlueZ has no Bluetooth adapter\n  try: plug in a Bluetooth adapter, or turn it on in the firmware\n"
      ),
      (
        ["--powered", "0"],
        "cadence: error: the Bluetooth adapter hci0 is off\n  try: bluetoothctl power on (if it stays off: rfkill unblock bluetooth)\n"
      ),
    ] {
      let bluez = try MockBlueZ(in: dir.appendingPathComponent(arguments[0]), arguments)
      let result = try cadence(["sensors", "--seconds", "1"], environment: bluez.environment)
      let measured = try cadence(
        ["measure", "--sensor", Self.address, "--seconds", "10", "--db", db], environment: bluez.environment)
      bluez.stop()
      #expect(result.status == 69)
      #expect(result.stderr == words)
      #expect(measured.status == 69)
      #expect(measured.stderr.hasSuffix(words))
    }

    let bluez = try MockBlueZ(
      in: dir.appendingPathComponent("garbage"), ["--packets", "00000000,04800300,0480", "--rate", "5"])
    defer { bluez.stop() }
    let unknown = try cadence(
      ["measure", "--sensor", "AA:BB:CC:DD:EE:FF", "--seconds", "10", "--db", db], environment: bluez.environment)
    #expect(unknown.status == 69)
    #expect(
      unknown.stderr.hasSuffix(
        "cadence: error: no sensor with the address AA:BB:CC:DD:EE:FF is known to BlueZ\n"
          + "  try: wake the sensor and run cadence sensors, which scans and lists them\n"))
    let garbage = try cadence(
      ["measure", "--sensor", Self.address, "--seconds", "10", "--db", db], environment: bluez.environment)
    #expect(garbage.status == 65)
    #expect(
      garbage.stderr.contains(
        "cadence: error: \(Self.address) sent 0 packets of running cadence in 10 s; at least 5 are needed (left out: "),
      "\(garbage.stderr)")
    #expect(!FileManager.default.fileExists(atPath: db))
  }
}

/// A whole session paced on JACK with a mock foot pod whose cadence changes at a known time
/// and a mock treadmill: each minute's sensed cadence, the belt's speed and distance are stored
/// with the run, marked as the sensor's, and the run's distance is the belt's; a link lost and back mid-run keeps the run whole and is said. The quiet coach
/// (a band of 3 spm) holds the click back while the pod says 170, and brings it back when it
/// says 176: in the recording every click is a beat of the one grid, the beats missing are
/// exactly those of the quiet stretch, and each cue's three tones follow a click.
@Suite(.serialized) struct SensedSessionTests {
  @Test(
    .enabled(if: bluezMockAvailable && busAvailable && jackAvailable, "needs python3-dbusmock, dbus and jackd2"),
    .timeLimit(.minutes(4)))
  func aSessionStoresEachMinuteSensed() throws {
    let dir = scratchDirectory("sensed-session")
    let bluez = try MockBlueZ(
      in: dir,
      [
        "--packets", "04800355", "--then", "04800358", "--switch-at", "60", "--rate", "4", "--drop-at", "75",
        "--drop-for", "3", "--treadmill-address", SensorCLITests.treadmill, "--treadmill-kmh", "12.24",
      ])
    defer { bluez.stop() }
    let jack = try JackRecording(name: "cadence-sensed-\(getpid())", seconds: 135, in: dir)
    defer { jack.stop() }
    let click = dir.appendingPathComponent("impulse.wav").path
    let writer = try AudioFileWriter(path: click, format: .wav, sampleRate: 48_000)
    try [Float(1), 0.5].withUnsafeBufferPointer { try writer.write($0) }
    try writer.finish()
    let db = dir.appendingPathComponent("h.sqlite").path
    let result = try cadence(
      [
        "session", "--cadence", "170", "--warmup", "0", "--minutes", "2", "--cooldown", "0", "--device", "cadencejack",
        "--latency", "40", "--sensor", SensorCLITests.address, "--sensor", SensorCLITests.treadmill, "--quiet-coach",
        "3", "--sound", click, "--json",
        "--db", db,
      ],
      environment: jack.environment.merging(bluez.environment) { $1 }.merging(["CADENCE_NOW": "2026-03-01T08:00:00Z"]) {
        $1
      })
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stderr.contains("1:00  sensed 170 spm, target 170: at the target at 12.2 km/h\n"), "\(result.stderr)")
    #expect(
      result.stderr.contains("2:00  sensed 176 spm, target 170: a little slower: settle into the beat at 12.2 km/h\n"),
      "\(result.stderr)")
    #expect(result.stderr.contains("The foot pod's link was lost 1 time and came back; the run went on.\n"))
    // Ran 170 then 176: 173 in the block, more than 2 spm off the click's 170.
    #expect(
      result.stderr.contains(
        "Measured in the block: 173 spm against the click's 170: more than 2 spm off (a product choice), so it holds "
          + "the rung as a run not completed at the target.\n"), "\(result.stderr)")
    let minutes = try DatabaseQueue(path: db).read {
      try Row.fetchAll($0, sql: "SELECT minute, spm, source, metersPerSecond, meters FROM runCadence ORDER BY minute")
    }
    #expect(minutes.map { $0["minute"] as Int } == [0, 1])
    #expect(minutes.map { $0["spm"] as Double } == [170, 176])
    #expect(minutes.map { $0["source"] as String? } == ["sensor", "sensor"])
    // The treadmill's belt (3.4 m/s), not the pod's 3.5: each minute's speed and distance.
    #expect(minutes.map { $0["metersPerSecond"] as Double? } == [3.4, 3.4])
    // 3.4 m/s for 60 s is 204 m; the mock's counter is whole metres, sent 4 times a second;
    // the first minute also holds what the belt ran while the session started.
    let meters = minutes.map { ($0["meters"] as Double?) ?? 0 }
    #expect(meters[0] >= 202 && meters[0] <= 240 && meters[1] >= 202 && meters[1] <= 206, "\(meters)")
    let run = try DatabaseQueue(path: db).read {
      try Row.fetchOne(
        $0, sql: "SELECT measuredSPM, interrupted, completedAtTarget, distanceMeters, speedMetersPerSecond FROM run")
    }
    #expect(run?["measuredSPM"] == 173.0)
    #expect(run?["interrupted"] == false)
    #expect(run?["completedAtTarget"] == false)
    // The run's distance is the belt's (120 s at 3.4 m/s, and the start-up's), its speed that over
    // the time run.
    let distance = (run?["distanceMeters"] as Double?) ?? 0
    #expect(distance >= 406 && distance <= 450, "\(distance)")
    #expect((run?["speedMetersPerSecond"] as Double?) == (distance / 120 * 100).rounded() / 100)
    #expect(result.stderr.contains("; the treadmill's belt ran 0.4"), "\(result.stderr)")

    // The quiet coach, as the run reports it: quiet from about 0:30 (30 s after the pod's
    // cadence settled at 170) until the 10 s window turned to 176 (about 1:05), then a cue to
    // slow down at most every 20 s while 176 lasted, the click playing.
    let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let played = try #require(json["played"] as? [String: Any])
    let coach = try #require(played["quietCoach"] as? [String: Any])
    #expect(coach["bandSPM"] as? Double == 3)
    let quiet = try #require(coach["quiet"] as? [[String: Double]])
    let cues = try #require(coach["cues"] as? [[String: Any]])
    #expect(quiet.count == 1, "\(quiet)")
    let from = try #require(quiet.first?["from"])
    let to = try #require(quiet.first?["to"])
    #expect(from > 30 && from < 36 && to > 60 && to < 72, "\(quiet)")
    #expect(cues.map { $0["cue"] as? String } == ["slower", "slower", "slower"], "\(cues)")

    jack.recorder.waitUntilExit()
    let audio = try readMonoAudio(path: jack.path)
    let found = onsets(audio.samples)
    let first = try #require(found.first)
    let relative = found.map { Int64($0 - first) }
    let grid = gridFrames(tenths: 1700, rate: 48_000, below: 5_760_000).map(Int64.init)
    let (quietFrom, quietTo) = (Int64((from * 48_000).rounded()), Int64((to * 48_000).rounded()))
    let clicks = grid.filter { $0 < quietFrom || $0 >= quietTo }
    // Every click of the block but the quiet stretch's, on the grid, and nothing else but tones.
    #expect(relative.filter { grid.contains($0) } == clicks)
    let tones = relative.filter { !grid.contains($0) }
    #expect(tones.count == 9, "\(tones)")
    for (n, cue) in cues.enumerated() {
      let at = Int64((((cue["at"] as? Double) ?? 0) * 48_000).rounded())
      // 10 ms after the 2-frame click of a beat heard, each tone where it starts (or, recorded
      // as 16 bits, within its 5 ms fade-in).
      #expect(clicks.contains(at - 2 - 480), "cue \(n) at \(at)")
      for (k, start) in [0, 4_320, 8_640].enumerated() where 3 * n + k < tones.count {
        let tone = tones[3 * n + k]
        #expect(tone >= at + Int64(start) && tone < at + Int64(start) + 240, "cue \(n) tone \(k): \(tone)")
      }
    }
  }

  /// BlueZ's bus is never touched by the playback thread: a `play` on JACK's paced device with
  /// the mock's foot pod and treadmill, traced by strace (every socket call of every thread),
  /// while the test reads the threads' names from /proc. The foot pod's and the treadmill's
  /// threads read the bus (recvmsg: their notifications; connecting and subscribing were done
  /// before the run, on the main thread); the playback thread (cadence-audio) makes no socket
  /// call at all.
  @Test(
    .enabled(
      if: bluezMockAvailable && busAvailable && jackAvailable
        && straceWorks,
      "needs python3-dbusmock, dbus, jackd2, and strace allowed to trace (ptrace)"),
    .timeLimit(.minutes(2)))
  func noBusCallOnThePlaybackThread() throws {
    let dir = scratchDirectory("sensed-threads")
    let bluez = try MockBlueZ(
      in: dir, ["--packets", "04800355", "--rate", "4", "--treadmill-address", SensorCLITests.treadmill])
    defer { bluez.stop() }
    let device = try PacedDevice(name: "cadence-threads-\(getpid())", in: dir)
    defer { device.stop() }
    let trace = dir.appendingPathComponent("strace.txt").path
    let strace = try launch(
      "/usr/bin/strace",
      [
        "-f", "-qq", "-e", "trace=%network", "-o", trace, cadenceBinary, "play", "170", "--minutes", "0.15",
        "--device", "cadencejack", "--latency", "40", "--sensor", SensorCLITests.address, "--sensor",
        SensorCLITests.treadmill,
      ],
      env: device.environment.merging(bluez.environment) { $1 }, log: dir.appendingPathComponent("play.log"))
    // The threads by name, read while the run plays.
    var names: [String: Int32] = [:]
    for _ in 0..<150 where strace.isRunning {
      let children =
        (try? String(
          contentsOfFile: "/proc/\(strace.processIdentifier)/task/\(strace.processIdentifier)/children", encoding: .utf8
        )) ?? ""
      for pid in children.split(separator: " ").compactMap({ Int32($0) }) {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        for task in tasks {
          guard let tid = Int32(task),
            let comm = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/comm", encoding: .utf8)
          else { continue }
          names[comm.trimmingCharacters(in: .whitespacesAndNewlines)] = tid
        }
      }
      if names["cadence-audio"] != nil && names["cadence-footpod"] != nil && names["cadence-belt"] != nil { break }
      usleep(100_000)
    }
    strace.waitUntilExit()
    #expect(
      strace.terminationStatus == 0,
      "\((try? String(contentsOfFile: dir.appendingPathComponent("play.log").path, encoding: .utf8)) ?? "")")
    let audio = try #require(names["cadence-audio"], "\(names)")
    let pod = try #require(names["cadence-footpod"], "\(names)")
    let treadmill = try #require(names["cadence-belt"], "\(names)")
    let lines = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
    func calls(_ tid: Int32) -> [Substring] { lines.filter { $0.hasPrefix("\(tid) ") } }
    #expect(calls(audio).isEmpty, "\(calls(audio).prefix(5))")
    #expect(calls(pod).contains { $0.contains("recvmsg(") })
    #expect(calls(treadmill).contains { $0.contains("recvmsg(") })
  }
}
