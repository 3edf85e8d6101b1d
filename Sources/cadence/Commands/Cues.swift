import ArgumentParser
import CadenceCore
import Coach
import LiveRun

struct Cues: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cues",
    abstract: "List the form cues a session coaches with, and what the articles say of each.")

  func run() throws {
    for cue in FormCues.catalog {
      say("\(cue.id)")
      say("  \(cue.line)")
      say("  why: \(cue.why)")
    }
  }
}
