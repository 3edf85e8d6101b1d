import CadenceCore
import Foundation
import GRDB

/// Why the history could not be used; the file is left as it was.
public enum HistoryError: Error, Equatable, Sendable, CustomStringConvertible {
  case cannotOpen(path: String, reason: String)
  case notADatabase(path: String)
  /// A cadence history whose pages SQLite's integrity check finds damaged (`finding`, its first
  /// line): refused before anything writes to it.
  case damaged(path: String, finding: String)
  case newerSchema(path: String)
  case failed(path: String, reason: String)
  /// `rolledBack`: SQLite first rolled back a write that another program left unfinished.
  case foreign(path: String, rolledBack: Bool)
  case readOnlyNeedsUpdate(path: String)
  case readOnly(path: String)
  /// Another process held a lock on the history (cadence's on its folder, or SQLite's on the
  /// file) for `seconds`; `holder`, where the kernel names it.
  case busy(path: String, seconds: Double, holder: LockHolder?)
  /// The tables disagree with the file's record of updates (`finding` says how).
  case inconsistent(path: String, finding: String)
  /// The SQLite header names a schema format SQLite does not know.
  case unknownFormat(path: String, format: Int)
  /// The disk (or the user's quota) had no room for a write, which was undone.
  case diskFull(path: String)
  /// The file exists but this user may not read it.
  case unreadable(path: String)
  /// `--db` is a symbolic link that cannot be followed (`reason`).
  case badLink(path: String, reason: String)

  public var description: String {
    switch self {
    case .cannotOpen(let path, let reason): "cannot open the history database '\(path)': \(reason)"
    case .notADatabase(let path):
      "'\(path)' is not a cadence history database (or it is damaged); it was left untouched"
    case .damaged(let path, let finding):
      "the history '\(path)' is damaged (SQLite's integrity check: \(finding)); it was left untouched"
    case .newerSchema(let path):
      "'\(path)' was written by a newer version of cadence; it was left untouched"
    case .failed(let path, let reason): "the history database '\(path)' failed: \(reason)"
    case .foreign(let path, let rolledBack):
      "'\(path)' is an SQLite database of another program, not a cadence history; "
        + (rolledBack
          ? "SQLite rolled back the write its program left unfinished, as any program opening it does, and nothing else was changed"
          : "it was left untouched")
    case .readOnly(let path):
      "'\(path)' is read-only for you (the file or its folder): cadence history and cadence plan can read it, but nothing can be recorded in it"
    case .busy(let path, let seconds, let holder):
      "the history '\(path)' is in use by \(holder.map { "\($0)" } ?? "another process"): it stayed locked for \(Int(seconds)) s; nothing was changed"
    case .inconsistent(let path, let finding):
      "the history '\(path)' does not match its own record of updates (\(finding)); it was left untouched"
    case .unknownFormat(let path, let format):
      "'\(path)' names SQLite schema format \(format) in its header, which SQLite does not know (0-4): the file is damaged or not a history; it was left untouched"
    case .diskFull(let path):
      "there is no room left on the disk that holds the history '\(path)': nothing was stored, and the history is as it was"
    case .unreadable(let path):
      "'\(path)' cannot be read by you (its permissions): nothing was changed"
    case .badLink(let path, let reason):
      "the history '\(path)' cannot be used: \(reason)"
    case .readOnlyNeedsUpdate(let path):
      "'\(path)' is read-only and was written by an older cadence, which this version must update first"
    }
  }
}

/// The training history: one SQLite file in WAL mode, migrated when opened (see
/// AppDatabase+Opening.swift for how a file is checked before anything writes to it).
///
/// Every write is one transaction, so concurrent invocations queue (busy timeout) rather than
/// corrupt, and a killed process loses at most the write it was making.
public struct AppDatabase: Sendable {
  public let path: String
  let writer: any DatabaseWriter
  /// The bound and word for locks held elsewhere, and what names their holder.
  let wait: LockWait

  /// A fresh in-memory database, for tests.
  public static func inMemory() throws -> AppDatabase {
    try AppDatabase(writer: DatabaseQueue())
  }

  init(writer: any DatabaseWriter) throws(HistoryError) {
    try self.init(path: ":memory:", writer: writer)
  }

  init(
    path: String, writer: any DatabaseWriter, migrating: Bool = true,
    wait: LockWait = LockWait(path: ":memory:", seconds: 10, tell: { _ in })
  ) throws(HistoryError) {
    self.path = path
    self.writer = writer
    self.wait = wait
    if migrating { try migrate() }
  }

  private func migrate() throws(HistoryError) {
    do {
      // Checked on the writer connection: a pool reader opened before migrating would keep
      // the old schema in its cache.
      let (superseded, current) = try writer.writeWithoutTransaction {
        (try Self.migrator.hasBeenSuperseded($0), try Self.migrator.hasCompletedMigrations($0))
      }
      if superseded { throw HistoryError.newerSchema(path: path) }
      // An up-to-date history is not handed to the migrator at all: its run, even with
      // nothing to do, rewrote the schema and so changed the file's header on every open.
      if !current { try Self.migrator.migrate(writer) }
    } catch {
      throw failure(error)
    }
  }

