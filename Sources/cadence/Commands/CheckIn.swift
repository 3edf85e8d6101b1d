import ArgumentParser
import CadenceCore
import Coach
import Foundation
import History

/// `cadence checkin`: the check-in added to a run stored without one (skipped, stopped early,
/// imported or logged), or changed on any run. Only a run with a check-in counts towards a rung.
struct CheckIn: ContextCommand {
  static let configuration = CommandConfiguration(
    commandName: "checkin",
    abstract: "Add the check-in to a run stored without one (skipped, stopped early, imported), or change one.",
    discussion: """
      Only a run with a check-in (effort and back pain) counts towards your next rung. By \
      default this is the newest run without one; give a run's id (`cadence history` lists \
      them) for any other. Without --effort and --pain it asks the questions on a terminal, \
      as after a session. An imported run is counted at the cadence your watch measured, so \
      it is not asked whether it held the click.
      """)

  @Argument(
    help: ArgumentHelp(
      "The run's id, as cadence history shows it (default: the newest run without a check-in).", valueName: "run"))
  var id: Int64?

  @OptionGroup var answers: CheckInOptions

  @Option(help: ArgumentHelp("How far, like 5km, 3.1mi or 800m (kept if not given).", valueName: "distance"))
  var distance: String?

  @Flag(help: "Print the run as stored, as JSON (for scripts), with the plan as it now stands.")
  var json = false

  @OptionGroup var storage: StorageOptions

  func validate() throws {
    if let id, id < 1 { throw ValidationError("<run> must be a positive number that cadence history shows; got \(id)") }
    if let distance, parseDistanceMeters(distance) == nil {
      throw ValidationError(
        "--distance must be more than 0 and at most 200 km, like 5km, 3.1mi or 800m; got '\(distance)'")
    }
  }

  func run(in context: CommandContext) throws {
    guard let db = try storage.openExisting(context) else {
      throw UserError(
        message: "there is no history at '\(storage.path(context))' yet, so no run to check in",
        hint: "record a run with cadence session, cadence log or cadence import first", code: .usage)
    }
    let run = try find(in: db, context)
    let units = try context.config().units
    let speak = context.speaker(json: json)
    speak("Check-in for run \(run.id ?? 0): \(describe(run, units: units))")
    if let effort = run.effort, let pain = run.backPain {
      speak("It has a check-in (effort \(effort)/10, back pain \(pain)/10): the new one replaces it.")
    }
    let given = answers.answers(distanceMeters: distance.flatMap(parseDistanceMeters))
    // The distance the run has, or its speed over its time, offered (Enter keeps it).
    let meters =
      run.distanceMeters ?? run.speedMetersPerSecond.flatMap { speed in run.durationSeconds.map { speed * $0 } }
    let offered = meters.flatMap { $0 > 0 ? ($0, units.distance(meters: $0)) : nil }
    let result =
      given.map(CheckInResult.answered)
      ?? context.checkIn().ask(
        asksCompletion: run.measuredSPM == nil || run.source != .import, offeredDistance: offered)
    guard case .answered(let answers) = result else {
      // What was told before it ended is kept: a warning sign answered yes is heard.
      if case .interrupted(let told) = result, !told.isEmpty {
        let kept = try RunLedger(db: db, now: context.now).keep(told, in: run)
        for line in kept.lines(units: units) { speak(line) }
      }
      throw UserError(
        message: "the check-in was not finished: the run does not count towards a rung yet",
        hint: "run cadence checkin \(run.id ?? 0) when you can answer, or give --effort and --pain", code: .noInput)
    }
    let recorded = try RunLedger(db: db, now: context.now).checkIn(run, answers)
    for line in recorded.lines(units: units) { speak(line) }
    if json {
      context.say(
        Coach.json(RecordedJSON<String>(measurements: [], runs: [recorded.rows], details: nil, plan: recorded.after)))
    }
  }

  /// The run asked for, or the newest without a check-in; words for each way it is not there.
  private func find(in db: AppDatabase, _ context: CommandContext) throws -> RunRecord {
    guard let id else {
      guard let run = try db.lastRunWithoutCheckIn(until: context.now) else {
        throw UserError(
          message: "every run in your history has a check-in",
          hint: "give a run's id to change its check-in (cadence history lists them)", code: .usage)
      }
      return run
    }
    guard let run = try db.run(id: id) else {
      throw UserError(
        message: "there is no run \(id) in your history", hint: "cadence history lists the runs and their ids",
        code: .usage)
    }
    guard run.source != .report else {
      throw UserError(
        message: "\(id) is a warning-sign report, not a run: it has no check-in",
        hint: "cadence history lists the runs and their ids", code: .usage)
    }
    return run
  }
}
