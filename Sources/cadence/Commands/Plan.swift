import ArgumentParser
import CadenceCore
import Coach
import Foundation
import History
import LiveRun

struct Plan: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plan",
    abstract: "Plan the climb from your cadence to your goal in small steps, and show where you are.",
    discussion: """
      With --current (or a measurement in your history) it makes a plan: rungs of at most +5 spm \
      (the articles' "from 160 work your way up to 165") and at most +5% each (a product choice), \
      whole spm spread evenly from your cadence rounded, each held 14 days and 6 runs by default \
      (about two weeks is common coaching practice; the 6 runs are a product choice). A run \
      counts towards a rung when it has a check-in and was within 2 spm of the rung (a product \
      choice); the next rung unlocks only when the check-ins show the runs went well. Without \
      options it shows the plan you have, or makes one from your latest measurement on day 1. \
      The options (of plan show, the default): --current SPM, --goal SPM (170 to 190), --step \
      SPM (1 to 5), --new (replace the plan), --speed (10km/h, 6.2mph), --baseline-pain 0-10, \
      --hold-days, --hold-runs, --json, --db; cadence plan show --help says each. Baseline \
      pain, hold and speed change in place with cadence plan set.
      """,
    subcommands: [Show.self, Set.self, Resume.self],
    defaultSubcommand: Show.self)

  struct Show: ContextCommand {
    static let configuration = CommandConfiguration(
      commandName: "show", abstract: "Make a plan (with options) or show the current one.")

    @Option(
      help: ArgumentHelp("Your cadence now, in spm (default: your latest measurement).", valueName: "spm"),
      transform: cadenceValue)
    var current: Cadence?

    @Option(
      help: ArgumentHelp(
        "Where to go, up to 190 spm (default: 170, the bottom of the 170-190 band).", valueName: "spm"),
      transform: cadenceValue)
    var goal: Cadence?

    @Option(
      help: ArgumentHelp("Largest rise per rung in spm, from 1 to 5 (default 5).", valueName: "spm"), transform: decimal
    )
    var step: Double?

    @OptionGroup var settings: PlanSettingOptions

    @Flag(help: "Make a new plan although you have one (the old one stays in the history).")
    var new = false

    @Flag(help: "Print the plan as JSON.")
    var json = false

    @OptionGroup var storage: StorageOptions

    /// Options that build a new ladder.
    var makesLadder: Bool { current != nil || goal != nil || step != nil }

    func validate() throws {
      if let g = goal {
        guard g.spm <= Training.highestGoalSPM else {
          throw ValidationError("--goal must be at most 190 spm, the top of the 170-190 band; got \(g)")
        }
      }
      if let step, !(step.isFinite && (Training.minRungSPM...Training.maxRungSPM).contains(step)) {
        throw ValidationError(
          "--step must be from 1 to 5 spm (it can only make rungs smaller; 1 is the smallest, a product choice); got \(format(step, 2))"
        )
      }
    }

    func run(in context: CommandContext) throws {
      let now = context.now
      let units = try context.config().units
      var report: PlanReport
      if makesLadder || !settings.change.isEmpty {
        let db = try storage.open(context)
        if let active = try db.activePlan() {
          if !makesLadder {
            // Settings alone change the plan in place.
            let (changes, changed) = try changePlanSettings(settings.change, db: db, now: now, units: units)
            if !json { context.say(describeSettingsChanges(changes)) }
            report = changed
          } else if new {
            report = try PlanReport(plan: make(db, now: now, in: context), db: db, now: now)
            if !json { context.say("Replaced your plan of \(dayString(active.createdAt)); it stays in the history.") }
          } else {
            let old = try PlanReport(plan: active, db: db, now: now)
            throw UserError(
              message:
                "you already have a plan (\(Cadence.format(active.startSPM)) -> \(Cadence.format(active.goalSPM)) spm, "
                + "made \(dayString(active.createdAt)), at \(Cadence.format(old.status.current.spm)) spm now)",
              hint: "add --new to replace it (it stays in the history), or change its settings in place "
                + "with cadence plan set",
              code: .usage)
          }
        } else {
          report = try PlanReport(plan: make(db, now: now, in: context), db: db, now: now)
        }
      } else {
        // Showing the plan reads the history only: no file is made for it.
        let existing = try storage.openIfExists(context)
        if let existing, let active = try existing.activePlan() {
          report = try PlanReport(plan: active, db: existing, now: now)
        } else if let existing, let measured = try existing.latestMeasuredSPM() {
          // Day 1: a tap or a measurement, and no plan yet: the plan is made from it.
          let db = try storage.open(context)
          let pain = settings.baselinePain ?? askBaselinePain(in: context)
          report = try PlanReport(plan: make(db, now: now, in: context, baselinePain: pain), db: db, now: now)
          if !json {
            context.say(
              "Made your plan from your latest measured cadence, \(Cadence.format(measured)) spm (baseline back pain "
                + "\(pain); change it with cadence plan set --baseline-pain N).")
          }
        } else {
          throw UserError(
            message: "there is no cadence plan yet, and no measured cadence to make one from",
            hint: "measure your cadence first (cadence tap, or cadence measure SPM), or give it: "
              + "cadence plan --current SPM (e.g. 160)",
            code: .usage)
        }
      }
      report.units = units
      context.say(json ? Coach.json(report.jsonValue) : report.text)
    }

    /// The runner's usual back pain, asked once on a terminal (Enter for 0); 0 off a terminal.
    private func askBaselinePain(in context: CommandContext) -> Int {
      guard context.inputIsTerminal else { return 0 }
      for _ in 0..<3 {
        context.errors.write(
          "Your usual back pain on an ordinary day, 0 (none) to 10 (worst): check-ins are compared with it [0]: ")
        guard let line = context.input.next() else { return 0 }
        let text = line.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return 0 }
        if let pain = Int(text), (0...10).contains(pain) { return pain }
        context.note("please answer a whole number from 0 to 10")
      }
      return 0
    }

    private func make(_ db: AppDatabase, now: Date, in context: CommandContext, baselinePain: Int? = nil) throws
      -> PlanRecord
    {
      let start: Double
      if let current {
        start = current.spm
      } else if let measured = try db.latestMeasuredSPM() {
        start = measured
      } else {
        throw UserError(
          message: "cadence does not know your cadence yet",
          hint: "pass --current SPM, or record one first with cadence measure SPM",
          code: .usage)
      }
      let settings = PlanSettings(
        startSPM: start,
        goalSPM: goal.map(\.spm)
          ?? Training.defaultGoalSPM,
        stepSPM: step ?? Training.maxRungSPM, holdDays: settings.holdDays ?? Training.defaultHoldDays,
        holdRuns: settings.holdRuns ?? Training.defaultHoldRuns,
        baselinePain: baselinePain ?? settings.baselinePain ?? 0,
        speed: settings.change.speed)
      do {
        _ = try Ladder.rungs(settings)
      } catch {
        throw UserError.plan(error)
      }
      return try db.startPlan(settings, at: now)
    }
  }

  struct Set: ContextCommand {
    static let configuration = CommandConfiguration(
      commandName: "set",
      abstract:
        "Change your plan's baseline pain, hold or treadmill speed in place: the rung reached, its dates and runs stay.",
      discussion: """
        A new goal, start or step makes a new ladder: use cadence plan --current SPM --goal SPM --new.
        """)

    @OptionGroup var settings: PlanSettingOptions

    @Flag(help: "Print the plan as JSON.")
    var json = false

    @OptionGroup var storage: StorageOptions

    func validate() throws {
      guard !settings.change.isEmpty else {
        throw ValidationError("name a setting to change: --baseline-pain, --hold-days, --hold-runs or --speed")
      }
    }

    func run(in context: CommandContext) throws {
      guard let db = try storage.openExisting(context) else {
        throw UserError(
          message: "there is no cadence plan to change", hint: "make one with: cadence plan --current SPM",
          code: .usage)
      }
      let (changes, report) = try changePlanSettings(
        settings.change, db: db, now: context.now, units: try context.config().units)
      context.say(json ? Coach.json(report.jsonValue) : describeSettingsChanges(changes) + "\n" + report.text)
    }
  }

  struct Resume: ContextCommand {
    static let configuration = CommandConfiguration(
      commandName: "resume",
      abstract: "Resume a plan that a warning sign paused, once a professional has cleared you to run.")

    @OptionGroup var storage: StorageOptions

    func run(in context: CommandContext) throws {
      let now = context.now
      guard let db = try storage.openExisting(context), let plan = try db.activePlan(), let id = plan.id else {
        throw UserError(
          message: "there is no cadence plan to resume", hint: "make one with: cadence plan --current SPM",
          code: .usage)
      }
      let units = try context.config().units
      var before = try PlanReport(plan: plan, db: db, now: now)
      before.units = units
      guard before.status.pausedFor != nil else {
        context.say("The plan is not paused; nothing to resume.")
        context.say(before.text)
        return
      }
      try db.addPlanEvent(PlanEventRecord(planId: id, date: now, kind: "resume"))
      context.say("Plan resumed. Start easy, and stop if the pain comes back.")
      var after = try PlanReport(plan: plan, db: db, now: now)
      after.units = units
      context.say(after.text)
    }
  }
}
