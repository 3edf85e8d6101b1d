import Testing

@testable import CadenceCore

let day = Training.secondsPerDay

@Suite struct LadderTests {
  func spms(_ s: PlanSettings) throws -> [Double] { try Ladder.rungs(s).map(\.spm) }

  @Test func laddersForSeveralStartsAndGoals() throws {
    #expect(try spms(PlanSettings(startSPM: 160)) == [160, 165, 170])
    // Spread evenly: 8 spm in two rises of 4, not 5 and a 3.
    #expect(try spms(PlanSettings(startSPM: 162)) == [162, 166, 170])
    #expect(try spms(PlanSettings(startSPM: 140)) == [140, 145, 150, 155, 160, 165, 170])
    #expect(try spms(PlanSettings(startSPM: 100, goalSPM: 110)) == [100, 105, 110])
    // Below 100 spm 5% would be less than 5 spm; at 100 both rules agree.
    #expect(try spms(PlanSettings(startSPM: 160, goalSPM: 180)) == [160, 165, 170, 175, 180])
    #expect(try spms(PlanSettings(startSPM: 161, stepSPM: 3)) == [161, 164, 167, 170])
    // The first rung is the start rounded to a whole spm; the rest whole and even.
    #expect(try spms(PlanSettings(startSPM: 163.4, goalSPM: 175)) == [163, 167, 171, 175])
    // A tap's 159.6: 160, 165, 170, not 159.6 -> 164.6 -> 169.6 -> a 0.4-spm rung to 170.
    #expect(try spms(PlanSettings(startSPM: 159.6)) == [160, 165, 170])
    // A start that rounds to the goal: one rung, the goal.
    #expect(try spms(PlanSettings(startSPM: 169.6)) == [170])
    // A step that is not whole keeps tenths.
    #expect(try spms(PlanSettings(startSPM: 160, stepSPM: 2.5)) == [160, 162.5, 165, 167.5, 170])
  }

