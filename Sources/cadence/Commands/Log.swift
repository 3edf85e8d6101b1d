import ArgumentParser
import CadenceCore
import Coach
import Foundation
import History
import LiveRun

struct Log: ContextCommand {
  static let configuration = CommandConfiguration(
    commandName: "log",
    abstract: "Record a run done without cadence (a watch, another app), with its check-in.",
    discussion: """
      Effort and back pain make the check-in that lets your plan advance; give both, or \
      neither. Warning signs: \(WarningSign.allCases.map(\.rawValue).joined(separator: ", ")); \
      --warning alone (no minutes, distance or check-in) reports them without a run, as \
      `cadence warn` does.
      """)

  @Option(
    help: ArgumentHelp("The cadence you ran to (default: your plan's current rung).", valueName: "spm"),
    transform: cadenceValue)
  var cadence: Cadence?

  @Option(
    help: ArgumentHelp("Your own cadence on the run, if your watch measured it.", valueName: "spm"),
    transform: cadenceValue)
  var measured: Cadence?

  @Option(help: ArgumentHelp("Minutes you ran, at most 600.", valueName: "minutes"), transform: decimal)
  var minutes: Double?

  @Option(help: ArgumentHelp("How far, like 5km, 3.1mi or 800m.", valueName: "distance"))
  var distance: String?

  @Option(help: ArgumentHelp("Treadmill speed, like 10km/h or 6.2mph.", valueName: "speed"))
  var speed: String?

  @OptionGroup var checkIn: CheckInOptions

  @Option(help: ArgumentHelp("When you ran: 2026-11-20 or 2026-11-20T07:30 (default: now).", valueName: "date"))
  var date: String?

  @Option(help: ArgumentHelp("Anything to remember about the run.", valueName: "text"))
  var notes: String?

  @Option(
    name: .customLong("run"),
    help: ArgumentHelp(
      "Complete this stored run (an id cadence history lists) instead of storing one.", valueName: "id"))
  var runID: Int64?

  @Flag(help: "Store a new run even where one of the same day is imported or lacks its check-in.")
  var new = false

  @Flag(
    help: "Print what was stored as JSON (for scripts), with the plan as it now stands; the words go to standard error."
  )
  var json = false

  @OptionGroup var storage: StorageOptions

  func validate() throws {
    try validateMinutes(minutes)
    if let distance, parseDistanceMeters(distance) == nil {
      throw ValidationError(
        "--distance must be more than 0 and at most 200 km, like 5km, 3.1mi or 800m; got '\(distance)'")
    }
    try validateSpeed(speed)
    try validateDate(date)
    if let runID, runID < 1 {
      throw ValidationError("--run must be a positive id that cadence history shows; got \(runID)")
    }
    if runID != nil && new { throw ValidationError("--run completes a stored run and --new stores another: give one") }
    if minutes == nil && distance == nil && speed == nil && cadence == nil && measured == nil && checkIn.effort == nil
      && checkIn.warnings.isEmpty && notes == nil && runID == nil
    {
      throw ValidationError(
        "nothing to log: give what you ran (--minutes, --distance) and how it went (--effort and --pain)")
    }
  }

  func run(in context: CommandContext) throws {
    let signs = checkIn.signs
    let when = try context.recordedDate(date)
    if !signs.isEmpty && checkIn.effort == nil && minutes == nil && distance == nil && cadence == nil && measured == nil
    {
      try reportWarningSigns(signs, at: when, storage: storage, notes: notes, json: json, in: context)
      return
    }
    let units = try context.config().units
    let ledger = try context.ledger(storage)
    let plan = try ledger.planReport()
    let target = cadence.map(\.spm) ?? plan?.status.current.spm
    let run = RunRecord(
      date: when, source: .log, targetSPM: target,
      measuredSPM: measured.map(\.spm),
      durationSeconds: minutes.map { $0 * 60 }, distanceMeters: distance.flatMap(parseDistanceMeters),
      speedMetersPerSecond: speed.flatMap(Speed.init(parsing:))?.metersPerSecond,
      completedAtTarget: !checkIn.missedTarget,
      effort: checkIn.effort, backPain: checkIn.pain, warningSigns: signs,
      notes: notes)
    let recorded: RunLedger.Outcome<RunRecord>
    if let stored = try storedRun(ledger, at: when, in: context, units: units) {
      recorded = try ledger.complete(stored, with: run)
      context.speaker(json: json)(
        "Completed run \(stored.id ?? 0) (\(stored.source == .import ? "imported" : stored.source.rawValue), "
          + "\(isoString(stored.date))) rather than storing it twice:")
    } else {
      recorded = try ledger.record(run, planBefore: .some(plan))
    }
    for line in recorded.lines(units: units) { context.speaker(json: json)(line) }
    if json {
      context.say(
        Coach.json(RecordedJSON<String>(measurements: [], runs: [recorded.rows], details: nil, plan: recorded.after)))
    }
  }

  /// The stored run this log completes: the one --run names, or the one run of the same day (and
  /// time, when given) that is imported or lacks its check-in. Several such runs: the runner
  /// says which.
  private func storedRun(
    _ ledger: RunLedger, at when: Date, in context: CommandContext, units: UnitSystem
  ) throws -> RunRecord? {
    if let runID {
      guard let run = try ledger.db.run(id: runID), run.source != .report else {
        throw UserError(
          message: "there is no run \(runID) in your history", hint: "cadence history lists the runs and their ids",
          code: .usage)
      }
      return run
    }
    guard !new else { return nil }
    let window: TimeInterval? = date.map { $0.contains("T") || $0.contains(" ") } == true ? 3_600 : nil
    let candidates = try ledger.sameRun(as: when, window: window, calendar: Calendar.current)
    guard candidates.count > 1 else { return candidates.first }
    let listed = candidates.map { "\($0.id ?? 0) (\(describe($0, units: units)))" }.joined(separator: "; ")
    throw UserError(
      message: "\(candidates.count) runs of that day are imported or lack their check-in: \(listed)",
      hint: "give --run ID to complete one of them, or --new to store another run", code: .usage)
  }
}
