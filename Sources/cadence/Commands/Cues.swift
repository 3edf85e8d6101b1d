import ArgumentParser
import CadenceCore
import Coach
import LiveRun

struct Cues: ContextCommand {
  static let configuration = CommandConfiguration(
    commandName: "cues",
    abstract: "List the form cues a session coaches with, and what the articles say of each.")

  @Flag(help: "Print the cues as JSON (id, line, why).")
  var json = false

  struct Row: Encodable {
    var id: String
    var line: String
    var why: String
  }

  func run(in context: CommandContext) throws {
    if json {
      context.say(Coach.json(FormCues.catalog.map { Row(id: $0.id, line: $0.line, why: $0.why) }))
      return
    }
    for cue in FormCues.catalog {
      context.say("\(cue.id)")
      context.say("  \(cue.line)")
      context.say("  why: \(cue.why)")
    }
  }
}
