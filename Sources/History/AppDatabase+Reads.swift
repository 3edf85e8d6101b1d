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
  /// `now` (a row dated later has not happened), and its resumes.
  public func planEvents(for plan: PlanRecord, until now: Date = .distantFuture) throws(HistoryError) -> [PlanEvent] {
    let since = plan.createdAt
    var events: [PlanEvent] = try runs().filter { $0.date >= since && $0.date <= now }.map { run in
      run.source == .report
        ? .warningSigns(time: Int64(run.date.timeIntervalSince1970), run.signs) : .run(run.checkIn)
    }
    events += try measurements().filter { $0.date >= since && $0.date <= now }.map {
      .measurement(time: Int64($0.date.timeIntervalSince1970), spm: $0.spm)
    }
    if let id = plan.id {
      events += try planEvents(planId: id).filter { $0.kind == "resume" && $0.date <= now }.map {
        .resume(time: Int64($0.date.timeIntervalSince1970))
      }
    }
    return events
  }
}
