import ArgumentParser
import Foundation
import History

/// `--db PATH`: the history database, shared by every command that reads or writes it.
struct StorageOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp("History database (default: $XDG_DATA_HOME/cadence/history.sqlite).", valueName: "path"),
    completion: Completions.history)
  var db: String?

  func path(_ context: CommandContext) -> String { db ?? context.defaultHistoryPath }

  /// The history if it exists: commands that only read never create the file.
  /// A history this process may not write is opened read-only.
  func openIfExists(_ context: CommandContext) throws(HistoryError) -> AppDatabase? {
    let path = path(context)
    guard fileExists(path) else { return nil }
    return try AppDatabase(readingOnly: path)
  }

  /// The history if it exists, to write to.
  func openExisting(_ context: CommandContext) throws(HistoryError) -> AppDatabase? {
    fileExists(path(context)) ? try open(context) : nil
  }

  func open(_ context: CommandContext) throws(HistoryError) -> AppDatabase {
    try AppDatabase(path: path(context))
  }

  private func fileExists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
}
