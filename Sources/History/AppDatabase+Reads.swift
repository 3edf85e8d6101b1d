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
    try read {
      try PlanRecord.filter(Self.readable("createdAt") && Column("active") == true).order(Column("id").desc)
        .firstReadable($0)
    }
  }

  /// Rows whose date (`column`) cadence can read: text of the form "YYYY-MM-DD HH:MM:SS.SSS"
  /// as GRDB writes it, ASCII digits and separators only, from the year 2000. Anything else
  /// (year 99999 from an older cadence that did not check, another writer's value, a byte
  /// flipped on the disk) is kept in the file but never read: one such row must not make the
  /// whole history unreadable, and GRDB's date parser traps on a byte above 0x7F where a digit
  /// should be.
  static func readable(_ column: String) -> SQL {
    SQL(
      sql: "(typeof(\(column)) = 'text' AND \(column) GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' "
        + "AND NOT \(column) GLOB '*[^0-9 :.T-]*' AND \(column) >= '2000-01-01')")
  }

  static let readableDate = readable("date")

  public func runs() throws(HistoryError) -> [RunRecord] {
    try read { try RunRecord.filter(Self.readableDate).order(Column("date"), Column("id")).readable($0) }
  }

  public func measurements() throws(HistoryError) -> [MeasurementRecord] {
    try read { try MeasurementRecord.filter(Self.readableDate).order(Column("date"), Column("id")).readable($0) }
  }

  public func planEvents(planId: Int64) throws(HistoryError) -> [PlanEventRecord] {
    try read {
      try PlanEventRecord.filter(Column("planId") == planId).filter(Self.readableDate).order(
        Column("date"), Column("id")
      )
      .readable($0)
    }
  }

  /// Rows kept in the file but never read: a date cadence cannot read (see `readableDate`), or
  /// a value no cadence writes (a source or a number another program put there). One such row
  /// must not make the rest of the history unreadable; it is counted here, so that `history`
  /// can say so, and left as it is.
  public func unreadableRows() throws(HistoryError) -> Int {
    try read { db in
      func unreadable<Record: FetchableRecord & TableRecord>(_: Record.Type, dated: String?) throws -> Int {
        let total = try Record.fetchCount(db)
        let request = dated.map { Record.filter(Self.readable($0)) } ?? Record.all()
        return total - (try request.readable(db).count)
      }
      return try unreadable(RunRecord.self, dated: "date") + unreadable(MeasurementRecord.self, dated: "date")
        + unreadable(PlanEventRecord.self, dated: "date") + unreadable(PlanRecord.self, dated: "createdAt")
        + unreadable(RunCadenceRecord.self, dated: nil)
    }
  }

  /// The newest measured cadence: a measurement, or a run's measured cadence.
  public func latestMeasuredSPM() throws(HistoryError) -> Double? {
    try read { db in
      let m = try MeasurementRecord.filter(Self.readableDate).order(Column("date").desc, Column("id").desc)
        .firstReadable(db)
      let r = try RunRecord.filter(Column("measuredSPM") != nil).filter(Self.readableDate).order(
        Column("date").desc, Column("id").desc
      ).firstReadable(db)
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
        try RunRecord.filter(window).order(Column("date"), Column("id")).readable(db),
        try MeasurementRecord.filter(window).order(Column("date"), Column("id")).readable(db),
        try plan.id.map { id in
          try PlanEventRecord.filter(Column("planId") == id && Column("kind") == "resume").filter(
            Self.readableDate && Column("date") <= now
          ).order(Column("date"), Column("id")).readable(db)
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
        .filter(Column("targetSPM") != nil).order(Column("date").desc, Column("id").desc).firstReadable(db)?.targetSPM
    }
  }

  /// When the runner last recorded anything before `date`: a run (or a warning report), a
  /// measurement, or either.
  public func lastActivity(before date: Date, runs: Bool = true, measurements: Bool = true) throws(HistoryError)
    -> Date?
  {
    try read { db in
      let before = Self.readableDate && Column("date") < date
      let run = runs ? try RunRecord.filter(before).order(Column("date").desc).firstReadable(db)?.date : nil
      let measured =
        measurements ? try MeasurementRecord.filter(before).order(Column("date").desc).firstReadable(db)?.date : nil
      return [run, measured].compactMap { $0 }.max()
    }
  }

  /// Run `id` (a warning report included), if it exists and can be read.
  public func run(id: Int64) throws(HistoryError) -> RunRecord? {
    try read { try RunRecord.filter(Self.readableDate && Column("id") == id).firstReadable($0) }
  }

  /// Runs (warning reports left out) dated from `start` up to, not including, `end`, in order.
  public func runs(from start: Date, to end: Date) throws(HistoryError) -> [RunRecord] {
    try read {
      try RunRecord.filter(
        Self.readableDate && Column("date") >= start && Column("date") < end
          && Column("source") != RunSource.report.rawValue
      ).order(Column("date"), Column("id")).readable($0)
    }
  }

  /// The newest run up to `now` that has no check-in (effort and back pain), of any kind but a
  /// warning report: stopped early, imported, logged or played.
  public func lastRunWithoutCheckIn(until now: Date) throws(HistoryError) -> RunRecord? {
    try read {
      try RunRecord.filter(
        Self.readableDate && Column("date") <= now && Column("source") != RunSource.report.rawValue
          && (Column("effort") == nil || Column("backPain") == nil)
      ).order(Column("date").desc, Column("id").desc).firstReadable($0)
    }
  }

  /// The start times of the activities imported so far: their runs' (a short one has no
  /// measurement) and their measurements'.
  public func importedStartTimes() throws(HistoryError) -> [Date] {
    try read { db in
      try MeasurementRecord.filter(Self.readableDate && Column("method") == "import").readable(db).map(\.date)
        + RunRecord.filter(Self.readableDate && Column("source") == RunSource.import.rawValue).readable(db).map(\.date)
    }
  }
}

extension QueryInterfaceRequest where RowDecoder: FetchableRecord {
  /// The rows that decode, in order; one that does not (a value no cadence writes) is skipped
  /// rather than failing the whole read, and counted by `unreadableRows`.
  func readable(_ db: Database) throws -> [RowDecoder] {
    try Row.fetchAll(db, self).compactMap { try? RowDecoder(row: $0) }
  }

  /// The first row that decodes.
  func firstReadable(_ db: Database) throws -> RowDecoder? {
    let rows = try Row.fetchCursor(db, self)
    while let row = try rows.next() {
      if let record = try? RowDecoder(row: row) { return record }
    }
    return nil
  }
}
