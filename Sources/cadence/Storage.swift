import ArgumentParser
import CadenceCore
import Foundation
import History

/// `--db PATH`: the history database, shared by every command that reads or writes it.
struct StorageOptions: ParsableArguments {
  @Option(help: ArgumentHelp("History database (default: $XDG_DATA_HOME/cadence/history.sqlite).", valueName: "path"))
  var db: String?

  var path: String { db ?? defaultDatabasePath() }

  func open() throws(CLIError) -> AppDatabase {
    do {
      return try AppDatabase(path: path)
    } catch {
      throw CLIError.history(error)
    }
  }
}

extension CLIError {
  static func history(_ error: HistoryError) -> CLIError {
    switch error {
    case .notADatabase:
      CLIError(
        message: error.description, hint: "move the file aside (nothing was changed), or pass --db with another path",
        code: .dataError)
    case .newerSchema:
      CLIError(
        message: error.description, hint: "use the newer cadence, or pass --db with another path", code: .dataError)
    case .cannotOpen, .failed:
      CLIError(
        message: error.description, hint: "check the folder is writable and has space, or pass --db with another path",
        code: .ioError)
    }
  }
}

/// The current time; `CADENCE_NOW` (ISO 8601) pins it, for reproducible tests and examples.
func currentDate() -> Date {
  if let pinned = ProcessInfo.processInfo.environment["CADENCE_NOW"], let date = parseDate(pinned) { return date }
  return Date()
}

/// "2026-11-20" (local midnight), "2026-11-20T07:30" (local) or full ISO 8601 with a zone.
func parseDate(_ text: String) -> Date? {
  let full = ISO8601DateFormatter()
  if let d = full.date(from: text) { return d }
  let local = DateFormatter()
  local.locale = Locale(identifier: "en_US_POSIX")
  local.timeZone = TimeZone.current
  for format in ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"] {
    local.dateFormat = format
    if let d = local.date(from: text) { return d }
  }
  return nil
}

func dayString(_ date: Date) -> String {
  let f = DateFormatter()
  f.locale = Locale(identifier: "en_US_POSIX")
  f.timeZone = TimeZone.current
  f.dateFormat = "yyyy-MM-dd"
  return f.string(from: date)
}

func dayString(_ seconds: Int64) -> String { dayString(Date(timeIntervalSince1970: TimeInterval(seconds))) }

func isoString(_ date: Date) -> String {
  let f = ISO8601DateFormatter()
  f.timeZone = TimeZone.current
  return f.string(from: date)
}

/// Pads `cells` into aligned columns, two spaces apart.
func columns(_ rows: [[String]]) -> String {
  guard let width = rows.map(\.count).max() else { return "" }
  var widths = [Int](repeating: 0, count: width)
  for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
  return rows.map { row in
    row.enumerated().map { i, cell in
      i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
    }
    .joined(separator: "  ")
  }.joined(separator: "\n")
}

/// JSON with sorted keys, pretty-printed: stable for scripts and tests.
func json<T: Encodable>(_ value: T) -> String {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
  encoder.dateEncodingStrategy = .iso8601
  return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
}
