import CadenceCore
import Coach
import Foundation
import History
import Testing

@Suite struct RunLedgerTests {
  func ledger(_ name: String) throws -> RunLedger {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coach-\(name)-\(getpid())")
    try? FileManager.default.removeItem(at: dir)
    let db = try AppDatabase(path: dir.appendingPathComponent("h.sqlite").path)
    return RunLedger(db: db, now: Date(timeIntervalSince1970: 1_780_000_000))
  }

  let run = RunRecord(
    date: Date(timeIntervalSince1970: 1_780_000_000), source: .session, targetSPM: 170, durationSeconds: 1_800,
    completedAtTarget: true)

  @Test func theRunIsStoredBeforeTheCheckInIsAsked() throws {
    let ledger = try ledger("before")
    var seenWhileAsking: [RunRecord] = []
    let recorded = try ledger.record(run) {
      seenWhileAsking = (try? ledger.db.runs()) ?? []
      return .answered(
        CheckInAnswers(
          effort: 5, backPain: 1, completedAtTarget: false, warningSigns: [.legWeakness], distanceMeters: 4_000))
    }
    #expect(seenWhileAsking.count == 1 && seenWhileAsking[0].effort == nil)
    let rows = try ledger.db.runs()
    #expect(rows == [recorded.rows])
    #expect(rows[0].effort == 5 && rows[0].backPain == 1 && rows[0].distanceMeters == 4_000)
    #expect(rows[0].completedAtTarget == false && rows[0].signs == [.legWeakness])
    #expect(
      describe(recorded.rows)
        == "logged run on \(dayString(run.date)), 170 spm, 30:00, 4.00 km, effort 5/10, back pain 1/10, missed the target"
    )
    // No plan: nothing before or after.
    #expect(recorded.before == nil && recorded.after == nil)
  }

  @Test func aCheckInThatEndsLeavesTheRunWithoutOne() throws {
    let ledger = try ledger("skipped")
    let recorded = try ledger.record(run) { .interrupted(PartialCheckIn()) }
    let rows = try ledger.db.runs()
    #expect(rows.count == 1 && rows[0].effort == nil && rows[0].backPain == nil && rows[0].completedAtTarget)
    #expect(describe(recorded.rows) == "logged run on \(dayString(run.date)), 170 spm, 30:00, no check-in")
  }

  @Test func anInterruptedPromptReadsNoMoreAnswers() throws {
    var asked: [String] = []
    var answers = ["7", "2"][...]
    let prompt = CheckInPrompt(readLine: { answers.popFirst() }, write: { asked.append($0) })
    #expect(prompt.run() == nil)
    #expect(asked.filter { $0.hasSuffix("? ") || $0.hasSuffix("] ") }.count == 3)
  }

  /// The short check-in: five questions when all is well (one for the warning signs, each asked
  /// only after a yes), answers as runners type them ("5/10", "none"), and the distance the run
  /// has offered, kept on Enter.
  @Test func theShortCheckIn() throws {
    var asked: [String] = []
    var answers = ["5/10", "none", "y", "", ""][...]
    let prompt = CheckInPrompt(readLine: { answers.popFirst() }, write: { asked.append($0) })
    let result = prompt.ask(offeredDistance: (5_000, "5.00 km"))
    #expect(
      result
        == .answered(
          CheckInAnswers(effort: 5, backPain: 0, completedAtTarget: true, warningSigns: [], distanceMeters: 5_000)))
    #expect(
      asked.filter { $0.hasSuffix("? ") || $0.hasSuffix("] ") } == [
        "Effort, 1 (very easy) to 10 (maximal)? ", "Back pain now, 0 (none) to 10 (worst)? ",
        "Did you run the whole cadence block on the click? [y/n] ", WarningSign.anyQuestion + " [y/N] ",
        "Distance [5.00 km] (Enter keeps it, or e.g. 5km, 3mi)? ",
      ])
    // A yes asks each sign in turn.
    var more = ["6", "2", "n", "y", "n", "n", "y", "n", "n", "3km"][...]
    let each = CheckInPrompt(readLine: { more.popFirst() }, write: { _ in })
    #expect(
      each.ask()
        == .answered(
          CheckInAnswers(
            effort: 6, backPain: 2, completedAtTarget: false, warningSigns: [.legWeakness], distanceMeters: 3_000)))
  }

  /// A check-in that ends after the runner said yes to a warning sign keeps what it was told:
  /// the sign is stored with the run and pauses the plan; effort and pain are kept.
  @Test func anInterruptedCheckInKeepsItsAnswersAndItsWarningSign() throws {
    let ledger = try ledger("interrupted")
    _ = try ledger.db.startPlan(PlanSettings(startSPM: 160), at: ledger.now.addingTimeInterval(-86_400))
    var answers = ["5", "1", "y", "y", "y"][...]
    let prompt = CheckInPrompt(readLine: { answers.popFirst() }, write: { _ in })
    let result = prompt.ask()
    #expect(result == .interrupted(PartialCheckIn(effort: 5, backPain: 1, warningSigns: [.radiatingPain])))
    let recorded = try ledger.record(run) { result }
    let stored = try ledger.db.runs()
    #expect(stored.count == 1 && stored[0].effort == 5 && stored[0].backPain == 1)
    #expect(stored[0].signs == [.radiatingPain])
    #expect(recorded.after?.status.pausedFor == [.radiatingPain])
    // Nothing told: nothing written.
    let empty = try ledger.record(run) { .interrupted(PartialCheckIn()) }
    #expect(empty.rows.effort == nil && empty.rows.warningSigns.isEmpty)
  }

  /// Two runs in a row with pain 2+ over the baseline on the second rung: the outcome holds the
  /// plan before (165) and after (stepped back to 160), each replayed once, and the change says
  /// once that it stepped back, to which rung and from which, with the articles' advice.
  @Test func aStepBackIsSaidOnceAndCorrectly() throws {
    let ledger = try ledger("step-back")
    let day: TimeInterval = 86_400
    let start = ledger.now.addingTimeInterval(-30 * day)
    _ = try ledger.db.startPlan(PlanSettings(startSPM: 160, holdDays: 7, holdRuns: 3), at: start)
    func run(_ d: Double, spm: Double, pain: Int) -> RunRecord {
      RunRecord(
        date: start.addingTimeInterval(d * day + 3_600), source: .log, targetSPM: spm, durationSeconds: 1_800,
        completedAtTarget: true, effort: 5, backPain: pain)
    }
    for d in [0.0, 2, 4] { _ = try ledger.record(run(d, spm: 160, pain: 0)) }
    _ = try ledger.record(run(8, spm: 165, pain: 2))
    let recorded = try ledger.record(run(10, spm: 165, pain: 3))
    let before = try #require(recorded.before)
    let after = try #require(recorded.after)
    #expect(before.status.current.spm == 165 && !before.status.steppedBack)
    #expect(after.status.current.spm == 160 && after.status.steppedBack)
    #expect(recorded.previous == start.addingTimeInterval(8 * day + 3_600))
    #expect(
      [describe(recorded.rows), planChange(from: before, to: after, previous: recorded.previous)] == [
        "logged run on \(dayString(start.addingTimeInterval(10 * day + 3_600))), 165 spm, 30:00, effort 5/10, back pain 3/10",
        """
        Plan: stepped back to 160 spm (from 165): back pain was 2+ points above your baseline on 2 runs in a row (a product choice). The rung's hold starts again from that run: 165 spm unlocks on \(dayString(start.addingTimeInterval(17 * day + 3_600))) at the earliest.
        If it hurts while running, stop: don't push through it.
        Rest: take a break from running for a few days; ice 15-20 minutes at a time, several times a day.
        For lower back pain, one article's top advice is at least a week or two off.
        If the pain persists, see a physical therapist.
        Your baseline back pain is 0/10: check-ins are compared with it. If more is usual for you on days you do not run, set it: cadence plan set --baseline-pain N
        """,
      ])
    // The next good run at 160 holds the lower rung, without saying the step back again.
    let next = try ledger.record(run(12, spm: 160, pain: 0))
    let line = planChange(from: try #require(next.before), to: try #require(next.after), previous: next.previous)
    #expect(line.hasPrefix("Plan: 160 spm, rung 1 of 3. Holding: "))
    #expect(!line.contains("tepped back"))
  }

  /// A command that replayed the plan before the run hands it in: the ledger does not replay it
  /// again (a report made at another moment comes back as given), and replays it once after.
  @Test func thePlanBeforeIsReplayedOnce() throws {
    let ledger = try ledger("once")
    let start = ledger.now.addingTimeInterval(-3 * 86_400)
    _ = try ledger.db.startPlan(PlanSettings(startSPM: 160), at: start)
    let earlier = RunLedger(db: ledger.db, now: start.addingTimeInterval(3_600))
    let stale = try #require(try earlier.planReport())
    let fresh = try #require(try ledger.planReport())
    #expect(stale.status != fresh.status)
    let good = RunRecord(
      date: ledger.now, source: .log, targetSPM: 160, durationSeconds: 1_800, completedAtTarget: true, effort: 5,
      backPain: 0)
    let given = try ledger.record(good, planBefore: .some(stale))
    #expect(given.before?.status == stale.status)
    #expect(given.after?.status.runsAtRung == 1)
    let replayed = try ledger.record(good)
    #expect(replayed.before?.status == given.after?.status)
    #expect(replayed.after?.status.runsAtRung == 2)
    // No plan given and none stored: nothing to compare.
    let none = try self.ledger("none").record(run, planBefore: .some(nil))
    #expect(none.before == nil && none.after == nil)
  }
}