  /// Every start from 140.0 to 189.9 in tenths, to the default goal and to 190: whole rungs,
  /// each rise from 1 to 5 spm, the last on the goal, and no rise more than 1 spm from another.
  @Test func everyStartGivesWholeEvenRungs() throws {
    for tenth in 1400...1899 {
      for goal in [170.0, 190.0] where Double(tenth) / 10 < goal {
        let rungs = try spms(PlanSettings(startSPM: Double(tenth) / 10, goalSPM: goal))
        #expect(rungs.allSatisfy { $0 == $0.rounded() }, "\(tenth): \(rungs)")
        #expect(rungs.last == goal)
        let rises = zip(rungs, rungs.dropFirst()).map { $1 - $0 }
        #expect(rises.allSatisfy { $0 >= 1 && $0 <= 5 }, "\(tenth): \(rungs)")
        if let low = rises.min(), let high = rises.max() { #expect(high - low <= 1, "\(tenth): \(rungs)") }
      }
    }
  }

  @Test func fivePercentCapsRungsBelowAHundredSpmRise() throws {
    // 5% of 102 is 5.1: the 5 spm cap wins; with --step 5 on 100 both give 5.
    #expect(try spms(PlanSettings(startSPM: 102, goalSPM: 112)) == [102, 107, 112])
  }

  @Test func maintenanceWhenAlreadyInTheBand() throws {
    let rungs = try Ladder.rungs(PlanSettings(startSPM: 176))
    #expect(rungs == [Rung(index: 0, spm: 176, phase: 1, needsRemeasure: false)])
  }

  @Test func goalsBeyondTenPercentArePlannedInPhases() throws {
    // 150 * 1.1 = 165: phase 1 ends there; 170 needs a re-measure.
    let rungs = try Ladder.rungs(PlanSettings(startSPM: 150))
    #expect(rungs.map(\.spm) == [150, 155, 160, 165, 170])
    #expect(rungs.map(\.phase) == [1, 1, 1, 1, 2])
    #expect(rungs.map(\.needsRemeasure) == [false, false, false, false, true])
    // 140 -> 190: phase 2 from 155 (140 * 1.1 = 154); each later phase spans +10% from the
    // cadence re-measured at its boundary: 150 * 1.1 = 165, so 170 opens phase 3; 165 * 1.1 = 181.5.
    let long = try Ladder.rungs(PlanSettings(startSPM: 140, goalSPM: 190))
    #expect(long.filter(\.needsRemeasure).map(\.spm) == [155, 170, 185])
  }

  @Test func badSettingsAreRejected() {
    #expect(throws: PlanError.goalAboveBand(195)) { try Ladder.rungs(PlanSettings(startSPM: 160, goalSPM: 195)) }
    #expect(throws: PlanError.stepOutOfRange(6)) { try Ladder.rungs(PlanSettings(startSPM: 160, stepSPM: 6)) }
    #expect(throws: PlanError.stepOutOfRange(0)) { try Ladder.rungs(PlanSettings(startSPM: 160, stepSPM: 0)) }
    #expect(throws: PlanError.holdTooShort(days: 6, runs: 6)) {
      try Ladder.rungs(PlanSettings(startSPM: 160, holdDays: 6))
    }
    #expect(throws: PlanError.holdTooLong(days: 366, runs: 6)) {
      try Ladder.rungs(PlanSettings(startSPM: 160, holdDays: 366))
    }
    // A plan stored with a huge hold (by a cadence before this check) is refused, not evaluated.
    #expect(throws: PlanError.holdTooLong(days: Int.max, runs: 6)) {
      try evaluatePlan(PlanSettings(startSPM: 160, holdDays: Int.max), startedAt: 0, events: [], now: 0)
    }
    #expect(throws: PlanError.holdTooShort(days: 14, runs: 2)) {
      try Ladder.rungs(PlanSettings(startSPM: 160, holdRuns: 2))
    }
    #expect(throws: PlanError.startOutOfRange(90)) { try Ladder.rungs(PlanSettings(startSPM: 90)) }
    #expect(throws: PlanError.goalNotAboveStart(start: 160, goal: 150)) {
      try Ladder.rungs(PlanSettings(startSPM: 160, goalSPM: 150))
    }
    #expect(throws: PlanError.painOutOfRange(11)) { try Ladder.rungs(PlanSettings(startSPM: 160, baselinePain: 11)) }
  }

  @Test func stepLengthsFromTreadmillSpeed() {
    // domain.md: 10 km/h = 166.7 m/min; at 160 spm a step is 1.04 m, at 170 spm 0.98 m.
    let speed = Speed.kmh(10)
    #expect(format(speed.metersPerMinute, 1) == "166.7")
    #expect(format(speed.stepLength(atSPM: 160), 2) == "1.04")
    #expect(format(speed.stepLength(atSPM: 170), 2) == "0.98")
    #expect(Speed(parsing: "10km/h") == .kmh(10))
    #expect(Speed(parsing: "6.2 mph") == .mph(6.2))
    #expect(Speed(parsing: "10") == nil)
    #expect(Speed(parsing: "100km/h") == nil)
    #expect(parseDistanceMeters("5km") == 5_000)
    #expect(parseDistanceMeters("3mi") == 3 * 1_609.344)
    #expect(parseDistanceMeters("800m") == 800)
    #expect(parseDistanceMeters("far") == nil)
  }
}

@Suite struct PlanEvaluationTests {
  let start: Int64 = 1_767_225_600  // 2026-01-01 00:00 UTC: the plan is made
  let settings = PlanSettings(startSPM: 160, baselinePain: 1)
  let nine: Int64 = 9 * 3_600

  func at(_ d: Int64) -> Int64 { start + d * day }

  /// Day of run k on a Monday/Wednesday/Friday routine: 0, 2, 4, 7, 9, 11, 14, 16, ...
  func mwf(_ k: Int) -> Int64 { Int64(k / 3) * 7 + [0, 2, 4][k % 3] }

  /// Runs number `from` ..< `from + count` of the routine, at 09:00, 5 km each, effort 5, pain
  /// at the baseline, completed; `edit` changes run k.
  func runs(_ count: Int, from: Int = 0, edit: (Int, inout RunCheckIn) -> Void = { _, _ in }) -> [PlanEvent] {
    (from..<(from + count)).map { k in
      var run = RunCheckIn(
        time: at(mwf(k)) + nine, completedAtTarget: true, effort: 5, backPain: 1, distanceMeters: 5_000)
      edit(k, &run)
      return .run(run)
    }
  }

  func evaluate(_ events: [PlanEvent], now: Int64, _ s: PlanSettings? = nil) throws -> PlanStatus {
    try evaluatePlan(s ?? settings, startedAt: start, events: events, now: now)
  }

