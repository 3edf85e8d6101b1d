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
