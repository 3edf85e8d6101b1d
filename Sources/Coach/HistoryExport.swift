import CadenceCore
import Foundation
import History

/// The runs as a table, CSV and JSON rows.
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
    /// The cadence the microphone heard in each minute (session --listen).
    public var heardPerMinute: [Double] = []
    /// ... each with its minute and, where measured, the footfalls' timing against the click.
    public var heard: [HeardMinute] = []

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

  public static func csv(_ runs: [RunRecord]) -> String {
    func field(_ s: String) -> String {
      s.contains(where: { ",\"\n".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
    var lines = [
      "date,source,target_spm,measured_spm,minutes,distance_km,speed_kmh,completed,interrupted,effort,back_pain,warning_signs,notes"
    ]
    for run in runs {
      let r = Row(run)
      let cells: [String] = [
        isoString(r.date), r.source, r.targetSPM.map(Cadence.format) ?? "", r.measuredSPM.map(Cadence.format) ?? "",
        r.minutes.map { format($0, 1) } ?? "", r.distanceKm.map { format($0, 2) } ?? "",
        r.speedKmh.map { format($0, 1) } ?? "",
        r.completedAtTarget ? "yes" : "no", r.interrupted ? "yes" : "no", r.effort.map(String.init) ?? "",
        r.backPain.map(String.init) ?? "", r.warningSigns.joined(separator: " "), r.notes ?? "",
      ]
      lines.append(cells.map(field).joined(separator: ","))
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
