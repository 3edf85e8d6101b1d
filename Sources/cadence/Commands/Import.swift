import Activities
import ArgumentParser
import CadenceCore
import Foundation
import History

struct Import: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Read runs from a watch or app (TCX, GPX, FIT) and store your cadence while running.",
    discussion: """
      Watches store running cadence per leg (strides per minute); cadence counts both feet, so \
      cadence shows twice the watch's figure. Walking and stops are left out (under 140 spm or \
      5.4 km/h); each file is reported overall and per 1 km/h speed band, since cadence rises \
      with speed, and stored as a measurement. If any file cannot be read, nothing is stored.
      """)

  @Argument(help: ArgumentHelp("Activity files (.tcx, .gpx, .fit).", valueName: "file"))
  var files: [String]

  @OptionGroup var storage: StorageOptions

  func validate() throws {
    guard !files.isEmpty else { throw ValidationError("give at least one TCX, GPX or FIT file") }
  }

  func run() throws {
    do throws(CLIError) {
      // Read and check every file before storing anything.
      var reports: [(file: String, report: CadenceReport, date: Date)] = []
      for file in files {
        let samples: [ActivitySample]
        do {
          samples = try ActivityFile.read(path: file)
        } catch {
          throw CLIError(
            message: error.description + "; nothing was stored", hint: "export the activity again as TCX, GPX or FIT",
            code: .dataError)
        }
        guard let report = CadenceReport.make(samples), let first = samples.map(\.time).min() else {
          throw CLIError(
            message: ImportError.noCadence((file as NSString).lastPathComponent).description + "; nothing was stored",
            hint: "check the watch recorded cadence (a foot pod or wrist cadence)", code: .dataError)
        }
        reports.append((file, report, Date(timeIntervalSince1970: first)))
      }
      let db = try storage.open()
      let now = currentDate()
      let plan = try history(db.activePlan())
      let before = try plan.map { (p) throws(CLIError) in try PlanReport(plan: p, db: db, now: now) }
      for (file, report, date) in reports {
        let name = (file as NSString).lastPathComponent
        let text = Self.describe(report, name: name, date: date)
        say(text)
        _ = try history(
          db.addMeasurement(
            MeasurementRecord(
              date: date, spm: (report.spm * 10).rounded() / 10, method: "import",
              details: text.replacingOccurrences(of: "\n", with: "; "))))
      }
      if let plan { say(try planChange(from: before, to: PlanReport(plan: plan, db: db, now: now))) }
    } catch {
      throw report(error)
    }
  }

  static func describe(_ r: CadenceReport, name: String, date: Date) -> String {
    var lines = [
      "\(name) (\(dayString(date))): \(format(r.runningMinutes, 1)) min running, cadence \(format(r.spm, 1)) spm "
        + "(the watch's \(format(r.spm / stepsPerStride, 1)) per leg, doubled)"
    ]
    for band in r.bands {
      lines.append("  \(band.kmh) km/h: \(format(band.spm, 1)) spm over \(format(band.minutes, 1)) min")
    }
    if r.samplesLeftOut > 0 {
      lines.append("  left out: \(r.samplesLeftOut) samples of walking, standing or no cadence")
    }
    return lines.joined(separator: "\n")
  }
}
