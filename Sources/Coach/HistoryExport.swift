import CadenceCore
import Foundation
import History

/// The runs as a table, CSV and JSON rows. JSON and CSV carry the same fields under the same
/// names (CSV in `Row.CodingKeys`' order; JSON sorts its keys), every key always present: a
/// value not known is null in JSON and an empty cell in CSV. docs/history.schema.json
/// describes both.
public enum HistoryExport {
  public struct Row: Encodable {
    var id: Int64?
    var date: Date
    var source: String
    var targetSPM: Double?
    var measuredSPM: Double?
    var minutes: Double?
    /// Minutes paused during a played run, apart from `minutes` (the time run).
    var pausedMinutes: Double?
    var distanceKm: Double?
    var speedKmh: Double?
    var completedAtTarget: Bool
    var interrupted: Bool
    var effort: Int?
    var backPain: Int?
    var warningSigns: [String]
    var notes: String?
    /// The cadence measured in each minute (the microphone, or a foot pod with a treadmill's speed
    /// and distance), each with its minute and, where measured, the footfalls' timing against the
    /// click.
    public var heard: [HeardMinute] = []

    enum CodingKeys: String, CodingKey, CaseIterable {
      case id, date, source, targetSPM, measuredSPM, minutes, pausedMinutes, distanceKm, speedKmh, completedAtTarget
      case interrupted, effort, backPain, warningSigns, notes, heard
    }

    /// Every key, null where the value is not known (a script can index any of them).
    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(id, forKey: .id)
      try c.encode(date, forKey: .date)
      try c.encode(source, forKey: .source)
      try c.encode(targetSPM, forKey: .targetSPM)
      try c.encode(measuredSPM, forKey: .measuredSPM)
      try c.encode(minutes, forKey: .minutes)
      try c.encode(pausedMinutes, forKey: .pausedMinutes)
      try c.encode(distanceKm, forKey: .distanceKm)
      try c.encode(speedKmh, forKey: .speedKmh)
      try c.encode(completedAtTarget, forKey: .completedAtTarget)
      try c.encode(interrupted, forKey: .interrupted)
      try c.encode(effort, forKey: .effort)
      try c.encode(backPain, forKey: .backPain)
      try c.encode(warningSigns, forKey: .warningSigns)
      try c.encode(notes, forKey: .notes)
      try c.encode(heard, forKey: .heard)
    }

    public init(_ r: RunRecord) {
      id = r.id
      date = r.date
      source = r.source.rawValue
      targetSPM = r.targetSPM
      measuredSPM = r.measuredSPM
      minutes = r.durationSeconds.map { ($0 / 6).rounded() / 10 }
      pausedMinutes = r.pausedSeconds.map { ($0 / 6).rounded() / 10 }
      distanceKm = r.distanceMeters.map { ($0 / 10).rounded() / 100 }
      speedKmh = r.speedMetersPerSecond.map { ($0 * 36).rounded() / 10 }
      completedAtTarget = r.completedAtTarget
      interrupted = r.interrupted
      effort = r.effort
      backPain = r.backPain
      warningSigns = WarningSign.allCases.filter(r.signs.contains).map(\.rawValue)
      notes = r.notes
    }
  }

  /// A CSV field, quoted where it must be (RFC 4180).
  static func field(_ s: String) -> String {
    s.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
  }

  /// The runs as CSV: JSON's keys as the header (the minutes heard left out: they are a list),
  /// true/false for yes and no, the warning signs separated by spaces, empty where not known.
  public static func csv(_ runs: [RunRecord]) -> String {
    var lines = [Row.CodingKeys.allCases.filter { $0 != .heard }.map(\.rawValue).joined(separator: ",")]
    for run in runs {
      let r = Row(run)
      let cells: [String] = [
        r.id.map { "\($0)" } ?? "", isoString(r.date), r.source, r.targetSPM.map(Cadence.format) ?? "",
        r.measuredSPM.map(Cadence.format) ?? "", r.minutes.map { format($0, 1) } ?? "",
        r.pausedMinutes.map { format($0, 1) } ?? "", r.distanceKm.map { format($0, 2) } ?? "",
        r.speedKmh.map { format($0, 1) } ?? "", r.completedAtTarget ? "true" : "false",
        r.interrupted ? "true" : "false",
        r.effort.map(String.init) ?? "", r.backPain.map(String.init) ?? "", r.warningSigns.joined(separator: " "),
        r.notes ?? "",
      ]
      lines.append(cells.map(field).joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The measurements as CSV, with JSON's keys.
  public static func measurementCSV(_ measurements: [MeasurementRecord]) -> String {
    var lines = ["id,date,spm,method,details"]
    for m in measurements {
      lines.append(
        [m.id.map { "\($0)" } ?? "", isoString(m.date), Cadence.format(m.spm), m.method, m.details ?? ""].map(field)
          .joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  public static func table(_ runs: [RunRecord], units: UnitSystem = .metric) -> String {
    var rows = [["id", "date", "from", "target", "measured", "time", units.distanceUnit, "effort", "pain", "notes"]]
    for run in runs {
      var notes: [String] = []
      if !run.completedAtTarget { notes.append("missed target") }
      if run.interrupted { notes.append("interrupted") }
      if !run.signs.isEmpty {
        notes.append(
          "WARNING: " + WarningSign.allCases.filter(run.signs.contains).map(\.rawValue).joined(separator: ", "))
      }
      if let n = run.notes { notes.append(n) }
      rows.append([
        run.id.map { "\($0)" } ?? "-", dayString(run.date), run.source.rawValue,
        run.targetSPM.map(Cadence.format) ?? "-",
        run.measuredSPM.map(Cadence.format) ?? "-", run.durationSeconds.map(clock) ?? "-",
        run.distanceMeters.map { format(units.inDistanceUnit(meters: $0), 1) } ?? "-",
        run.effort.map { "\($0)" } ?? "-",
        run.backPain.map { "\($0)" } ?? "-", notes.joined(separator: "; "),
      ])
    }
    return columns(rows)
  }

  /// Measurements: a table, or rows for JSON.
  public struct MeasurementRow: Encodable {
    public var id: Int64?
    public var date: Date
    public var spm: Double
    public var method: String
    public var details: String?

    enum CodingKeys: String, CodingKey { case id, date, spm, method, details }

    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(id, forKey: .id)
      try c.encode(date, forKey: .date)
      try c.encode(spm, forKey: .spm)
      try c.encode(method, forKey: .method)
      try c.encode(details, forKey: .details)
    }

    public init(_ m: MeasurementRecord) {
      id = m.id
      date = m.date
      spm = m.spm
      method = m.method
      details = m.details
    }
  }

  public static func measurementTable(_ measurements: [MeasurementRecord]) -> String {
    var rows = [["id", "date", "cadence", "how", "details"]]
    for m in measurements {
      rows.append([
        m.id.map { "\($0)" } ?? "-", dayString(m.date), Cadence.format(m.spm), m.method,
        m.details.map { $0.count > 60 ? String($0.prefix(59)) + "…" : $0 } ?? "",
      ])
    }
    return columns(rows)
  }
}
