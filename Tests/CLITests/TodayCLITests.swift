import Foundation
import Testing

@testable import cadence

/// `cadence today`: what to run next and what clears each hold, at every step of a first week.
@Suite struct TodayCLITests {
  @Test func aFirstWeekReadsRight() throws {
    let dir = scratchDirectory("today")
    let db = dir.appendingPathComponent("h.sqlite").path
    func run(_ arguments: [String], at now: String) throws -> RunResult {
      try inProcess(arguments + ["--db", db], environment: ["CADENCE_NOW": now])
    }
    #expect(
      try run(["today"], at: "2026-03-01T08:00:00Z").stdout
        == "No plan yet. First measure your cadence on a run at your usual speed: cadence tap (tap on every step for "
        + "25 s), cadence measure SPM (count your steps for a minute), or cadence import your watch's file.\n")
    #expect(try run(["measure", "160"], at: "2026-03-01T08:00:00Z").status == 0)
    #expect(
      try run(["today"], at: "2026-03-01T08:00:00Z").stdout
        == "No plan yet. Next: cadence plan makes it from your 160 spm, then cadence session plays its first rung.\n")
    #expect(try run(["plan", "--baseline-pain", "0"], at: "2026-03-01T08:00:00Z").status == 0)
    #expect(
      try run(["log", "--minutes", "30", "--effort", "7", "--pain", "1"], at: "2026-03-02T08:00:00Z").status == 0)
    #expect(try run(["log", "--minutes", "30", "--new"], at: "2026-03-03T08:00:00Z").status == 0)
    let today = try run(["today"], at: "2026-03-04T08:00:00Z")
    #expect(today.status == 0)
    #expect(
      today.stdout
        == """
        Today: cadence session: 5 min warm-up, 20 min at 160 spm, 5 min cool-down (rung 1 of 3).
        Run 2 (2026-03-03) has no check-in, so it does not count yet: cadence checkin 2
        For 165 spm:
          - 11 more days at this cadence (from 2026-03-15)
          - 5 more runs at 160 spm with a check-in: 10 minutes or more, the whole time on the click, effort 6 or less, back pain no higher than your usual 0
          - effort was above 6/10 (a product choice) on 1 of the recent runs (it holds until 6 newer checked-in runs at 160 spm follow, at most 6 more)
          - back pain was above your baseline on 1 of the recent runs (it holds until 6 newer checked-in runs at 160 spm follow, at most 6 more)

        """)
    #expect(try run(["warn", "walking-pain"], at: "2026-03-04T09:00:00Z").status == 0)
    #expect(
      try run(["today"], at: "2026-03-04T10:00:00Z").stdout
        == "Today: no run. Your plan is paused for a warning sign (walking-pain): do not run through it. "
        + "When a professional has cleared you to run: cadence plan resume\n")
  }
}
