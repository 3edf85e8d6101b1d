import Foundation

/// "2026-11-20" (local midnight), "2026-11-20T07:30" (local) or full ISO 8601 with a zone.
public func parseDate(_ text: String) -> Date? {
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
