import Foundation
import Testing

let logindMockAvailable =
  FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
  && FileManager.default.fileExists(atPath: "/usr/lib/python3/dist-packages/dbusmock/templates/logind.py")
  && FileManager.default.isExecutableFile(atPath: "/usr/bin/busctl")
  && FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-inhibit")

/// A private bus standing in as the system bus, with python3-dbusmock's logind template on it:
/// Inhibit hands out a descriptor and lists the lock until every copy of it is closed.
struct MockLogind {
  let bus: PrivateBus
  let mock: Process
  /// DBUS_SYSTEM_BUS_ADDRESS naming the private bus.
  let environment: [String: String]

  init(in dir: URL) throws {
    bus = try PrivateBus(in: dir)
    let address = bus.environment["DBUS_SESSION_BUS_ADDRESS"] ?? ""
    environment = ["DBUS_SYSTEM_BUS_ADDRESS": address]
    mock = try launch(
      "/usr/bin/python3", ["-m", "dbusmock", "--system", "--template", "logind"], env: environment,
      log: dir.appendingPathComponent("logind-mock.log"))
    for _ in 0..<200 where inhibitors() == nil { usleep(50_000) }
  }

  /// ListInhibitors through busctl, one line a lock ("what who why mode"); nil while logind is
  /// not on the bus.
  func inhibitors() -> [String]? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/busctl")
    process.arguments = [
      "--address=\(environment["DBUS_SYSTEM_BUS_ADDRESS"] ?? "")", "--json=short", "call", "org.freedesktop.login1",
      "/org/freedesktop/login1", "org.freedesktop.login1.Manager", "ListInhibitors",
    ]
    process.environment = testEnvironment(environment)
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0,
      let reply = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let data = reply["data"] as? [[[Any]]]
    else { return nil }
    return data.first?.map { $0.prefix(4).map { "\($0)" }.joined(separator: " ") } ?? []
  }

  /// Waits up to `seconds` for the list of locks to satisfy `test`.
  func waitFor(seconds: Double = 5, _ test: ([String]) -> Bool) -> [String] {
    var last: [String] = []
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      last = inhibitors() ?? []
      if test(last) { return last }
      usleep(50_000)
    }
    return last
  }

  /// dbusmock's main loop does not end on SIGTERM: the mock is killed.
  func stop() {
    kill(mock.processIdentifier, SIGKILL)
    mock.waitUntilExit()
    bus.stop()
  }
}

/// The laptop stays awake while a run plays: cadence takes a logind inhibitor (idle:sleep,
/// block) at the start and lets go at the end, however the run is left.
@Suite(.serialized) struct StayAwakeTests {
  static let cadenceLock = "idle:sleep cadence a cadence run is playing block"

  /// The mock is logind as far as a real client can tell: systemd-inhibit's lock is listed
  /// while it holds it, and gone when it exits.
  @Test(
    .enabled(
      if: logindMockAvailable && busAvailable, "needs python3-dbusmock, systemd and dbus (.ci/run installs them)"))
  func aRealClientAgreesWithTheMock() throws {
    let dir = scratchDirectory("logind-client")
    let logind = try MockLogind(in: dir)
    defer { logind.stop() }
    #expect(logind.inhibitors() == [])
    let client = try launch(
      "/usr/bin/systemd-inhibit", ["--what=idle:sleep", "--who=probe", "--why=check", "--mode=block", "sleep", "30"],
      env: logind.environment, log: dir.appendingPathComponent("systemd-inhibit.log"))
    defer { if client.isRunning { client.terminate() } }
    #expect(logind.waitFor { $0 == ["idle:sleep probe check block"] } == ["idle:sleep probe check block"])
    kill(client.processIdentifier, SIGKILL)
    client.waitUntilExit()
    #expect(logind.waitFor { $0.isEmpty } == [])
  }

  /// A run paced by JACK on a terminal holds the lock while it plays and lets go when it is
  /// left by q, Ctrl-C or SIGTERM.
  @Test(
    .enabled(if: logindMockAvailable && busAvailable && jackAvailable, "needs python3-dbusmock, dbus and jackd2"),
    .timeLimit(.minutes(2)), arguments: ["q", "ctrl-c", "SIGTERM"])
  func aRunHoldsTheLockUntilItEnds(leaving: String) throws {
    let dir = scratchDirectory("logind-run-\(leaving)")
    let logind = try MockLogind(in: dir)
    defer { logind.stop() }
    let jack = try PacedDevice(name: "cadence-awake-\(getpid())-\(leaving)", in: dir)
    defer { jack.stop() }
    let environment = jack.environment.merging(logind.environment) { $1 }.merging(["TZ": "UTC"]) { $1 }
    let marker = "awake-\(leaving)-\(getpid())"
    var held: [String] = []
    let (status, screen) = try onPseudoTerminal(
      [cadenceBinary, "play", "170", "--device", "cadencejack", "--verbose", "--latency", "20", "--db", marker],
      environment: environment
    ) { keys in
      keys.waitFor("170 spm")
      held = logind.waitFor { $0 == [Self.cadenceLock] }
      switch leaving {
      case "q": keys.write(Data("q".utf8))
      case "ctrl-c": keys.write(Data([0x03]))
      default:
        if let pid = try? pidOf("^\(cadenceBinary) play 170 .*\(marker)") { kill(pid, SIGTERM) }
      }
    }
    #expect(held == [Self.cadenceLock], "\(screen)")
    #expect(status == 0, "\(screen)")
    #expect(screen.contains("cadence: logind keeps the screen on and the machine awake while the run plays"))
    #expect(logind.waitFor(seconds: 2) { $0.isEmpty } == [])
  }

  /// No system bus, or a bus without logind: the run plays, and --verbose says why it cannot
  /// keep the machine awake.
  @Test(.enabled(if: busAvailable, "needs dbus")) func withoutLogindTheRunPlaysOn() throws {
    let none = try cadence(["play", "170", "--minutes", "0.01", "--device", "null", "--verbose"])
    #expect(none.status == 0, "\(none.stderr)")
    #expect(
      none.stderr.contains(
        "cadence: cannot keep the machine awake (no system bus: No such file or directory): a blank screen or a suspend may stop the click\n"
      ), "\(none.stderr)")
    let dir = scratchDirectory("logind-none")
    let bus = try PrivateBus(in: dir)
    defer { bus.stop() }
    let empty = try cadence(
      ["play", "170", "--minutes", "0.01", "--device", "null", "--verbose"],
      environment: ["DBUS_SYSTEM_BUS_ADDRESS": bus.environment["DBUS_SESSION_BUS_ADDRESS"] ?? ""])
    #expect(empty.status == 0, "\(empty.stderr)")
    let line = empty.stderr.split(separator: "\n").first { $0.hasPrefix("cadence: cannot keep the machine awake (") }
    #expect(line?.hasPrefix("cadence: cannot keep the machine awake (Inhibit: ") == true, "\(empty.stderr)")
    #expect(line?.contains("org.freedesktop.login1") == true, "\(empty.stderr)")
  }
}
