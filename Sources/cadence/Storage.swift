import ArgumentParser
import CadenceCore
import Coach
import Foundation
import History
import LiveRun
import Settings

/// `--db PATH`: the history database, shared by every command that reads or writes it.
struct StorageOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp("History database (default: $XDG_DATA_HOME/cadence/history.sqlite).", valueName: "path"),
    completion: Completions.history)
  var db: String?

  var path: String { db ?? defaultDatabasePath() }

  /// The history if it exists: commands that only read never create the file.
  /// A history this process may not write is opened read-only.
  func openIfExists() throws(UserError) -> AppDatabase? {
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    do {
      return try AppDatabase(readingOnly: path)
    } catch {
      throw UserError.history(error)
    }
  }

  /// The history if it exists, to write to.
  func openExisting() throws(UserError) -> AppDatabase? {
    FileManager.default.fileExists(atPath: path) ? try open() : nil
  }

  func open() throws(UserError) -> AppDatabase {
    do {
      return try AppDatabase(path: path)
    } catch {
      throw UserError.history(error)
    }
  }
}

/// How the runner wants speeds and distances shown: the config's speed_unit (miles with "mph").
func displayUnits() throws(UserError) -> UnitSystem {
  try Config.load().units
}