  @Test func advancesAfterTwoWeeksAndSixGoodRuns() throws {
    // Six runs by day 11; the daily check at the start of day 14 unlocks 165, and the run that
    // day is the first at the new rung.
    let status = try evaluate(runs(7), now: at(15))
    #expect(status.currentIndex == 1)
    #expect(status.rungStart == at(14))
    #expect(status.runsAtRung == 1)
    #expect(status.earliestNext == at(28))
  }

  /// A run shorter than 10 minutes (a product choice: an accidental start, a block stopped at
  /// once) counts for distance, not for the rung, and says so; one of 10 minutes counts, as does
  /// one of unknown length; a short run's pain still counts.
  @Test func shortRunsDoNotEarnARung() throws {
    let seconds: [Double?] = [12, 600, nil, 599.9, 1_200, 1_200, 1_200]
    let events = runs(7) { k, run in run.seconds = seconds[k] }
    let status = try evaluate(events, now: at(15))
    #expect(status.currentIndex == 0)
    #expect(status.runsAtRung == 5)
    #expect(status.holds == [.runs(done: 5, needed: 6), .tooShort(runs: 2)])
    #expect(
      HoldReason.tooShort(runs: 2).description
        == "2 runs were shorter than 10 minutes (a product choice): they count for distance, not for this rung")
    let sore = try evaluate(
      runs(1) { _, run in
        run.seconds = 12
        run.backPain = 4
      }, now: at(1))
    #expect(sore.holds.contains(.painRose(points: 3)))
  }

  /// A warning sign on day 6 pauses the plan; resumed on day 40, the rung's days go on from 6
  /// (the 34 days paused do not count), so the next rung unlocks on day 48 at the earliest, not
  /// on a day long past; six runs before the pause do not unlock it at the resume.
  @Test func aResumeMovesTheRungsDaysOnByThePause() throws {
    let pause = at(6) + nine
    let resume = at(40) + nine
    var events = runs(3) + [.warningSigns(time: pause, [.radiatingPain]), .resume(time: resume)]
    let resumed = try evaluate(events, now: resume + 60)
    #expect(resumed.currentIndex == 0 && resumed.rungStart == start)
    #expect(resumed.pausedAtRung == resume - pause)
    #expect(resumed.earliestNext == at(48))
    #expect(resumed.holds.first == HoldReason.days(done: 6, needed: 14))
    // Three more runs after the resume, and the days: unlocked on day 48, not at once.
    events += (0..<3).map {
      PlanEvent.run(RunCheckIn(time: at(41 + 2 * Int64($0)) + nine, completedAtTarget: true, effort: 5, backPain: 1))
    }
    #expect(try evaluate(events, now: at(47) + nine).currentIndex == 0)
    let unlocked = try evaluate(events, now: at(48) + nine)
    #expect(unlocked.currentIndex == 1 && unlocked.rungStart == at(48) && unlocked.pausedAtRung == 0)
  }

  @Test func sixRunsInElevenDaysWaitForTheFourteenth() throws {
    let events = runs(6)  // days 0 ... 11
    let before = try evaluate(events, now: at(13))
    #expect(before.currentIndex == 0)
    #expect(before.holds == [.days(done: 13, needed: 14)])
    let after = try evaluate(events, now: at(14))
    #expect(after.currentIndex == 1 && after.rungStart == at(14))
  }

  @Test func fourteenDaysButTooFewRunsHold() throws {
    let events = [0, 4, 8, 12].map {
      PlanEvent.run(RunCheckIn(time: at($0), completedAtTarget: true, effort: 4, backPain: 0))
    }
    let status = try evaluate(events, now: at(20))
    #expect(status.currentIndex == 0)
    #expect(status.holds == [.runs(done: 4, needed: 6)])
  }

  @Test func recentRunsMustBeCompletedManageableAndPainFree() throws {
    let missed = runs(7) { k, r in if k == 5 { r.completedAtTarget = false } }
    #expect(try evaluate(missed, now: at(15)).holds == [.notCompleted(runs: 1)])
    let hard = runs(7) { k, r in if k == 5 { r.effort = 7 } }
    #expect(try evaluate(hard, now: at(15)).holds == [.effortTooHigh(runs: 1)])
    let manageable = runs(7) { k, r in if k == 5 { r.effort = 6 } }
    #expect(try evaluate(manageable, now: at(15)).currentIndex == 1)
    let sore = runs(7) { k, r in if k == 5 { r.backPain = 2 } }  // 1 above baseline: holds, not a rise
    #expect(try evaluate(sore, now: at(15)).holds == [.painAboveBaseline(runs: 1)])
    // A hard run 0 holds the check on day 14; run 6 pushes it out of the last-six window.
    let old = try evaluate(runs(7) { k, r in if k == 0 { r.effort = 9 } }, now: at(15))
    #expect(old.currentIndex == 1 && old.rungStart == at(14) + nine)
  }

  @Test func painUpTwoPointsHoldsAndTwiceInARowStepsBack() throws {
    // Rung 1 from day 14; run 11 (day 25) has pain +2, so day 28's check holds.
    var events = runs(12) { k, r in if k == 11 { r.backPain = 3 } }
    let held = try evaluate(events, now: at(29))
    #expect(held.currentIndex == 1)
    #expect(held.holds == [.painRose(points: 2)])
    // A second +2 in a row (day 28): back to rung 0 from that run.
    events += runs(1, from: 12) { _, r in r.backPain = 4 }
    let back = try evaluate(events, now: at(29))
    #expect(back.currentIndex == 0 && back.steppedBack)
    #expect(back.rungStart == at(28) + nine)
    // Not in a row: +2, a good run, +2 again only holds.
    let apart = try evaluate(runs(10) { k, r in if k == 7 || k == 9 { r.backPain = 3 } }, now: at(22))
    #expect(apart.currentIndex == 1 && !apart.steppedBack)
  }

  @Test func warningSignPausesUntilResume() throws {
    var events = runs(7) { k, r in if k == 3 { r.warningSigns = [.radiatingPain] } }
    let paused = try evaluate(events, now: at(15))
    #expect(paused.pausedFor == [.radiatingPain])
    #expect(paused.currentIndex == 0 && paused.holds == [])
    #expect(paused.runsAtRung == 3)  // runs while paused do not count towards the hold
    events.append(.resume(time: at(15)))
    events += runs(4, from: 7)  // days 16, 18, 21, 23
    let resumed = try evaluate(events, now: at(24))
    #expect(resumed.pausedFor == nil)
    #expect(resumed.currentIndex == 1)
    // Six good runs by day 21, but the rung's 14 days leave out the time paused (day 7 09:00 to
    // day 15): they end on day 21 15:00, when the daily check unlocks it.
    #expect(resumed.rungStart == at(14) + (at(15) - (at(7) + nine)))
  }

  /// Calendar weeks (here UTC): the plan starts on Thursday 2026-01-01; week B is Monday
  /// 01-05 (day 4) to Sunday 01-11, week C from Monday 01-12 (day 11), week D from 01-19.
  @Test func tenPercentRuleOnCalendarWeeks() throws {
    let quick = PlanSettings(startSPM: 160, holdDays: 14, holdRuns: 3, baselinePain: 1)
    func run(_ d: Int64, km: Double?) -> PlanEvent {
      .run(
        RunCheckIn(
          time: at(d) + nine, completedAtTarget: true, effort: 5, backPain: 1, distanceMeters: km.map { $0 * 1_000 }))
    }
    func risen(_ s: PlanStatus) -> Bool {
      s.holds.contains {
        if case .weeklyDistanceRose = $0 { true } else { false }
      }
    }
    let weekB = [run(4, km: 5), run(6, km: 5), run(8, km: 5)]  // 15 km
    let weekC = [run(11, km: 5), run(13, km: 5), run(15, km: 7)]  // 17 km by Friday: +13%
    let held = try evaluate(weekB + weekC, now: at(15) + nine + 60, quick)
    #expect(held.weeklyLoad == .compared(thisWeek: 17_000, lastWeek: 15_000))
    #expect(held.holds.contains(.weeklyDistanceRose(percent: 13)))
    // Before Friday's run the week is at 10 km: no rise.
    #expect(!risen(try evaluate(weekB + weekC, now: at(15), quick)))
    // Monday: a new week, nothing yet against 17 km.
    #expect(!risen(try evaluate(weekB + weekC, now: at(18) + 60, quick)))
    // One run of last week without a distance: the rule cannot judge, and holds nothing.
    let partial = [run(4, km: 5), run(6, km: nil), run(8, km: 5)] + weekC
    let unjudged = try evaluate(partial, now: at(15) + nine + 60, quick)
    #expect(unjudged.weeklyLoad == .cannotJudge(runsWithoutDistance: 1))
    #expect(!risen(unjudged))
    // The plan's first week (Thursday to Sunday) is partial: week B is never compared with it.
    #expect(
      try evaluate([run(0, km: 2), run(2, km: 2)] + weekB, now: at(8) + nine + 60, quick).weeklyLoad == .notEnoughWeeks)
    // Last week's longest run against the week: 5 of 15 km over 3 runs, over the articles' 25%,
    // which 3 runs a week cannot meet (each is at least a third, in arithmetic).
    #expect(held.longestRun == LongestRun(meters: 5_000, weekMeters: 15_000, runs: 3))
    #expect(
      held.longestRun?.advice
        == "; with 3 runs a week it cannot be under 25% (the articles' most, which needs 4 or more runs a week)")
    #expect(LongestRun(meters: 8_000, weekMeters: 23_000, runs: 4).advice == "; the articles advise at most 25%")
    #expect(LongestRun(meters: 5_000, weekMeters: 20_000, runs: 4).advice == "")
  }

  @Test func localWeeksFollowTheOffset() {
    // 2026-01-04 23:30 UTC is Monday 00:30 at UTC+1: a new week there, still Sunday in UTC.
    let sundayNight: Int64 = 1_767_569_400
    let utc = Weeks()
    let paris = Weeks(utcOffset: { _ in 3_600 })
    #expect(paris.week(of: sundayNight) == utc.week(of: sundayNight) + 1)
    #expect(paris.start(of: paris.week(of: sundayNight)) == sundayNight - 30 * 60)
  }

  @Test func aNewPhaseWaitsForAMeasurement() throws {
    let phased = PlanSettings(startSPM: 150, holdDays: 7, holdRuns: 3, baselinePain: 1)
    // 150 -> 155 (day 7) -> 160 (day 14) -> 165 (day 21); 170 opens phase 2.
    let climbing = runs(13)  // to day 28
    let waiting = try evaluate(climbing, now: at(29), phased)
    #expect(waiting.current.spm == 165 && waiting.rungStart == at(21))
    #expect(waiting.holds == [.remeasure(phase: 2)])
    // A measurement on day 29 lifts that; the hold at 165 was already over.
    let next = try evaluate(climbing + [.measurement(time: at(29), spm: 164)], now: at(29) + 1, phased)
    #expect(next.current.spm == 170 && next.isComplete && next.rungStart == at(29))
  }

  @Test func aFirstWeekIsNotARiseOverNothing() throws {
    let quick = PlanSettings(startSPM: 160, holdDays: 7, holdRuns: 3, baselinePain: 1)
    let status = try evaluate(runs(3), now: at(7), quick)
    #expect(status.currentIndex == 1 && status.rungStart == at(7))
  }

  @Test func runsWithoutACheckInDoNotEarnARung() throws {
    let unchecked = runs(7) { k, r in if k >= 4 { r.effort = nil; r.backPain = nil } }
    let status = try evaluate(unchecked, now: at(15))
    #expect(status.currentIndex == 0 && status.runsAtRung == 4)
    #expect(status.holds == [.runs(done: 4, needed: 6)])
  }

  @Test func runsOffTheRungCountForDistanceNotForTheRung() throws {
    // Runs 3-6 at 140 spm on the 160 rung: only runs 0-2 count; 161.5 and 158 are within 2 spm.
    let off = runs(7) { k, r in r.spm = k >= 3 ? 140 : [161.5, 158, 160][k] }
    let status = try evaluate(off, now: at(15))
    #expect(status.currentIndex == 0 && status.runsAtRung == 3)
    #expect(status.holds == [.runs(done: 3, needed: 6), .offRung(runs: 4, rung: 160)])
    #expect(
      HoldReason.offRung(runs: 4, rung: 160).description
        == "4 runs were not at 160 spm (more than 2 spm off, a product choice): they count for distance, not for this rung"
    )
    // 2.1 spm off does not count; exactly 2 does.
    #expect(!RunCheckIn(time: 0, completedAtTarget: true, spm: 162.1).isAt(160))
    #expect(RunCheckIn(time: 0, completedAtTarget: true, spm: 162).isAt(160))
    #expect(RunCheckIn(time: 0, completedAtTarget: true).isAt(160))  // logged against the plan
  }

  @Test func aReMeasureMustReachTheRungHeld() throws {
    let phased = PlanSettings(startSPM: 150, holdDays: 7, holdRuns: 3, baselinePain: 1)
    let climbing = runs(13) { k, r in r.spm = [150, 155, 160, 165][min(k / 3, 3)] }
    let short = try evaluate(climbing + [.measurement(time: at(29), spm: 150)], now: at(29) + 1, phased)
    #expect(short.current.spm == 165)
    #expect(short.holds == [.remeasureShort(measured: 150, needed: 165)])
    #expect(
      short.holds[0].description
        == "your new measurement, 150 spm, is more than 2 spm (a product choice) below 165 spm: run at 165 on the click and measure again (cadence measure SPM)"
    )
    let reached = try evaluate(
      climbing + [.measurement(time: at(29), spm: 150), .measurement(time: at(30), spm: 163)], now: at(30) + 1, phased)
    #expect(reached.current.spm == 170 && reached.rungStart == at(30))
  }

  @Test func onTheFirstRungPainHoldsItThereIsNoStepBack() throws {
    let sore = runs(3) { k, r in if k >= 1 { r.backPain = 3 } }  // baseline 1: +2 twice
    let status = try evaluate(sore, now: at(5))
    #expect(status.currentIndex == 0 && !status.steppedBack)
    #expect(status.painRisesInARow == 2)
    #expect(status.holds.contains(.painRose(points: 2)))
  }

  @Test func painAboveTheBaselineForThreeWeeksAsksTheLastingPainQuestion() throws {
    let sore = { (k: Int, r: inout RunCheckIn) in r.backPain = 2 }  // baseline 1: above, not a rise
    // Runs on days 0 ... 18: 18 days of pain, not yet three weeks.
    #expect(try evaluate(runs(9, edit: sore), now: at(19)).lastingPainSince == nil)
    // Day 21: three weeks since run 0.
    let lasting = try evaluate(runs(10, edit: sore), now: at(22))
    #expect(lasting.lastingPainSince == at(0) + nine)
    #expect(
      PainAdvice.lastingPainQuestion(since: "2026-01-01")
        == "Back pain has been above your baseline on every run since 2026-01-01 (3 weeks or more). Has it not improved with self-care? That is a warning sign: stop running and see a professional, and report it with: cadence warn lasting-pain"
    )
    // A run at the baseline ends it; it starts again from the next run above.
    let eased = try evaluate(runs(10) { k, r in r.backPain = k == 5 ? 1 : 2 }, now: at(22))
    #expect(eased.lastingPainSince == nil)
  }

  @Test func maintenanceHasNothingToUnlock() throws {
    let status = try evaluate(runs(3), now: at(10), PlanSettings(startSPM: 178))
    #expect(status.isMaintenance && status.isComplete && status.holds.isEmpty && status.earliestNext == nil)
  }
}

