/// What a runner chose when they made the plan.
public struct PlanSettings: Sendable, Equatable, Codable {
  public var startSPM: Double
  public var goalSPM: Double
  /// Largest rise from one rung to the next, in spm (`--step`; at most 5).
  public var stepSPM: Double
  public var holdDays: Int
  public var holdRuns: Int
  /// The runner's usual back pain, 0-10: the level a check-in is compared with.
  public var baselinePain: Int
  public var speed: Speed?

  public init(
    startSPM: Double, goalSPM: Double = Training.defaultGoalSPM, stepSPM: Double = Training.maxRungSPM,
    holdDays: Int = Training.defaultHoldDays, holdRuns: Int = Training.defaultHoldRuns, baselinePain: Int = 0,
    speed: Speed? = nil
  ) {
    self.startSPM = startSPM
    self.goalSPM = goalSPM
    self.stepSPM = stepSPM
    self.holdDays = holdDays
    self.holdRuns = holdRuns
    self.baselinePain = baselinePain
    self.speed = speed
  }
}

public enum PlanError: Error, Equatable, Sendable {
  case startOutOfRange(Double)
  case goalAboveBand(Double)
  case goalNotAboveStart(start: Double, goal: Double)
  case stepOutOfRange(Double)
  case holdTooShort(days: Int, runs: Int)
  case painOutOfRange(Int)
}

/// One cadence the runner holds before moving up.
public struct Rung: Sendable, Equatable, Codable {
  public var index: Int
  public var spm: Double
  /// Phases split a goal beyond the tested +10% (phase 1, 2, ...).
  public var phase: Int
  /// The first rung of a later phase: reached only after a new measurement.
  public var needsRemeasure: Bool
}

