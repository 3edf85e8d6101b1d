import Foundation
import GRDB

/// A process holding a lock on the history: its pid and, where /proc shows it, its name.
public struct LockHolder: Equatable, Sendable, CustomStringConvertible {
  public let pid: Int32
  public let name: String?

  public var description: String { name.map { "pid \(pid) (\($0))" } ?? "pid \(pid)" }

  /// The first process the kernel lists (/proc/locks) as holding a lock on any of `paths`
  /// (the history's folder for cadence's own lock; the database and its -shm file for
  /// SQLite's), other than this one. Bounded: at most 1 MB of /proc/locks is read.
  static func find(_ paths: [String], locks: String? = nil) -> LockHolder? {
    let keys = Set(paths.compactMap(inodeKey))
    guard !keys.isEmpty else { return nil }
    let table = locks ?? readBounded("/proc/locks", limit: 1 << 20)
    for line in table.split(separator: "\n") {
      // "1: POSIX  ADVISORY  WRITE 1234 00:2f:5678 0 EOF" (a "->" line is a waiter).
      let fields = line.split(separator: " ", omittingEmptySubsequences: true)
      guard fields.count >= 6, fields[1] != "->", let pid = Int32(fields[4]), pid > 0, keys.contains(String(fields[5]))
      else { continue }
      if pid == getpid() && locks == nil { continue }
      let name = readBounded("/proc/\(pid)/comm", limit: 64).trimmingCharacters(in: .whitespacesAndNewlines)
      return LockHolder(pid: pid, name: name.isEmpty ? nil : name)
    }
    return nil
  }

  /// "maj:min:inode" as /proc/locks writes it (hexadecimal device numbers, decimal inode).
  static func inodeKey(_ path: String) -> String? {
    var status = stat()
    guard stat(path, &status) == 0 else { return nil }
    let dev = UInt64(status.st_dev)
    let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~UInt64(0xfff))
    let minor = (dev & 0xff) | ((dev >> 12) & ~UInt64(0xff))
    return String(format: "%02llx:%02llx:%llu", major, minor, UInt64(status.st_ino))
  }

  private static func readBounded(_ path: String, limit: Int) -> String {
    guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
    defer { try? handle.close() }
    let data = (try? handle.read(upToCount: limit)) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }
}

/// How long the history's locks are waited for, and the one word said when a wait begins:
/// cadence's own lock on the folder and SQLite's locks on the file share it. `tell` is called
/// at most once, after a second of waiting, with the holder where the kernel names one.
///
/// Unchecked Sendable: SQLite calls the busy handler on the database's own queue while the
/// thread that opened or wrote waits for it, so the state is never touched by two threads at
/// once.
public final class LockWait: @unchecked Sendable {
  public let seconds: Double
  private let tell: (LockHolder?) -> Void
  private var told = false
  private var started: ContinuousClock.Instant?
  private(set) var holder: LockHolder?
  let paths: [String]

  /// A second of waiting before a word: processes opening one history at once wait far less.
  static let quietSeconds = 1.0

  public init(path: String, seconds: Double, tell: @escaping (LockHolder?) -> Void) {
    self.seconds = seconds
    self.tell = tell
    paths = [AppDatabase.folder(of: path), path, path + "-shm"]
  }

  /// Called while a lock is held elsewhere, `attempt` counting from 0 in each wait; sleeps and
  /// returns true to try again, or false once `seconds` have passed.
  func keepWaiting(attempt: Int) -> Bool {
    let now = ContinuousClock.now
    if attempt == 0 || started == nil { started = now }
    let elapsed = (started ?? now).duration(to: now).components
    let waited = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    if waited >= seconds { return false }
    if waited >= Self.quietSeconds && !told {
      told = true
      holder = LockHolder.find(paths)
      tell(holder)
    }
    usleep(20_000)
    return true
  }

  /// The holder named when the wait ended (looked up again if no word was said).
  func finalHolder() -> LockHolder? {
    holder ?? LockHolder.find(paths)
  }

  /// SQLite's busy handler over this wait.
  var busyMode: Database.BusyMode {
    .callback { [self] attempt in keepWaiting(attempt: attempt) }
  }

}
