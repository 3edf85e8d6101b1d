import CadenceCore
import Foundation
import GRDB
import Synchronization
import Testing

@testable import History

func scratchDatabasePath(_ name: String) -> String {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cadence-history-\(getpid())-\(name)")
  try? FileManager.default.removeItem(at: dir)
  return dir.appendingPathComponent("history.sqlite").path
}

let day0 = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01

@Suite struct MigrationTests {
  @Test func fromEmptyCreatesEveryTable() throws {
    let db = try AppDatabase(path: scratchDatabasePath("empty"))
    let tables = try DatabaseQueue(path: db.path).read {
      try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    }
    #expect(
      tables == ["grdb_migrations", "measurement", "plan", "planEvent", "run", "runCadence", "shoe", "sqlite_sequence"])
    let applied = try DatabaseQueue(path: db.path).read { try AppDatabase.migrator.appliedIdentifiers($0) }
    #expect(
      applied == [
        "v1-plans-and-runs", "v2-measurements-events-interrupted", "v3-heard-cadence-per-minute", "v4-warning-reports",
        "v5-imported-runs", "v6-footfall-timing", "v7-paused-time", "v8-sensed-minutes", "v9-belt-distance",
        "v10-shoes",
      ])
  }

  @Test func fromThePreviousSchemaKeepsTheRuns() throws {
    let path = scratchDatabasePath("v1")
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    do {
      let queue = try DatabaseQueue(path: path)
      try AppDatabase.migrator.migrate(queue, upTo: "v1-plans-and-runs")
      try queue.write { db in
        try db.execute(
          sql:
            "INSERT INTO run (date, source, targetSPM, completedAtTarget, effort, backPain, warningSigns) VALUES (?, 'log', 165, 1, 5, 1, '')",
          arguments: [day0])
      }
    }
    let db = try AppDatabase(path: path)
    let runs = try db.runs()
    #expect(runs.count == 1)
    #expect(runs[0].targetSPM == 165 && runs[0].effort == 5 && runs[0].interrupted == false)
    #expect(try db.measurements().isEmpty)
  }

  @Test func aNewerSchemaIsRefusedUntouched() throws {
    let path = scratchDatabasePath("newer")
    _ = try AppDatabase(path: path)
    try DatabaseQueue(path: path).write { db in
      try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')")
    }
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    #expect(throws: HistoryError.newerSchema(path: path)) { try AppDatabase(path: path) }
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
  }

  @Test func aCorruptFileIsRefusedUntouched() throws {
    let path = scratchDatabasePath("corrupt")
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    let junk = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
    try junk.write(to: URL(fileURLWithPath: path))
    #expect(throws: HistoryError.notADatabase(path: path)) { try AppDatabase(path: path) }
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == junk)
  }
}

/// Files cadence did not make, or that a killed process left behind.
@Suite struct ForeignAndDamagedFileTests {
  func companions(_ path: String) -> [String] {
    ["-wal", "-shm", "-journal"].filter { FileManager.default.fileExists(atPath: path + $0) }
  }

  func folder(_ path: String) throws {
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
  }

