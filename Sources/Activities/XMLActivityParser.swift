import Foundation

/// TCX (Garmin Training Center) and GPX track points: time, cadence, speed, distance.
final class XMLActivityParser {
  enum Format { case tcx, gpx }

  private let format: Format
  private var samples: [ActivitySample] = []
  private var current: [String: String]?
  private var text = ""
  private var lat: Double?
  private var lon: Double?
  private var previous: (time: Double, lat: Double, lon: Double, distance: Double)?
  private static let maximumPoints = 2_000_000

  private init(format: Format) { self.format = format }

  static func parse(_ data: Data, name: String, format: Format) throws(ImportError) -> [ActivitySample] {
    let reader = XMLActivityParser(format: format)
    var scanner = XMLScanner([UInt8](data))
    do {
      try scanner.scan { (event) throws(XMLScanner.Failure) in
        try reader.handle(event)
      }
    } catch {
      throw .malformed(name, reason: "bad XML at line \(error.line): \(error.reason)")
    }
    return reader.samples
  }

  /// Element names without a namespace prefix, lowercased.
  private func local(_ name: String) -> String {
    (name.split(separator: ":").last.map(String.init) ?? name).lowercased()
  }

  private var pointElement: String { format == .tcx ? "trackpoint" : "trkpt" }

  private func handle(_ event: XMLScanner.Event) throws(XMLScanner.Failure) {
    switch event {
    case .start(let elementName, let attributes):
      let name = local(elementName)
      text = ""
      if name == pointElement {
        current = [:]
        lat = attributes["lat"].flatMap(Double.init)
        lon = attributes["lon"].flatMap(Double.init)
      }
    case .text(let string):
      if current != nil && text.count < 256 { text += string }
    case .end(let elementName):
      let name = local(elementName)
      guard current != nil else { return }
      if name == pointElement {
        finishPoint()
        if samples.count > Self.maximumPoints {
          throw XMLScanner.Failure(line: 0, reason: "more than \(Self.maximumPoints) track points")
        }
        return
      }
      let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
      if !value.isEmpty { current?[name] = value }
      text = ""
    }
  }

  private func finishPoint() {
    guard let fields = current else { return }
    current = nil
    guard let timeText = fields["time"], let time = Self.parseTime(timeText) else { return }
    var sample = ActivitySample(time: time)
    // Per-leg cadence: TCX's RunCadence (or Cadence), GPX's cad.
    let perLeg = format == .tcx ? (fields["runcadence"] ?? fields["cadence"]) : fields["cad"]
    if let c = perLeg.flatMap(Double.init), c.isFinite, c > 0 { sample.spm = c * stepsPerStride }
    if let v = fields["speed"].flatMap(Double.init), v.isFinite, v >= 0 { sample.metersPerSecond = v }
    if let d = fields["distancemeters"].flatMap(Double.init), d.isFinite, d >= 0 { sample.distanceMeters = d }
    if format == .gpx, let lat, let lon, lat.isFinite, lon.isFinite, abs(lat) <= 90, abs(lon) <= 180 {
      let distance = previous.map { $0.distance + haversine($0.lat, $0.lon, lat, lon) } ?? 0
      if sample.metersPerSecond == nil, let p = previous, time > p.time {
        sample.metersPerSecond = (distance - p.distance) / (time - p.time)
      }
      sample.distanceMeters = distance
      previous = (time, lat, lon, distance)
    }
    samples.append(sample)
  }

  nonisolated(unsafe) private static let fractional: ISO8601DateFormatter = {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return f
  }()
  nonisolated(unsafe) private static let whole = ISO8601DateFormatter()

  static func parseTime(_ text: String) -> Double? {
    (fractional.date(from: text) ?? whole.date(from: text))?.timeIntervalSince1970
  }
}

/// Great-circle distance in meters.
func haversine(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
  let r = 6_371_000.0
  let p1 = lat1 * .pi / 180, p2 = lat2 * .pi / 180
  let dp = p2 - p1, dl = (lon2 - lon1) * .pi / 180
  let a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2)
  return 2 * r * atan2(a.squareRoot(), (1 - a).squareRoot())
}