/// A played run's time paused is kept apart from its time run, in the history and its JSON.
@Suite struct PausedTimeTests {
  @Test func pausedMinutesAreApartFromMinutes() throws {
    let db = try AppDatabase.inMemory()
    var run = RunRecord(
      date: Date(timeIntervalSince1970: 1_767_258_000), source: .session, targetSPM: 170, durationSeconds: 1_800)
    run.pausedSeconds = 75
    let stored = try db.addRun(run)
    let read = try #require(try db.runs().first { $0.id == stored.id })
    #expect(read.durationSeconds == 1_800)
    #expect(read.pausedSeconds == 75)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let object = try #require(
      try JSONSerialization.jsonObject(with: encoder.encode(HistoryExport.Row(read))) as? [String: Any])
    #expect(object["minutes"] as? Double == 30)
    #expect(object["pausedMinutes"] as? Double == 1.3)
    let unpaused = try JSONSerialization.jsonObject(
      with: encoder.encode(HistoryExport.Row(RunRecord(date: Date(timeIntervalSince1970: 0), source: .log))))
    #expect((unpaused as? [String: Any])?["pausedMinutes"] is NSNull)
  }
}

/// Where the baseline comes from is said when the last run's pain was above it, not after every
/// run while an older sore run is still in the window.
@Suite struct BaselineNoteTests {
  @Test func saidForASoreRunNotForTheGoodOnesAfterIt() throws {
    let start: Int64 = 1_767_225_600
    let settings = PlanSettings(startSPM: 160, baselinePain: 1)
    func run(_ day: Int64, pain: Int) -> PlanEvent {
      .run(RunCheckIn(time: start + day * 86_400, completedAtTarget: true, effort: 5, backPain: pain, seconds: 1_800))
    }
    let note = "Your baseline back pain is 1/10: check-ins are compared with it."
    let sore = try evaluatePlan(settings, startedAt: start, events: [run(0, pain: 2)], now: start + 86_400)
    #expect(sore.holds.contains(.painAboveBaseline(runs: 1)))
    #expect(painNotes(sore, settings).contains { $0.hasPrefix(note) })
    let after = try evaluatePlan(
      settings, startedAt: start, events: [run(0, pain: 2), run(2, pain: 1)], now: start + 3 * 86_400)
    #expect(after.holds.contains(.painAboveBaseline(runs: 1)))
    #expect(!painNotes(after, settings).contains { $0.hasPrefix(note) })
  }
}
