import ArgumentParser
import CadenceCore
import Foundation
import History

struct Log: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "log",
    abstract: "Record a run done without cadence (a watch, another app), with its check-in.",
    discussion: """
      Effort and back pain make the check-in that lets your plan advance; give both, or \
      neither. Warning signs: \(WarningSign.allCases.map(\.rawValue).joined(separator: ", ")); \
      --warning alone (no minutes, distance or check-in) reports them without a run, as \
      `cadence warn` does.
      """)

  @Option(help: ArgumentHelp("The cadence you ran to (default: your plan's current rung).", valueName: "spm"))
  var cadence: String?

  @Option(help: ArgumentHelp("Your own cadence on the run, if your watch measured it.", valueName: "spm"))
  var measured: String?

  @Option(help: ArgumentHelp("How long you ran.", valueName: "minutes"))
  var minutes: Double?

  @Option(help: ArgumentHelp("How far, like 5km, 3.1mi or 800m.", valueName: "distance"))
  var distance: String?

  @Option(help: ArgumentHelp("Treadmill speed, like 10km/h or 6.2mph.", valueName: "speed"))
  var speed: String?

  @Option(help: ArgumentHelp("How hard it felt, 1 (very easy) to 10 (maximal).", valueName: "1-10"))
  var effort: Int?

  @Option(help: ArgumentHelp("Back pain after the run, 0 (none) to 10 (worst).", valueName: "0-10"))
  var pain: Int?

  @Option(
    name: .customLong("warning"), help: ArgumentHelp("A warning sign you had (repeat for several).", valueName: "sign"))
  var warnings: [String] = []

  @Flag(name: .customLong("missed-target"), help: "You could not hold the cadence for the whole run.")
  var missedTarget = false

  @Option(help: ArgumentHelp("When you ran: 2026-11-20 or 2026-11-20T07:30 (default: now).", valueName: "date"))
  var date: String?

  @Option(help: ArgumentHelp("Anything to remember about the run.", valueName: "text"))
  var notes: String?

  @OptionGroup var storage: StorageOptions

  func validate() throws {
    if let cadence { _ = try parseCadence(cadence, option: "--cadence") }
    if let measured { _ = try parseCadence(measured, option: "--measured") }
    try validateMinutes(minutes)
    if let distance, parseDistanceMeters(distance) == nil {
      throw ValidationError("--distance must be like 5km, 3.1mi or 800m (at most 200 km); got '\(distance)'")
    }
    try validateSpeed(speed)
    if let effort, !(1...10).contains(effort) { throw ValidationError("--effort must be from 1 to 10; got \(effort)") }
    if let pain, !(0...10).contains(pain) { throw ValidationError("--pain must be from 0 to 10; got \(pain)") }
    if (effort == nil) != (pain == nil) {
      throw ValidationError("a check-in needs both --effort and --pain (or neither)")
    }
    for w in warnings where WarningSign(rawValue: w) == nil {
      throw ValidationError(
        "--warning must be one of \(WarningSign.allCases.map(\.rawValue).joined(separator: ", ")); got '\(w)'")
    }
    try validateDate(date)
  }

  func run() throws {
    let signs = Set(warnings.compactMap(WarningSign.init(rawValue:)))
    if !signs.isEmpty && effort == nil && minutes == nil && distance == nil && cadence == nil && measured == nil {
      do throws(CLIError) {
        try reportWarningSigns(signs, at: date.flatMap(parseDate), storage: storage, notes: notes)
      } catch {
        throw report(error)
      }
      return
    }
    do throws(CLIError) {
      let db = try storage.open()
      let now = currentDate()
      let when = date.flatMap(parseDate) ?? now
      let plan = try history(db.activePlan())
      let before = try plan.map { (p) throws(CLIError) in try PlanReport(plan: p, db: db, now: now) }
      let previous = try history(db.runs()).last { $0.date < when }?.date
      let target =
        try cadence.map { (c) throws(CLIError) in try cliParse(c, option: "--cadence").spm }
        ?? before?.status.current.spm
      let run = RunRecord(
        date: when, source: .log, targetSPM: target,
        measuredSPM: try measured.map { (m) throws(CLIError) in try cliParse(m, option: "--measured").spm },
        durationSeconds: minutes.map { $0 * 60 }, distanceMeters: distance.flatMap(parseDistanceMeters),
        speedMetersPerSecond: speed.flatMap(Speed.init(parsing:))?.metersPerSecond, completedAtTarget: !missedTarget,
        effort: effort, backPain: pain, warningSigns: Set(warnings.compactMap(WarningSign.init(rawValue:))),
        notes: notes)
      _ = try history(db.addRun(run))
      say(describe(run))
      if !run.signs.isEmpty { say(warningAdvice(run.signs)) }
      if let plan {
        say(try planChange(from: before, to: PlanReport(plan: plan, db: db, now: now), previous: previous))
      }
    } catch {
      throw report(error)
    }
  }
}

