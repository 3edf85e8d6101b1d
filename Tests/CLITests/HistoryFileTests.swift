import Foundation
import GRDB
import History
import Synchronization
import Testing

/// The history file under many processes, kill -9 while it is made, and a reader who may not
/// write it.
@Suite(.serialized) struct HistoryFileTests {
  /// Ten processes recording into a history that does not exist yet, ten times over: every one
  /// succeeds and every measurement is stored.
  @Test(.timeLimit(.minutes(2))) func tenProcessesOnANewHistory() throws {
    let dir = scratchDirectory("ten-new")
    for round in 0..<10 {
      let db = dir.appendingPathComponent("h\(round).sqlite").path
      let failed = Mutex<[String]>([])
      DispatchQueue.concurrentPerform(iterations: 10) { i in
        let result = try? cadence(["measure", "\(150 + i)", "--db", db], environment: ["TZ": "UTC"])
        if result?.status != 0 { failed.withLock { $0.append(result?.stderr ?? "did not run") } }
      }
      #expect(failed.withLock { $0 } == [], "round \(round)")
      #expect(Set(try AppDatabase(path: db).measurements().map(\.spm)) == Set((150..<160).map(Double.init)))
    }
  }

  /// kill -9 at moments spread over the making of a new history: every next command works.
  @Test(.timeLimit(.minutes(3))) func killNineWhileTheHistoryIsMade() throws {
    let dir = scratchDirectory("kill9-new")
    let db = dir.appendingPathComponent("h.sqlite").path
    var failures: [String] = []
    for k in 0..<200 {
      for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: db + suffix) }
      _ = try cadence(["measure", "165", "--db", db]) { process in
        usleep(useconds_t(k % 50) * 600)  // 0 to 29 ms: opening, creating, migrating, storing
        kill(process.processIdentifier, SIGKILL)
      }
      let next = try cadence(["measure", "166", "--db", db])
      if next.status != 0 { failures.append("after a kill at \(k % 50 * 600) µs: \(next.stderr)") }
    }
    #expect(failures == [])
  }

  /// A history the runner may read but not write (another user's, a read-only disk): history
  /// and plan read it; recording says why it cannot, exit 77; the file is unchanged and
  /// nothing is made beside it. As root the commands run as nobody (setpriv).
  @Test func aReadOnlyHistoryCanStillBeRead() throws {
    let dir = scratchDirectory("read-only-file")
    let db = dir.appendingPathComponent("h.sqlite").path
    let env = ["TZ": "UTC"]
    _ = try cadence(
      ["plan", "--current", "160", "--db", db], environment: env.merging(["CADENCE_NOW": "2026-01-01T08:00:00Z"]) { $1 }
    )
    _ = try cadence(
      ["log", "--minutes", "30", "--effort", "5", "--pain", "0", "--db", db],
      environment: env.merging(["CADENCE_NOW": "2026-01-01T09:00:00Z"]) { $1 })
    let before = try Data(contentsOf: URL(fileURLWithPath: db))
    guard let run = try readOnlyRunner(db: db, in: dir) else { return }
    defer { chmod(dir.path, 0o755) }
    let history = try run(["history"])
    #expect(history.status == 0, "\(history.stderr)")
    #expect(
      history.stdout.contains("1   2026-01-01  log   160     -         30:00  -   5       0"), "\(history.stdout)")
    let plan = try run(["plan"])
    #expect(
      plan.status == 0 && plan.stdout.hasPrefix("Cadence plan: 160 -> 170 spm, made 2026-01-01\n"), "\(plan.stderr)")
    let log = try run(["log", "--minutes", "20"])
    #expect(log.status == 77)
    #expect(
      log.stderr
        == "cadence: error: '\(db)' is read-only for you (the file or its folder): cadence history and cadence plan can read it, but nothing can be recorded in it\n  try: make the file and its folder writable, or pass --db with another path\n"
    )
    #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
    let beside = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    #expect(beside == ["cadence", "h.sqlite"])
  }

  /// A read-only history an older cadence wrote (a migration short): nothing can read it
  /// without updating it, so every command says so, exit 77, and the file stays as it was;
  /// once writable, any command updates it and goes on.
  @Test func aReadOnlyHistoryThatNeedsAnUpdateSaysSo() throws {
    let dir = scratchDirectory("read-only-old")
    let db = dir.appendingPathComponent("h.sqlite").path
    _ = try cadence(["plan", "--current", "160", "--db", db], environment: ["CADENCE_NOW": "2026-01-01T08:00:00Z"])
    let queue = try DatabaseQueue(path: db)
    try queue.write { try $0.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v5-imported-runs'") }
    try queue.close()
    let before = try Data(contentsOf: URL(fileURLWithPath: db))
    guard let run = try readOnlyRunner(db: db, in: dir) else { return }
    for arguments in [["history"], ["plan"]] {
      let result = try run(arguments)
      #expect(result.status == 77, "\(arguments): \(result.stderr)")
      #expect(
        result.stderr
          == "cadence: error: '\(db)' is read-only and was written by an older cadence, which this version must update first\n  try: make the file and its folder writable once (any cadence command updates it)\n"
      )
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
    chmod(dir.path, 0o755)
    chmod(db, 0o644)
    let updated = try cadence(["plan", "--db", db], environment: ["CADENCE_NOW": "2026-01-02T08:00:00Z"])
    #expect(updated.status == 0 && updated.stdout.hasPrefix("Cadence plan: 160 -> 170 spm"), "\(updated.stderr)")
  }

  /// Rows an older cadence stored without checking the date (year 99999, 1999, junk): every
  /// command still works, `history` says how many rows it does not show, and the rows stay.
  @Test func rowsWithDatesOutOfRangeNeverBreakTheHistory() throws {
    let r = Runner("old-dates")
    try r.run(["plan", "--current", "160"], at: "2026-01-01T08:00:00Z")
    try r.run(["log", "--minutes", "30", "--effort", "5", "--pain", "0"], at: "2026-01-01T09:00:00Z")
    let queue = try DatabaseQueue(path: r.db)
    try queue.write { db in
      for date in ["99999-01-01 00:00:00.000", "1999-12-31 09:00:00.000", "soon"] {
        try db.execute(
          sql:
            "INSERT INTO run (date, source, targetSPM, completedAtTarget, effort, backPain, warningSigns) VALUES (?, 'log', 160, 1, 5, 0, '')",
          arguments: [date])
      }
      try db.execute(
        sql: "INSERT INTO measurement (date, spm, method) VALUES ('99999-01-01 00:00:00.000', 150, 'manual')")
    }
    try queue.close()
    let history = try r.run(["history"], at: "2026-01-02T09:00:00Z")
    #expect(history.status == 0, "\(history.stderr)")
    #expect(history.stdout.hasPrefix("id  date        from  target"))
    #expect(
      history.stderr
        == "note: 4 rows of the history cannot be read (a date outside 2000-9999, or a value no cadence writes) and are not shown or counted; they are kept in the file as they are\n"
    )
    for arguments in [
      ["plan"], ["log", "--minutes", "20", "--effort", "5", "--pain", "0"], ["measure", "163"], ["history", "--json"],
    ] {
      let result = try r.run(arguments, at: "2026-01-02T09:00:00Z")
      #expect(result.status == 0, "\(arguments): \(result.stderr)")
    }
    // The newest readable measurement (163), not the year-99999 one, is the default current cadence.
    let plan = try r.run(["plan", "--goal", "170", "--new"], at: "2026-01-02T10:00:00Z")
    #expect(plan.stdout.contains("Cadence plan: 163 -> 170 spm"), "\(plan.stdout)")
    let count = try DatabaseQueue(path: r.db).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM run") }
    #expect(count == 5)
  }
}