/// The replay read step by step: after each event the plan stands where `evaluatePlan` of the
/// events so far says it does.
@Suite struct PlanReplayTests {
  @Test func eachStepCanBeRead() throws {
    let start: Int64 = 1_767_225_600
    let settings = PlanSettings(startSPM: 160, holdDays: 7, holdRuns: 3)
    var replay = try PlanReplay(settings, startedAt: start)
    let events = [0, 2, 4].map {
      PlanEvent.run(RunCheckIn(time: start + $0 * day + 3_600, completedAtTarget: true, effort: 4, backPain: 0))
    }
    var seen: [PlanEvent] = []
    for event in events {
      replay.apply(event)
      seen.append(event)
      let now = event.time + 60
      #expect(replay.status(at: now) == (try evaluatePlan(settings, startedAt: start, events: seen, now: now)))
    }
    let held = replay.status(at: start + 6 * day)
    #expect(held.currentIndex == 0 && held.runsAtRung == 3 && held.holds == [.days(done: 6, needed: 7)])
    // The daily check at the rung's start plus 7 days unlocks 165.
    let unlocked = replay.status(at: start + 7 * day)
    #expect(unlocked.currentIndex == 1 && unlocked.rungStart == start + 7 * day && unlocked.holds.count == 2)
    // A warning sign pauses it; a resume lifts the pause.
    replay.apply(.warningSigns(time: start + 8 * day, [.legWeakness]))
    #expect(replay.status(at: start + 8 * day).pausedFor == [.legWeakness])
    replay.apply(.resume(time: start + 9 * day))
    #expect(replay.status(at: start + 9 * day).pausedFor == nil)
  }
}
