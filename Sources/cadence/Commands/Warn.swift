import ArgumentParser
import CadenceCore
import Coach
import Foundation
import History
import LiveRun

struct Warn: ContextCommand {
  static let configuration = CommandConfiguration(
    commandName: "warn",
    abstract: "Report a warning sign now, with or without a run: your plan pauses and you get the advice.",
    discussion: """
      Signs: \(WarningSign.allCases.map { "\($0.rawValue) (\($0.question.dropLast()))" }.joined(separator: "; ")). \
      Stop running and see a professional; loss of bladder or bowel control needs immediate \
      medical attention. `cadence plan resume` lifts the pause once you are cleared.
      """)

  @Argument(
    help: ArgumentHelp("One or more warning signs.", valueName: "sign"),
    completion: .list(WarningSign.allCases.map { $0.rawValue }))
  var signs: [String] = []

  @Option(help: ArgumentHelp("When: 2026-11-20 or 2026-11-20T07:30 (default: now).", valueName: "date"))
  var date: String?

  @Flag(
    help: "Print what was stored as JSON (for scripts), with the plan as it now stands; the words go to standard error."
  )
  var json = false

  @OptionGroup var storage: StorageOptions

  func validate() throws {
    guard !signs.isEmpty else {
      throw ValidationError(
        "name at least one warning sign: \(WarningSign.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    for s in signs where WarningSign(rawValue: s) == nil {
      throw ValidationError(
        "a warning sign must be one of \(WarningSign.allCases.map(\.rawValue).joined(separator: ", ")); got '\(s)'")
    }
    try validateDate(date)
  }

  func run(in context: CommandContext) throws {
    try reportWarningSigns(
      Set(signs.compactMap(WarningSign.init(rawValue:))), at: try context.recordedDate(date), storage: storage,
      notes: nil, json: json, in: context)
  }
}

/// Stores warning signs reported on their own (a history row of source `report`, not a run),
/// prints the advice and what it did to the plan: paused, whatever else is in the history. With
/// `json` the advice still shows (on standard error: a warning sign is always heard) and the
/// row goes to standard output as JSON.
func reportWarningSigns(
  _ signs: Set<WarningSign>, at date: Date, storage: StorageOptions, notes: String?, json: Bool,
  in context: CommandContext
) throws {
  let units = try context.config().units
  let recorded = try context.ledger(storage).record(
    RunRecord(date: date, source: .report, completedAtTarget: false, warningSigns: signs, notes: notes))
  for line in recorded.lines(units: units) { context.speaker(json: json)(line) }
  if json {
    context.say(
      Coach.json(RecordedJSON<String>(measurements: [], runs: [recorded.rows], details: nil, plan: recorded.after)))
  }
}