public enum Ladder {
  /// Validates settings and builds the ladder: the start, then rungs of at most `stepSPM` and
  /// at most 5% of the rung below (to 0.1 spm, rounded down), ending on the goal. A start
  /// already at or above the goal gives one rung: maintenance.
  public static func rungs(_ s: PlanSettings) throws(PlanError) -> [Rung] {
    guard Cadence.playable.contains(s.startSPM) else { throw .startOutOfRange(s.startSPM) }
    guard s.goalSPM <= Training.highestGoalSPM else { throw .goalAboveBand(s.goalSPM) }
    guard s.stepSPM.isFinite, s.stepSPM >= Training.minRungSPM && s.stepSPM <= Training.maxRungSPM else {
      throw .stepOutOfRange(s.stepSPM)
    }
    guard s.goalSPM.isFinite, s.startSPM.isFinite else { throw .startOutOfRange(s.startSPM) }
    guard s.holdDays >= Training.minimumHoldDays && s.holdRuns >= Training.minimumHoldRuns else {
      throw .holdTooShort(days: s.holdDays, runs: s.holdRuns)
    }
    guard (0...10).contains(s.baselinePain) else { throw .painOutOfRange(s.baselinePain) }
    if s.startSPM >= s.goalSPM {
      guard s.goalSPM >= Training.defaultGoalSPM || s.startSPM >= Training.defaultGoalSPM else {
        throw .goalNotAboveStart(start: s.startSPM, goal: s.goalSPM)
      }
      return [Rung(index: 0, spm: s.startSPM, phase: 1, needsRemeasure: false)]
    }
    var rungs = [Rung(index: 0, spm: s.startSPM, phase: 1, needsRemeasure: false)]
    var phase = 1
    var phaseLimit = s.startSPM * (1 + Training.testedIncreaseFraction)
    while rungs.last!.spm < s.goalSPM {
      let below = rungs.last!.spm
      let rise = min(s.stepSPM, below * Training.maxRungFraction)
      let next = min(s.goalSPM, ((below + rise) * 10 + 1e-9).rounded(.down) / 10)
      // Every rung climbs (rise >= 1 spm at 100 spm and up): the ladder ends within 90 rungs.
      precondition(next > below, "a rung that does not climb")
      var remeasure = false
      if next > phaseLimit + 1e-9 {
        phase += 1
        phaseLimit = below * (1 + Training.testedIncreaseFraction)
        remeasure = true
      }
      rungs.append(Rung(index: rungs.count, spm: next, phase: phase, needsRemeasure: remeasure))
    }
    return rungs
  }
}

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

  /// Advancing is earned: only a run with a check-in (effort and back pain) counts towards a
  /// rung. One without still counts towards weekly distance.
  public var isCheckedIn: Bool { effort != nil && backPain != nil }

  public init(
    time: Int64, completedAtTarget: Bool, effort: Int? = nil, backPain: Int? = nil,
    warningSigns: Set<WarningSign> = [], distanceMeters: Double? = nil, spm: Double? = nil
  ) {
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

/// Replays a plan's events, oldest first, to find where it stands at `now`.
///
/// The plan is checked after every run and measurement, and once a day (at the rung's start
/// time plus whole days) once the hold's days are over; a run belongs to the rung in effect
/// when it happens, and counts towards it only at its cadence (`RunCheckIn.isAt`). The next
/// rung unlocks when the hold is over (days and runs), the last `holdRuns` runs were all
/// completed at the target with manageable effort and back pain not above baseline, the last
/// checked-in run's pain did not rise by 2+ points, and this week's distance did not rise more
/// than 10%. Pain up 2+ points on two checked-in runs in a row steps back one rung (none below
/// the first). A warning sign pauses everything until a resume.
public func evaluatePlan(
  _ settings: PlanSettings, startedAt: Int64, events: [PlanEvent], now: Int64, calendar: Weeks = Weeks()
) throws(PlanError) -> PlanStatus {
  let rungs = try Ladder.rungs(settings)
  let ordered = events.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(
    \.element)
  var state = PlanStatus(
    rungs: rungs, currentIndex: 0, rungStart: startedAt, runsAtRung: 0, earliestNext: nil, holds: [],
    pausedFor: nil, steppedBack: false, isMaintenance: rungs.count == 1)
  var checkedUntil = startedAt
  var recent: [RunCheckIn] = []
  var allRuns: [RunCheckIn] = []
  var lastCheckedIn: RunCheckIn?
  var painAboveSince: Int64?
  var remeasured = false
  var shortMeasurement: Double?
  var offRung = 0
  let day = Training.secondsPerDay

  func moveTo(_ index: Int, at time: Int64) {
    state.currentIndex = index
    state.rungStart = time
    state.runsAtRung = 0
    recent = []
    remeasured = false
    shortMeasurement = nil
    offRung = 0
  }

  func holds(at time: Int64) -> [HoldReason] {
    var reasons: [HoldReason] = []
    let next = state.currentIndex + 1
    guard next < rungs.count else { return [] }
    let days = Int((time - state.rungStart) / day)
    if days < settings.holdDays { reasons.append(.days(done: days, needed: settings.holdDays)) }
    if state.runsAtRung < settings.holdRuns {
      reasons.append(.runs(done: state.runsAtRung, needed: settings.holdRuns))
      if offRung > 0 { reasons.append(.offRung(runs: offRung, rung: state.current.spm)) }
    }
    let window = recent.suffix(settings.holdRuns)
    let notCompleted = window.filter { !$0.completedAtTarget }.count
    if notCompleted > 0 { reasons.append(.notCompleted(runs: notCompleted)) }
    let hard = window.filter { ($0.effort ?? 0) > Training.manageableEffort }.count
    if hard > 0 { reasons.append(.effortTooHigh(runs: hard)) }
    let sore = window.filter { ($0.backPain ?? 0) > settings.baselinePain }.count
    if let last = lastCheckedIn, let pain = last.backPain, pain - settings.baselinePain >= Training.painRiseThatHolds {
      reasons.append(.painRose(points: pain - settings.baselinePain))
    } else if sore > 0 {
      reasons.append(.painAboveBaseline(runs: sore))
    }
    if case .compared(let thisWeek, let lastWeek) = calendar.load(allRuns, at: time, planStart: startedAt),
      thisWeek > lastWeek * (1 + Training.weeklyDistanceRiseFraction) + 1e-9
    {
      reasons.append(.weeklyDistanceRose(percent: Int(((thisWeek / lastWeek - 1) * 100).rounded())))
    }
    if rungs[next].needsRemeasure && !remeasured {
      reasons.append(
        shortMeasurement.map { .remeasureShort(measured: $0, needed: state.current.spm) }
          ?? .remeasure(phase: rungs[next].phase))
    }
    return reasons
  }

  func tryAdvance(at time: Int64) {
    guard state.pausedFor == nil, holds(at: time).isEmpty, state.currentIndex + 1 < rungs.count else { return }
    moveTo(state.currentIndex + 1, at: time)
  }

  /// The daily checks after `checkedUntil` up to and including `time`.
  func dailyChecks(through time: Int64) {
    while state.pausedFor == nil && state.currentIndex + 1 < rungs.count {
      var tick = state.rungStart + Int64(settings.holdDays) * day
      if tick <= checkedUntil { tick += ((checkedUntil - tick) / day + 1) * day }
      var unlocked = false
      while tick <= time {
        if holds(at: tick).isEmpty {
          moveTo(state.currentIndex + 1, at: tick)
          checkedUntil = tick
          unlocked = true
          break
        }
        tick += day
      }
      if !unlocked { break }
    }
    checkedUntil = max(checkedUntil, time)
  }

  for event in ordered {
    dailyChecks(through: event.time)
    switch event {
    case .resume:
      state.pausedFor = nil
    case .measurement(_, let spm):
      // The re-measure must reach the rung held: a lower cadence does not open the next phase.
      if spm >= state.current.spm - Training.rungToleranceSPM - 1e-9 {
        remeasured = true
        shortMeasurement = nil
      } else if !remeasured {
        shortMeasurement = spm
      }
      tryAdvance(at: event.time)
    case .warningSigns(_, let signs):
      if !signs.isEmpty { state.pausedFor = (state.pausedFor ?? []).union(signs) }
    case .run(let run):
      allRuns.append(run)
      // A warning sign pauses the plan whether or not the run came with a check-in.
      if !run.warningSigns.isEmpty {
        state.pausedFor = (state.pausedFor ?? []).union(run.warningSigns)
        continue
      }
      guard run.isCheckedIn, let pain = run.backPain else { continue }
      guard state.pausedFor == nil else { continue }
      state.steppedBack = false
      lastCheckedIn = run
      // Pain counts whatever the run's cadence was.
      if pain > settings.baselinePain {
        let since = painAboveSince ?? run.time
        painAboveSince = since
        let lasting = run.time - since >= Int64(Training.lastingPainDays) * day
        state.lastingPainSince = lasting ? since : nil
      } else {
        painAboveSince = nil
        state.lastingPainSince = nil
      }
      if pain - settings.baselinePain >= Training.painRiseThatHolds {
        state.painRisesInARow += 1
      } else {
        state.painRisesInARow = 0
      }
      // Step back one rung; on the first rung there is none below, and the rung holds.
      if state.painRisesInARow >= Training.painRisesThatStepBack && state.currentIndex > 0 {
        state.painRisesInARow = 0
        moveTo(state.currentIndex - 1, at: run.time)
        state.steppedBack = true
        continue
      }
      guard run.isAt(state.current.spm) else {
        offRung += 1
        continue
      }
      recent.append(run)
      state.runsAtRung += 1
      tryAdvance(at: run.time)
    }
  }
  dailyChecks(through: now)
  state.holds = state.pausedFor == nil ? holds(at: now) : []
  state.earliestNext = state.isComplete ? nil : state.rungStart + Int64(settings.holdDays) * day
  state.weeklyLoad = calendar.load(allRuns, at: now, planStart: startedAt)
  state.longestRun = calendar.longestRun(allRuns, at: now)
  return state
}
