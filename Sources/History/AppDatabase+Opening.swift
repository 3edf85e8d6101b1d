import Foundation
import GRDB

extension AppDatabase {
  /// Opens (creating the file and its folder if needed) and migrates. An existing file is
  /// checked read-only first: one that is not a database, is damaged, belongs to another
  /// program, has tables its record of updates does not account for, or has migrations this
  /// version does not know is refused untouched (no `-wal` or `-shm` beside it). Processes
  /// opening the same new history queue on a lock of its folder, so exactly one of them creates
  /// the tables. A lock held by another process (that folder lock, or SQLite's own on the file)
  /// is waited for up to `lockWaitSeconds`, `waiting` told once with the holder when the wait
  /// has lasted a second, then refused.
  public init(
    path: String, lockWaitSeconds: Double = 10, waiting: @escaping (LockHolder?) -> Void = { _ in }
  ) throws(HistoryError) {
    try Self.checkLink(path)
    let folder = Self.folder(of: path)
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw .cannotOpen(path: path, reason: "cannot create the folder '\(folder)'")
    }
    let wait = LockWait(path: path, seconds: lockWaitSeconds, tell: waiting)
    let lock = try FolderLock(folder, path: path, wait: wait)
    defer { lock.release() }
    if FileManager.default.fileExists(atPath: path) {
      guard access(path, R_OK) == 0 else { throw .unreadable(path: path) }
      guard access(path, W_OK) == 0 && access(folder, W_OK) == 0 else { throw .readOnly(path: path) }
      try Self.preflight(path, wait: wait)
    }
    var config = Configuration()
    config.busyMode = wait.busyMode
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
    } catch {
      throw Self.classify(error, path, wait: wait)
    }
    try self.init(path: path, writer: queue, wait: wait)
  }

  /// For commands that only read: a history this process cannot write (a read-only file or
  /// folder) is opened read-only, as long as it needs no update; any other is opened as by
  /// `init(path:)`.
  public init(
    readingOnly path: String, lockWaitSeconds: Double = 10, waiting: @escaping (LockHolder?) -> Void = { _ in }
  ) throws(HistoryError) {
    try Self.checkLink(path)
    if FileManager.default.fileExists(atPath: path) && access(path, R_OK) != 0 { throw .unreadable(path: path) }
    guard access(path, W_OK) != 0 || access(Self.folder(of: path), W_OK) != 0 else {
      try self.init(path: path, lockWaitSeconds: lockWaitSeconds, waiting: waiting)
      return
    }
    let wait = LockWait(path: path, seconds: lockWaitSeconds, tell: waiting)
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
    config.busyMode = wait.busyMode
    do {
      try Self.inspect(target, named: path, wait: wait)
      let queue = try DatabaseQueue(path: target, configuration: config)
      let current = try queue.read { try Self.migrator.hasCompletedMigrations($0) }
      guard current else { throw HistoryError.readOnlyNeedsUpdate(path: path) }
      try self.init(path: path, writer: queue, migrating: false, wait: wait)
    } catch {
      throw Self.classify(error, path, wait: wait)
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
  static func preflight(_ path: String, wait: LockWait) throws(HistoryError) {
    // A FIFO or device would block SQLite's open forever, or be written through.
    var status = stat()
    if stat(path, &status) == 0 && (status.st_mode & S_IFMT) != S_IFREG {
      throw HistoryError.cannotOpen(path: path, reason: "it is not a regular file (a folder, FIFO or device)")
    }
    if let format = unknownSchemaFormat(path) { throw HistoryError.unknownFormat(path: path, format: format) }
    do {
      try inspect(quietTarget(path), named: path, wait: wait)
    } catch let error as DatabaseError
      where error.resultCode == .SQLITE_READONLY && FileManager.default.fileExists(atPath: path + "-journal")
    {
      try rollBackHotJournal(path, wait: wait)
      do {
        try inspect(path, wait: wait)
      } catch HistoryError.foreign {
        throw HistoryError.foreign(path: path, rolledBack: true)
      } catch {
        throw classify(error, path, wait: wait)
      }
    } catch {
      throw classify(error, path, wait: wait)
    }
  }

  /// The schema format number in an SQLite header (bytes 44-47) where it is not one SQLite
  /// writes (0-4; 0 for an empty file): SQLite's own word for it is "unsupported file format". Nil for a file too
  /// short to have a header, or whose first bytes are not SQLite's.
  static func unknownSchemaFormat(_ path: String) -> Int? {
    guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    guard let header = try? handle.read(upToCount: 48), header.count == 48,
      header.prefix(16) == Data("SQLite format 3\u{0}".utf8)
    else { return nil }
    let format = header[44..<48].reduce(0) { $0 << 8 | Int($1) }
    return (0...4).contains(format) ? nil : format
  }

  /// A history given as a symbolic link is used through it where its target's folder exists
  /// (SQLite creates the target there); a link that loops, or points into a missing folder, is
  /// refused before SQLite sees it.
  public static func checkLink(_ path: String) throws(HistoryError) {
    var status = stat()
    guard lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFLNK else { return }
    if stat(path, &status) == 0 { return }
    if errno == ELOOP { throw .badLink(path: path, reason: "it is a symbolic link that loops") }
    let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
    let resolved = target.hasPrefix("/") ? target : folder(of: path) + "/" + target
    var folderStatus = stat()
    if stat(folder(of: resolved), &folderStatus) != 0 {
      throw .badLink(path: path, reason: "it is a symbolic link to '\(target)', in a folder that does not exist")
    }
  }

  /// Checks the database at `target` (a path or URI) read-only: intact, cadence's, not newer.
  /// Errors name `path`.
  private static func inspect(_ target: String, named path: String? = nil, wait: LockWait) throws {
    let path = path ?? target
    var config = Configuration()
    config.readonly = true
    config.busyMode = wait.busyMode
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
      if let finding = try SchemaCheck.finding(db) { throw HistoryError.inconsistent(path: path, finding: finding) }
    }
  }

  private static func rollBackHotJournal(_ path: String, wait: LockWait) throws(HistoryError) {
    var config = Configuration()
    config.busyMode = wait.busyMode
    do {
      // Reading through a writable connection makes SQLite roll the journal back.
      _ = try DatabaseQueue(path: path, configuration: config).read {
        try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master")
      }
    } catch {
      throw classify(error, path, wait: wait)
    }
  }

  /// An error met while opening, in the history's own words. SQLite's result codes say what
  /// happened: a full disk, a lock held past the wait, a file that is not a database.
  static func classify(_ error: any Error, _ path: String, wait: LockWait) -> HistoryError {
    if let error = error as? HistoryError { return error }
    if let error = error as? DatabaseError, let known = classify(error, path, wait: wait) { return known }
    return .cannotOpen(path: path, reason: "\(error)")
  }

  /// SQLite's result codes that have words of their own; nil for the rest.
  static func classify(_ error: DatabaseError, _ path: String, wait: LockWait) -> HistoryError? {
    switch error.resultCode {
    case .SQLITE_NOTADB, .SQLITE_CORRUPT: .notADatabase(path: path)
    case .SQLITE_FULL: .diskFull(path: path)
    case .SQLITE_BUSY, .SQLITE_LOCKED: .busy(path: path, seconds: wait.seconds, holder: wait.finalHolder())
    // A write, fsync or the -shm file's growth that fails on a disk with (almost) no room
    // left comes back as an I/O error rather than SQLITE_FULL.
    case .SQLITE_IOERR where freeBytes(folder(of: path)).map { $0 < nearlyFullBytes } ?? false: .diskFull(path: path)
    default: nil
    }
  }

  /// [product choice] Below this much free space, an I/O error is told as a full disk.
  static let nearlyFullBytes: UInt64 = 1 << 20

  /// The bytes an unprivileged user can still write in `folder`'s filesystem.
  static func freeBytes(_ folder: String) -> UInt64? {
    var status = statvfs()
    guard statvfs(folder, &status) == 0 else { return nil }
    return UInt64(status.f_bavail) * UInt64(status.f_frsize)
  }
}

/// An exclusive flock(2) on a folder, so that processes opening the same new history take
/// turns. A lock on the folder, not on the database file: closing another descriptor of the
/// database would drop SQLite's own POSIX locks on it. Where the folder cannot be opened, no
/// lock (SQLite's busy handler still queues writers).
struct FolderLock {
  private let fd: Int32

  /// Takes the lock on `folder`, waiting as `wait` says (a word after a second, then up to its
  /// bound): a lock held for ever is refused, not waited on.
  init(_ folder: String, path: String, wait: LockWait) throws(HistoryError) {
    fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return }
    var attempt = 0
    while flock(fd, LOCK_EX | LOCK_NB) != 0 {
      guard errno == EWOULDBLOCK || errno == EINTR else { return }
      guard wait.keepWaiting(attempt: attempt) else {
        close(fd)
        throw .busy(path: path, seconds: wait.seconds, holder: wait.finalHolder())
      }
      attempt += 1
    }
  }

  func release() {
    if fd >= 0 { close(fd) }
  }
}
