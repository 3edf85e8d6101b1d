import ArgumentParser
import CadenceCore
import Coach
import Foundation
import History

/// `cadence week`: this week so far against last week, and what the load rules say.
struct Week: ContextCommand {
  static let configuration = CommandConfiguration(
    commandName: "week",
    abstract: "This week's runs, time and distance against last week's, with the 10% line.",
    discussion: """
      Calendar weeks, Monday to Sunday in your time zone: runs, time, distance, the longest run, \
      the highest back pain and any warning signs; the most this week may reach by the 10% rule \
      (the articles: raise weekly distance by no more than 10%), and last week's longest run \
      against the articles' 25% of the week.
      """)

  @Flag(help: "Print the two weeks as JSON (for scripts).")
  var json = false

  @OptionGroup var storage: StorageOptions

  func run(in context: CommandContext) throws {
    let runs = try storage.openIfExists(context).map { (db) throws in try db.runs() } ?? []
    let summary = WeekSummary(runs: runs, now: context.now)
    if json {
      context.say(Coach.json(summary))
    } else {
      for line in summary.lines(units: try context.config().units) { context.say(line) }
    }
  }
}
