/// A treadmill speed.
public struct Speed: Sendable, Equatable, Codable, CustomStringConvertible {
  public var metersPerSecond: Double

  public init(metersPerSecond: Double) { self.metersPerSecond = metersPerSecond }

  public static func kmh(_ v: Double) -> Speed { Speed(metersPerSecond: v / 3.6) }
  public static func mph(_ v: Double) -> Speed { Speed(metersPerSecond: v * 1_609.344 / 3_600) }

  /// Parses "10km/h", "10 kmh", "6.2mph"; nil for anything else or a speed outside 1-30 km/h.
  public init?(parsing text: String) {
    let t = text.lowercased().filter { !$0.isWhitespace }
    let units: [(String, (Double) -> Speed)] = [
      ("km/h", Speed.kmh), ("kmh", Speed.kmh), ("kph", Speed.kmh), ("mph", Speed.mph),
    ]
    for (suffix, make) in units where t.hasSuffix(suffix) {
      guard let v = parseDecimal(t.dropLast(suffix.count)) else { return nil }
      // The range is checked on the number typed (in km/h), not on the speed after its round
      // trip through m/s: 30 / 3.6 * 3.6 is not 30 in floating point, and 30 km/h is allowed.
      let kmh = suffix == "mph" ? v * UnitSystem.metersPerMile / 1_000 : v
      guard (1.0...30.0).contains(kmh) else { return nil }
      self = make(v)
      return
    }
    return nil
  }

  public var kmh: Double { metersPerSecond * 3.6 }
  public var metersPerMinute: Double { metersPerSecond * 60 }
  public var description: String { "\(format(kmh, 1)) km/h" }

  /// domain.md: "step length = speed / cadence" (10 km/h = 166.7 m/min; at 160 spm 1.04 m).
  public func stepLength(atSPM spm: Double) -> Double { metersPerMinute / spm }
}

/// How speeds and distances are shown: kilometres or miles, the runner's choice (the config's
/// `speed_unit`). What is stored, and what `--json` and `--csv` give, stays metric.
public enum UnitSystem: Sendable, Equatable {
  case metric
  case imperial

  static let metersPerMile = 1_609.344
  static let metersPerFoot = 0.3048

  /// "10.0 km/h" or "6.2 mph".
  public func speed(_ speed: Speed) -> String {
    self == .metric ? "\(speed)" : "\(format(speed.metersPerSecond * 3_600 / Self.metersPerMile, 1)) mph"
  }

  /// "5.00 km" or "3.11 mi", with `digits` decimals.
  public func distance(meters: Double, digits: Int = 2) -> String {
    self == .metric ? "\(format(meters / 1_000, digits)) km" : "\(format(meters / Self.metersPerMile, digits)) mi"
  }

  /// A step's length: "1.04 m" or "3.4 ft".
  public func stepLength(meters: Double) -> String {
    self == .metric ? "\(format(meters, 2)) m" : "\(format(meters / Self.metersPerFoot, 1)) ft"
  }

  /// `meters` in kilometres or miles.
  public func inDistanceUnit(meters: Double) -> Double {
    self == .metric ? meters / 1_000 : meters / Self.metersPerMile
  }

  /// The distance unit's short name, for a column: "km" or "mi".
  public var distanceUnit: String { self == .metric ? "km" : "mi" }
}

/// Parses a distance: "5km", "3.1mi", "5000m"; nil otherwise or outside 0-200 km.
public func parseDistanceMeters(_ text: String) -> Double? { parseDistanceMeters(text, upTo: 200_000) }

/// The same, up to `limit` metres (a pair of shoes has run more than one run's 200 km).
public func parseDistanceMeters(_ text: String, upTo limit: Double) -> Double? {
  let t = text.lowercased().filter { !$0.isWhitespace }
  let units: [(String, Double)] = [("km", 1_000), ("mi", 1_609.344), ("m", 1)]
  for (suffix, scale) in units where t.hasSuffix(suffix) {
    // A distance run is more than nothing: 0, -0 and a number too small to hold are refused.
    guard let v = parseDecimal(t.dropLast(suffix.count)), v > 0 else { return nil }
    let meters = v * scale
    return meters <= limit ? meters : nil
  }
  return nil
}

/// `value` with `digits` decimals (no Foundation in the core).
public func format(_ value: Double, _ digits: Int) -> String {
  var scale = 1.0
  for _ in 0..<min(max(digits, 0), 9) { scale *= 10 }
  // Only a value that fits an Int is converted; anything else is shown as Swift writes it.
  guard value.isFinite, abs(value) * scale < 1e15 else { return String(value) }
  let scaled = Int((abs(value) * scale).rounded())
  let sign = value < 0 && scaled != 0 ? "-" : ""
  guard digits > 0 else { return sign + String(scaled) }
  let text = String(scaled)
  let padded = String(repeating: "0", count: max(0, digits + 1 - text.count)) + text
  return sign + padded.dropLast(digits) + "." + padded.suffix(digits)
}

/// Seconds as m:ss or h:mm:ss (what a runner reads on a treadmill console).
public func clock(_ seconds: Double) -> String {
  guard seconds.isFinite else { return "-:--" }
  let total = Int(min(max(0, seconds), 3_600_000).rounded(.down))
  let h = total / 3600
  let m = total / 60 % 60
  let s = total % 60
  func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
  return h > 0 ? "\(h):\(two(m)):\(two(s))" : "\(m):\(two(s))"
}
