import ArgumentParser
import AudioFile
import CadenceCore
import Coach
import Foundation
import History
import LiveRun
import Sounds

struct HistoryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "history", abstract: "Show your runs: a table and a cadence-over-time chart, or export them.")

  @Flag(help: "Print the runs as CSV.")
  var csv = false

  @Flag(help: "Print the runs as JSON.")
  var json = false

  @Option(help: ArgumentHelp("Also write the chart as an SVG image to this file.", valueName: "file"))
  var svg: String?

  @OptionGroup var storage: StorageOptions

  func validate() throws {
    if csv && json { throw ValidationError("choose one of --csv and --json") }
  }

  func run() throws {
    do throws(UserError) {
      // Reading the history never makes the file: no history is an empty one.
      let db = try storage.openIfExists()
      let runs = try db.map { (db) throws(UserError) in try history(db.runs()) } ?? []
      let rungs =
        try db.flatMap { (db) throws(UserError) in
          try RunLedger(db: db, now: currentDate(), say: { _ in }).planReport()?.status.rungs.map(\.spm)
        } ?? []
      var svgNote = ""
      if let svg {
        let image = HistoryChart(runs: runs, rungs: rungs).svg()
        do {
          let target = try OutputTarget(svg)
          try target.write(image)
          svgNote = target.replacesFile ? " (replacing the file that was there)" : ""
        } catch {
          throw UserError.output(error)
        }
      }
      if csv {
        print(HistoryExport.csv(runs), terminator: "")
      } else if json {
        var rows: [HistoryExport.Row] = []
        for run in runs {
          var row = HistoryExport.Row(run)
          if let id = run.id, let db { row.heardPerMinute = try history(db.heardCadence(runId: id)).map(\.spm) }
          rows.append(row)
        }
        say(Coach.json(rows))
      } else if runs.isEmpty {
        say("No runs yet. Play with cadence play SPM --log, or record one with cadence log.")
      } else {
        say(HistoryExport.table(runs))
        say("")
        say(HistoryChart(runs: runs, rungs: rungs).text())
      }
      if let svg { standardError.write("wrote \(svg)\(svgNote)\n") }
      if let hidden = try db.map({ (db) throws(UserError) in try history(db.unreadableDateRows()) }), hidden > 0 {
        standardError.write(
          "note: \(hidden) row\(hidden == 1 ? "" : "s") of the history \(hidden == 1 ? "has" : "have") a date outside 2000-9999 "
            + "(written by an older cadence) and \(hidden == 1 ? "is" : "are") not shown or counted; "
            + "\(hidden == 1 ? "it is" : "they are") kept in the file\n")
      }
    } catch {
      throw report(error)
    }
  }
}

enum HistoryExport {
  struct Row: Encodable {
    var id: Int64?
    var date: Date
    var source: String
    var targetSPM: Double?
    var measuredSPM: Double?
    var minutes: Double?
    var distanceKm: Double?
    var speedKmh: Double?
    var completedAtTarget: Bool
    var interrupted: Bool
    var effort: Int?
    var backPain: Int?
    var warningSigns: [String]
    var notes: String?
    /// The cadence the microphone heard in each minute (session --listen).
    var heardPerMinute: [Double] = []

    init(_ r: RunRecord) {
      id = r.id
      date = r.date
      source = r.source.rawValue
      targetSPM = r.targetSPM
      measuredSPM = r.measuredSPM
      minutes = r.durationSeconds.map { ($0 / 6).rounded() / 10 }
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

  static func csv(_ runs: [RunRecord]) -> String {
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

  static func table(_ runs: [RunRecord]) -> String {
    var rows = [["date", "from", "target", "measured", "time", "km", "effort", "pain", "notes"]]
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
        dayString(run.date), run.source.rawValue, run.targetSPM.map(Cadence.format) ?? "-",
        run.measuredSPM.map(Cadence.format) ?? "-", run.durationSeconds.map(clock) ?? "-",
        run.distanceMeters.map { format($0 / 1000, 1) } ?? "-", run.effort.map { "\($0)" } ?? "-",
        run.backPain.map { "\($0)" } ?? "-", notes.joined(separator: "; "),
      ])
    }
    return columns(rows)
  }
}

/// Cadence per run (measured where known, else the target) against the plan's rungs.
struct HistoryChart {
  let runs: [RunRecord]
  let rungs: [Double]

  struct Point {
    var date: Date
    var spm: Double
    var measured: Bool
  }

  var points: [Point] {
    runs.compactMap { r in
      if let m = r.measuredSPM { return Point(date: r.date, spm: m, measured: true) }
      return r.targetSPM.map { Point(date: r.date, spm: $0, measured: false) }
    }
  }

  /// The spm range shown: the points, the rungs and a little room, in whole 5s.
  var range: ClosedRange<Double> {
    let values = points.map(\.spm) + rungs
    let low = ((values.min() ?? 160) - 2) / 5
    let high = ((values.max() ?? 180) + 2) / 5
    return (low.rounded(.down) * 5)...(high.rounded(.up) * 5)
  }

