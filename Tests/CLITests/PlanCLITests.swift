import Foundation
import Synchronization
import Testing

@testable import cadence

/// A history database of its own and a pinned clock and time zone for each test.
struct Runner {
  let dir: URL
  var db: String { dir.appendingPathComponent("history.sqlite").path }

  init(_ name: String) { dir = scratchDirectory(name) }

  /// Runs cadence at `now`: in this process, but for the commands that play or record sound
  /// (they start a playback thread and take the stop signals), which run the binary.
  @discardableResult
  func run(_ arguments: [String], at now: String, stdin: String? = nil) throws -> RunResult {
    let environment = ["CADENCE_NOW": now, "TZ": "UTC"]
    if let command = arguments.first, Self.soundCommands.contains(command) {
      return try cadence(arguments + ["--db", db], environment: environment, stdin: stdin)
    }
    return try inProcess(arguments + ["--db", db], environment: environment, stdin: stdin)
  }

  static let soundCommands: Set<String> = ["play", "session", "listen", "devices"]

  func runCount() throws -> Int {
    let result = try inProcess(["history", "--json", "--db", db], environment: ["TZ": "UTC"])
    let rows = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [Any]
    return rows?.count ?? -1
  }

  /// Logs the Monday/Wednesday/Friday runs `days` (day 1 = 2026-01-01) at 09:00, good ones.
  func logRoutine(_ days: [Int], pain: Int = 0) throws {
    for d in days {
      let day = d < 10 ? "0\(d)" : "\(d)"
      let result = try run(
        ["log", "--minutes", "30", "--distance", "5km", "--effort", "5", "--pain", "\(pain)"],
        at: "2026-01-\(day)T09:00:00Z")
      #expect(result.status == 0, "\(result.stderr)")
    }
  }
}

