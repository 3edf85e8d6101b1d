/// A run as the planner sees it (from a session, `cadence play --log` or `cadence log`).
public struct RunCheckIn: Sendable, Equatable {
  /// Seconds since 1970 (UTC).
  public var time: Int64
  /// Ran the whole run at the click's cadence.
  public var completedAtTarget: Bool
  /// 1 (very easy) to 10 (maximal); nil if not asked.
  public var effort: Int?
  /// 0 (none) to 10 (worst); nil if not asked.
  public var backPain: Int?
  public var warningSigns: Set<WarningSign>
  public var distanceMeters: Double?
  /// The cadence the run was at (the click it was played to, or `log --cadence`); nil for a
  /// run logged against the plan without one, which is taken to be at the rung.
  public var spm: Double?
  /// How long it ran (without pauses), s; nil where not known (a run logged without its time).
  public var seconds: Double?

  /// Advancing is earned: only a run with a check-in (effort and back pain) counts towards a
  /// rung. One without still counts towards weekly distance.
  public var isCheckedIn: Bool { effort != nil && backPain != nil }

  public init(
    time: Int64, completedAtTarget: Bool, effort: Int? = nil, backPain: Int? = nil,
    warningSigns: Set<WarningSign> = [], distanceMeters: Double? = nil, spm: Double? = nil, seconds: Double? = nil
  ) {
    self.seconds = seconds
    self.time = time
    self.completedAtTarget = completedAtTarget
    self.effort = effort
    self.backPain = backPain
    self.warningSigns = warningSigns
    self.distanceMeters = distanceMeters
    self.spm = spm
  }

  /// At `rung`'s cadence, within `Training.rungToleranceSPM`.
  public func isAt(_ rung: Double) -> Bool {
    guard let spm else { return true }
    return abs(spm - rung) <= Training.rungToleranceSPM + 1e-9
  }
}

/// Everything that moves a plan, in time order.
public enum PlanEvent: Sendable, Equatable {
  case run(RunCheckIn)
  /// A new measurement of the runner's cadence (lets a new phase start).
  case measurement(time: Int64, spm: Double)
  /// `cadence plan resume`, after a warning sign paused the plan.
  case resume(time: Int64)
  /// Warning signs reported on their own, not with a run (domain.md: "A warning sign is
  /// reported on its own: it must never need a full check-in to be heard").
  case warningSigns(time: Int64, Set<WarningSign>)

  public var time: Int64 {
    switch self {
    case .run(let r): r.time
    case .measurement(let t, _), .resume(let t), .warningSigns(let t, _): t
    }
  }
}

/// Why the current rung has not unlocked the next.
public enum HoldReason: Sendable, Equatable, CustomStringConvertible {
  case days(done: Int, needed: Int)
  case runs(done: Int, needed: Int)
  case notCompleted(runs: Int)
  case effortTooHigh(runs: Int)
  case painAboveBaseline(runs: Int)
  case painRose(points: Int)
  case weeklyDistanceRose(percent: Int)
  case remeasure(phase: Int)
  /// Checked-in runs at this rung's time that were not at its cadence.
  case offRung(runs: Int, rung: Double)
  /// The re-measure at a phase boundary did not reach the rung held.
  case remeasureShort(measured: Double, needed: Double)
  /// Checked-in runs at this rung's time shorter than `Training.shortestCountingMinutes`.
  case tooShort(runs: Int)

  public var description: String {
    switch self {
    case .days(let done, let needed): "\(done) of \(needed) days at this cadence"
    case .runs(let done, let needed): "\(done) of \(needed) runs at this cadence"
    case .notCompleted(let n): "\(n) of the recent runs were not completed at the target cadence"
    case .effortTooHigh(let n):
      "effort was above \(Training.manageableEffort)/10 (a product choice) on \(n) of the recent runs"
    case .painAboveBaseline(let n): "back pain was above your baseline on \(n) of the recent runs"
    case .painRose(let p):
      "back pain was \(p) points above your baseline on the last run (\(Training.painRiseThatHolds)+ holds the rung, a product choice)"
    case .weeklyDistanceRose(let p):
      "this week's distance is \(p)% above last week's (more than the 10% rule allows): one change at a time, so the cadence holds this week"
    case .remeasure(let phase):
      "phase \(phase) goes beyond the +10% that cadence studies tested: measure your cadence again first"
    case .offRung(let n, let rung):
      "\(n) run\(n == 1 ? " was" : "s were") not at \(Cadence.format(rung)) spm (more than \(Cadence.format(Training.rungToleranceSPM)) spm off, "
        + "a product choice): \(n == 1 ? "it counts" : "they count") for distance, not for this rung"
    case .tooShort(let n):
      "\(n) run\(n == 1 ? " was" : "s were") shorter than \(format(Training.shortestCountingMinutes, 0)) minutes "
        + "(a product choice): \(n == 1 ? "it counts" : "they count") for distance, not for this rung"
    case .remeasureShort(let measured, let needed):
      "your new measurement, \(Cadence.format(measured)) spm, is more than \(Cadence.format(Training.rungToleranceSPM)) spm "
        + "(a product choice) below \(Cadence.format(needed)) spm: run at \(Cadence.format(needed)) on the click "
        + "and measure again (cadence measure SPM)"
    }
  }
}

/// Where a plan stands at a moment.
public struct PlanStatus: Sendable, Equatable {
  public enum Step: Sendable, Equatable {
    case done
    case current
    case locked
  }

  public var rungs: [Rung]
  public var currentIndex: Int
  /// When the current rung started.
  public var rungStart: Int64
  /// Seconds the plan was paused (a warning sign, until resumed) since the current rung started:
  /// left out of its days.
  public var pausedAtRung: Int64 = 0
  /// The back pain of the last checked-in run.
  public var lastPain: Int?
  /// The moment the rung's days count from: its start, moved later by the time paused.
  public var rungClock: Int64 { rungStart + pausedAtRung }
  public var runsAtRung: Int
  /// Earliest moment the next rung could unlock (the hold's days), nil on the last rung.
  public var earliestNext: Int64?
  public var holds: [HoldReason]
  /// Set when a warning sign paused the plan: the signs reported.
  public var pausedFor: Set<WarningSign>?
  /// The step back happened on the last checked-in run (pain rose twice in a row).
  public var steppedBack: Bool
  public var isMaintenance: Bool
  /// Checked-in runs in a row, up to the last, with back pain `Training.painRiseThatHolds` or
  /// more above the baseline.
  public var painRisesInARow: Int = 0
  /// When back pain has been above the baseline on every checked-in run for
  /// `Training.lastingPainDays` or more: the first of those runs.
  public var lastingPainSince: Int64?
  /// This calendar week's distance against last week's, at the moment evaluated.
  public var weeklyLoad: WeeklyLoad = .notEnoughWeeks
  /// Last calendar week's longest run against the week's distance, when every run had one.
  public var longestRun: LongestRun?

  public var current: Rung { rungs[currentIndex] }
  public func step(of rung: Rung) -> Step {
    rung.index < currentIndex ? .done : rung.index == currentIndex ? .current : .locked
  }
  public var isComplete: Bool { currentIndex == rungs.count - 1 }
}
