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
      With --current (or a measurement in your history) it makes a new plan: rungs of at most \
      +5 spm and +5% each, each held for at least 2 weeks and 6 runs, advancing only when your \
      check-ins show the runs went well. Without options it shows the plan you have.
      """,
    subcommands: [Show.self, Resume.self],
    defaultSubcommand: Show.self)

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show", abstract: "Make a plan (with options) or show the current one.")

    @Option(help: ArgumentHelp("Your cadence now, in spm (default: your latest measurement).", valueName: "spm"))
    var current: String?

    @Option(
      help: ArgumentHelp("Where to go, up to 190 spm (default: 170, the bottom of the 170-190 band).", valueName: "spm")
    )
    var goal: String?

    @Option(help: ArgumentHelp("Largest rise per rung in spm, from 1 to 5 (default 5).", valueName: "spm"))
    var step: Double?

    @Option(
      name: .customLong("hold-days"),
      help: ArgumentHelp("Days to hold each rung, at least 7 (default 14).", valueName: "days"))
    var holdDays: Int?

    @Option(
      name: .customLong("hold-runs"),
      help: ArgumentHelp("Runs to hold each rung, at least 3 (default 6).", valueName: "runs"))
    var holdRuns: Int?

    @Option(
      name: .customLong("baseline-pain"),
      help: ArgumentHelp(
        "Your usual back pain, 0 to 10 (default 0): check-ins are compared with it.", valueName: "0-10"))
    var baselinePain: Int?

    @Option(
      help: ArgumentHelp(
        "Treadmill speed, like 10km/h or 6.2mph: shows the step length at each rung.", valueName: "speed"))
    var speed: String?

    @Flag(help: "Print the plan as JSON.")
    var json = false

    @OptionGroup var storage: StorageOptions

    var makesPlan: Bool {
      current != nil || goal != nil || step != nil || holdDays != nil || holdRuns != nil || baselinePain != nil
        || speed != nil
    }

    func validate() throws {
      if let current { _ = try parseCadence(current, option: "--current") }
      if let goal {
        let g = try parseCadence(goal, option: "--goal")
        guard g.spm <= Training.highestGoalSPM else {
          throw ValidationError("--goal must be at most 190 spm, the top of the 170-190 band; got \(g)")
        }
      }
      if let step, !(step.isFinite && (Training.minRungSPM...Training.maxRungSPM).contains(step)) {
        throw ValidationError(
          "--step must be from 1 to 5 spm (it can only make rungs smaller; 1 is the smallest, a product choice); got \(format(step, 2))"
        )
      }
      if let holdDays, holdDays < Training.minimumHoldDays {
        throw ValidationError("--hold-days must be at least 7: a new cadence needs time to settle; got \(holdDays)")
      }
      if let holdRuns, holdRuns < Training.minimumHoldRuns {
        throw ValidationError("--hold-runs must be at least 3; got \(holdRuns)")
      }
      if let baselinePain, !(0...10).contains(baselinePain) {
        throw ValidationError("--baseline-pain must be from 0 to 10; got \(baselinePain)")
      }
      try validateSpeed(speed)
    }

    func run() throws {
      do throws(UserError) {
        let now = currentDate()
        let plan: PlanRecord
        let db: AppDatabase
        if makesPlan {
          db = try storage.open()
          plan = try make(db, now: now)
        } else {
          // Showing the plan reads the history only: no file is made for it.
          guard let existing = try storage.openIfExists(), let active = try history(existing.activePlan()) else {
            throw UserError(
              message: "there is no cadence plan yet",
              hint: "make one with: cadence plan --current SPM (your cadence now, e.g. 160)",
              code: .usage)
          }
          db = existing
          plan = active
        }
        let report = try PlanReport(plan: plan, db: db, now: now)
        say(json ? Coach.json(report.jsonValue) : report.text)
      } catch {
        throw report(error)
      }
    }

    private func make(_ db: AppDatabase, now: Date) throws(UserError) -> PlanRecord {
      let start: Double
      if let current {
        start = try cliParse(current, option: "--current").spm
      } else if let measured = try history(db.latestMeasuredSPM()) {
        start = measured
      } else {
        throw UserError(
          message: "cadence does not know your cadence yet",
          hint: "pass --current SPM, or record one first with cadence measure SPM",
          code: .usage)
      }
      let settings = PlanSettings(
        startSPM: start,
        goalSPM: try goal.map { (g) throws(UserError) in try cliParse(g, option: "--goal").spm }
          ?? Training.defaultGoalSPM,
        stepSPM: step ?? Training.maxRungSPM, holdDays: holdDays ?? Training.defaultHoldDays,
        holdRuns: holdRuns ?? Training.defaultHoldRuns, baselinePain: baselinePain ?? 0,
        speed: speed.flatMap(Speed.init(parsing:)))
      do {
        _ = try Ladder.rungs(settings)
      } catch {
        throw UserError.plan(error)
      }
      return try history(db.startPlan(settings, at: now))
    }
  }

  struct Resume: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "resume",
      abstract: "Resume a plan that a warning sign paused, once a professional has cleared you to run.")

    @OptionGroup var storage: StorageOptions

    func run() throws {
      do throws(UserError) {
        let now = currentDate()
        guard let db = try storage.openIfExists(), let plan = try history(db.activePlan()), let id = plan.id else {
          throw UserError(
            message: "there is no cadence plan to resume", hint: "make one with: cadence plan --current SPM",
            code: .usage)
        }
        let before = try PlanReport(plan: plan, db: db, now: now)
        guard before.status.pausedFor != nil else {
          say("The plan is not paused; nothing to resume.")
          say(before.text)
          return
        }
        try history(db.addPlanEvent(PlanEventRecord(planId: id, date: now, kind: "resume")))
        say("Plan resumed. Start easy, and stop if the pain comes back.")
        say(try PlanReport(plan: plan, db: db, now: now).text)
      } catch {
        throw report(error)
      }
    }
  }
}

/// Parses a cadence after validation already accepted it.
func cliParse(_ text: String, option: String) throws(UserError) -> Cadence {
  do {
    return try Cadence(parsing: text)
  } catch {
    throw UserError(message: "\(option) is not a cadence: '\(text)'", hint: nil, code: .usage)
  }
}

extension UserError {
  static func plan(_ error: PlanError) -> UserError {
    let message: String
    switch error {
    case .startOutOfRange(let s): message = "a current cadence of \(Cadence.format(s)) spm is outside 100-240"
    case .goalAboveBand(let g): message = "a goal of \(Cadence.format(g)) spm is above 190, the top of the band"
    case .goalNotAboveStart(let s, let g):
      message = "the goal (\(Cadence.format(g)) spm) is below your current cadence (\(Cadence.format(s)) spm)"
    case .stepOutOfRange(let s): message = "a step of \(format(s, 1)) spm is outside 1-5"
    case .holdTooShort(let d, let r): message = "a hold of \(d) days / \(r) runs is shorter than 7 days / 3 runs"
    case .painOutOfRange(let p): message = "a baseline pain of \(p) is outside 0-10"
    }
    return UserError(message: message, hint: "see cadence plan --help", code: .usage)
  }
}
