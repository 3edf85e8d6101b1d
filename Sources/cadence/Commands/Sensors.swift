import ArgumentParser
import CadenceCore
import Coach
import Foundation
import Sensors

/// `cadence sensors`: the foot pods and treadmills BlueZ finds nearby.
struct SensorsCommand: ContextCommand {
  static let configuration = CommandConfiguration(
    commandName: "sensors",
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
