import Foundation
import GRDB
import History
import Testing

@testable import cadence

/// Histories that SQLite alone would answer in its own words ("table runCadence already
/// exists", "unsupported file format", "database is locked", "disk I/O error"): each is told
/// as what happened and what to do, with the file left byte for byte as it was.
@Suite struct HistoryWordsTests {
  static let now = ["CADENCE_NOW": "2026-12-01T10:00:00Z"]

  /// A history with one logged run and one measurement, as cadence writes it.
  func history(_ name: String) throws -> (dir: URL, db: String) {
    let dir = scratchDirectory("words-\(name)")
    let db = dir.appendingPathComponent("h.sqlite").path
    #expect(try inProcess(["log", "--minutes", "20", "--db", db], environment: Self.now).status == 0)
    #expect(try inProcess(["measure", "165", "--db", db], environment: Self.now).status == 0)
    return (dir, db)
  }

  func sql(_ db: String, _ statements: String) throws {
    let queue = try DatabaseQueue(path: db)
    try queue.writeWithoutTransaction { try $0.execute(sql: statements) }
    try queue.close()
    // Back to one file, as a history is kept: no write-ahead log beside it.
    for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
  }

  func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

  static let schemaCases: [(String, String, String)] = [
    (
      "missing-v3-row", "DELETE FROM grdb_migrations WHERE identifier = 'v3-heard-cadence-per-minute'",
      "the table 'runCadence' exists though the update that adds it ('v3-heard-cadence-per-minute') is not recorded"
    ),
    (
      "extra-v7-row",
      "ALTER TABLE run DROP COLUMN pausedSeconds; DELETE FROM grdb_migrations WHERE identifier = 'v6-footfall-timing'",
      "the table 'run' lacks its column 'pausedSeconds'"
    ),
    (
      "missing-last-row", "DELETE FROM grdb_migrations WHERE identifier = 'v7-paused-time'",
      "the column 'run.pausedSeconds' exists though the update that adds it ('v7-paused-time') is not recorded"
    ),
    (
      "missing-v3-to-v7", "DELETE FROM grdb_migrations WHERE identifier >= 'v3'",
      "the table 'runCadence' exists though the update that adds it ('v3-heard-cadence-per-minute') is not recorded"
    ),
    ("dropped-column", "ALTER TABLE run DROP COLUMN pausedSeconds", "the table 'run' lacks its column 'pausedSeconds'"),
    ("dropped-table", "DROP TABLE runCadence", "the table 'runCadence' is missing"),
  ]