  /// A terminal chart: one column per run (the last 60), one row per 2.5 spm (5 for wide ranges).
  func text() -> String {
    let shown = Array(points.suffix(60))
    guard !shown.isEmpty else { return "(no cadence to chart yet)" }
    let r = range
    let step = r.upperBound - r.lowerBound <= 40 ? 2.5 : 5
    let height = Int((r.upperBound - r.lowerBound) / step) + 1
    func row(of spm: Double) -> Int { Int(((r.upperBound - spm) / step).rounded()) }
    var grid = [[Character]](repeating: [Character](repeating: " ", count: shown.count), count: height)
    for spm in rungs { let y = row(of: spm); for x in 0..<shown.count { grid[y][x] = "·" } }
    for (x, p) in shown.enumerated() { grid[row(of: p.spm)][x] = p.measured ? "●" : "○" }
    var lines: [String] = ["cadence per run (● measured, ○ target; dots: plan rungs)"]
    for y in 0..<height {
      let label = Cadence.format(r.upperBound - Double(y) * step)
      lines.append(label.padding(toLength: 6, withPad: " ", startingAt: 0) + "│" + String(grid[y]))
    }
    lines.append("      └" + String(repeating: "─", count: shown.count))
    lines.append("       \(dayString(shown.first!.date)) .. \(dayString(shown.last!.date))")
    return lines.joined(separator: "\n")
  }

  /// An SVG chart: the 170-190 band shaded, the rungs as dashed lines, runs as dots on a line.
  func svg(width: Double = 800, height: Double = 400) -> String {
    let left = 60.0, right = 20.0, top = 40.0, bottom = 50.0
    let plotW = width - left - right, plotH = height - top - bottom
    let r = range
    func y(_ spm: Double) -> Double { top + (r.upperBound - spm) / (r.upperBound - r.lowerBound) * plotH }
    let pts = points
    let t0 = pts.first?.date.timeIntervalSince1970 ?? 0
    let t1 = max(pts.last?.date.timeIntervalSince1970 ?? 1, t0 + 86_400)
    func x(_ d: Date) -> Double { left + (d.timeIntervalSince1970 - t0) / (t1 - t0) * plotW }
    func f(_ v: Double) -> String { format(v, 1) }
    var s: [String] = [
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">",
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
      "<text x=\"\(f(left))\" y=\"24\" font-size=\"16\" font-weight=\"bold\">Cadence per run</text>",
    ]
    let bandLow = max(Cadence.goalBand.lowerBound, r.lowerBound),
      bandHigh = min(Cadence.goalBand.upperBound, r.upperBound)
    if bandLow < bandHigh {
      s.append(
        "<rect x=\"\(f(left))\" y=\"\(f(y(bandHigh)))\" width=\"\(f(plotW))\" height=\"\(f(y(bandLow) - y(bandHigh)))\" fill=\"#e3f4e3\"/>"
      )
      s.append(
        "<text x=\"\(f(left + plotW - 4))\" y=\"\(f(y(bandLow) - 4))\" text-anchor=\"end\" fill=\"#3a7d3a\">170-190 spm goal band</text>"
      )
    }
    var tick = r.lowerBound
    while tick <= r.upperBound {
      s.append(
        "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(y(tick)))\" y2=\"\(f(y(tick)))\" stroke=\"#eee\"/>")
      s.append("<text x=\"\(f(left - 8))\" y=\"\(f(y(tick) + 4))\" text-anchor=\"end\">\(format(tick, 0))</text>")
      tick += 5
    }
    for spm in rungs {
      s.append(
        "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(y(spm)))\" y2=\"\(f(y(spm)))\" stroke=\"#d08020\" stroke-dasharray=\"6 4\"/>"
      )
      s.append("<text x=\"\(f(left + 4))\" y=\"\(f(y(spm) - 4))\" fill=\"#d08020\">rung \(Cadence.format(spm))</text>")
    }
    s.append("<line x1=\"\(f(left))\" x2=\"\(f(left))\" y1=\"\(f(top))\" y2=\"\(f(top + plotH))\" stroke=\"#333\"/>")
    s.append(
      "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(top + plotH))\" y2=\"\(f(top + plotH))\" stroke=\"#333\"/>"
    )
    s.append(
      "<text x=\"16\" y=\"\(f(top + plotH / 2))\" transform=\"rotate(-90 16 \(f(top + plotH / 2)))\" text-anchor=\"middle\">steps per minute</text>"
    )
    if let first = pts.first, let last = pts.last {
      s.append("<text x=\"\(f(left))\" y=\"\(f(top + plotH + 20))\">\(dayString(first.date))</text>")
      s.append(
        "<text x=\"\(f(left + plotW))\" y=\"\(f(top + plotH + 20))\" text-anchor=\"end\">\(dayString(last.date))</text>"
      )
      let path = pts.map { "\(f(x($0.date))),\(f(y($0.spm)))" }.joined(separator: " ")
      s.append("<polyline points=\"\(path)\" fill=\"none\" stroke=\"#2060c0\" stroke-width=\"2\"/>")
      for p in pts {
        let fill = p.measured ? "#2060c0" : "white"
        s.append(
          "<circle cx=\"\(f(x(p.date)))\" cy=\"\(f(y(p.spm)))\" r=\"4\" fill=\"\(fill)\" stroke=\"#2060c0\" stroke-width=\"2\"/>"
        )
      }
      s.append(
        "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 12))\" text-anchor=\"middle\">filled: measured cadence; open: the click's cadence</text>"
      )
    } else {
      s.append(
        "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(top + plotH / 2))\" text-anchor=\"middle\">no runs yet</text>")
    }
    s.append("</svg>")
    return s.joined(separator: "\n") + "\n"
  }
}