  @Test(arguments: ["DELETE", "WAL"]) func anotherProgramsDatabaseIsLeftByteForByte(journal: String) throws {
    let path = scratchDatabasePath("foreign-\(journal)")
    try folder(path)
    do {
      let queue = try DatabaseQueue(path: path)
      try queue.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA journal_mode = \(journal)")
        try db.execute(sql: "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine')")
      }
      try queue.close()
    }
    #expect(companions(path) == [])
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    #expect(throws: HistoryError.foreign(path: path, rolledBack: false)) { try AppDatabase(path: path) }
    #expect(throws: HistoryError.foreign(path: path, rolledBack: false)) { try AppDatabase(readingOnly: path) }
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    #expect(companions(path) == [])
  }

  @Test func aDamagedHistoryGetsNoFilesBesideIt() throws {
    let made = scratchDatabasePath("damaged-made")
    do {
      let db = try AppDatabase(path: made)
      for k in 0..<200 { try db.addMeasurement(MeasurementRecord(date: day0, spm: 160, method: "manual \(k)")) }
      _ = try db.integrityCheck()
    }
    var bytes = try Data(contentsOf: URL(fileURLWithPath: made))
    // Page 2 on: the header still says SQLite, the tables are garbage.
    for k in 4_096..<min(bytes.count, 12_288) { bytes[k] = UInt8(truncatingIfNeeded: k &* 131) }
    let path = scratchDatabasePath("damaged")
    try folder(path)
    try bytes.write(to: URL(fileURLWithPath: path))
    #expect(throws: HistoryError.notADatabase(path: path)) { try AppDatabase(path: path) }
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
    #expect(companions(path) == [])
  }

  /// A process killed while it created the history leaves a hot journal beside a half-made
  /// file. Made here by copying the file and its journal in the middle of a transaction whose
  /// pages spilled to disk: the copies are what kill -9 leaves. The next open rolls it back
  /// and makes the history.
  @Test func aCreationCutShortIsRolledBackAndCompleted() throws {
    let path = scratchDatabasePath("hot-journal")
    let live = path + ".live"
    try folder(path)
    let queue = try DatabaseQueue(path: live)
    try queue.writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA cache_size = 1; BEGIN")
      try db.execute(sql: "CREATE TABLE half (x TEXT)")
      for _ in 0..<500 {
        try db.execute(sql: "INSERT INTO half VALUES (?)", arguments: [String(repeating: "x", count: 500)])
      }
      try FileManager.default.copyItem(atPath: live, toPath: path)
      try FileManager.default.copyItem(atPath: live + "-journal", toPath: path + "-journal")
      try db.execute(sql: "ROLLBACK")
    }
    let db = try AppDatabase(path: path)
    try db.addMeasurement(MeasurementRecord(date: day0, spm: 163, method: "manual"))
    #expect(try db.measurements().map(\.spm) == [163])
    #expect(try db.integrityCheck() == "ok")
  }
}

