/// ISO 8601 dates and times as cadence reads them anywhere: typed options, `CADENCE_NOW`, the
/// clock, and the times in activity files.
///
/// Read byte by byte with every field checked before any arithmetic, so a hostile text cannot
/// crash, spin or overflow it: a fraction of any length keeps its first nine digits, a year
/// outside `years` is refused, and the whole text is bounded. It reads no locale.
public struct Timestamp: Equatable, Sendable {
  public var year: Int
  public var month: Int
  public var day: Int
  public var hour = 0
  public var minute = 0
  public var second = 0
  /// Nanoseconds, from the first nine digits of the fraction.
  public var nanosecond = 0
  /// The zone's offset from UTC in seconds (`Z` is 0), or nil for a local time.
  public var offsetSeconds: Int?
  /// A time was given, not only a date.
  public var hasTime = false

  /// [product choice] The years cadence accepts anywhere, the clock included: far enough back
  /// for any watch file (FIT counts from 1989) and ahead for any runner, and narrow enough that
  /// every date stays a four-digit year that SQLite and every calendar can read back.
  public static let years = 1970...2199

  /// The longest text read; anything longer is not a timestamp.
  public static let maximumLength = 64

  public init(year: Int, month: Int, day: Int) {
    self.year = year
    self.month = month
    self.day = day
  }

  /// "2026-11-20", "2026-11-20T07:30", "2026-11-20 07:30:15", "2026-11-20T07:30:15.250Z",
  /// "2026-11-20T07:30:15+01:00" (also +0100 and +01); nil for anything else.
  public init?(parsing text: some StringProtocol) {
    let bytes = Array(text.utf8)
    guard bytes.count >= 10, bytes.count <= Self.maximumLength else { return nil }
    var i = 0
    func number(_ digits: Int) -> Int? {
      guard i + digits <= bytes.count else { return nil }
      var value = 0
      for _ in 0..<digits {
        let b = bytes[i]
        guard b >= 48 && b <= 57 else { return nil }
        value = value * 10 + Int(b - 48)
        i += 1
      }
      return value
    }
    func take(_ c: UInt8) -> Bool {
      guard i < bytes.count, bytes[i] == c else { return false }
      i += 1
      return true
    }
    guard let year = number(4), take(45), let month = number(2), take(45), let day = number(2) else { return nil }
    self.init(year: year, month: month, day: day)
    if i < bytes.count {
      guard take(84) || take(116) || take(32) else { return nil }  // T, t or a space
      guard let hour = number(2), take(58), let minute = number(2) else { return nil }
      self.hour = hour
      self.minute = minute
      hasTime = true
      if take(58) {
        guard let second = number(2) else { return nil }
        self.second = second
        if take(46) || take(44) {  // a fraction after . or ,
          let start = i
          var nanos = 0
          while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
            if i - start < 9 { nanos = nanos * 10 + Int(bytes[i] - 48) }
            i += 1
          }
          guard i > start else { return nil }
          for _ in min(9, i - start)..<9 { nanos *= 10 }
          nanosecond = nanos
        }
      }
      if take(90) || take(122) {  // Z or z
        offsetSeconds = 0
      } else if i < bytes.count {
        let sign: Int
        if take(43) { sign = 1 } else if take(45) { sign = -1 } else { return nil }
        guard let hours = number(2) else { return nil }
        var minutes = 0
        if take(58) {
          guard let m = number(2) else { return nil }
          minutes = m
        } else if i < bytes.count {
          guard let m = number(2) else { return nil }
          minutes = m
        }
        guard hours <= 18, minutes <= 59 else { return nil }
        offsetSeconds = sign * (hours * 3600 + minutes * 60)
      }
    }
    guard i == bytes.count, isValid else { return nil }
  }

  /// Every field in range: the year in `years`, a real day of its month, a time of day.
  public var isValid: Bool {
    Self.years.contains(year) && (1...12).contains(month) && (1...Self.daysIn(month: month, year: year)).contains(day)
      && (0...23).contains(hour) && (0...59).contains(minute) && (0...59).contains(second)
      && (0..<1_000_000_000).contains(nanosecond)
  }

  public static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// Days from 1970-01-01 to this date, in the proleptic Gregorian calendar.
  public var daysSinceEpoch: Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// Seconds since 1970-01-01 UTC of the wall-clock reading, as if it were UTC.
  public var wallSeconds: Double {
    Double(daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second) + Double(nanosecond) / 1e9
  }

  /// Seconds since 1970-01-01 UTC, where the text gave a zone.
  public var secondsSince1970: Double? {
    offsetSeconds.map { wallSeconds - Double($0) }
  }

  /// Seconds since 1970-01-01 UTC, with a local time placed by `offset` (the zone's offset from
  /// UTC at a moment), read twice so a time near a change of offset lands on the right side.
  public func secondsSince1970(localOffset offset: (Double) -> Int) -> Double {
    if let exact = secondsSince1970 { return exact }
    let guess = wallSeconds - Double(offset(wallSeconds))
    return wallSeconds - Double(offset(guess))
  }

  /// True where `seconds` since 1970 falls in `years` (UTC), the bound every clock reading and
  /// stored date is held to.
  public static func isInRange(_ seconds: Double) -> Bool {
    seconds.isFinite && seconds >= lowestSeconds && seconds < highestSeconds
  }

  static let lowestSeconds = Double(Timestamp(year: years.lowerBound, month: 1, day: 1).daysSinceEpoch * 86_400)
  static let highestSeconds = Double(Timestamp(year: years.upperBound + 1, month: 1, day: 1).daysSinceEpoch * 86_400)
}
