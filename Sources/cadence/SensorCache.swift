import AudioFile
import Foundation
import Sensors
import Settings

/// The sensors the last `cadence sensors` scan found, kept for the shell to complete
/// `--sensor` and `sensors use` with: $XDG_CACHE_HOME/cadence/sensors (default
/// ~/.cache/cadence/sensors), a line "ADDRESS<TAB>kind<TAB>name" each. A cache: a scan that
/// cannot write it still lists what it found, and a file that cannot be read completes nothing.
enum SensorCache {
  /// [product choice] More than any room holds: a cache past this is not read further.
  static let maximumBytes = 65_536
  static let maximumSensors = 256

  static func path(environment: [String: String]) -> String {
    if let dir = environment["XDG_CACHE_HOME"], dir.hasPrefix("/") { return dir + "/cadence/sensors" }
    return (environment["HOME"] ?? NSHomeDirectory()) + "/.cache/cadence/sensors"
  }

  /// Keeps `found` as the sensors last seen; false where the cache could not be written.
  @discardableResult
  static func keep(_ found: [SensorDevice], environment: [String: String]) -> Bool {
    let path = path(environment: environment)
    let lines = found.prefix(maximumSensors).map { device in
      let name = device.name.filter { $0 != "\t" && !$0.isNewline }
      return "\(device.address)\t\(device.kind)\t\(name)\n"
    }
    do {
      try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try OutputTarget(path).write(lines.joined())
      return true
    } catch {
      return false
    }
  }

  /// The addresses last seen, in the order the scan listed them.
  static func addresses(environment: [String: String]) -> [String] {
    guard let handle = FileHandle(forReadingAtPath: path(environment: environment)) else { return [] }
    defer { try? handle.close() }
    guard let data = try? handle.read(upToCount: maximumBytes) else { return [] }
    return String(decoding: data, as: UTF8.self).split(separator: "\n").prefix(maximumSensors).compactMap { line in
      let address = String(line.split(separator: "\t").first ?? "")
      return Config.isBluetoothAddress(address) ? address : nil
    }
  }
}
