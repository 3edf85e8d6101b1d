import Activities
import ArgumentParser
import CadenceCore
import Coach
import Foundation
import History
import LiveRun

struct Import: ContextCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Read runs from a watch or app (TCX, GPX, FIT) and store your cadence while running.",
    discussion: """
      Watches store running cadence per leg (strides per minute); cadence counts both feet, so \
      cadence shows twice the watch's figure. Walking and stops are left out (under 140 spm or \
      5.4 km/h); each file is reported overall and per 1 km/h speed band, since cadence rises \
      with speed, and stored as a run (its time and distance count for the 10% rule; without \
      a check-in it does not count towards a rung) and, with 5 minutes of running or more, as \
      a measurement. Only running is read: a file that says it is a ride, a walk or another \
      sport is skipped, and of a multisport file only the run legs count, each with its own \
      cadence. Time and distance are the watch's own totals where the file has them, and the \
      start is the activity's own. A file imported before is recognised by its start time and \
      skipped. If any file cannot be read, or is dated in the future, nothing is stored.
      """)

  @Argument(
    help: ArgumentHelp("Activity files (.tcx, .gpx, .fit).", valueName: "file"), completion: Completions.activityFiles)
  var files: [String]

  @Flag(help: "Print what was stored as JSON (for scripts): each file's report, the rows, the plan.")
  var json = false

  @OptionGroup var storage: StorageOptions

  func validate() throws {
    guard !files.isEmpty else { throw ValidationError("give at least one TCX, GPX or FIT file") }
  }

  func run(in context: CommandContext) throws {
    let now = context.now
    let units = try context.config().units
    var read: [ImportedActivity] = []
    var reports: [ImportJSON] = []
    var notRuns: [(name: String, reason: String)] = []
    for file in files {
      let name = (file as NSString).lastPathComponent
      let activity: Activity
      let parsed: [ActivitySample]
      let totals: ActivityTotals
      do {
        activity = try ActivityFile.readActivity(path: file)
        (parsed, totals) = try activity.running(name: name)
      } catch .notARun(let name, let sports) {
        // Set aside, not fatal: a folder of exports holds rides and walks beside the runs.
        notRuns.append((name, ImportError.notARun(name, sports: sports).description))
        continue
      } catch .notRunLike(let name, let step, let kmh) {
        notRuns.append((name, ImportError.notRunLike(name, stepMeters: step, kmh: kmh).description))
        continue
      } catch {
        throw UserError(
          message: error.description + "; nothing was stored", hint: "export the activity again as TCX, GPX or FIT",
          code: .dataError)
      }
      // Per leg and doubled, or already steps (some foot pods), by what the samples show.
      let reading = CadenceReading.decide(parsed)
      let samples = reading.apply(parsed)
      guard let report = CadenceReport.make(samples), let start = activity.start(of: samples) else {
        throw UserError(
          message: ImportError.noCadence(name).description + "; nothing was stored",
          hint: "check the watch recorded cadence (a foot pod or wrist cadence)", code: .dataError)
      }
      guard !activity.deviceRelativeTimes else {
        throw UserError(
          message: "'\(name)' has no date: its times count from the watch's power-on (its clock was not set); "
            + "nothing was stored",
          hint: "set the watch's time (or let it find GPS) and export the activity again, "
            + "or log the run with cadence log --date", code: .dataError)
      }
      let date = Date(timeIntervalSince1970: start)
      guard date >= earliestDate && date <= now else {
        throw UserError(
          message: "'\(name)' is dated \(isoString(date)), outside 2000-01-01 to now; nothing was stored",
          hint: "check the watch's clock, or export the activity again", code: .dataError)
      }
      let measured = report.runningMinutes >= CadenceReport.shortestMeasuredMinutes
      // A file that names no sport and has no speed cannot be told from a ride: said.
      let unsure = !activity.statesASport && !samples.contains { $0.metersPerSecond != nil }
      reports.append(ImportJSON(file: name, date: date, report: report, measurement: measured))
      // Each kept leg's cadence from that leg's samples alone.
      let legs = activity.legsLine { leg in CadenceReport.make(reading.apply(activity.samples(in: leg)))?.spm }
      read.append(
        ImportedActivity(
          name: name, date: date, spm: measured ? (report.spm * 10).rounded() / 10 : nil,
          description: Self.describe(report, name: name, date: date, reading: reading, units: units)
            + (legs.map { "\n  " + $0 } ?? "")
            + (unsure ? "\n  no sport and no speed in the file: read as a run (a ride cannot be told apart)" : ""),
          totals: totals))
    }
    let speak = context.speaker(json: json)
    guard !read.isEmpty || notRuns.isEmpty else {
      throw UserError(
        message: notRuns.map(\.reason).joined(separator: "; ") + "; nothing was stored",
        hint: "import runs only: cadence measures steps, and a ride's pedalling, doubled, is not a cadence",
        code: .dataError)
    }
    for file in notRuns { speak("\(file.reason); skipped") }
    let recorded = try context.ledger(storage).record(imported: read)
    for line in recorded.lines { speak(line) }
    if json {
      let stored = recorded.stored
      let output = RecordedJSON(
        measurements: stored.compactMap(\.0), runs: stored.map(\.1), details: reports,
        skipped: notRuns.map(\.name) + recorded.skipped,
        plan: recorded.after)
      context.say(Coach.json(output))
    }
  }

  static func describe(
    _ r: CadenceReport, name: String, date: Date, reading: CadenceReading = .perLegDoubled,
    units: UnitSystem = .metric
  ) -> String {
    let how =
      reading == .perLegDoubled
      ? "the watch's \(format(r.spm / stepsPerStride, 1)) per leg, doubled"
      : "recorded as steps per minute, as foot pods can: its step lengths or per-leg figures say so"
    var lines = [
      "\(name) (\(dayString(date))): \(format(r.runningMinutes, 1)) min running, cadence \(format(r.spm, 1)) spm "
        + "(\(how))"
    ]
    let (bands, hidden) = r.printedBands
    for band in bands {
      // Bands are whole km/h; in miles, the band's start.
      let speed = units == .metric ? "\(band.kmh) km/h" : units.speed(.kmh(Double(band.kmh)))
      lines.append("  \(speed): \(format(band.spm, 1)) spm over \(format(band.minutes, 1)) min")
    }
    if hidden > 0 {
      let share = format(CadenceReport.smallestPrintedBandShare * 100, 0)
      lines.append("  (\(hidden) speed band\(hidden == 1 ? "" : "s") under \(share)% of the time not shown)")
    }
    let slow = r.samplesLeftOut - r.samplesTooHigh
    if slow > 0 { lines.append("  left out: \(slow) samples of walking, standing or no cadence") }
    if r.runningMinutes < CadenceReport.shortestMeasuredMinutes {
      lines.append(
        "  under \(format(CadenceReport.shortestMeasuredMinutes, 0)) min of running: stored as a run, "
          + "not as a measurement of your cadence")
    }
    if r.samplesTooHigh > 0 {
      lines.append(
        "  left out: \(r.samplesTooHigh) samples over \(format(CadenceReport.highestSPM, 0)) spm, "
          + "no runner's cadence (a sensor glitch)")
    }
    return lines.joined(separator: "\n")
  }
}

/// One file as `import --json` reports it: its cadence overall and per 1 km/h speed band.
struct ImportJSON: Encodable {
  var file: String
  /// The activity's own start.
  var date: Date
  var report: CadenceReport
  /// Stored as a measurement too (`CadenceReport.shortestMeasuredMinutes` of running or more).
  var measurement: Bool
}
