import CadenceCore
import Foundation
import GRDB

extension AppDatabase {
  // MARK: Reads

  /// SQLite's own check of the whole file: "ok" when it is sound.
  public func integrityCheck() throws(HistoryError) -> String {
    try read { try String.fetchAll($0, sql: "PRAGMA integrity_check").joined(separator: "\n") }
  }

  public func activePlan() throws(HistoryError) -> PlanRecord? {
    try read { try PlanRecord.filter(Column("active") == true).order(Column("id").desc).fetchOne($0) }
  }

  /// Rows whose date cadence can read: a year from 2000 to 9999 (a date stored as
  /// "YYYY-MM-DD ..."). Anything else (year 99999 from an older cadence that did not check, or
  /// another writer) is kept in the file but never read: one such row must not make the whole
  /// history unreadable.
  static let readableDate = SQL("substr(date, 5, 1) = '-' AND date >= '2000-01-01'")

  public func runs() throws(HistoryError) -> [RunRecord] {
    try read { try RunRecord.filter(Self.readableDate).order(Column("date"), Column("id")).fetchAll($0) }
  }

  public func measurements() throws(HistoryError) -> [MeasurementRecord] {
    try read { try MeasurementRecord.filter(Self.readableDate).order(Column("date"), Column("id")).fetchAll($0) }
  }

  public func planEvents(planId: Int64) throws(HistoryError) -> [PlanEventRecord] {
    try read {
      try PlanEventRecord.filter(Column("planId") == planId).filter(Self.readableDate).order(
        Column("date"), Column("id")
      )
      .fetchAll($0)
    }
  }

  /// Runs, measurements and plan events kept but not read (see `readableDate`).
  public func unreadableDateRows() throws(HistoryError) -> Int {
    try read { db in
      try ["run", "measurement", "planEvent"].reduce(0) { total, table in
        total
          + (try Int.fetchOne(
            db, sql: "SELECT count(*) FROM \(table) WHERE NOT (substr(date, 5, 1) = '-' AND date >= '2000-01-01')") ?? 0)
      }
    }
  }

  /// The newest measured cadence: a measurement, or a run's measured cadence.
  public func latestMeasuredSPM() throws(HistoryError) -> Double? {
    try read { db in
      let m = try MeasurementRecord.filter(Self.readableDate).order(Column("date").desc, Column("id").desc).fetchOne(db)
      let r = try RunRecord.filter(Column("measuredSPM") != nil).filter(Self.readableDate).order(
        Column("date").desc, Column("id").desc
      ).fetchOne(db)
      switch (m, r) {
      case (let m?, let r?): return m.date >= r.date ? m.spm : r.measuredSPM
      case (let m?, nil): return m.spm
      case (nil, let r?): return r.measuredSPM
      default: return nil
      }
    }
  }

  /// The plan's events from the history: runs and measurements since the plan was made up to
  /// `now` (a row dated later has not happened), and its resumes. Only those rows are read.
  public func planEvents(for plan: PlanRecord, until now: Date = .distantFuture) throws(HistoryError) -> [PlanEvent] {
    let since = plan.createdAt
    let (runs, measurements, resumes) = try read { db in
      let window = Self.readableDate && Column("date") >= since && Column("date") <= now
      return (
        try RunRecord.filter(window).order(Column("date"), Column("id")).fetchAll(db),
        try MeasurementRecord.filter(window).order(Column("date"), Column("id")).fetchAll(db),
        try plan.id.map { id in
          try PlanEventRecord.filter(Column("planId") == id && Column("kind") == "resume").filter(
            Self.readableDate && Column("date") <= now
          ).order(Column("date"), Column("id")).fetchAll(db)
        } ?? []
      )
    }
    var events: [PlanEvent] = runs.map { run in
      run.source == .report
        ? .warningSigns(time: Int64(run.date.timeIntervalSince1970), run.signs) : .run(run.checkIn)
    }
    events += measurements.map { .measurement(time: Int64($0.date.timeIntervalSince1970), spm: $0.spm) }
    events += resumes.map { .resume(time: Int64($0.date.timeIntervalSince1970)) }
    return events
  }

  /// The cadence the last run played or was run to (warning reports are not runs).
  public func previousTarget() throws(HistoryError) -> Double? {
    try read { db in
      try RunRecord.filter(Self.readableDate && Column("source") != RunSource.report.rawValue)
        .filter(Column("targetSPM") != nil).order(Column("date").desc, Column("id").desc).fetchOne(db)?.targetSPM
    }
  }

  /// When the runner last recorded anything before `date`: a run (or a warning report), a
  /// measurement, or either.
  public func lastActivity(before date: Date, runs: Bool = true, measurements: Bool = true) throws(HistoryError)
    -> Date?
  {
    try read { db in
      let before = Self.readableDate && Column("date") < date
      let run = runs ? try RunRecord.filter(before).order(Column("date").desc).fetchOne(db)?.date : nil
      let measured =
        measurements ? try MeasurementRecord.filter(before).order(Column("date").desc).fetchOne(db)?.date : nil
      return [run, measured].compactMap { $0 }.max()
    }
  }

  /// The start times of the activities imported so far.
  public func importedStartTimes() throws(HistoryError) -> [Date] {
    try read { db in
      try MeasurementRecord.filter(Self.readableDate && Column("method") == "import").fetchAll(db).map(\.date)
    }
  }
}
