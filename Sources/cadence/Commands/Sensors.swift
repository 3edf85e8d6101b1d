import ArgumentParser
import CadenceCore
import Coach
import Foundation
import Sensors
import Settings

/// `cadence sensors`: the foot pods and treadmills BlueZ finds nearby, and the ones `play` and
/// `session` read without `--sensor`.
struct SensorsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sensors",
    abstract: "Scan for Bluetooth foot pods and treadmills (through BlueZ), and choose the ones runs read.",
    discussion: """
      Without a subcommand it scans (cadence sensors scan). cadence sensors use ADDRESS \
      remembers a foot pod or treadmill in the config file, for play and session to read \
      without --sensor; cadence sensors forget lets them go.
      """,
    subcommands: [Scan.self, Use.self, Forget.self],
    defaultSubcommand: Scan.self)
}

extension SensorsCommand {
  /// `cadence sensors use ADDRESS`: the config's foot_pod or treadmill, by what BlueZ knows
  /// the device as (or `--as`).
  struct Use: ContextCommand {
    static let configuration = CommandConfiguration(
      commandName: "use",
      abstract: "Remember a foot pod or treadmill in the config file, for play and session to read.",
      discussion: """
        Writes foot_pod or treadmill in the config file (every other line stays as it was). \
        Whether it is a foot pod or a treadmill comes from BlueZ (scan for it first with \
        cadence sensors), or from --as. A run reads it without --sensor; --sensor none skips it.
        """)

    @Argument(
      help: ArgumentHelp("The sensor's address, as cadence sensors lists it.", valueName: "address"),
      completion: Completions.sensorAddress)
    var address: String

    @Option(
      name: .customLong("as"),
      help: ArgumentHelp("What it is, where BlueZ cannot tell: foot-pod or treadmill.", valueName: "kind"))
    var kind: String?

    @Option(
      help: ArgumentHelp(
        "What the foot pod counts where its speed cannot tell: steps or strides (one foot).",
        valueName: "steps|strides"))
    var counts: String?

    func validate() throws {
      guard Config.isBluetoothAddress(address) else {
        throw ValidationError(
          "'\(address)' is not a Bluetooth address like C0:FF:EE:00:18:14 (cadence sensors lists them)")
      }
      if let kind, kind != "foot-pod" && kind != "treadmill" {
        throw ValidationError("--as must be foot-pod or treadmill; got '\(kind)'")
      }
      if let counts, counts != "steps" && counts != "strides" {
        throw ValidationError("--counts must be steps or strides; got '\(counts)'")
      }
    }

    func run(in context: CommandContext) throws {
      let path = Config.path(environment: context.environment)
      let text = try ConfigFile.text(context)
      let isTreadmill: Bool
      if let kind {
        isTreadmill = kind == "treadmill"
      } else {
        let device = try SensorWords.using { () throws(SensorError) in try BlueZ().known(address: address) }
        guard let device else {
          throw UserError(
            message: "BlueZ does not know \(address) yet, so cadence cannot tell a foot pod from a treadmill",
            hint: "wake it and run cadence sensors, or say which: cadence sensors use \(address) --as foot-pod",
            code: .unavailable)
        }
        isTreadmill = device.treadmill && !device.footPod
      }
      let key = isTreadmill ? "treadmill" : "foot_pod"
      var updated = Config.setting(key, to: address.uppercased(), in: text)
      if let counts, !isTreadmill { updated = Config.setting("foot_pod_counts", to: counts, in: updated) }
      try ConfigFile.write(updated, context)
      context.say(
        "Runs read the \(isTreadmill ? "treadmill" : "foot pod") \(address.uppercased()) now (\(key) in \(path)); "
          + "--sensor none skips it, cadence sensors forget lets it go.")
    }
  }

  /// `cadence sensors forget`: the config's sensors removed.
  struct Forget: ContextCommand {
    static let configuration = CommandConfiguration(
      commandName: "forget", abstract: "Remove the foot pod and treadmill from the config file.")

    func run(in context: CommandContext) throws {
      let text = try ConfigFile.text(context)
      var updated = text
      for key in ["foot_pod", "treadmill", "foot_pod_counts"] { updated = Config.setting(key, to: nil, in: updated) }
      guard updated != text else {
        context.say("No sensor is remembered in \(Config.path(environment: context.environment)).")
        return
      }
      try ConfigFile.write(updated, context)
      context.say("Runs read no sensor without --sensor now.")
    }
  }

