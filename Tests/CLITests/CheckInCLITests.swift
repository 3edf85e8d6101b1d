import Foundation
import GRDB
import History
import Testing

@testable import cadence

/// `cadence checkin`: no run is left without a way to count. A check-in skipped, stopped
/// early or never asked (an import) is added later, to the newest run without one or to any
/// run by id; only then does the run count towards a rung.
@Suite struct CheckInCLITests {
  struct Journey {
    let dir: URL
    let db: String
    init(_ name: String) {
      dir = scratchDirectory("checkin-\(name)")
      db = dir.appendingPathComponent("h.sqlite").path
    }
    func run(_ arguments: [String], at now: String, stdin: String? = nil) throws -> RunResult {
      try inProcess(arguments + ["--db", db], environment: ["CADENCE_NOW": now], stdin: stdin)
    }
    func effortAndPain() throws -> [[Int?]] {
      try DatabaseQueue(path: db).read { db in
        try Row.fetchAll(db, sql: "SELECT effort, backPain FROM run ORDER BY id").map {
          [$0["effort"], $0["backPain"]]
        }
      }
    }
  }

  @Test func aLoggedRunWithoutACheckInGetsOneLater() throws {
    let j = Journey("logged")
    #expect(try j.run(["plan", "--current", "160", "--baseline-pain", "0"], at: "2026-03-01T08:00:00Z").status == 0)
    let logged = try j.run(["log", "--minutes", "30"], at: "2026-03-02T08:00:00Z")
    #expect(logged.stdout.hasPrefix("logged run on 2026-03-02, 160 spm, 30:00, no check-in\n"))
    #expect(
      logged.stdout.contains("Holding: 1 of 14 days at this cadence; 0 of 6 runs at this cadence."), "\(logged.stdout)")

