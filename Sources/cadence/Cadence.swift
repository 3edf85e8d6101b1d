import ArgumentParser

@main
struct CadenceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cadence",
    abstract: "A cadence metronome and running-form coach for the treadmill.",
    discussion: """
      Cadence is steps per minute, both feet counted. Most runners do well between 170 and \
      190; raise yours in small steps (160, then 165, then 170) with a click to follow.
      """,
    version: "0.1.0",
    subcommands: [
      Play.self, Session.self, Render.self, Plan.self, Log.self, Measure.self, HistoryCommand.self, Tap.self,
      Listen.self,
      Import.self, Devices.self,
      Cues.self,
    ]
  )
}