/// Runs cadence on `db` as someone who may read it but not write it: as root, as nobody
/// (setpriv) with a copy of the binary any user can run; otherwise with the file and its folder
/// made read-only (the caller makes the folder writable again). Nil (an issue recorded) where
/// setpriv is missing.
func readOnlyRunner(db: String, in dir: URL) throws -> (([String]) throws -> RunResult)? {
  let binary = dir.appendingPathComponent("cadence").path
  try FileManager.default.copyItem(atPath: cadenceBinary, toPath: binary)
  var prefix: [String] = []
  if getuid() == 0 {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
      Issue.record("needs util-linux setpriv to run as another user")
      return nil
    }
    prefix = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
  } else {
    chmod(db, 0o444)
    chmod(dir.path, 0o555)
  }
  return { arguments in
    let command = prefix + [binary] + arguments + ["--db", db]
    // The copy was just written: a process forked meanwhile by a parallel test can hold its
    // write descriptor until that child execs, and exec then fails with ETXTBSY. Try again.
    var result: RunResult
    var tries = 0
    repeat {
      result = try cadence(
        Array(command.dropFirst()),
        environment: ["TZ": "UTC", "CADENCE_NOW": "2026-01-02T09:00:00Z", "HOME": dir.path], executable: command[0])
      tries += 1
      if result.status == 126 && result.stderr.contains("Text file busy") { usleep(100_000) } else { break }
    } while tries < 20
    return result
  }
}