    let added = try j.run(["checkin", "--effort", "5", "--pain", "0"], at: "2026-03-02T09:00:00Z")
    #expect(added.status == 0, "\(added.stderr)")
    #expect(
      added.stdout.hasPrefix(
        "Check-in for run 1: logged run on 2026-03-02, 160 spm, 30:00, no check-in\n"
          + "logged run on 2026-03-02, 160 spm, 30:00, effort 5/10, back pain 0/10\n"),
      "\(added.stdout)")
    #expect(
      added.stdout.contains("Holding: 1 of 14 days at this cadence; 1 of 6 runs at this cadence."), "\(added.stdout)")
    #expect(try j.effortAndPain() == [[5, 0]])

    let none = try j.run(["checkin"], at: "2026-03-02T10:00:00Z")
    #expect(none.status == 64)
    #expect(
      none.stderr
        == "cadence: error: every run in your history has a check-in\n"
        + "  try: give a run's id to change its check-in (cadence history lists them)\n")

    let changed = try j.run(["checkin", "1", "--effort", "7", "--pain", "1"], at: "2026-03-02T10:00:00Z")
    #expect(changed.status == 0, "\(changed.stderr)")
    #expect(
      changed.stdout.hasPrefix(
        "Check-in for run 1: logged run on 2026-03-02, 160 spm, 30:00, effort 5/10, back pain 0/10\n"
          + "It has a check-in (effort 5/10, back pain 0/10): the new one replaces it.\n"
          + "logged run on 2026-03-02, 160 spm, 30:00, effort 7/10, back pain 1/10\n"),
      "\(changed.stdout)")
    #expect(try j.effortAndPain() == [[7, 1]])

    let missing = try j.run(["checkin", "9", "--effort", "5", "--pain", "0"], at: "2026-03-02T10:00:00Z")
    #expect(missing.status == 64)
    #expect(
      missing.stderr
        == "cadence: error: there is no run 9 in your history\n  try: cadence history lists the runs and their ids\n")
  }

  /// The questions on the input, as after a session; an input that ends stores nothing.
  @Test func theQuestionsAreAskedWithoutOptions() throws {
    let j = Journey("asked")
    #expect(try j.run(["log", "--minutes", "20"], at: "2026-03-02T08:00:00Z").status == 0)
    let skipped = try j.run(["checkin"], at: "2026-03-02T09:00:00Z", stdin: "")
    #expect(skipped.status == 66)
    #expect(
      skipped.stderr
        == "\nCheck-in (Ctrl-D to skip):\n(A run counts towards the next rung with effort 6 or less and back pain no higher than your usual; a warning sign pauses the plan.)\nEffort, 1 (very easy) to 10 (maximal)? \n"
        + "cadence: error: the check-in was not finished: the run does not count towards a rung yet\n"
        + "  try: run cadence checkin 1 when you can answer, or give --effort and --pain\n")
    #expect(try j.effortAndPain() == [[nil, nil]])

    // Interrupted after the effort: it is kept, and the run still lacks its pain. Interrupted
    // after a warning sign answered yes: effort, pain and the sign are kept, and the sign is
    // heard (the plan pauses and says so).
    let k = Journey("asked-partly")
    #expect(try k.run(["log", "--minutes", "20"], at: "2026-03-02T08:00:00Z").status == 0)
    let partly = try k.run(["checkin"], at: "2026-03-02T09:00:00Z", stdin: "6\n")
    #expect(partly.status == 66)
    #expect(
      partly.stdout.contains("logged run on 2026-03-02, 20:00, effort 6/10, check-in not finished (cadence checkin 1)"),
      "\(partly.stdout)")
    #expect(try k.effortAndPain() == [[6, nil]])
    let sign = try k.run(["checkin"], at: "2026-03-02T09:05:00Z", stdin: "6\n2\ny\ny\ny\n")
    #expect(sign.status == 66)
    #expect(try k.effortAndPain() == [[6, 2]])
    #expect(
      sign.stdout.contains(
        "STOP: you reported a warning sign. Do not run through it.\n  - Pain that radiates down a leg"),
      "\(sign.stdout)")

    let answered = try j.run(["checkin"], at: "2026-03-02T09:00:00Z", stdin: "6\n0\ny\n\n5km\n")
    #expect(answered.status == 0, "\(answered.stderr)")
    #expect(
      answered.stdout
        == "Check-in for run 1: logged run on 2026-03-02, 20:00, no check-in\n"
        + "logged run on 2026-03-02, 20:00, 5.00 km, effort 6/10, back pain 0/10\n")
    #expect(
      answered.stderr.hasPrefix(
        "\nCheck-in (Ctrl-D to skip):\n(A run counts towards the next rung with effort 6 or less and back pain no higher than your usual; a warning sign pauses the plan.)\nEffort, 1 (very easy) to 10 (maximal)? "
      ))
    #expect(answered.stderr.contains("Did you run the whole cadence block on the click? [y/n] "))
    #expect(try j.effortAndPain() == [[6, 0]])
  }

  /// A watch runner imports and adds check-ins: an imported run counts at the cadence the watch
  /// measured (not asked about a click it never heard), and the rung unlocks.
  @Test func anImportedRunCountsOnceCheckedIn() throws {
    let j = Journey("imported")
    #expect(
      try j.run(["plan", "--current", "170", "--goal", "175", "--baseline-pain", "0"], at: "2026-03-01T08:00:00Z")
        .status == 0)
    for (index, day) in [2, 4, 6, 8, 10, 12].enumerated() {
      let date = String(format: "2026-03-%02d", day)
      let file = j.dir.appendingPathComponent("run\(day).tcx").path
      try tcx(day: day, minutes: 20, stridesPerMinute: 85).write(toFile: file, atomically: true, encoding: .utf8)
      let imported = try j.run(["import", file], at: date + "T18:00:00Z")
      #expect(imported.status == 0, "\(imported.stderr)")
      let asked = try j.run(["checkin"], at: date + "T18:05:00Z", stdin: "5\n0\n\n\n\n\n\n\n")
      #expect(asked.status == 0, "\(asked.stderr)")
      #expect(!asked.stderr.contains("on the click"))
      #expect(
        asked.stdout.hasPrefix("Check-in for run \(index + 1): imported run on \(date), 20:00"), "\(asked.stdout)")
      #expect(asked.stdout.contains("\(index + 1) of 6 runs at this cadence") || index == 5, "\(asked.stdout)")
    }
    let plan = try j.run(["plan"], at: "2026-03-16T08:00:00Z")
    #expect(plan.stdout.contains("Now: 175 spm"), "\(plan.stdout)")
  }

  @Test func aWarningReportIsNotARun() throws {
    let j = Journey("report")
    #expect(try j.run(["warn", "walking-pain"], at: "2026-03-02T08:00:00Z").status == 0)
    let refused = try j.run(["checkin", "1", "--effort", "5", "--pain", "0"], at: "2026-03-02T09:00:00Z")
    #expect(refused.status == 64)
    #expect(
      refused.stderr
        == "cadence: error: 1 is a warning-sign report, not a run: it has no check-in\n"
        + "  try: cadence history lists the runs and their ids\n")
    let none = try inProcess(["checkin", "--db", j.dir.appendingPathComponent("none.sqlite").path])
    #expect(none.status == 64)
    #expect(none.stderr.hasPrefix("cadence: error: there is no history at '"))
  }

  /// `log` of a run already imported completes it: one row, the watch's time and distance
  /// kept, the check-in added (it used to store a second run and double its distance in the
  /// 10% rule).
  @Test func aLogCompletesTheImportedRun() throws {
    let j = Journey("log-import")
    let file = j.dir.appendingPathComponent("run.tcx").path
    try tcx(day: 2, minutes: 20, stridesPerMinute: 85).write(toFile: file, atomically: true, encoding: .utf8)
    #expect(try j.run(["import", file], at: "2026-03-02T18:00:00Z").status == 0)
    let logged = try j.run(
      ["log", "--minutes", "25", "--distance", "5km", "--effort", "5", "--pain", "0", "--notes", "easy"],
      at: "2026-03-02T19:00:00Z")
    #expect(logged.status == 0, "\(logged.stderr)")
    #expect(
      logged.stdout
        == "Completed run 1 (imported, 2026-03-02T07:00:00Z) rather than storing it twice:\n"
        + "imported run on 2026-03-02, 20:00, 3.60 km, effort 5/10, back pain 0/10\n", "\(logged.stdout)")
    let rows = try DatabaseQueue(path: j.db).read { db in
      try Row.fetchAll(db, sql: "SELECT source, durationSeconds, distanceMeters, effort, notes FROM run")
    }
    #expect(rows.count == 1)
    #expect(rows.first?["distanceMeters"] == 3600.0)
    #expect(rows.first?["durationSeconds"] == 1200.0)
    #expect(rows.first?["effort"] == 5)
    #expect(rows.first?["notes"] == "run.tcx; easy")
  }

  /// Two candidates: the runner says which (--run), or that it is another run (--new); nothing
  /// is stored until then. A run with its check-in is never a candidate.
  @Test func twoCandidatesAskWhich() throws {
    let j = Journey("log-which")
    #expect(try j.run(["log", "--minutes", "20"], at: "2026-03-02T07:00:00Z").status == 0)
    #expect(try j.run(["log", "--minutes", "30", "--new"], at: "2026-03-02T18:00:00Z").status == 0)
    #expect(
      try j.run(["log", "--minutes", "40", "--effort", "4", "--pain", "0", "--new"], at: "2026-03-02T19:00:00Z").status
        == 0)
    let asked = try j.run(["log", "--effort", "5", "--pain", "0"], at: "2026-03-02T20:00:00Z")
    #expect(asked.status == 64)
    #expect(
      asked.stderr
        == "cadence: error: 2 runs of that day are imported or lack their check-in: "
        + "1 (logged run on 2026-03-02, 20:00, no check-in); 2 (logged run on 2026-03-02, 30:00, no check-in)\n"
        + "  try: give --run ID to complete one of them, or --new to store another run\n")
    #expect(try j.effortAndPain() == [[nil, nil], [nil, nil], [4, 0]])
    let chosen = try j.run(["log", "--effort", "6", "--pain", "1", "--run", "2"], at: "2026-03-02T20:00:00Z")
    #expect(chosen.status == 0, "\(chosen.stderr)")
    #expect(chosen.stdout.hasPrefix("Completed run 2 (log, 2026-03-02T18:00:00Z) rather than storing it twice:\n"))
    #expect(try j.effortAndPain() == [[nil, nil], [6, 1], [4, 0]])
    let one = try j.run(["log", "--effort", "5", "--pain", "0"], at: "2026-03-02T21:00:00Z")
    #expect(one.stdout.hasPrefix("Completed run 1 (log, 2026-03-02T07:00:00Z)"))
    #expect(try j.effortAndPain() == [[5, 0], [6, 1], [4, 0]])
    let nothing = try j.run(["log"], at: "2026-03-02T21:00:00Z")
    #expect(nothing.status == 64)
    #expect(
      nothing.stderr.hasPrefix(
        "cadence: error: nothing to log: give what you ran (--minutes, --distance) and how it went (--effort and --pain)\n"
      ))
  }

  /// A TCX run on `day` of March 2026: `minutes` at 3 m/s, the watch's cadence in strides.
  func tcx(day: Int, minutes: Int, stridesPerMinute: Int) -> String {
    var xml = "<?xml version=\"1.0\"?>\n<TrainingCenterDatabase><Activities><Activity Sport=\"Running\"><Lap><Track>\n"
    for s in stride(from: 0, through: minutes * 60, by: 5) {
      let time = String(format: "2026-03-%02dT07:%02d:%02dZ", day, s / 60, s % 60)
      xml += "<Trackpoint><Time>\(time)</Time><DistanceMeters>\(s * 3)</DistanceMeters>"
      xml +=
        "<Extensions><TPX><Speed>3.0</Speed><RunCadence>\(stridesPerMinute)</RunCadence></TPX></Extensions></Trackpoint>\n"
    }
    return xml + "</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n"
  }
}
