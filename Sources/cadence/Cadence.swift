import ArgumentParser
import Coach
import LiveRun

@main
struct CadenceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cadence",
    abstract: "A cadence metronome and running-form coach for the treadmill.",
    discussion: """
      Cadence is steps per minute, both feet counted. The running articles cadence is built \
      on set a goal band of 170 to 190; work towards it in small steps (160, then 165, then \
      170) with a click to follow.
      """,
    version: "0.1.0",
    subcommands: [
      Play.self, Session.self, Render.self, Plan.self, Log.self, Warn.self, Measure.self, HistoryCommand.self, Tap.self,
      Listen.self,
      Import.self, Devices.self,
      Cues.self,
    ]
  )
}
