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
    commandName: "history", abstract: "Show your runs and measurements, export them, or remove a mistake.",
    subcommands: [Show.self, Remove.self], defaultSubcommand: Show.self)

  struct Show: ContextCommand {
    static let configuration = CommandConfiguration(
      commandName: "show", abstract: "Your runs: a table and a cadence-over-time chart, or CSV, JSON or SVG.")

    @Flag(help: "Print the runs as CSV.")
    var csv = false

    @Flag(help: "Print the runs as JSON.")
    var json = false

    @Flag(help: "List your measurements (measure, tap, listen, import, sensor) instead of the runs.")
    var measurements = false

    @Flag(help: "List the warning signs you reported on their own (cadence warn) instead of the runs.")
    var reports = false

    @Option(
      help: ArgumentHelp("Also write the chart as an SVG image to this file.", valueName: "file"),
      completion: Completions.svg)
    var svg: String?

    @OptionGroup var storage: StorageOptions

    func validate() throws {
      if csv && json { throw ValidationError("choose one of --csv and --json") }
      if measurements && reports { throw ValidationError("choose one of --measurements and --reports") }
      if (measurements || reports) && svg != nil {
        throw ValidationError("--svg charts the runs; leave out --measurements and --reports")
      }
    }

    func run(in context: CommandContext) throws {
      // Reading the history never makes the file: no history is an empty one.
      let db = try storage.openIfExists(context)
      if measurements {
        let list = try db.map { (db) throws in try db.measurements() } ?? []
        if json {
          context.say(Coach.json(list.map(HistoryExport.MeasurementRow.init)))
        } else if csv {
          context.output.write(HistoryExport.measurementCSV(list))
        } else {
          context.say(
            list.isEmpty
              ? "No measurements yet. Record one with cadence measure SPM, tap, listen or import."
              : HistoryExport.measurementTable(list))
        }
      } else {
        try showRuns(db, in: context)
      }
      if let hidden = try db.map({ (db) throws in try db.unreadableRows() }), hidden > 0 {
        context.errors.write(
          "note: \(hidden) row\(hidden == 1 ? "" : "s") of the history cannot be read (a date outside 2000-9999, "
            + "or a value no cadence writes) and \(hidden == 1 ? "is" : "are") not shown or counted; "
            + "\(hidden == 1 ? "it is" : "they are") kept in the file as \(hidden == 1 ? "it is" : "they are")\n")
      }
    }

    private func showRuns(_ db: AppDatabase?, in context: CommandContext) throws {
      // Warning signs reported on their own are not runs: listed with --reports.
      let stored = try db.map { (db) throws in try db.runs() } ?? []
      let runs = stored.filter { ($0.source == .report) == reports }
      let reportCount = stored.count - runs.count
      let rungs =
        try db.flatMap { (db) throws in
          try RunLedger(db: db, now: context.now).planReport()?.status.rungs
            .map(\.spm)
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
        context.output.write(HistoryExport.csv(runs))
      } else if json {
        var rows: [HistoryExport.Row] = []
        for run in runs {
          var row = HistoryExport.Row(run)
          if let id = run.id, let db {
            row.heard = try db.heardCadence(runId: id).map(\.heard)
          }
          rows.append(row)
        }
        context.say(Coach.json(rows))
      } else if reports {
        context.say(
          runs.isEmpty
            ? "No warning signs reported on their own." : HistoryExport.table(runs, units: try context.config().units))
      } else if runs.isEmpty {
        context.say("No runs yet. Play with cadence play SPM --log, or record one with cadence log.")
      } else {
        context.say(HistoryExport.table(runs, units: try context.config().units))
        context.say("")
        context.say(HistoryChart(runs: runs, rungs: rungs).text())
      }
      if !reports && !json && !csv && reportCount > 0 {
        context.say(
          "\(reportCount) warning-sign report\(reportCount == 1 ? "" : "s") (not runs): cadence history --reports")
      }
      if let svg { context.errors.write("wrote \(svg)\(svgNote)\n") }
    }
  }

  struct Remove: ContextCommand {
    static let configuration = CommandConfiguration(
      commandName: "remove",
      abstract: "Remove a run (or with --measurement a measurement) recorded by mistake; the plan is re-evaluated.")

    @Argument(help: ArgumentHelp("The id that cadence history (or history --measurements) shows.", valueName: "id"))
    var id: Int64

    @Flag(help: "The id is a measurement's, not a run's.")
    var measurement = false

    @OptionGroup var storage: StorageOptions

    func validate() throws {
      guard id >= 1 else {
        throw ValidationError("<id> must be a positive number that cadence history shows; got \(id)")
      }
    }

    func run(in context: CommandContext) throws {
      guard let db = try storage.openExisting(context) else {
        throw UserError(
          message: "there is no history at '\(storage.path(context))' yet, so nothing to remove",
          hint: "pass --db with the path of your history, or see what it holds with cadence history", code: .usage)
      }
      let ledger = RunLedger(db: db, now: context.now)
      let lines: [String]
      if measurement {
        let removed = try ledger.removeMeasurement(id: id)
        let m = removed.rows
        lines = [
          "removed measurement \(id): \(Cadence.format(m.spm)) spm on \(dayString(m.date)) (\(m.method))",
          removed.planLine,
        ].compactMap { $0 }
      } else {
        let removed = try ledger.removeRun(id: id)
        lines = ["removed run \(id): " + describe(removed.rows, units: try context.config().units), removed.planLine]
          .compactMap { $0 }
      }
      for line in lines { context.say(line) }
    }
  }
}