  /// A record of updates that disagrees with the tables: refused before the migrator or a
  /// read fails half-way, for commands that write and for those that only read.
  @Test(arguments: schemaCases)
  func tablesThatDisagreeWithTheRecordOfUpdates(_ name: String, _ change: String, _ finding: String) throws {
    let (dir, db) = try history(name)
    try sql(db, change)
    let before = bytes(db)
    for arguments in [["log", "--minutes", "5"], ["history"], ["plan", "--current", "160"], ["measure", "170"]] {
      let result = try inProcess(arguments + ["--db", db], environment: Self.now)
      #expect(result.status == 65, "\(arguments)")
      #expect(
        result.stderr
          == "cadence: error: the history '\(db)' does not match its own record of updates (\(finding)); it was left untouched\n"
          + "  try: keep this file as it is and start a fresh history with --db and a new path, or restore a backup; "
          + "sqlite3 '\(db)' .schema shows its tables\n", "\(arguments)")
      #expect(bytes(db) == before)
      #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["h.sqlite"])
    }
  }

  /// Schema format 9 in the header (SQLite writes 1-4): SQLite's "unsupported file format"
  /// becomes words.
  @Test func anUnknownSchemaFormat() throws {
    let (_, db) = try history("format-9")
    let handle = try #require(FileHandle(forUpdatingAtPath: db))
    try handle.seek(toOffset: 44)
    try handle.write(contentsOf: Data([0, 0, 0, 9]))
    try handle.close()
    let before = bytes(db)
    for arguments in [["log", "--minutes", "5"], ["history"]] {
      let result = try inProcess(arguments + ["--db", db], environment: Self.now)
      #expect(result.status == 65)
      #expect(
        result.stderr
          == "cadence: error: '\(db)' names SQLite schema format 9 in its header, which SQLite does not know (0-4): "
          + "the file is damaged or not a history; it was left untouched\n"
          + "  try: move the file aside (nothing was changed), or pass --db with another path\n")
      #expect(bytes(db) == before)
    }
  }

  /// A row no cadence writes (an unknown source, an effort that is not a number) no longer
  /// makes every command fail: the rest is shown, counted and planned from, and the row is kept.
  @Test func oneUndecodableRowLeavesTheRestReadable() throws {
    let (_, db) = try history("undecodable")
    try sql(
      db,
      "INSERT INTO run (date, source, completedAtTarget, warningSigns, durationSeconds) "
        + "VALUES ('2026-11-30 09:00:00.000', 'bike', 1, '', 600);"
        + "INSERT INTO measurement (date, spm, method) VALUES ('2026-11-29 09:00:00.000', 'fast', 'manual')")
    let history = try inProcess(["history", "--db", db], environment: Self.now)
    #expect(history.status == 0)
    #expect(
      history.stdout.hasPrefix(
        "id  date        from  target  measured  time   km  effort  pain  notes\n1   2026-12-01  log "))
    #expect(!history.stdout.contains("bike"))
    #expect(
      history.stderr
        == "note: 2 rows of the history cannot be read (a date outside 2000-9999, or a value no cadence writes) "
        + "and are not shown or counted; they are kept in the file as they are\n")
    let measurements = try inProcess(["history", "--measurements", "--json", "--db", db], environment: Self.now)
    #expect(measurements.status == 0)
    #expect(measurements.stdout.contains("\"spm\" : 165"))
    let plan = try inProcess(["plan", "--db", db, "--baseline-pain", "0"], environment: Self.now)
    #expect(plan.status == 0, "\(plan.stderr)")
    #expect(plan.stdout.contains("165"))
    #expect(try inProcess(["log", "--minutes", "5", "--new", "--db", db], environment: Self.now).status == 0)
    let kept = try DatabaseQueue(path: db).read { try String.fetchAll($0, sql: "SELECT source FROM run ORDER BY id") }
    #expect(kept == ["log", "bike", "log"])
  }

  /// A byte above 0x7F where a date's digit should be (a bit flipped on the disk; the matrix
  /// found it) trapped in GRDB's date parser for every command: such a plan or run is skipped
  /// and counted, and the rest is read.
  @Test func aHighByteInADateIsSkippedNotACrash() throws {
    let (_, db) = try history("high-byte")
    #expect(
      try inProcess(["plan", "--current", "160", "--baseline-pain", "0", "--db", db], environment: Self.now).status == 0
    )
    try sql(
      db,
      "UPDATE plan SET createdAt = CAST(x'323032362D31322D303120309F3A30303A30302E303030' AS TEXT);"
        + "INSERT INTO run (date, source, completedAtTarget, warningSigns) "
        + "VALUES (CAST(x'32303236ff30352D30322030383A30303A30302E303030' AS TEXT), 'log', 1, '')")
    let history = try inProcess(["history", "--json", "--db", db], environment: Self.now)
    #expect(history.status == 0, "\(history.stderr)")
    #expect(history.stdout.contains("\"minutes\" : 20"))
    #expect(history.stderr.hasPrefix("note: 2 rows of the history cannot be read"))
    let plan = try inProcess(["plan", "--db", db], environment: Self.now)
    #expect(plan.status == 0, "\(plan.stderr)")
  }

  /// A --db that is a symbolic link: into a folder that exists, it is written through and stays
  /// a link; into a missing folder, or looping, it is refused before SQLite sees it.
  @Test func symbolicLinksAsTheHistory() throws {
    let dir = scratchDirectory("words-links")
    let through = dir.appendingPathComponent("through").path
    let target = dir.appendingPathComponent("target.sqlite").path
    try FileManager.default.createSymbolicLink(atPath: through, withDestinationPath: target)
    #expect(try inProcess(["history", "--db", through], environment: Self.now).status == 0)
    #expect(!FileManager.default.fileExists(atPath: target))
    #expect(try inProcess(["log", "--minutes", "5", "--db", through], environment: Self.now).status == 0)
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: through) == target)
    #expect(try AppDatabase(path: target).runs().count == 1)

    let dangling = dir.appendingPathComponent("dangling").path
    try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "/nonexistent-folder/h.sqlite")
    let loop1 = dir.appendingPathComponent("loop1").path
    let loop2 = dir.appendingPathComponent("loop2").path
    try FileManager.default.createSymbolicLink(atPath: loop1, withDestinationPath: loop2)
    try FileManager.default.createSymbolicLink(atPath: loop2, withDestinationPath: loop1)
    let hint =
      "  try: point the link at a file in an existing folder (ln -sfn), remove it, or pass --db with another path\n"
    for arguments in [["log", "--minutes", "5"], ["history"], ["plan"]] {
      let missing = try inProcess(arguments + ["--db", dangling], environment: Self.now)
      #expect(missing.status == 73)
      #expect(
        missing.stderr
          == "cadence: error: the history '\(dangling)' cannot be used: it is a symbolic link to "
          + "'/nonexistent-folder/h.sqlite', in a folder that does not exist\n" + hint)
      let looping = try inProcess(arguments + ["--db", loop1], environment: Self.now)
      #expect(looping.status == 73)
      #expect(
        looping.stderr == "cadence: error: the history '\(loop1)' cannot be used: it is a symbolic link that loops\n"
          + hint)
    }
    #expect(!FileManager.default.fileExists(atPath: "/nonexistent-folder"))
  }

  /// Another program holding SQLite's own lock (an exclusive transaction, or a POSIX lock on
  /// the whole file): waited for with the holder named, then refused, the file unchanged.
  @Test(arguments: [
    ("exclusive", "import sqlite3\nc = sqlite3.connect(DB, isolation_level=None)\nc.execute('BEGIN EXCLUSIVE')"),
    ("posix", "import fcntl\nf = open(DB, 'r+')\nfcntl.lockf(f, fcntl.LOCK_EX)"),
  ])
  func anSQLiteLockHeldByAnotherProgram(_ name: String, _ hold: String) throws {
    let (dir, db) = try history("lock-\(name)")
    let before = bytes(db)
    let ready = dir.appendingPathComponent("ready").path
    let holder = Process()
    holder.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    holder.arguments = [
      "-c", "DB = \(pythonString(db))\n\(hold)\nopen(\(pythonString(ready)), 'w').close()\nimport time\ntime.sleep(30)",
    ]
    try holder.run()
    defer {
      holder.terminate()
      holder.waitUntilExit()
    }
    for _ in 0..<200 where !FileManager.default.fileExists(atPath: ready) { usleep(20_000) }
    let pid = holder.processIdentifier
    let arguments = name == "posix" ? ["history"] : ["log", "--minutes", "5"]
    let result = try inProcess(arguments + ["--db", db], environment: Self.now) { $0.historyLockWaitSeconds = 1.5 }
    #expect(result.status == 75)
    #expect(
      result.stderr
        == "cadence: the history '\(db)' is in use by pid \(pid) (python3); waiting up to 1 s\n"
        + "cadence: error: the history '\(db)' is in use by pid \(pid) (python3): it stayed locked for 1 s; nothing was changed\n"
        + "  try: let pid \(pid) (python3) finish (or close it) and try again; "
        + "`fuser -v '\(dir.path)' '\(db)'` shows what holds it\n")
    #expect(result.stdout.isEmpty)
    #expect(bytes(db) == before)
  }

  /// A disk with 0, 8 or 40 kB left (a tmpfs of 512 kB, filled): each write either lands or is
  /// told as a full disk, and the history stays whole either way. Needs root to mount.
  @Test(.enabled(if: getuid() == 0, "mounting a small tmpfs needs root (CI runs as root)"), arguments: [0, 8, 40])
  func aFullDisk(kilobytesLeft: Int) throws {
    let dir = scratchDirectory("full-\(kilobytesLeft)")
    let mount = dir.appendingPathComponent("disk").path
    try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
    #expect(try run("/usr/bin/mount", ["-t", "tmpfs", "-o", "size=512k", "tmpfs", mount]) == 0)
    defer { _ = try? run("/usr/bin/umount", [mount]) }
    let db = mount + "/h.sqlite"
    #expect(try inProcess(["log", "--minutes", "20", "--db", db], environment: Self.now).status == 0)
    let fill = mount + "/fill"
    let free = Int(try #require(freeKilobytes(mount)))
    #expect(FileManager.default.createFile(atPath: fill, contents: Data(count: max(0, free - kilobytesLeft) * 1024)))
    let before = bytes(db)
    let result = try inProcess(["log", "--minutes", "5", "--new", "--db", db], environment: Self.now)
    try FileManager.default.removeItem(atPath: fill)
    if result.status == 0 {
      #expect(result.stdout.hasPrefix("logged run on 2026-12-01, 5:00"))
    } else {
      #expect(result.status == 74)
      #expect(
        result.stderr
          == "cadence: error: there is no room left on the disk that holds the history '\(db)': nothing was stored, "
          + "and the history is as it was\n"
          + "  try: free some space on that disk (df -h '\(mount)' shows it) and run the command again\n")
      #expect(bytes(db) == before)
    }
    let check = try AppDatabase(path: db)
    #expect(try check.integrityCheck() == "ok")
    #expect(try check.runs().count == (result.status == 0 ? 2 : 1))
    if kilobytesLeft == 0 { #expect(result.status == 74) }
  }

  /// A history this user may not read: said as such, exit 77, not as read-only or SQLite's
  /// "unable to open". As root the command runs as nobody (setpriv).
  @Test func anUnreadableHistory() throws {
    let (dir, db) = try history("unreadable")
    let before = bytes(db)
    chmod(db, 0o000)
    defer { chmod(db, 0o644) }
    var prefix: [String] = []
    if getuid() == 0 {
      prefix = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
      chmod(dir.path, 0o777)
    }
    let binary = dir.appendingPathComponent("cadence").path
    try FileManager.default.copyItem(atPath: cadenceBinary, toPath: binary)
    for arguments in [["history"], ["log", "--minutes", "5"]] {
      let command = prefix + [binary] + arguments + ["--db", db]
      let home = ["HOME": dir.path, "XDG_CONFIG_HOME": dir.path + "/.config", "XDG_DATA_HOME": dir.path + "/.data"]
      let result = try cadence(
        Array(command.dropFirst()), environment: Self.now.merging(home) { $1 }, executable: command[0])
      #expect(result.status == 77, "\(result.stderr)")
      #expect(
        result.stderr
          == "cadence: error: '\(db)' cannot be read by you (its permissions): nothing was changed\n"
          + "  try: make it readable (chmod u+rw '\(db)'), or pass --db with another path\n")
    }
    chmod(db, 0o644)
    #expect(bytes(db) == before)
  }

  private func pythonString(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
  }

  private func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
  }

  private func freeKilobytes(_ path: String) -> UInt64? {
    var status = statvfs()
    guard statvfs(path, &status) == 0 else { return nil }
    return UInt64(status.f_bavail) * UInt64(status.f_frsize) / 1024
  }
}
