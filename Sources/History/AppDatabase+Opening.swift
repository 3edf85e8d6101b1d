import Foundation
import GRDB

extension AppDatabase {
  /// Opens (creating the file and its folder if needed) and migrates. An existing file is
  /// checked read-only first: one that is not a database, is damaged, belongs to another
  /// program, or has migrations this version does not know is refused untouched (no `-wal` or
  /// `-shm` beside it). Processes opening the same new history queue on a lock of its folder,
  /// so exactly one of them creates the tables. Another process holding that lock is waited
  /// for up to `lockWaitSeconds` (`waiting` is told once, when the wait begins), then refused.
  public init(path: String, lockWaitSeconds: Double = 10, waiting: () -> Void = {}) throws(HistoryError) {
    let folder = Self.folder(of: path)
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw .cannotOpen(path: path, reason: "cannot create the folder '\(folder)'")
    }
    let lock = try FolderLock(folder, path: path, seconds: lockWaitSeconds, waiting: waiting)
    defer { lock.release() }
    if FileManager.default.fileExists(atPath: path) {
      guard access(path, W_OK) == 0 && access(folder, W_OK) == 0 else { throw .readOnly(path: path) }
      try Self.preflight(path)
    }
    var config = Configuration()
    config.busyMode = .timeout(10)
    // One connection in WAL mode, set here rather than by a DatabasePool: a pool creates and
    // drops a table on every open (to leave a non-empty -wal behind), which rewrote the
    // schema cookie and so the file's header even for commands that only read. Switching an
    // existing WAL file to WAL writes nothing.
    config.prepareDatabase { db in
      guard try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") == "wal" else {
        throw DatabaseError(message: "could not switch the history to WAL mode")
      }
      try db.execute(sql: "PRAGMA synchronous = NORMAL")
    }
    let queue: DatabaseQueue
    do {
      queue = try DatabaseQueue(path: path, configuration: config)
    } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
      throw .notADatabase(path: path)
    } catch {
      throw .cannotOpen(path: path, reason: "\(error)")
    }
    try self.init(path: path, writer: queue)
  }

  /// For commands that only read: a history this process cannot write (a read-only file or
  /// folder) is opened read-only, as long as it needs no update; any other is opened as by
  /// `init(path:)`.
  public init(readingOnly path: String) throws(HistoryError) {
    guard access(path, W_OK) != 0 || access(Self.folder(of: path), W_OK) != 0 else {
      try self.init(path: path)
      return
    }
    // SQLite cannot open a WAL database read-only without creating its index beside it; with
    // no write-ahead log left (a clean close removes it), the file alone holds every row and
    // SQLite's `immutable` open reads it with no locks and no files created.
    let target = Self.quietTarget(path)
    var status = stat()
    if stat(path, &status) == 0 && (status.st_mode & S_IFMT) != S_IFREG {
      throw HistoryError.cannotOpen(path: path, reason: "it is not a regular file (a folder, FIFO or device)")
    }
    var config = Configuration()
    config.readonly = true
    config.busyMode = .timeout(10)
    do {
      try Self.inspect(target, named: path)
      let queue = try DatabaseQueue(path: target, configuration: config)
      let current = try queue.read { try Self.migrator.hasCompletedMigrations($0) }
      guard current else { throw HistoryError.readOnlyNeedsUpdate(path: path) }
      try self.init(path: path, writer: queue, migrating: false)
    } catch {
      throw Self.classify(error, path)
    }
  }

  /// Where to look at `path` without writing beside it: opening a WAL database, even
  /// read-only, creates its `-wal` and `-shm` files. When neither a write-ahead log nor a
  /// journal holds anything, the main file is the whole database and an `immutable` open reads
  /// it alone; otherwise the path itself (the companions are there already).
  static func quietTarget(_ path: String) -> String {
    func holdsData(_ suffix: String) -> Bool {
      ((try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? Int) ?? 0) > 0
    }
    return holdsData("-wal") || holdsData("-journal") ? path : immutableURI(path)
  }

  /// `path` as an SQLite URI opened `immutable`.
  static func immutableURI(_ path: String) -> String {
    var encoded = ""
    for c in path {
      switch c {
      case "%": encoded += "%25"
      case "?": encoded += "%3f"
      case "#": encoded += "%23"
      default: encoded.append(c)
      }
    }
    return "file:\(encoded)?immutable=1"
  }

  /// The folder a history file is in: "." for a bare name. Not NSString's
  /// deletingLastPathComponent, which traps on a one-character relative path ("a").
  public static func folder(of path: String) -> String {
    var trimmed = Substring(path)
    while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    guard let slash = trimmed.lastIndex(of: "/") else { return "." }
    return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
  }

  /// Looks at an existing file read-only, so that a damaged, foreign or newer database is
  /// refused before anything (even switching to WAL mode) writes to it. A hot journal left by a
  /// process killed mid-write is rolled back first, as any SQLite program does on opening.
  static func preflight(_ path: String) throws(HistoryError) {
    // A FIFO or device would block SQLite's open forever, or be written through.
    var status = stat()
    if stat(path, &status) == 0 && (status.st_mode & S_IFMT) != S_IFREG {
      throw HistoryError.cannotOpen(path: path, reason: "it is not a regular file (a folder, FIFO or device)")
    }
    do {
      try inspect(quietTarget(path), named: path)
    } catch let error as DatabaseError
      where error.resultCode == .SQLITE_READONLY && FileManager.default.fileExists(atPath: path + "-journal")
    {
      try rollBackHotJournal(path)
      do {
        try inspect(path)
      } catch HistoryError.foreign {
        throw HistoryError.foreign(path: path, rolledBack: true)
      } catch {
        throw classify(error, path)
      }
    } catch {
      throw classify(error, path)
    }
  }

  /// Checks the database at `target` (a path or URI) read-only: intact, cadence's, not newer.
  /// Errors name `path`.
  private static func inspect(_ target: String, named path: String? = nil) throws {
    let path = path ?? target
    var config = Configuration()
    config.readonly = true
    config.busyMode = .timeout(10)
    try DatabaseQueue(path: target, configuration: config).read { db in
      // The whole check, not quick_check: quick_check does not compare indexes with their
      // tables, and a history whose index misses rows was written to. A history is small (a
      // decade of runs is a few MB), so the check takes milliseconds.
      let check = try String.fetchAll(db, sql: "PRAGMA integrity_check(5)")
      let tables = try String.fetchAll(
        db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      guard check == ["ok"] else {
        guard tables.contains("grdb_migrations") else { throw HistoryError.notADatabase(path: path) }
        throw HistoryError.damaged(path: path, finding: check.first ?? "not ok")
      }
      guard tables.contains("grdb_migrations") else {
        // An empty file (a new history, or one whose creation was cut short) is fine.
        if !tables.isEmpty { throw HistoryError.foreign(path: path, rolledBack: false) }
        return
      }
      let known = try migrator.hasBeenSuperseded(db) == false
      guard known else { throw HistoryError.newerSchema(path: path) }
    }
  }

  private static func rollBackHotJournal(_ path: String) throws(HistoryError) {
    var config = Configuration()
    config.busyMode = .timeout(10)
    do {
      // Reading through a writable connection makes SQLite roll the journal back.
      _ = try DatabaseQueue(path: path, configuration: config).read {
        try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master")
      }
    } catch {
      throw classify(error, path)
    }
  }

  private static func classify(_ error: any Error, _ path: String) -> HistoryError {
    if let error = error as? HistoryError { return error }
    if let error = error as? DatabaseError, error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
      return .notADatabase(path: path)
    }
    return .cannotOpen(path: path, reason: "\(error)")
  }
}

/// An exclusive flock(2) on a folder, so that processes opening the same new history take
/// turns. A lock on the folder, not on the database file: closing another descriptor of the
/// database would drop SQLite's own POSIX locks on it. Where the folder cannot be opened, no
/// lock (SQLite's busy timeout still queues writers).
struct FolderLock {
  private let fd: Int32

  /// Takes the lock on `folder`, trying every 50 ms for up to `seconds`; `waiting` is told once
  /// when another process has held it for a second (processes opening one history at once wait
  /// far less, and say nothing). Bounded: a lock held for ever is refused, not waited on.
  init(_ folder: String, path: String, seconds: Double, waiting: () -> Void) throws(HistoryError) {
    fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return }
    let tries = max(1, Int((seconds / 0.05).rounded(.up)))
    for attempt in 0...tries {
      if flock(fd, LOCK_EX | LOCK_NB) == 0 { return }
      guard errno == EWOULDBLOCK || errno == EINTR else { return }
      if attempt == min(20, tries) { waiting() }
      if attempt < tries { usleep(50_000) }
    }
    close(fd)
    throw .busy(path: path, seconds: seconds)
  }

  func release() {
    if fd >= 0 { close(fd) }
  }
}
