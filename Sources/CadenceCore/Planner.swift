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
  var replay = try PlanReplay(settings, startedAt: startedAt, calendar: calendar)
  let ordered = events.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
  for (_, event) in ordered { replay.apply(event) }
  return replay.status(at: now)
}

/// A plan replayed one event at a time, oldest first (`evaluatePlan` sorts them): each step is
/// a method of its own, and `status(at:)` reads where the plan stands after any of them.
public struct PlanReplay {
  public let settings: PlanSettings
  public let rungs: [Rung]
  let startedAt: Int64
  let calendar: Weeks
  /// Where the plan stands: rung, its start, runs at it, pause, step back, pain.
  private(set) var state: PlanStatus
  /// The daily checks have run up to here.
  private var checkedUntil: Int64
  /// The checked-in runs at the current rung, oldest first.
  private var recent: [RunCheckIn] = []
  /// Every run since the plan started, for the weekly distance.
  private var allRuns: [RunCheckIn] = []
  private var lastCheckedIn: RunCheckIn?
  /// Back pain above baseline on every checked-in run since this time.
  private var painAboveSince: Int64?
  /// A measurement at the rung held opened the next phase; or the last one fell short.
  private var remeasured = false
  private var shortMeasurement: Double?
  /// Checked-in runs at another cadence than the rung's.
  private var offRung = 0
  private var tooShort = 0
  /// When a warning sign paused the plan, while it is paused.
  private var pausedSince: Int64?
  private let day = Training.secondsPerDay

  public init(_ settings: PlanSettings, startedAt: Int64, calendar: Weeks = Weeks()) throws(PlanError) {
    self.settings = settings
    rungs = try Ladder.rungs(settings)
    self.startedAt = startedAt
    self.calendar = calendar
    checkedUntil = startedAt
    state = PlanStatus(
      rungs: rungs, currentIndex: 0, rungStart: startedAt, runsAtRung: 0, earliestNext: nil, holds: [],
      pausedFor: nil, steppedBack: false, isMaintenance: rungs.count == 1)
  }

  /// One event: first the daily checks up to its time, then what it does.
  public mutating func apply(_ event: PlanEvent) {
    dailyChecks(through: event.time)
    switch event {
    case .resume(let time): resume(at: time)
    case .measurement(let time, let spm): measured(spm, at: time)
    case .warningSigns(let time, let signs): pause(for: signs, at: time)
    case .run(let run): ran(run)
    }
  }

  /// Where the plan stands at `now`, after the daily checks up to it: the holds on the next
  /// rung, the earliest it can unlock, the weekly load and the longest run.
  public mutating func status(at now: Int64) -> PlanStatus {
    dailyChecks(through: now)
    var status = state
    status.holds = state.pausedFor == nil ? holds(at: now) : []
    status.earliestNext = state.isComplete ? nil : state.rungClock + Int64(settings.holdDays) * day
    status.weeklyLoad = calendar.load(allRuns, at: now, planStart: startedAt)
    status.longestRun = calendar.longestRun(allRuns, at: now)
    return status
  }

  /// A measured cadence: the re-measure a new phase needs must reach the rung held (a lower
  /// cadence does not open the next phase).
  mutating func measured(_ spm: Double, at time: Int64) {
    if spm >= state.current.spm - Training.rungToleranceSPM - 1e-9 {
      remeasured = true
      shortMeasurement = nil
    } else if !remeasured {
      shortMeasurement = spm
    }
    tryAdvance(at: time)
  }

  /// Warning signs pause the plan until a resume.
  mutating func pause(for signs: Set<WarningSign>, at time: Int64) {
    guard !signs.isEmpty else { return }
    if state.pausedFor == nil { pausedSince = time }
    state.pausedFor = (state.pausedFor ?? []).union(signs)
  }

  /// The plan goes on from where the pause found it: the rung's days count again from the
  /// resume (the time paused is left out of them), so no rung unlocks on days spent not
  /// running, and no date it shows is in the past.
  mutating func resume(at time: Int64) {
    guard state.pausedFor != nil else { return }
    if let since = pausedSince, time > since { state.pausedAtRung += time - since }
    state.pausedFor = nil
    pausedSince = nil
    checkedUntil = max(checkedUntil, time)
  }

  /// A run: its warning signs pause the plan whether or not it came with a check-in; a
  /// checked-in run moves the pain tally (whatever its cadence), may step back a rung, and
  /// counts towards the rung at its cadence.
  mutating func ran(_ run: RunCheckIn) {
    allRuns.append(run)
    guard run.warningSigns.isEmpty else {
      pause(for: run.warningSigns, at: run.time)
      return
    }
    guard run.isCheckedIn, let pain = run.backPain, state.pausedFor == nil else { return }
    state.steppedBack = false
    lastCheckedIn = run
    state.lastPain = pain
    tallyPain(pain, at: run.time)
    // Step back one rung; on the first rung there is none below, and the rung holds.
    if state.painRisesInARow >= Training.painRisesThatStepBack && state.currentIndex > 0 {
      state.painRisesInARow = 0
      moveTo(state.currentIndex - 1, at: run.time)
      state.steppedBack = true
      return
    }
    if let seconds = run.seconds, seconds < Training.shortestCountingMinutes * 60 {
      tooShort += 1
      return
    }
    guard run.isAt(state.current.spm) else {
      offRung += 1
      return
    }
    recent.append(run)
    state.runsAtRung += 1
    tryAdvance(at: run.time)
  }

  /// Pain above baseline since when (lasting once it has gone on for `lastingPainDays`), and
  /// rises of 2+ points in a row.
  private mutating func tallyPain(_ pain: Int, at time: Int64) {
    if pain > settings.baselinePain {
      let since = painAboveSince ?? time
      painAboveSince = since
      let lasting = time - since >= Int64(Training.lastingPainDays) * day
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
  }

  private mutating func moveTo(_ index: Int, at time: Int64) {
    state.currentIndex = index
    state.rungStart = time
    state.pausedAtRung = 0
    state.runsAtRung = 0
    recent = []
    remeasured = false
    shortMeasurement = nil
    offRung = 0
    tooShort = 0
  }

  /// What keeps the next rung locked at `time` (none: it may unlock).
  func holds(at time: Int64) -> [HoldReason] {
    var reasons: [HoldReason] = []
    let next = state.currentIndex + 1
    guard next < rungs.count else { return [] }
    let days = Int((time - state.rungClock) / day)
    if days < settings.holdDays { reasons.append(.days(done: days, needed: settings.holdDays)) }
    if state.runsAtRung < settings.holdRuns {
      reasons.append(.runs(done: state.runsAtRung, needed: settings.holdRuns))
      if offRung > 0 { reasons.append(.offRung(runs: offRung, rung: state.current.spm)) }
      if tooShort > 0 { reasons.append(.tooShort(runs: tooShort)) }
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

  private mutating func tryAdvance(at time: Int64) {
    guard state.pausedFor == nil, holds(at: time).isEmpty, state.currentIndex + 1 < rungs.count else { return }
    moveTo(state.currentIndex + 1, at: time)
  }

  /// The daily checks after `checkedUntil` up to and including `time`: once a rung's days are
  /// over, it is checked at its start time plus each whole day.
  private mutating func dailyChecks(through time: Int64) {
    while state.pausedFor == nil && state.currentIndex + 1 < rungs.count {
      var tick = state.rungClock + Int64(settings.holdDays) * day
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
}
