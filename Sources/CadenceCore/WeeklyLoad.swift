/// Calendar weeks, Monday 00:00 to Sunday 24:00 in the runner's local time, for the training
/// load rules of domain.md ("10% rule: raise weekly distance by no more than 10%"; "The
/// longest run should not exceed 25% of the weekly distance"). `utcOffset` gives the local
/// offset from UTC, in seconds, at a moment (daylight saving moves it).
public struct Weeks: Sendable {
  public var utcOffset: @Sendable (Int64) -> Int64

  public init(utcOffset: @escaping @Sendable (Int64) -> Int64 = { _ in 0 }) {
    self.utcOffset = utcOffset
  }

  static let length: Int64 = 7 * Training.secondsPerDay
  /// 1970-01-05, the first Monday after the epoch.
  static let firstMonday: Int64 = 4 * Training.secondsPerDay

  /// The calendar week `time` falls in (0 is the week of 1970-01-05).
  public func week(of time: Int64) -> Int64 {
    let local = time + utcOffset(time) - Self.firstMonday
    return local >= 0 ? local / Self.length : (local - Self.length + 1) / Self.length
  }

  /// When `week` starts, as a moment (its Monday 00:00 local).
  public func start(of week: Int64) -> Int64 {
    let local = week * Self.length + Self.firstMonday
    return local - utcOffset(local)
  }

  /// This week so far against last week. Last week must lie wholly within the plan (a plan's
  /// first days are no rise over the days before it), and every run of both weeks must have a
  /// distance: a week with some distances missing cannot be compared.
  public func load(_ runs: [RunCheckIn], at time: Int64, planStart: Int64) -> WeeklyLoad {
    let thisWeek = week(of: time)
    guard start(of: thisWeek - 1) >= planStart else { return .notEnoughWeeks }
    let this = runs.filter { week(of: $0.time) == thisWeek && $0.time <= time }
    let last = runs.filter { week(of: $0.time) == thisWeek - 1 }
    let missing = (this + last).filter { $0.distanceMeters == nil }.count
    if missing > 0 { return .cannotJudge(runsWithoutDistance: missing) }
    let lastMeters = last.compactMap(\.distanceMeters).reduce(0, +)
    guard lastMeters > 0 else { return .notEnoughWeeks }
    return .compared(thisWeek: this.compactMap(\.distanceMeters).reduce(0, +), lastWeek: lastMeters)
  }

  /// Last calendar week's longest run and the week's distance, when every run of it has one.
  public func longestRun(_ runs: [RunCheckIn], at time: Int64) -> LongestRun? {
    let last = runs.filter { week(of: $0.time) == week(of: time) - 1 }
    let meters = last.compactMap(\.distanceMeters)
    guard !last.isEmpty, meters.count == last.count, let longest = meters.max() else { return nil }
    let total = meters.reduce(0, +)
    return total > 0 ? LongestRun(meters: longest, weekMeters: total, runs: last.count) : nil
  }
}

/// Last week's longest run and the week's distance.
public struct LongestRun: Sendable, Equatable {
  public var meters: Double
  public var weekMeters: Double
  /// The week's runs: with n of them the longest is at least 1/n of the week [arithmetic],
  /// so the 25% advice can only be followed at 4 or more.
  public var runs: Int = 4

  public init(meters: Double, weekMeters: Double, runs: Int = 4) {
    self.meters = meters
    self.weekMeters = weekMeters
    self.runs = runs
  }

  /// What the articles' 25% says of this week, after "was N% of the week's ..." ("" when within).
  public var advice: String {
    guard share > Training.longestRunShare + 1e-9 else { return "" }
    return runs < 4
      ? "; with \(runs) run\(runs == 1 ? "" : "s") a week it cannot be under 25% (the articles' most, which needs 4 or more runs a week)"
      : "; the articles advise at most 25%"
  }

  public var share: Double { meters / weekMeters }
}

/// This week's distance against last week's (the 10% rule).
public enum WeeklyLoad: Sendable, Equatable {
  case compared(thisWeek: Double, lastWeek: Double)
  /// Some runs of this week or last have no distance.
  case cannotJudge(runsWithoutDistance: Int)
  /// No full week in the plan before this one, or no distance last week.
  case notEnoughWeeks
}

extension Training {
  /// domain.md, "Training load": "The longest run should not exceed 25% of the weekly distance".
  public static let longestRunShare = 0.25
}
