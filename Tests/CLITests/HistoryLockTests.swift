import Foundation
import Testing

@testable import cadence

/// Another process holding the history's folder is waited for with a bound and a word, never
/// for ever (it used to hang `log`, `history` and `import` without a message).
@Suite struct HistoryLockTests {
  /// Holds the lock every cadence process takes on the history's folder, as another would.
  final class Holder: @unchecked Sendable {
    let fd: Int32
    init(_ folder: String) {
      fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
      flock(fd, LOCK_EX)
    }
    func release() { close(fd) }
  }

  @Test func aHistoryHeldElsewhereIsRefusedAfterTheWait() throws {
    let dir = scratchDirectory("history-held")
    let db = dir.appendingPathComponent("h.sqlite").path
    let holder = Holder(dir.path)
    defer { holder.release() }
    let result = try inProcess(["log", "--minutes", "5", "--db", db]) { $0.historyLockWaitSeconds = 1.5 }
    #expect(result.status == 75)
    #expect(
      result.stderr
        == "cadence: the history '\(db)' is in use by another process; waiting up to 1 s\n"
        + "cadence: error: the history '\(db)' is in use by another process: it stayed locked for 1 s; nothing was changed\n"
        + "  try: let the other program finish (or close it) and try again; `fuser -v '\(dir.path)' '\(db)'` shows what holds it\n"
    )
    #expect(result.stdout.isEmpty)
    #expect(!FileManager.default.fileExists(atPath: db))
  }

  @Test func aHistoryLetGoDuringTheWaitIsUsed() throws {
    let dir = scratchDirectory("history-let-go")
    let db = dir.appendingPathComponent("h.sqlite").path
    let holder = Holder(dir.path)
    Thread.detachNewThread {
      usleep(1_300_000)
      holder.release()
    }
    let result = try inProcess(
      ["log", "--minutes", "5", "--db", db], environment: ["CADENCE_NOW": "2026-03-01T08:00:00Z"]
    ) {
      $0.historyLockWaitSeconds = 5
    }
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr == "cadence: the history '\(db)' is in use by another process; waiting up to 5 s\n")
    #expect(result.stdout.hasPrefix("logged run on 2026-03-01, 5:00, no check-in"))
  }
}