@Suite struct RecordTests {
  @Test func runsRoundTripWithTheirCheckIn() throws {
    let db = try AppDatabase.inMemory()
    let run = RunRecord(
      date: day0, source: .session, targetSPM: 170, measuredSPM: 168.5, durationSeconds: 1_800, distanceMeters: 5_000,
      speedMetersPerSecond: 10 / 3.6, completedAtTarget: false, interrupted: true, effort: 6, backPain: 2,
      warningSigns: [.legWeakness, .radiatingPain], notes: "hilly")
    let saved = try db.addRun(run)
    #expect(saved.id == 1)
    let fetched = try db.runs()
    #expect(fetched.count == 1)
    var expected = run
    expected.id = 1
    #expect(fetched[0] == expected)
    #expect(fetched[0].warningSigns == "leg-weakness,radiating-pain")
    #expect(fetched[0].signs == [.legWeakness, .radiatingPain])
    #expect(
      fetched[0].checkIn
        == RunCheckIn(
          time: 1_767_225_600, completedAtTarget: false, effort: 6, backPain: 2,
          warningSigns: [.legWeakness, .radiatingPain], distanceMeters: 5_000, spm: 170, seconds: 1_800))
  }

  @Test func heardCadencePerMinuteIsStoredWithTheRun() throws {
    let db = try AppDatabase.inMemory()
    let heard = [
      HeardMinute(minute: 0, spm: 164.5), HeardMinute(minute: 1, spm: 166, offsetMs: 12.5, spreadMs: 20),
      HeardMinute(minute: 3, spm: 169.2),
    ]
    let run = try db.addRun(RunRecord(date: day0, source: .session, targetSPM: 170), heardPerMinute: heard)
    #expect(try db.heardCadence(runId: run.id!).map(\.heard) == heard)
  }

  @Test func oneActivePlanAndTheLatestMeasurement() throws {
    let db = try AppDatabase.inMemory()
    #expect(try db.activePlan() == nil)
    try db.startPlan(PlanSettings(startSPM: 160), at: day0)
    let second = try db.startPlan(
      PlanSettings(startSPM: 162, goalSPM: 175, speed: .kmh(10)), at: day0.addingTimeInterval(60))
    let active = try db.activePlan()
    #expect(active == second && active?.settings == PlanSettings(startSPM: 162, goalSPM: 175, speed: .kmh(10)))
    #expect(try db.latestMeasuredSPM() == nil)
    try db.addMeasurement(MeasurementRecord(date: day0, spm: 158, method: "manual"))
    try db.addRun(RunRecord(date: day0.addingTimeInterval(3_600), source: .log, measuredSPM: 161))
    #expect(try db.latestMeasuredSPM() == 161)
    try db.addMeasurement(MeasurementRecord(date: day0.addingTimeInterval(7_200), spm: 163, method: "manual"))
    #expect(try db.latestMeasuredSPM() == 163)
  }

  @Test func planEventsComeFromTheHistorySinceThePlan() throws {
    let db = try AppDatabase.inMemory()
    try db.addRun(RunRecord(date: day0.addingTimeInterval(-86_400), source: .log, effort: 5, backPain: 0))  // before
    let plan = try db.startPlan(PlanSettings(startSPM: 160), at: day0)
    try db.addRun(RunRecord(date: day0.addingTimeInterval(3_600), source: .log, effort: 5, backPain: 0))
    try db.addMeasurement(MeasurementRecord(date: day0.addingTimeInterval(7_200), spm: 161, method: "manual"))
    try db.addPlanEvent(PlanEventRecord(planId: plan.id!, date: day0.addingTimeInterval(10_800), kind: "resume"))
    let events = try db.planEvents(for: plan)
    #expect(events.map(\.time) == [1_767_229_200, 1_767_232_800, 1_767_236_400])
  }
}

@Suite struct ConcurrencyTests {
  /// Four writers, each with its own connection to the same file (as four cadence processes
  /// would have), 50 runs each: all 200 arrive, none lost, the file stays sound.
  @Test func concurrentWritersLoseNothing() throws {
    let path = scratchDatabasePath("concurrent")
    _ = try AppDatabase(path: path)
    let failures = Mutex<[String]>([])
    DispatchQueue.concurrentPerform(iterations: 4) { writer in
      do {
        let db = try AppDatabase(path: path)
        for i in 0..<50 {
          try db.addRun(
            RunRecord(date: day0.addingTimeInterval(Double(writer * 1_000 + i)), source: .log, notes: "w\(writer)"))
        }
      } catch {
        failures.withLock { $0.append("\(error)") }
      }
    }
    #expect(failures.withLock { $0 } == [])
    let db = try AppDatabase(path: path)
    let runs = try db.runs()
    #expect(runs.count == 200)
    #expect(Set(runs.compactMap(\.id)).count == 200)
    let check = try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA integrity_check") }
    #expect(check == "ok")
    let mode = try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
    #expect(mode == "wal")
  }

  @Test func defaultPathFollowsXDG() {
    #expect(
      defaultDatabasePath(environment: ["XDG_DATA_HOME": "/data", "HOME": "/home/r"]) == "/data/cadence/history.sqlite")
    #expect(defaultDatabasePath(environment: ["HOME": "/home/r"]) == "/home/r/.local/share/cadence/history.sqlite")
    #expect(
      defaultDatabasePath(environment: ["XDG_DATA_HOME": "relative", "HOME": "/home/r"])
        == "/home/r/.local/share/cadence/history.sqlite")
  }
}

/// The named, narrow reads the ledger and the commands use instead of loading whole tables.
@Suite struct NarrowReadTests {
  let hour: TimeInterval = 3_600

