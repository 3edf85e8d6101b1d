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
}
