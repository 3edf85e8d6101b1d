import CadenceCore
import Foundation

/// "2026-11-20" (local midnight), "2026-11-20T07:30" (local) or full ISO 8601 with a zone, in
/// `Timestamp.years`; nil for anything else.
public func parseDate(_ text: String) -> Date? {
  guard let stamp = Timestamp(parsing: text) else { return nil }
  let zone = TimeZone.current
  let seconds = stamp.secondsSince1970 { zone.secondsFromGMT(for: Date(timeIntervalSince1970: $0)) }
  return Timestamp.isInRange(seconds) ? Date(timeIntervalSince1970: seconds) : nil
}

public func dayString(_ date: Date) -> String {
  let f = DateFormatter()
  f.locale = Locale(identifier: "en_US_POSIX")
  f.timeZone = TimeZone.current
  f.dateFormat = "yyyy-MM-dd"
  return f.string(from: date)
}

public func dayString(_ seconds: Int64) -> String { dayString(Date(timeIntervalSince1970: TimeInterval(seconds))) }

public func isoString(_ date: Date) -> String {
  let f = ISO8601DateFormatter()
  f.timeZone = TimeZone.current
  return f.string(from: date)
}

/// The earliest date cadence stores: 2000-01-01, local time.
public let earliestDate: Date = parseDate("2000-01-01") ?? Date(timeIntervalSince1970: 946_684_800)

/// Pads `cells` into aligned columns, two spaces apart.
public func columns(_ rows: [[String]]) -> String {
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
public func json<T: Encodable>(_ value: T) -> String {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
  encoder.dateEncodingStrategy = .iso8601
  return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
}
