import AudioTestSupport
import Foundation
import Testing

@testable import CadenceCore

@Suite struct TimestampTests {
  /// Seconds since 1970 taken from Python's datetime.fromisoformat(...).timestamp().
  @Test(arguments: [
    ("2026-01-01T09:00:00Z", 1_767_258_000.0),
    ("2024-02-29T23:59:59+00:00", 1_709_251_199.0),
    ("1970-01-01T00:00:00Z", 0.0),
    ("2199-12-31T23:59:59Z", 7_258_118_399.0),
    ("2026-11-20T07:30:15.25+01:00", 1_795_156_215.25),
    ("2026-11-20T07:30:15,25+0100", 1_795_156_215.25),
    ("2026-11-20t06:30:15.250z", 1_795_156_215.25),
    ("2026-11-20T08:30:15.25+02", 1_795_156_215.25),
  ])
  func readsWhatPythonReads(text: String, seconds: Double) throws {
    let stamp = try #require(Timestamp(parsing: text))
    #expect(stamp.secondsSince1970 == seconds)
  }

  /// A fraction of any length (the import's SIGFPE) keeps nine digits; no arithmetic overflows.
  @Test func aFractionOfAnyLengthIsBounded() throws {
    let stamp = try #require(Timestamp(parsing: "2026-01-01T09:00:00.99999999999999999999Z"))
    #expect(stamp.nanosecond == 999_999_999)
    #expect(stamp.secondsSince1970 == 1_767_258_000.999_999_999)
    #expect(Timestamp(parsing: "2026-01-01T09:00:00." + String(repeating: "9", count: 60) + "Z") == nil)
  }

  @Test(arguments: [
    "", "2026", "2026-1-01", "2026-02-30", "2025-02-29", "1969-12-31", "2200-01-01", "10000-01-01",
    "2026-01-01T24:00", "2026-01-01T09:60", "2026-01-01T09:00:60Z", "2026-01-01T09:00:00.Z",
    "2026-01-01T09:00:00+19:00", "2026-01-01T09:00:00+01:60", "2026-01-01T09:00:00 Z", "2026-01-01T9:00",
    "２０２６-01-01", "2026-01-01T09:00:00Zjunk", "-2026-01-01", "+2026-01-01",
  ])
  func refuses(text: String) {
    #expect(Timestamp(parsing: text) == nil)
  }

  /// Local times are placed by the zone's offset at that moment: both sides of a change.
  @Test func aLocalTimeTakesTheOffsetOfItsMoment() throws {
    let change = 1_774_746_000.0  // 2026-03-29T01:00:00Z: Europe's clocks go from +1 to +2
    let offset: (Double) -> Int = { $0 < change ? 3600 : 7200 }
    let before = try #require(Timestamp(parsing: "2026-03-29T01:30"))
    let after = try #require(Timestamp(parsing: "2026-03-29T04:00"))
    #expect(before.secondsSince1970(localOffset: offset) == change - 1800)
    #expect(after.secondsSince1970(localOffset: offset) == change + 3600)  // 02:00Z
    let day = try #require(Timestamp(parsing: "2026-03-29"))
    #expect(!day.hasTime)
    #expect(day.secondsSince1970(localOffset: offset) == change - 7200)  // 23:00Z the day before
  }

  /// Every valid date from a seeded generator agrees with Foundation's Gregorian calendar, and
  /// mutated texts never crash and never give a date outside the years.
  @Test func agreesWithFoundationAndSurvivesMutation() throws {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
    var rng = SeededGenerator(seed: 0x7153)
    for _ in 0..<3000 {
      let year = Int.random(in: Timestamp.years, using: &rng)
      let month = Int.random(in: 1...12, using: &rng)
      let day = Int.random(in: 1...Timestamp.daysIn(month: month, year: year), using: &rng)
      let (h, m, s) = (
        Int.random(in: 0...23, using: &rng), Int.random(in: 0...59, using: &rng), Int.random(in: 0...59, using: &rng)
      )
      let text = String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, h, m, s)
      let expected = try #require(
        calendar.date(from: DateComponents(year: year, month: month, day: day, hour: h, minute: m, second: s)))
      #expect(Timestamp(parsing: text)?.secondsSince1970 == expected.timeIntervalSince1970, "\(text)")
      var bytes = Array(text.utf8)
      for _ in 0..<Int.random(in: 1...4, using: &rng) {
        let at = Int.random(in: 0..<bytes.count, using: &rng)
        bytes[at] = UInt8.random(in: 0...255, using: &rng)
      }
      if let mutated = Timestamp(parsing: String(decoding: bytes, as: UTF8.self)) {
        #expect(mutated.isValid)
        #expect(Timestamp.isInRange(mutated.wallSeconds))
      }
    }
  }
}