@Suite struct PlanCommandTests {
  @Test func makingAndShowingAPlan() throws {
    let r = Runner("plan-make")
    let none = try r.run(["plan"], at: "2026-01-01T08:00:00Z")
    #expect(none.status == 64)
    #expect(
      none.stderr
        == "cadence: error: there is no cadence plan yet, and no measured cadence to make one from\n  try: measure your cadence first (cadence tap, or cadence measure SPM), or give it: cadence plan --current SPM (e.g. 160)\n"
    )
    let made = try r.run(["plan", "--current", "160", "--speed", "10km/h"], at: "2026-01-01T08:00:00Z")
    #expect(made.status == 0)
    #expect(
      made.stdout == """
        Cadence plan: 160 -> 170 spm, made 2026-01-01 on a treadmill at 10.0 km/h
          rung  cadence  step    status   from        runs
          1     160      1.04 m  current  2026-01-01  0/6
          2     165      1.01 m  locked   2026-01-15  0/6
          3     170      0.98 m  locked   2026-01-29  0/6
        Now: 160 spm. 165 spm unlocks on 2026-01-15 at the earliest, when the runs earn it.
        What holds 165 spm, and what clears it:
          - 14 more days at this cadence (from 2026-01-15)
          - 6 more runs at 160 spm with a check-in: 10 minutes or more, the whole time on the click, effort 6 or less, back pain no higher than your usual 0
        At 10.0 km/h, 160 spm is a 1.04 m step: shorter strides, feet landing under the body.

        """)
    let json = try r.run(["plan", "--json"], at: "2026-01-02T08:00:00Z")
    let plan = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(
      plan["currentSPM"] as? Double == 160 && plan["goalSPM"] as? Double == 170 && plan["speedKmh"] as? Double == 10)
    let rungs = try #require(plan["rungs"] as? [[String: Any]])
    #expect(rungs.map { $0["spm"] as? Double } == [160, 165, 170])
    #expect(rungs.map { $0["status"] as? String } == ["current", "locked", "locked"])
  }

  /// Day 1 without a trip: a measurement, then a bare `plan` makes the plan from it (off a
  /// terminal with baseline pain 0, said with how to change it); on a terminal it asks once.
  @Test func aBarePlanAfterAMeasurementMakesThePlan() throws {
    let r = Runner("plan-day-one")
    #expect(try r.run(["measure", "159.6"], at: "2026-01-01T08:00:00Z").status == 0)
    let made = try r.run(["plan"], at: "2026-01-01T08:05:00Z")
    #expect(made.status == 0, "\(made.stderr)")
    #expect(
      made.stdout.hasPrefix(
        """
        Made your plan from your latest measured cadence, 159.6 spm (baseline back pain 0; change it with cadence plan set --baseline-pain N).
        Cadence plan: 159.6 -> 170 spm, made 2026-01-01
          rung  cadence  status   from        runs
          1     160      current  2026-01-01  0/6
          2     165      locked   2026-01-15  0/6
          3     170      locked   2026-01-29  0/6

        """), "\(made.stdout)")
    let asked = Runner("plan-day-one-asked")
    #expect(try asked.run(["measure", "163"], at: "2026-01-01T08:00:00Z").status == 0)
    let answered = try inProcess(
      ["plan", "--db", asked.db], environment: ["CADENCE_NOW": "2026-01-01T08:05:00Z"], stdin: "eleven\n2\n"
    ) { $0.inputIsTerminal = true }
    #expect(answered.status == 0, "\(answered.stderr)")
    #expect(
      answered.stderr
        == "Your usual back pain on an ordinary day, 0 (none) to 10 (worst): check-ins are compared with it [0]: "
        + "please answer a whole number from 0 to 10\n"
        + "Your usual back pain on an ordinary day, 0 (none) to 10 (worst): check-ins are compared with it [0]: ")
    #expect(
      answered.stdout.hasPrefix("Made your plan from your latest measured cadence, 163 spm (baseline back pain 2;"))
  }

  /// `plan --help` names the options of `plan show` (its default), where a runner looks first.
  @Test func planHelpNamesItsOptions() throws {
    let help = try cadence(["plan", "--help"])
    #expect(help.status == 0)
    #expect(
      help.stdout.contains(
        """
        it shows the plan you have, or makes one from your latest measurement on day 1.
        The options (of plan show, the default): --current SPM, --goal SPM (170 to
        190), --step SPM (1 to 5), --new (replace the plan), --speed (10km/h, 6.2mph),
        --baseline-pain 0-10, --hold-days, --hold-runs, --json, --db; cadence plan show
        --help says each.
        """), "\(help.stdout)")
  }

  @Test func phasesAndMaintenance() throws {
    let r = Runner("plan-phases")
    let phased = try r.run(["plan", "--current", "150"], at: "2026-01-01T08:00:00Z")
    #expect(phased.stdout.contains("  5     170      locked (re-measure)  2026-02-26  0/6\n"))
    #expect(
      phased.stdout.contains(
        "170 spm is 13% above 150: beyond the +10% that cadence studies tested. The plan goes in 2 phases; measure your cadence again (cadence measure SPM) when you reach 165 spm.\n"
      ))
    // A plan is never replaced by accident.
    let refused = try r.run(["plan", "--current", "176"], at: "2026-01-01T08:00:00Z")
    #expect(refused.status == 64)
    #expect(
      refused.stderr
        == "cadence: error: you already have a plan (150 -> 170 spm, made 2026-01-01, at 150 spm now)\n"
        + "  try: add --new to replace it (it stays in the history), or change its settings in place with cadence plan set\n"
    )
    let kept = try r.run(["plan", "--current", "176", "--new"], at: "2026-01-01T08:00:00Z")
    #expect(kept.stdout.hasPrefix("Replaced your plan of 2026-01-01; it stays in the history.\n"))
    #expect(kept.stdout.contains("You already run at 176 spm, at or above your goal: keep it there (maintenance)."))
    // A start that only rounds to the goal is not told it is already there.
    let near = Runner("plan-near-goal")
    let rounded = try near.run(["plan", "--current", "169.6"], at: "2026-01-01T08:00:00Z")
    #expect(
      rounded.stdout.contains(
        "You run at 169.6 spm, which rounds to your goal: hold 170 spm with the click (maintenance). "),
      "\(rounded.stdout)")
  }

  @Test func theLatestMeasurementIsTheDefaultCurrentCadence() throws {
    let r = Runner("plan-measured")
    let missing = try r.run(["plan", "--goal", "175"], at: "2026-01-01T08:00:00Z")
    #expect(missing.status == 64)
    #expect(missing.stderr.hasPrefix("cadence: error: cadence does not know your cadence yet\n"))
    #expect(
      try r.run(["measure", "163"], at: "2026-01-01T08:00:00Z").stdout
        == "measured 163 spm on 2026-01-01\nStored in your history. Next: cadence plan makes your plan from it, then cadence session plays its first rung.\n"
    )
    let made = try r.run(["plan", "--goal", "175"], at: "2026-01-01T09:00:00Z")
    #expect(made.stdout.hasPrefix("Cadence plan: 163 -> 175 spm"))
  }

  @Test(arguments: [
    (
      ["plan", "--current", "160", "--goal", "195"],
      "cadence: error: --goal must be at most 190 spm, the top of the 170-190 band; got 195"
    ),
    (
      ["plan", "--current", "160", "--step", "6"],
      "cadence: error: --step must be from 1 to 5 spm (it can only make rungs smaller; 1 is the smallest, a product choice); got 6.00"
    ),
    (
      ["plan", "--current", "160", "--hold-days", "5"],
      "cadence: error: --hold-days must be from 7 to 365 (product choices); got 5"
    ),
    (
      // Huge holds once overflowed the day arithmetic and crashed every later command.
      ["plan", "--current", "160", "--hold-days", "999999999999999999"],
      "cadence: error: --hold-days must be from 7 to 365 (product choices); got 999999999999999999"
    ),
    (
      ["plan", "--current", "160", "--hold-runs", "2"],
      "cadence: error: --hold-runs must be from 3 to 100 (product choices); got 2"
    ),
    (
      ["plan", "--current", "160", "--hold-runs", "101"],
      "cadence: error: --hold-runs must be from 3 to 100 (product choices); got 101"
    ),
    (
      ["plan", "--current", "160", "--speed", "10"],
      "cadence: error: --speed must be a treadmill speed from 1 to 30 km/h, like 10km/h or 6.2mph; got '10'"
    ),
    (
      ["plan", "--current", "fast"],
      "cadence: error: The value 'fast' is invalid for '--current <spm>': a cadence is a number of steps per minute from 100 to 240, like 170 or 173.5"
    ),
    (["log", "--effort", "11", "--pain", "0"], "cadence: error: --effort must be from 1 to 10; got 11"),
    (["log", "--effort", "5"], "cadence: error: a check-in needs both --effort and --pain (or neither)"),
    (
      ["log", "--effort", "5", "--pain", "1", "--warning", "sore"],
      "cadence: error: --warning must be one of radiating-pain, bladder-bowel, leg-weakness, walking-pain, lasting-pain; got 'sore'"
    ),
    (
      ["warn", "sore"],
      "cadence: error: a warning sign must be one of radiating-pain, bladder-bowel, leg-weakness, walking-pain, lasting-pain; got 'sore'"
    ),
    (
      ["warn"],
      "cadence: error: name at least one warning sign: radiating-pain, bladder-bowel, leg-weakness, walking-pain, lasting-pain"
    ),
    (
      ["log", "--distance", "far"],
      "cadence: error: --distance must be more than 0 and at most 200 km, like 5km, 3.1mi or 800m; got 'far'"
    ),
    (
      ["log", "--date", "yesterday"],
      "cadence: error: --date must be like 2026-11-20 or 2026-11-20T07:30; got 'yesterday'"
    ),
    (
      ["measure", "90"],
      "cadence: error: The value '90' is invalid for '<cadence>': a cadence must be from 100 to 240 steps per minute; got 90"
    ),
  ])
  func badInputIsRefusedAndStoresNothing(arguments: [String], message: String) throws {
    let r = Runner("bad-\(arguments.joined(separator: "-").filter { $0.isLetter || $0.isNumber })")
    let result = try r.run(arguments, at: "2026-01-01T08:00:00Z")
    #expect(result.status == 64)
    #expect(result.stderr.hasPrefix(message + "\n"), "\(result.stderr)")
    #expect(try r.runCount() == 0)
    #expect(try r.run(["plan"], at: "2026-01-01T08:00:00Z").status == 64)  // still no plan
  }

  @Test func runsEarnTheNextRungAndWarningSignsPauseIt() throws {
    let r = Runner("plan-flow")
    try r.run(["plan", "--current", "160"], at: "2026-01-01T08:00:00Z")
    try r.logRoutine([1, 3, 5, 8, 10, 12])
    let up = try r.run(
      ["log", "--minutes", "30", "--distance", "5km", "--effort", "5", "--pain", "0"], at: "2026-01-15T09:00:00Z")
    #expect(
      up.stdout == """
        logged run on 2026-01-15, 165 spm, 30:00, 5.00 km, effort 5/10, back pain 0/10
        Plan: up to 165 spm (rung 2 of 3). Well earned.

        """)
    let warned = try r.run(
      ["log", "--effort", "4", "--pain", "3", "--warning", "leg-weakness"], at: "2026-01-17T09:00:00Z")
    #expect(warned.status == 0)
    #expect(
      warned.stdout.contains(
        "STOP: you reported a warning sign. Do not run through it.\n  - Significant weakness in your legs or feet\n"))
    #expect(warned.stdout.contains("Stop running and see a professional"))
    #expect(warned.stdout.hasSuffix("Plan paused.\n"))
    let shown = try r.run(["plan"], at: "2026-01-18T08:00:00Z")
    #expect(
      shown.stdout.contains(
        "Your cadence plan is paused. When a professional has cleared you to run: cadence plan resume"))
    let resumed = try r.run(["plan", "resume"], at: "2026-01-20T08:00:00Z")
    #expect(resumed.stdout.hasPrefix("Plan resumed. Start easy, and stop if the pain comes back.\n"))
    let again = try r.run(["plan", "resume"], at: "2026-01-20T09:00:00Z")
    #expect(again.stdout.hasPrefix("The plan is not paused; nothing to resume.\n"))
  }

  /// Pain above the baseline holds the rung with the articles' advice; on the first rung there is
  /// nothing to step back to, and the plan says so; the baseline changes in place (rung, dates
  /// and runs kept); a run off the rung counts for distance only.
  @Test func painHoldsWithAdviceAndTheBaselineChangesInPlace() throws {
    let r = Runner("plan-pain")
    try r.run(["plan", "--current", "160"], at: "2026-01-01T08:00:00Z")
    let log = ["log", "--minutes", "30", "--distance", "5km", "--effort", "5", "--pain"]
    let advice = """
      If it hurts while running, stop: don't push through it.
      Rest: take a break from running for a few days; ice 15-20 minutes at a time, several times a day.
      For lower back pain, one article's top advice is at least a week or two off.
      If the pain persists, see a physical therapist.
      """
    let baseline = { (n: Int) in
      "Your baseline back pain is \(n)/10: check-ins are compared with it. If more is usual for you on days you do not run, set it: cadence plan set --baseline-pain N"
    }
    let once = try r.run(log + ["2"], at: "2026-01-01T09:00:00Z")
    #expect(
      once.stdout == """
        logged run on 2026-01-01, 160 spm, 30:00, 5.00 km, effort 5/10, back pain 2/10
        Plan: 160 spm, rung 1 of 3. Holding: 0 of 14 days at this cadence; 1 of 6 runs at this cadence; back pain was 2 points above your baseline on the last run (2+ holds the rung, a product choice).
        \(advice)
        \(baseline(0))

        """)
    let twice = try r.run(log + ["3"], at: "2026-01-03T09:00:00Z")
    #expect(
      twice.stdout == """
        logged run on 2026-01-03, 160 spm, 30:00, 5.00 km, effort 5/10, back pain 3/10
        Plan: 160 spm, rung 1 of 3. Holding: 2 of 14 days at this cadence; 2 of 6 runs at this cadence; back pain was 3 points above your baseline on the last run (2+ holds the rung, a product choice).
        Back pain was 2+ points above your baseline on 2 runs in a row; 160 spm is the first rung, so there is none to step back to: the plan holds it.
        \(advice)
        \(baseline(0))

        """)
    #expect(!twice.stdout.contains("tepped back") && !twice.stdout.contains("back to 160"))
    let set = try r.run(["plan", "set", "--baseline-pain", "2"], at: "2026-01-04T09:00:00Z")
    #expect(
      set.stdout == """
        Plan changed in place (its rungs, dates and runs stay): baseline back pain 0/10 -> 2/10.
        Cadence plan: 160 -> 170 spm, made 2026-01-01
          rung  cadence  status   from        runs
          1     160      current  2026-01-01  2/6
          2     165      locked   2026-01-15  0/6
          3     170      locked   2026-01-29  0/6
        Now: 160 spm. 165 spm unlocks on 2026-01-15 at the earliest, when the runs earn it.
        What holds 165 spm, and what clears it:
          - 11 more days at this cadence (from 2026-01-15)
          - 4 more runs at 160 spm with a check-in: 10 minutes or more, the whole time on the click, effort 6 or less, back pain no higher than your usual 2
          - back pain was above your baseline on 1 of the recent runs (it holds until 6 newer checked-in runs at 160 spm follow, at most 6 more)
        \(baseline(2))

        """)
    let same = try r.run(["plan", "set", "--baseline-pain", "2"], at: "2026-01-04T09:00:00Z")
    #expect(same.stdout.hasPrefix("Nothing to change: the plan already has these settings.\n"))
    let off = try r.run(
      ["log", "--cadence", "140", "--minutes", "30", "--effort", "5", "--pain", "2"], at: "2026-01-05T09:00:00Z")
    #expect(
      off.stdout.contains(
        "Holding: 4 of 14 days at this cadence; 2 of 6 runs at this cadence; 1 run was not at 160 spm (more than 2 spm off, a product choice): it counts for distance, not for this rung;"
      ))
    // Bad settings change nothing.
    let bad = try r.run(["plan", "set", "--hold-days", "3"], at: "2026-01-05T10:00:00Z")
    #expect(
      bad.status == 64 && bad.stderr.hasPrefix("cadence: error: --hold-days must be from 7 to 365"), "\(bad.stderr)")
    let none = try r.run(["plan", "set"], at: "2026-01-05T10:00:00Z")
    #expect(
      none.status == 64
        && none.stderr.hasPrefix(
          "cadence: error: name a setting to change: --baseline-pain, --hold-days, --hold-runs or --speed")
    )
    let json = try r.run(["plan", "--json"], at: "2026-01-05T10:00:00Z")
    let plan = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(plan["baselinePain"] as? Int == 2 && plan["holdDays"] as? Int == 14)
  }

  /// The 10% rule on calendar weeks (Monday to Sunday, TZ=UTC here) says when it cannot
  /// judge; last week's longest run is set against the articles' 25%.
  @Test func weeklyLoadNotes() throws {
    func week(_ name: String, distances: [String?]) throws -> String {
      let r = Runner(name)
      try r.run(["plan", "--current", "160"], at: "2026-01-01T08:00:00Z")
      for (day, distance) in zip(["05", "07", "09"], distances) {
        let extra = distance.map { ["--distance", $0] } ?? []
        let result = try r.run(
          ["log", "--minutes", "30", "--effort", "5", "--pain", "0"] + extra, at: "2026-01-\(day)T09:00:00Z")
        #expect(result.status == 0, "\(result.stderr)")
      }
      return try r.run(["plan"], at: "2026-01-13T08:00:00Z").stdout
    }
    let partial = try week("load-partial", distances: ["5km", nil, "5km"])
    #expect(
      partial.contains(
        "\nThe 10% rule cannot be judged this week: 1 run this week or last has no distance (give --distance when you log, or import the watch file).\n"
      ), "\(partial)")
    let long = try week("load-long", distances: ["5km", "5km", "8km"])
    #expect(
      long.contains(
        "\nLast week your longest run, 8.0 km, was 44% of the week's 18.0 km; with 3 runs a week it cannot be under "
          + "25% (the articles' most, which needs 4 or more runs a week).\n"),
      "\(long)")
    #expect(!long.contains("cannot be judged"))
  }

  /// Back pain 1 above the baseline on every run for three weeks (day 1 to day 22): the plan asks the
  /// lasting-pain warning question, and the answer is reported with `cadence warn`.
  @Test func threeWeeksOfPainAskTheLastingPainQuestion() throws {
    let r = Runner("plan-lasting-pain")
    try r.run(["plan", "--current", "160"], at: "2026-01-01T08:00:00Z")
    let question =
      "Back pain has been above your baseline on every run since 2026-01-01 (3 weeks or more). Has it not improved with self-care? That is a warning sign: stop running and see a professional, and report it with: cadence warn lasting-pain"
    var last = RunResult(status: 0, stdout: "", stderr: "", seconds: 0)
    for day in ["01", "05", "09", "13", "17", "22"] {
      last = try r.run(["log", "--minutes", "30", "--effort", "5", "--pain", "1"], at: "2026-01-\(day)T09:00:00Z")
      #expect(last.status == 0, "\(last.stderr)")
      if day != "22" { #expect(!last.stdout.contains("3 weeks or more"), "day \(day)") }
    }
    #expect(last.stdout.contains(question + "\n"), "\(last.stdout)")
    #expect(try r.run(["plan"], at: "2026-01-22T10:00:00Z").stdout.contains(question))
    let warned = try r.run(["warn", "lasting-pain"], at: "2026-01-22T11:00:00Z")
    #expect(warned.stdout.contains("Pain that has not improved within a few weeks of self-care"))
    #expect(warned.stdout.hasSuffix("Plan paused.\n"))
  }

  /// A phase-boundary re-measure that does not reach the rung held says what to do; one that
  /// does opens the next phase.
  @Test func aShortReMeasureHoldsThePhase() throws {
    let r = Runner("plan-remeasure")
    try r.run(["plan", "--current", "150", "--hold-days", "7", "--hold-runs", "3"], at: "2026-01-01T08:00:00Z")
    // Three good runs a week at the rung: 155 from day 8, 160 from 15, 165 from 22.
    for day in [1, 3, 5, 8, 10, 12, 15, 17, 19, 22, 24, 26] {
      let d = day < 10 ? "0\(day)" : "\(day)"
      let result = try r.run(
        ["log", "--minutes", "30", "--effort", "5", "--pain", "0"], at: "2026-01-\(d)T09:00:00Z")
      #expect(result.status == 0, "\(result.stderr)")
    }
    let short = try r.run(["measure", "150"], at: "2026-01-29T09:00:00Z")
    #expect(
      short.stdout.contains(
        "your new measurement, 150 spm, is more than 2 spm (a product choice) below 165 spm: run at 165 on the click and measure again (cadence measure SPM)"
      ), "\(short.stdout)")
    let reached = try r.run(["measure", "164"], at: "2026-01-29T10:00:00Z")
    #expect(reached.stdout.contains("Plan: up to 170 spm (rung 5 of 5). Well earned."), "\(reached.stdout)")
  }

  @Test func historyTableChartAndExports() throws {
    let r = Runner("history")
    try r.run(["plan", "--current", "160"], at: "2026-01-01T08:00:00Z")
    try r.run(
      ["log", "--minutes", "30", "--distance", "5km", "--effort", "5", "--pain", "0", "--measured", "158"],
      at: "2026-01-01T09:00:00Z")
    try r.run(
      ["log", "--cadence", "165", "--effort", "7", "--pain", "1", "--missed-target", "--notes", "hot, humid"],
      at: "2026-01-03T09:00:00Z")
    let table = try r.run(["history"], at: "2026-01-04T08:00:00Z")
    #expect(
      table.stdout.hasPrefix(
        """
        id  date        from  target  measured  time   km   effort  pain  notes
        1   2026-01-01  log   160     158       30:00  5.0  5       0     
        2   2026-01-03  log   165     -         -      -    7       1     missed target; hot, humid

        cadence per run (● measured, ○ target; dots: plan rungs)

        """))
    let csv = try r.run(["history", "--csv"], at: "2026-01-04T08:00:00Z")
    #expect(
      csv.stdout == """
        id,date,source,targetSPM,measuredSPM,minutes,pausedMinutes,distanceKm,speedKmh,completedAtTarget,interrupted,effort,backPain,warningSigns,notes
        1,2026-01-01T09:00:00Z,log,160,158,30.0,,5.00,,true,false,5,0,,
        2,2026-01-03T09:00:00Z,log,165,,,,,,false,false,7,1,,"hot, humid"

        """)
    let svgPath = r.dir.appendingPathComponent("chart.svg").path
    let svg = try r.run(["history", "--json", "--svg", svgPath], at: "2026-01-04T08:00:00Z")
    #expect(svg.stderr == "wrote \(svgPath)\n")
    let image = try String(contentsOfFile: svgPath, encoding: .utf8)
    #expect(image.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    #expect(image.components(separatedBy: "<circle").count - 1 == 2)
    #expect(image.components(separatedBy: "stroke-dasharray").count - 1 == 3)  // the three rungs

    // Measurements are listed; a mistake is removed by its id, and the plan re-evaluated.
    try r.run(["measure", "163"], at: "2026-01-04T09:00:00Z")
    let measured = try r.run(["history", "--measurements"], at: "2026-01-04T10:00:00Z")
    #expect(measured.stdout == "id  date        cadence  how     details\n1   2026-01-04  163      manual  \n")
    let measuredJSON = try r.run(["history", "--measurements", "--json"], at: "2026-01-04T10:00:00Z")
    let rows = try #require(try JSONSerialization.jsonObject(with: Data(measuredJSON.stdout.utf8)) as? [[String: Any]])
    #expect(rows.count == 1 && rows[0]["spm"] as? Double == 163 && rows[0]["method"] as? String == "manual")
    let removed = try r.run(["history", "remove", "2"], at: "2026-01-04T10:00:00Z")
    #expect(
      removed.stdout == """
        removed run 2: logged run on 2026-01-03, 165 spm, effort 7/10, back pain 1/10, missed the target
        Plan: 160 spm, rung 1 of 3. Holding: 3 of 14 days at this cadence; 1 of 6 runs at this cadence.

        """)
    #expect(try r.runCount() == 1)
    let again = try r.run(["history", "remove", "2"], at: "2026-01-04T10:00:00Z")
    #expect(again.status == 64)
    #expect(
      again.stderr
        == "cadence: error: there is no run 2 in the history\n  try: cadence history lists the runs with their ids\n")
    let gone = try r.run(["history", "remove", "1", "--measurement"], at: "2026-01-04T10:00:00Z")
    #expect(gone.stdout.hasPrefix("removed measurement 1: 163 spm on 2026-01-04 (manual)\n"))
    #expect(
      try r.run(["history", "--measurements"], at: "2026-01-04T10:00:00Z").stdout.hasPrefix("No measurements yet."))
  }

  @Test func aCorruptDatabaseIsReportedAndLeftAlone() throws {
    let r = Runner("corrupt")
    let junk = Data(repeating: 0x5A, count: 8_192)
    try junk.write(to: URL(fileURLWithPath: r.db))
    let result = try r.run(["log", "--effort", "5", "--pain", "0"], at: "2026-01-01T08:00:00Z")
    #expect(result.status == 65)
    #expect(
      result.stderr
        == "cadence: error: '\(r.db)' is not a cadence history database (or it is damaged); it was left untouched\n  try: move the file aside (nothing was changed), or pass --db with another path\n"
    )
    #expect(try Data(contentsOf: URL(fileURLWithPath: r.db)) == junk)
  }

  @Test func concurrentInvocationsAllLand() throws {
    let r = Runner("concurrent-cli")
    try r.run(["plan", "--current", "160"], at: "2026-01-01T08:00:00Z")
    let failed = Mutex<[String]>([])
    DispatchQueue.concurrentPerform(iterations: 6) { i in
      for j in 0..<5 {
        let result = try? r.run(
          ["log", "--effort", "5", "--pain", "0", "--notes", "p\(i)-\(j)"], at: "2026-01-02T09:00:00Z")
        if result?.status != 0 { failed.withLock { $0.append(result?.stderr ?? "did not run") } }
      }
    }
    #expect(failed.withLock { $0 } == [])
    #expect(try r.runCount() == 30)
  }

  @Test func playLogSavesTheRunWithItsCheckIn() throws {
    let r = Runner("play-log")
    let conf = r.dir.appendingPathComponent("asound.conf")
    try "pcm.cadencetest { type file slave.pcm \"null\" file \"\(r.dir.path)/out.raw\" format \"raw\" }\n"
      .write(to: conf, atomically: true, encoding: .utf8)
    try r.run(["plan", "--current", "160"], at: "2026-01-01T08:00:00Z")
    let answers = "5\n0\ny\nn\nn\nn\nn\nn\n5km\n"
    let result = try cadence(
      ["play", "160", "--minutes", "0.05", "--device", "cadencetest", "--log", "--db", r.db],
      environment: [
        "CADENCE_NOW": "2026-01-02T09:00:00Z", "TZ": "UTC",
        "ALSA_CONFIG_PATH": "/usr/share/alsa/alsa.conf:\(conf.path)",
      ],
      stdin: answers)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("logged run on 2026-01-02, 160 spm, 0:03, 5.00 km, effort 5/10, back pain 0/10\n"))
    #expect(result.stderr.contains("Effort, 1 (very easy) to 10 (maximal)? "))
    let csv = try cadence(["history", "--csv", "--db", r.db], environment: ["TZ": "UTC"])
    #expect(csv.stdout.hasSuffix(",2026-01-02T09:00:00Z,play,160,,0.1,,5.00,,true,false,5,0,,\n"), "\(csv.stdout)")
    // End of input before the check-in is complete: the run is kept with the effort given, its
    // check-in not finished.
    let skipped = try cadence(
      ["play", "160", "--minutes", "0.05", "--device", "cadencetest", "--log", "--db", r.db],
      environment: [
        "CADENCE_NOW": "2026-01-03T09:00:00Z", "TZ": "UTC",
        "ALSA_CONFIG_PATH": "/usr/share/alsa/alsa.conf:\(conf.path)",
      ],
      stdin: "7\n")
    #expect(
      skipped.stdout.contains(
        "logged run on 2026-01-03, 160 spm, 0:03, effort 7/10, check-in not finished (cadence checkin 2)\n"))
  }
}
