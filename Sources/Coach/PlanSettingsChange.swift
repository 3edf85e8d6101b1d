import CadenceCore
import Foundation
import History

/// Settings of the active plan that change in place (`cadence plan set`): they do not change
/// the ladder, so the rung reached, its dates and the runs stay.
public struct PlanSettingsChange: Equatable, Sendable {
  public var baselinePain: Int?
  public var holdDays: Int?
  public var holdRuns: Int?
  public var speed: Speed?

  public init(baselinePain: Int? = nil, holdDays: Int? = nil, holdRuns: Int? = nil, speed: Speed? = nil) {
    self.baselinePain = baselinePain
    self.holdDays = holdDays
    self.holdRuns = holdRuns
    self.speed = speed
  }

  public var isEmpty: Bool { baselinePain == nil && holdDays == nil && holdRuns == nil && speed == nil }

  /// `plan` with the changes, and one line per setting that changed ("baseline back pain 0 -> 1").
  public func applied(to plan: PlanRecord, units: UnitSystem = .metric) throws(CoachError) -> (PlanRecord, [String]) {
    var changed = plan
    var lines: [String] = []
    if let baselinePain, baselinePain != plan.baselinePain {
      changed.baselinePain = baselinePain
      lines.append("baseline back pain \(plan.baselinePain)/10 -> \(baselinePain)/10")
    }
    if let holdDays, holdDays != plan.holdDays {
      changed.holdDays = holdDays
      lines.append("hold \(plan.holdDays) -> \(holdDays) days per rung")
    }
    if let holdRuns, holdRuns != plan.holdRuns {
      changed.holdRuns = holdRuns
      lines.append("hold \(plan.holdRuns) -> \(holdRuns) runs per rung")
    }
    if let speed, speed.metersPerSecond != plan.speedMetersPerSecond {
      changed.speedMetersPerSecond = speed.metersPerSecond
      lines.append("treadmill speed \(plan.settings.speed.map(units.speed) ?? "none") -> \(units.speed(speed))")
    }
    do {
      _ = try Ladder.rungs(changed.settings)
    } catch {
      throw .settings(error)
    }
    return (changed, lines)
  }
}

/// Changes the active plan's settings in place. Returns what changed (one line per setting;
/// none when the plan already had them) and the plan as it now stands.
public func changePlanSettings(
  _ change: PlanSettingsChange, db: AppDatabase, now: Date, units: UnitSystem = .metric
) throws(CoachError) -> (changes: [String], report: PlanReport) {
  guard let plan = try fromHistory(db.activePlan()) else { throw .noPlan }
  let (changed, lines) = try change.applied(to: plan, units: units)
  if !lines.isEmpty { try fromHistory(db.updatePlan(changed)) }
  var report = try PlanReport(plan: changed, db: db, now: now)
  report.units = units
  return (lines, report)
}

/// The line that says what `changePlanSettings` did.
public func describeSettingsChanges(_ changes: [String]) -> String {
  changes.isEmpty
    ? "Nothing to change: the plan already has these settings."
    : "Plan changed in place (its rungs, dates and runs stay): " + changes.joined(separator: "; ") + "."
}
