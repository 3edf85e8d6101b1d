import ArgumentParser
import Foundation
import History

/// `--db PATH`: the history database, shared by every command that reads or writes it.
struct StorageOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp("History database (default: $XDG_DATA_HOME/cadence/history.sqlite).", valueName: "path"),
    completion: Completions.history)
  var db: String?

  /// A path SQLite is never handed when it cannot be a history file.
  func validate() throws {
    guard let db else { return }
    if db.isEmpty { throw ValidationError("--db needs the path of a history file, like ~/runs/history.sqlite") }
    if db == "-" {
      throw ValidationError(
        "--db - would be a file named '-', not standard input or output; give a path, like ./history.sqlite")
    }
    let last = db.split(separator: "/").last.map(String.init) ?? ""
    if db.hasSuffix("/") || last == "." || last == ".." || last.isEmpty {
      throw ValidationError(
        "--db '\(db)' names a folder; give a file in it, like \(db.hasSuffix("/") ? db : db + "/")history.sqlite")
    }
  }

  func path(_ context: CommandContext) -> String { db ?? context.defaultHistoryPath }

  /// The history if it exists: commands that only read never create the file.
  /// A history this process may not write is opened read-only.
  func openIfExists(_ context: CommandContext) throws(HistoryError) -> AppDatabase? {
    let path = path(context)
    guard fileExists(path) else {
      try AppDatabase.checkLink(path)
      return nil
    }
    return try AppDatabase(
      readingOnly: path, lockWaitSeconds: context.historyLockWaitSeconds, waiting: waitingWord(path, context))
  }

  /// The history if it exists, to write to.
  func openExisting(_ context: CommandContext) throws(HistoryError) -> AppDatabase? {
    guard fileExists(path(context)) else {
      try AppDatabase.checkLink(path(context))
      return nil
    }
    return try open(context)
  }

  func open(_ context: CommandContext) throws(HistoryError) -> AppDatabase {
    let path = path(context)
    return try AppDatabase(
      path: path, lockWaitSeconds: context.historyLockWaitSeconds, waiting: waitingWord(path, context))
  }

  /// Said once, when another process has held the history for a second.
  private func waitingWord(_ path: String, _ context: CommandContext) -> (LockHolder?) -> Void {
    { holder in
      context.note(
        "cadence: the history '\(path)' is in use by \(holder.map { "\($0)" } ?? "another process"); "
          + "waiting up to \(Int(context.historyLockWaitSeconds)) s")
    }
  }

  private func fileExists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
}
