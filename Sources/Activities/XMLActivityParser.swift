import CadenceCore
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

  /// The leg being read (a TCX Activity, a GPX trk): its sport as the file names it, where its
  /// samples begin, and its laps' own timer and distance (TCX).
  private var leg: (sport: String?, firstSample: Int, timer: Double?, meters: Double?, stated: Double?)?
  /// The last track point with a distance counter (TCX), for a speed where `<Speed>` is missing.
  private var previousCounter: (time: Double, meters: Double)?
  private var legs: [ActivityLeg] = []
  private var inLap = false
  private var inTrack = false
  /// The element open now has text that is read.
  private var capturing = false

  private init(format: Format) { self.format = format }

  static func parse(_ data: Data, name: String, format: Format) throws(ImportError) -> Activity {
    let reader = XMLActivityParser(format: format)
    var scanner = XMLScanner([UInt8](data))
    do {
      try scanner.scan { (event) throws(XMLScanner.Failure) in
        try reader.handle(event)
      }
    } catch {
      throw .malformed(name, reason: "bad XML at line \(error.line): \(error.reason)")
    }
    return Activity(samples: reader.samples, legs: reader.legs)
  }

  private var legElement: String { format == .tcx ? "activity" : "trk" }

  /// TCX's Sport attribute ("Running", "Biking", "Other") or GPX's trk type ("running",
  /// "road_biking"; Strava's numbers say nothing cadence can read).
  private static func sport(_ text: String?) -> Sport {
    guard let text = text?.lowercased(), !text.isEmpty, text != "other", !text.allSatisfy(\.isNumber) else {
      return .unstated
    }
    if text.contains("run") { return .running }
    return .other(text.replacingOccurrences(of: "_", with: " "))
  }

  private func finishLeg() {
    guard let open = leg else { return }
    leg = nil
    let times = samples[open.firstSample...].map(\.time)
    guard let first = times.min(), let last = times.max(), legs.count < ActivityLeg.maximumPerFile else { return }
    // The leg's own start (TCX `<Id>`, else its first lap's StartTime) where it is before the
    // first point and within a day of it: watches start recording points a little later.
    let start = open.stated.flatMap { $0 <= first && first - $0 <= 86_400 ? $0 : nil } ?? first
    legs.append(
      ActivityLeg(
        sport: Self.sport(open.sport), start: start, end: last, timerSeconds: open.timer, meters: open.meters))
  }

  /// A lap's own total time or distance (TCX), added to its leg's.
  private func addLapTotal(_ name: String, _ value: String) {
    guard var open = leg, let number = Double(value), number.isFinite, number >= 0 else { return }
    if name == "totaltimeseconds" { open.timer = (open.timer ?? 0) + number }
    if name == "distancemeters" { open.meters = (open.meters ?? 0) + number }
    leg = open
  }

  /// Local names already seen: a file repeats a handful of element names millions of times.
  private var localNames: [String: String] = [:]

  /// Element names without a namespace prefix, lowercased.
  private func local(_ name: String) -> String {
    if let known = localNames[name] { return known }
    let bytes = name.utf8
    let tail = bytes.lastIndex(of: UInt8(ascii: ":")).map { bytes.index(after: $0) } ?? bytes.startIndex
    let value = String(decoding: bytes[tail...], as: UTF8.self).lowercased()
    if localNames.count < 1024 { localNames[name] = value }
    return value
  }

  /// `text` without the spaces, tabs and line ends around it.
  private func trimmed(_ text: String) -> String {
    let bytes = text.utf8
    func blank(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 }
    guard let first = bytes.firstIndex(where: { !blank($0) }), let last = bytes.lastIndex(where: { !blank($0) }) else {
      return ""
    }
    return String(decoding: bytes[first...last], as: UTF8.self)
  }

  private var pointElement: String { format == .tcx ? "trackpoint" : "trkpt" }

  private func handle(_ event: XMLScanner.Event) throws(XMLScanner.Failure) {
    switch event {
    case .start(let elementName, let attributes):
      let name = local(elementName)
      text = ""
      if name == legElement {
        finishLeg()
        leg = (format == .tcx ? attributes["Sport"] : nil, samples.count, nil, nil, nil)
        previousCounter = nil
      } else if name == "lap" {
        inLap = true
        if format == .tcx, leg != nil, leg?.stated == nil, let time = attributes["StartTime"].flatMap(Self.parseTime) {
          leg?.stated = time
        }
      } else if name == "track" {
        inTrack = true
      }
      if name == pointElement {
        current = [:]
        lat = attributes["lat"].flatMap(Double.init)
        lon = attributes["lon"].flatMap(Double.init)
      }
      // Text is kept inside a point, and for the few leg-level elements read: the whitespace
      // between a file's elements is most of its text.
      capturing =
        current != nil
        || (leg != nil
          && (format == .gpx
            ? name == "type"
            : (!inLap && name == "id")
              || (inLap && !inTrack && (name == "totaltimeseconds" || name == "distancemeters"))))
    case .text(let string):
      if capturing && text.utf8.count < 256 { text += string }
    case .end(let elementName):
      let name = local(elementName)
      guard current != nil else {
        switch name {
        case legElement: finishLeg()
        case "lap": inLap = false
        case "track": inTrack = false
        case "totaltimeseconds", "distancemeters":
          if format == .tcx && inLap && !inTrack { addLapTotal(name, trimmed(text)) }
        case "type": if format == .gpx, leg != nil { leg?.sport = trimmed(text) }
        case "id":
          // The activity's own start; a lap's StartTime stands in only where there is no Id.
          if format == .tcx, !inLap, leg != nil, let time = Self.parseTime(trimmed(text)) { leg?.stated = time }
        default: break
        }
        text = ""
        return
      }
      if name == pointElement {
        finishPoint()
        if samples.count > Self.maximumPoints {
          throw XMLScanner.Failure(line: 0, reason: "more than \(Self.maximumPoints) track points")
        }
        return
      }
      let value = trimmed(text)
      if !value.isEmpty { current?[name] = value }
      text = ""
    }
  }

  private func finishPoint() {
    guard let fields = current else { return }
    current = nil
    guard let timeText = fields["time"], let time = Self.parseTime(timeText) else { return }
    var sample = ActivitySample(time: time)
    // Per-leg cadence: TCX's RunCadence (or Cadence); GPX's cad (Garmin's and Strava's
    // TrackPointExtension) or cadence (ClueTrust's gpxdata, written by Movescount and some
    // Strava exports).
    let perLeg = format == .tcx ? (fields["runcadence"] ?? fields["cadence"]) : (fields["cad"] ?? fields["cadence"])
    if let c = perLeg.flatMap(Double.init), c.isFinite, c > 0 { sample.spm = c * stepsPerStride }
    if let v = fields["speed"].flatMap(Double.init), v.isFinite, v >= 0 { sample.metersPerSecond = v }
    if let d = fields["distancemeters"].flatMap(Double.init), d.isFinite, d >= 0 { sample.distanceMeters = d }
    if format == .tcx, let d = sample.distanceMeters {
      // No `<Speed>` (Polar Flow, older Garmins): the distance counter's change since the last
      // point, where that point is close enough in time to say anything.
      if sample.metersPerSecond == nil, let p = previousCounter, time > p.time,
        time - p.time <= CadenceReport.longestMovingGapSeconds, d >= p.meters
      {
        sample.metersPerSecond = (d - p.meters) / (time - p.time)
      }
      previousCounter = (time, d)
    }
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

  /// A track point's time: a full ISO 8601 time with its zone, in `Timestamp.years`.
  static func parseTime(_ text: String) -> Double? {
    guard let stamp = Timestamp(parsing: text), stamp.hasTime else { return nil }
    return stamp.secondsSince1970
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