  /// What went wrong with a read or write, in the history's words where SQLite's result code
  /// has some (a full disk, a lock held past the wait), else SQLite's own.
  private func failure(_ error: any Error) -> HistoryError {
    if let error = error as? HistoryError { return error }
    if let error = error as? DatabaseError, let known = Self.classify(error, path, wait: wait) { return known }
    return .failed(path: path, reason: "\(error)")
  }

  func write<T>(_ body: (Database) throws -> T) throws(HistoryError) -> T {
    do {
      return try writer.write(body)
    } catch {
      throw failure(error)
    }
  }

  func read<T>(_ body: (Database) throws -> T) throws(HistoryError) -> T {
    do {
      return try writer.read(body)
    } catch {
      throw failure(error)
    }
  }

  // MARK: Named writes

  /// Stores a new plan and makes it the only active one.
  @discardableResult
  public func startPlan(_ settings: PlanSettings, at date: Date) throws(HistoryError) -> PlanRecord {
    try write { db in
      try db.execute(sql: "UPDATE plan SET active = 0 WHERE active = 1")
      var plan = PlanRecord(settings: settings, createdAt: date)
      try plan.insert(db)
      return plan
    }
  }

  /// Stores a run, with the cadence heard in each minute (session --listen), in one transaction.
  @discardableResult
  public func addRun(_ run: RunRecord, heardPerMinute: [HeardMinute] = []) throws(HistoryError)
    -> RunRecord
  {
    try write { db in
      var run = run
      try run.insert(db)
      // insert(_:) sets the id from SQLite's rowid.
      guard let id = run.id else { throw HistoryError.failed(path: path, reason: "a stored run has no id") }
      for entry in heardPerMinute {
        var row = RunCadenceRecord(runId: id, heard: entry)
        try row.insert(db)
      }
      return run
    }
  }

  /// Rewrites a stored run (the check-in that follows it).
  public func updateRun(_ run: RunRecord) throws(HistoryError) {
    _ = try write { db in try run.update(db) }
  }

  /// Writes a plan's changed settings in place: its rungs, dates and events stay.
  public func updatePlan(_ plan: PlanRecord) throws(HistoryError) {
    _ = try write { db in try plan.update(db) }
  }

  /// The cadence heard in each minute of a run, in order.
  public func heardCadence(runId: Int64) throws(HistoryError) -> [RunCadenceRecord] {
    try read { try RunCadenceRecord.filter(Column("runId") == runId).order(Column("minute")).readable($0) }
  }

  /// Removes run `id` (with the cadence heard in its minutes); returns it, or nil if there is
  /// no such run.
  public func removeRun(id: Int64) throws(HistoryError) -> RunRecord? {
    try write { db in
      guard let run = try RunRecord.filter(Self.readableDate).filter(Column("id") == id).firstReadable(db) else {
        return nil
      }
      try RunCadenceRecord.filter(Column("runId") == id).deleteAll(db)
      _ = try RunRecord.deleteOne(db, key: id)
      return run
    }
  }

  /// Removes measurement `id`; returns it, or nil if there is no such measurement.
  public func removeMeasurement(id: Int64) throws(HistoryError) -> MeasurementRecord? {
    try write { db in
      guard
        let measurement = try MeasurementRecord.filter(Self.readableDate).filter(Column("id") == id).firstReadable(db)
      else { return nil }
      _ = try MeasurementRecord.deleteOne(db, key: id)
      return measurement
    }
  }

  /// Stores what an import read: each file's measurement and run, in one transaction.
  @discardableResult
  public func addImported(_ items: [(MeasurementRecord?, RunRecord)]) throws(HistoryError) -> [(
    MeasurementRecord?, RunRecord
  )] {
    try write { db in
      var stored: [(MeasurementRecord?, RunRecord)] = []
      for (measurement, run) in items {
        var measurement = measurement
        var run = run
        try measurement?.insert(db)
        try run.insert(db)
        stored.append((measurement, run))
      }
      return stored
    }
  }

  /// Stores several measurements in one transaction: all or none. Returns them with their ids.
  @discardableResult
  public func addMeasurements(_ measurements: [MeasurementRecord]) throws(HistoryError) -> [MeasurementRecord] {
    try write { db in
      var stored: [MeasurementRecord] = []
      for var measurement in measurements {
        try measurement.insert(db)
        stored.append(measurement)
      }
      return stored
    }
  }

  @discardableResult
  public func addMeasurement(_ measurement: MeasurementRecord) throws(HistoryError) -> MeasurementRecord {
    try write { db in
      var measurement = measurement
      try measurement.insert(db)
      return measurement
    }
  }

  public func addPlanEvent(_ event: PlanEventRecord) throws(HistoryError) {
    _ = try write { db in
      var event = event
      try event.insert(db)
    }
  }
}

/// $XDG_DATA_HOME/cadence/history.sqlite, default ~/.local/share/cadence/history.sqlite.
public func defaultDatabasePath(environment: [String: String]) -> String {
  if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return data + "/cadence/history.sqlite" }
  let home = environment["HOME"] ?? NSHomeDirectory()
  return home + "/.local/share/cadence/history.sqlite"
}
