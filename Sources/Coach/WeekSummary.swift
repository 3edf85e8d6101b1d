import CadenceCore
import Foundation
import History

/// `cadence week`: this calendar week so far and the one before, side by side, with the
/// training-load rules of domain.md worked out ("10% rule: raise weekly distance by no more
/// than 10%"; "The longest run should not exceed 25% of the weekly distance").
public struct WeekSummary: Encodable {
  public struct Week: Encodable, Equatable {
    /// Its Monday, local.
    public var starts: String
    public var runs: Int
    public var minutes: Double
    public var distanceKm: Double
    /// Runs that have no distance (the total leaves them out).
    public var runsWithoutDistance: Int
    public var longestKm: Double?
    /// The highest back pain checked in.
    public var highestPain: Int?
    public var warningSigns: [String]

    enum CodingKeys: String, CodingKey {
      case starts, runs, minutes, distanceKm, runsWithoutDistance, longestKm, highestPain, warningSigns
    }

    /// Every key, null where not known, as history --json.
    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(starts, forKey: .starts)
      try c.encode(runs, forKey: .runs)
      try c.encode(minutes, forKey: .minutes)
      try c.encode(distanceKm, forKey: .distanceKm)
      try c.encode(runsWithoutDistance, forKey: .runsWithoutDistance)
      try c.encode(longestKm, forKey: .longestKm)
      try c.encode(highestPain, forKey: .highestPain)
      try c.encode(warningSigns, forKey: .warningSigns)
    }
  }

  public var thisWeek: Week
  public var lastWeek: Week
  /// The most this week may reach by the 10% rule, when last week has a distance.
  public var tenPercentLineKm: Double?

  enum CodingKeys: String, CodingKey { case thisWeek, lastWeek, tenPercentLineKm }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(thisWeek, forKey: .thisWeek)
    try c.encode(lastWeek, forKey: .lastWeek)
    try c.encode(tenPercentLineKm, forKey: .tenPercentLineKm)
  }

  public init(runs: [RunRecord], now: Date, weeks: Weeks = localWeeks) {
    let time = Int64(now.timeIntervalSince1970)
    let current = weeks.week(of: time)
    func week(_ index: Int64) -> Week {
      let stored = runs.filter {
        let t = Int64($0.date.timeIntervalSince1970)
        return weeks.week(of: t) == index && t <= time
      }
      let these = stored.filter { $0.source != .report }
      let meters = these.compactMap(\.distanceMeters)
      return Week(
        starts: dayString(weeks.start(of: index)), runs: these.count,
        minutes: ((these.compactMap(\.durationSeconds).reduce(0, +) / 6).rounded()) / 10,
        distanceKm: (meters.reduce(0, +) / 10).rounded() / 100, runsWithoutDistance: these.count - meters.count,
        longestKm: meters.max().map { ($0 / 10).rounded() / 100 }, highestPain: these.compactMap(\.backPain).max(),
        warningSigns: WarningSign.allCases.filter { sign in stored.contains { $0.signs.contains(sign) } }.map(
          \.rawValue))
    }
    thisWeek = week(current)
    lastWeek = week(current - 1)
    tenPercentLineKm =
      lastWeek.distanceKm > 0 && lastWeek.runsWithoutDistance == 0
      ? (lastWeek.distanceKm * (1 + Training.weeklyDistanceRiseFraction) * 100).rounded() / 100 : nil
  }

  /// The two weeks as a table, then what the rules say.
  public func lines(units: UnitSystem) -> [String] {
    func km(_ value: Double) -> String { units.distance(meters: value * 1000, digits: 1) }
    func row(_ label: String, _ w: Week) -> [String] {
      [
        label, w.starts, "\(w.runs)", clock(w.minutes * 60),
        km(w.distanceKm) + (w.runsWithoutDistance > 0 ? " (+\(w.runsWithoutDistance) without)" : ""),
        w.longestKm.map(km) ?? "-", w.highestPain.map { "\($0)/10" } ?? "-",
        w.warningSigns.isEmpty ? "" : "WARNING: " + w.warningSigns.joined(separator: ", "),
      ]
    }
    var lines = [
      columns([
        ["", "from", "runs", "time", "distance", "longest", "pain", ""], row("this week", thisWeek),
        row("last week", lastWeek),
      ])
    ]
    if let line = tenPercentLineKm {
      let left = max(0, line - thisWeek.distanceKm)
      lines.append(
        "10% rule: at most \(km(line)) this week (last week \(km(lastWeek.distanceKm)) + 10%); "
          + (thisWeek.distanceKm > line + 1e-9 ? "this week is over it." : "\(km(left)) left."))
    } else if lastWeek.runsWithoutDistance > 0 {
      lines.append(
        "10% rule: last week has \(lastWeek.runsWithoutDistance) run\(lastWeek.runsWithoutDistance == 1 ? "" : "s") "
          + "without a distance, so this week's line cannot be drawn.")
    } else {
      lines.append("10% rule: no distance last week, so no line for this week.")
    }
    if let longest = lastWeek.longestKm, lastWeek.distanceKm > 0, lastWeek.runsWithoutDistance == 0 {
      let share = Int((longest / lastWeek.distanceKm * 100).rounded())
      let advice = LongestRun(meters: longest * 1000, weekMeters: lastWeek.distanceKm * 1000, runs: lastWeek.runs)
        .advice
      lines.append(
        "Last week's longest run, \(km(longest)), was \(share)% of its \(km(lastWeek.distanceKm))" + advice + ".")
    }
    return lines
  }
}
