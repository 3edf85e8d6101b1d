import CadenceCore
import Coach
import Foundation
import History
import Testing

@Suite struct RunLedgerTests {
  func ledger(_ name: String) throws -> (RunLedger, [String], () -> [String]) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coach-\(name)-\(getpid())")
    try? FileManager.default.removeItem(at: dir)
    let db = try AppDatabase(path: dir.appendingPathComponent("h.sqlite").path)
    let lines = LineBox()
    let now = Date(timeIntervalSince1970: 1_780_000_000)
    return (RunLedger(db: db, now: now, say: { lines.items.append($0) }), [], { lines.items })
  }

  final class LineBox: @unchecked Sendable { var items: [String] = [] }

  let run = RunRecord(
    date: Date(timeIntervalSince1970: 1_780_000_000), source: .session, targetSPM: 170, durationSeconds: 1_800,
    completedAtTarget: true)

  @Test func theRunIsStoredBeforeTheCheckInIsAsked() throws {
    let (ledger, _, lines) = try ledger("before")
    var seenWhileAsking: [RunRecord] = []
    let stored = try ledger.record(run) {
      seenWhileAsking = (try? ledger.db.runs()) ?? []
      return CheckInAnswers(
        effort: 5, backPain: 1, completedAtTarget: false, warningSigns: [.legWeakness], distanceMeters: 4_000)
    }
    #expect(seenWhileAsking.count == 1 && seenWhileAsking[0].effort == nil)
    let rows = try ledger.db.runs()
    #expect(rows == [stored])
    #expect(rows[0].effort == 5 && rows[0].backPain == 1 && rows[0].distanceMeters == 4_000)
    #expect(rows[0].completedAtTarget == false && rows[0].signs == [.legWeakness])
    #expect(
      lines().first
        == "logged run on \(dayString(run.date)), 170 spm, 30:00, 4.00 km, effort 5/10, back pain 1/10, missed the target"
    )
    #expect(lines().count == 2 && lines()[1].hasPrefix("STOP: you reported a warning sign."))
  }

  @Test func aCheckInThatEndsLeavesTheRunWithoutOne() throws {
    let (ledger, _, lines) = try ledger("skipped")
    try ledger.record(run) { nil }
    let rows = try ledger.db.runs()
    #expect(rows.count == 1 && rows[0].effort == nil && rows[0].backPain == nil && rows[0].completedAtTarget)
    #expect(lines() == ["logged run on \(dayString(run.date)), 170 spm, 30:00, no check-in"])
  }

  @Test func anInterruptedPromptReadsNoMoreAnswers() throws {
    var asked: [String] = []
    var answers = ["7", "2"][...]
    let prompt = CheckInPrompt(readLine: { answers.popFirst() }, write: { asked.append($0) })
    #expect(prompt.run() == nil)
    #expect(asked.filter { $0.hasSuffix("? ") || $0.hasSuffix("] ") }.count == 3)
  }

  /// Two runs in a row with pain 2+ over the baseline on the second rung: the plan says once that
  /// it stepped back, to which rung and from which, with the articles' advice.
  @Test func aStepBackIsSaidOnceAndCorrectly() throws {
    let (ledger, _, lines) = try ledger("step-back")
    let day: TimeInterval = 86_400
    let start = ledger.now.addingTimeInterval(-30 * day)
    _ = try ledger.db.startPlan(PlanSettings(startSPM: 160, holdDays: 7, holdRuns: 3), at: start)
    func run(_ d: Double, spm: Double, pain: Int) -> RunRecord {
      RunRecord(
        date: start.addingTimeInterval(d * day + 3_600), source: .log, targetSPM: spm, durationSeconds: 1_800,
        completedAtTarget: true, effort: 5, backPain: pain)
    }
    for d in [0.0, 2, 4] { try ledger.record(run(d, spm: 160, pain: 0)) }
    try ledger.record(run(8, spm: 165, pain: 2))
    let before = lines().count
    try ledger.record(run(10, spm: 165, pain: 3))
    #expect(
      Array(lines()[before...]) == [
        "logged run on \(dayString(start.addingTimeInterval(10 * day + 3_600))), 165 spm, 30:00, effort 5/10, back pain 3/10",
        """
        Plan: stepped back to 160 spm (from 165): back pain was 2+ points above your baseline on 2 runs in a row (a product choice).
        If it hurts while running, stop: don't push through it.
        Rest: take a break from running for a few days; ice 15-20 minutes at a time, several times a day.
        For lower back pain, one article's top advice is at least a week or two off.
        If the pain persists, see a physical therapist.
        Your baseline back pain is 0/10: check-ins are compared with it. If more is usual for you on days you do not run, set it: cadence plan set --baseline-pain N
        """,
      ])
    // The next good run at 160 holds the lower rung, without saying the step back again.
    try ledger.record(run(12, spm: 160, pain: 0))
    #expect(lines().last?.hasPrefix("Plan: 160 spm, rung 1 of 3. Holding: ") == true)
    #expect(lines().last?.contains("tepped back") == false)
  }
}
