import ArgumentParser
import CadenceCore
import Coach
import Foundation
import History

/// `cadence today`: what to run next and why, from the plan as it stands.
struct Today: ContextCommand {
  static let configuration = CommandConfiguration(
    commandName: "today",
    abstract: "Say what to run today, and what it takes for the next rung.",
    discussion: """
      The session `cadence session` plays with no options (the config's warm-up, the 20-minute \
      block at your rung, the cool-down), a run that still needs its check-in, and each thing \
      that holds the next rung with what clears it. Nothing is stored.
      """)

  @OptionGroup var storage: StorageOptions

  func run(in context: CommandContext) throws {
    let db = try storage.openIfExists(context)
    let ledger = db.map { RunLedger(db: $0, now: context.now) }
    let config = try context.config()
    let shape = TodayAdvice.Shape(
      warmupMinutes: config.warmupMinutes ?? SessionShapeOptions.defaultWarmupMinutes,
      blockMinutes: SessionShapeOptions.defaultBlockMinutes, cooldownMinutes: SessionShapeOptions.defaultCooldownMinutes
    )
    let advice = TodayAdvice(
      report: try ledger?.planReport(), latestMeasured: try db?.latestMeasuredSPM(),
      withoutCheckIn: try db?.lastRunWithoutCheckIn(until: context.now), shape: shape)
    for line in advice.lines { context.say(line) }
  }
}
