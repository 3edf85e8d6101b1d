import Activities
import ArgumentParser
import CadenceCore
import Coach
import Foundation
import History
import LiveRun

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
    do throws(UserError) {
      // Read and check every file before storing anything.
      var reports: [(file: String, report: CadenceReport, date: Date)] = []
      for file in files {
        let samples: [ActivitySample]
        do {
          samples = try ActivityFile.read(path: file)
        } catch {
          throw UserError(
            message: error.description + "; nothing was stored", hint: "export the activity again as TCX, GPX or FIT",
            code: .dataError)
        }
        guard let report = CadenceReport.make(samples), let first = samples.map(\.time).min() else {
          throw UserError(
            message: ImportError.noCadence((file as NSString).lastPathComponent).description + "; nothing was stored",
            hint: "check the watch recorded cadence (a foot pod or wrist cadence)", code: .dataError)
        }
        reports.append((file, report, Date(timeIntervalSince1970: first)))
      }
      let ledger = RunLedger(db: try storage.open(), now: currentDate(), say: say)
      try ledger.record(
        reports.map { file, report, date in
          let text = Self.describe(report, name: (file as NSString).lastPathComponent, date: date)
          return (
            MeasurementRecord(
              date: date, spm: (report.spm * 10).rounded() / 10, method: "import",
              details: text.replacingOccurrences(of: "\n", with: "; ")), line: text
          )
        })
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