  /// `cadence sensors` (`scan`): the foot pods and treadmills BlueZ finds nearby.
  struct Scan: ContextCommand {
    static let configuration = CommandConfiguration(
      commandName: "scan",
      abstract: "Scan for Bluetooth foot pods and treadmills (through BlueZ) and list them.",
      discussion: """
        Scans for about --seconds (Bluetooth LE, the Running Speed and Cadence and Fitness \
        Machine services) through bluetoothd on the system bus, and lists what it found: \
        address, name, foot pod or treadmill, and signal. Wake a foot pod first (a few steps). \
        `cadence measure --sensor ADDRESS` then measures your cadence from it.
        """)

    @Option(
      help: ArgumentHelp("How long to scan, 1 to 60 seconds (default 10).", valueName: "seconds"), transform: decimal)
    var seconds: Double = 10

    @Flag(help: "Print the sensors as JSON (for scripts).")
    var json = false

    func validate() throws {
      guard seconds.isFinite, (1...60).contains(seconds) else {
        throw ValidationError("--seconds must be from 1 to 60; got \(seconds)")
      }
    }

    struct Found: Encodable {
      var address: String
      var name: String
      var kind: String
      var rssi: Int?
    }

    func run(in context: CommandContext) throws {
      let found = try SensorWords.using { () throws(SensorError) in try BlueZ().scan(seconds: seconds) }
      // For the shell to complete --sensor and sensors use with.
      if !found.isEmpty { SensorCache.keep(found, environment: context.environment) }
      if json {
        context.say(Coach.json(found.map { Found(address: $0.address, name: $0.name, kind: $0.kind, rssi: $0.rssi) }))
        return
      }
      guard !found.isEmpty else {
        context.say(
          "No foot pod or treadmill found in \(Int(seconds)) s. Wake the sensor (a few steps for a foot pod), keep it "
            + "within a few metres, and scan again.")
        return
      }
      for device in found {
        let signal = device.rssi.map { "\($0) dBm" } ?? "-"
        context.say("\(device.address)  \(device.name.isEmpty ? "(no name)" : device.name)  \(device.kind)  \(signal)")
      }
    }
  }
}

/// A sensor's errors in the runner's words.
enum SensorWords {
  static func using<T>(_ body: () throws(SensorError) -> T) throws(UserError) -> T {
    do {
      return try body()
    } catch {
      throw words(error)
    }
  }

  static func words(_ error: SensorError) -> UserError {
    switch error {
    case .noSystemBus(let reason):
      UserError(
        message: "cannot reach the system bus to ask BlueZ for sensors (\(reason))",
        hint: "check that D-Bus runs (systemctl status dbus)", code: .unavailable)
    case .noBluetoothDaemon:
      UserError(
        message: "bluetoothd is not running, so no Bluetooth sensor can be found",
        hint: "sudo systemctl start bluetooth (on Debian, apt install bluez first)", code: .unavailable)
    case .noAdapter:
      UserError(
        message: "BlueZ has no Bluetooth adapter", hint: "plug in a Bluetooth adapter, or turn it on in the firmware",
        code: .unavailable)
    case .adapterOff(let path):
      UserError(
        message: "the Bluetooth adapter \(path.split(separator: "/").last.map(String.init) ?? path) is off",
        hint: "bluetoothctl power on (if it stays off: rfkill unblock bluetooth)", code: .unavailable)
    case .notFound(let address):
      UserError(
        message: "no sensor with the address \(address) is known to BlueZ",
        hint: "wake the sensor and run cadence sensors, which scans and lists them", code: .unavailable)
    case .noCadence(let address):
      UserError(
        message: "\(address) sends no running cadence (it has no RSC Measurement)",
        hint: "pick a foot pod from cadence sensors", code: .unavailable)
    case .nothingToRead(let address):
      UserError(
        message: "\(address) is neither a foot pod nor a treadmill (it has no RSC Measurement and no Treadmill Data)",
        hint: "pick a foot pod or a treadmill from cadence sensors", code: .unavailable)
    case .failed(_, let reason):
      UserError(
        message: "BlueZ refused: \(reason)", hint: "try again; bluetoothctl shows the adapter and devices",
        code: .unavailable)
    }
  }
}