struct Measure: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "measure",
    abstract: "Record your measured cadence (count your steps for a minute, or read your watch).")

  @Argument(help: ArgumentHelp("Your cadence in steps per minute, 100 to 240.", valueName: "cadence"))
  var cadence: String

  @Option(help: ArgumentHelp("When: 2026-11-20 or 2026-11-20T07:30 (default: now).", valueName: "date"))
  var date: String?

  @OptionGroup var storage: StorageOptions

  func validate() throws {
    _ = try parseCadence(cadence)
    try validateDate(date)
  }

  func run() throws {
    do throws(CLIError) {
      let spm = try cliParse(cadence, option: "<cadence>").spm
      let db = try storage.open()
      let now = currentDate()
      let plan = try history(db.activePlan())
      let before = try plan.map { (p) throws(CLIError) in try PlanReport(plan: p, db: db, now: now) }
      let when = date.flatMap(parseDate) ?? now
      _ = try history(db.addMeasurement(MeasurementRecord(date: when, spm: spm, method: "manual")))
      say("measured \(Cadence.format(spm)) spm on \(dayString(when))")
      if let plan { say(try planChange(from: before, to: PlanReport(plan: plan, db: db, now: now))) }
    } catch {
      throw report(error)
    }
  }
}

/// One line about a stored run.
func describe(_ run: RunRecord) -> String {
  if run.source == .report { return "reported warning signs on \(dayString(run.date)) (not a run)" }
  var parts = ["logged run on \(dayString(run.date))"]
  if let t = run.targetSPM { parts.append("\(Cadence.format(t)) spm") }
  if let d = run.durationSeconds { parts.append(clock(d)) }
  if let m = run.distanceMeters { parts.append(format(m / 1000, 2) + " km") }
  if let e = run.effort, let p = run.backPain {
    parts.append("effort \(e)/10, back pain \(p)/10")
  } else {
    parts.append("no check-in")
  }
  if !run.completedAtTarget && run.effort != nil { parts.append("missed the target") }
  return parts.joined(separator: ", ")
}

/// What a new run or measurement did to the plan. `previous` is the runner's run before this
/// one: a rung that unlocked since then (at a daily check) is news too.
func planChange(from before: PlanReport?, to after: PlanReport, previous: Date? = nil) -> String {
  let status = after.status
  if let signs = status.pausedFor {
    return before?.status.pausedFor == nil
      ? "Plan paused." : "Plan still paused (\(signs.count) warning sign(s) reported)."
  }
  let unlockedSincePrevious =
    status.currentIndex > 0 && !status.steppedBack
    && status.rungStart > Int64((previous ?? after.plan.createdAt).timeIntervalSince1970)
  if unlockedSincePrevious || (before.map { $0.status.currentIndex < status.currentIndex } ?? false) {
    return
      "Plan: up to \(Cadence.format(status.current.spm)) spm (rung \(status.currentIndex + 1) of \(status.rungs.count)). Well earned."
  }
  if status.steppedBack {
    return "Plan: back to \(Cadence.format(status.current.spm)) spm: back pain rose 2+ points on two runs in a row."
  }
  if status.isComplete { return "Plan: at \(Cadence.format(status.current.spm)) spm, your goal." }
  return "Plan: \(Cadence.format(status.current.spm)) spm, rung \(status.currentIndex + 1) of \(status.rungs.count). "
    + "Holding: " + status.holds.map(\.description).joined(separator: "; ") + "."
}