  @Test func previousTargetLastActivityAndImportedStarts() throws {
    let db = try AppDatabase.inMemory()
    #expect(try db.previousTarget() == nil && db.lastActivity(before: day0) == nil && db.importedStartTimes() == [])
    _ = try db.addRun(RunRecord(date: day0, source: .session, targetSPM: 165, completedAtTarget: true))
    _ = try db.addRun(
      RunRecord(date: day0.addingTimeInterval(2 * hour), source: .import, measuredSPM: 170, completedAtTarget: true))
    _ = try db.addRun(
      RunRecord(
        date: day0.addingTimeInterval(3 * hour), source: .report, completedAtTarget: false, warningSigns: [.legWeakness]
      ))
    _ = try db.addMeasurement(MeasurementRecord(date: day0.addingTimeInterval(4 * hour), spm: 171, method: "import"))
    _ = try db.addMeasurement(MeasurementRecord(date: day0.addingTimeInterval(5 * hour), spm: 172, method: "tap"))
    // The import has no target and the report is not a run: the session's 165 is the last target.
    #expect(try db.previousTarget() == 165)
    #expect(try db.lastActivity(before: day0.addingTimeInterval(10 * hour)) == day0.addingTimeInterval(5 * hour))
    #expect(
      try db.lastActivity(before: day0.addingTimeInterval(10 * hour), measurements: false)
        == day0.addingTimeInterval(3 * hour))
    #expect(try db.lastActivity(before: day0.addingTimeInterval(2 * hour)) == day0)
    #expect(try db.lastActivity(before: day0) == nil)
    // The imported measurement's start, and the imported run's (a short import has no measurement).
    #expect(try Set(db.importedStartTimes()) == [day0.addingTimeInterval(4 * hour), day0.addingTimeInterval(2 * hour)])
  }

  /// Only the rows from the plan's start up to now become its events, and only its resumes.
  @Test func planEventsReadTheWindowOnly() throws {
    let db = try AppDatabase.inMemory()
    _ = try db.addRun(RunRecord(date: day0, source: .log, targetSPM: 160, completedAtTarget: true))
    let plan = try db.startPlan(PlanSettings(startSPM: 160), at: day0.addingTimeInterval(hour))
    let inside = day0.addingTimeInterval(2 * hour)
    _ = try db.addRun(
      RunRecord(date: inside, source: .log, targetSPM: 160, completedAtTarget: true, effort: 5, backPain: 0))
    _ = try db.addMeasurement(MeasurementRecord(date: inside, spm: 161, method: "manual"))
    _ = try db.addRun(RunRecord(date: day0.addingTimeInterval(9 * hour), source: .log, completedAtTarget: true))
    try db.addPlanEvent(PlanEventRecord(planId: try #require(plan.id), date: inside, kind: "resume"))
    let events = try db.planEvents(for: plan, until: day0.addingTimeInterval(5 * hour))
    #expect(events.count == 3)
    #expect(events.contains(.measurement(time: Int64(inside.timeIntervalSince1970), spm: 161)))
    #expect(events.contains(.resume(time: Int64(inside.timeIntervalSince1970))))
    #expect(try db.planEvents(for: plan).count == 4)
  }
}

@Suite struct HistoryFolderTests {
  /// The folder a history is made in, for every shape of path (a one-letter name used to trap).
  @Test func theFolderOfEveryPath() {
    #expect(AppDatabase.folder(of: "a") == ".")
    #expect(AppDatabase.folder(of: "h.sqlite") == ".")
    #expect(AppDatabase.folder(of: "/a") == "/")
    #expect(AppDatabase.folder(of: "runs/h.sqlite") == "runs")
    #expect(AppDatabase.folder(of: "/home/r/.local/share/cadence/history.sqlite") == "/home/r/.local/share/cadence")
    #expect(AppDatabase.folder(of: "x/") == ".")
    #expect(AppDatabase.folder(of: "/") == "/")
  }
}
