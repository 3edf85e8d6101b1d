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

  /// Runs the command. A usage error found while parsing or validating is printed in the one
  /// style every cadence error has ("cadence: error: ...", then "  try: ..."), exit 64; help
  /// and --version print as ArgumentParser does; errors a command already reported (an
  /// ExitCode) only set the exit code.
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch let code as ExitCode {
      exit(withError: code)
    } catch {
      guard exitCode(for: error) != .success else { exit(withError: error) }
      let text =
        message(for: error).split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? "\(error)"
      standardError.write("cadence: error: \(usageText(text))\n  try: \(helpCommand()) --help\n")
      exit(withError: ExitCode(64))
    }
  }

  /// "cadence measure" for `cadence measure 0xAA`: the command whose help names the options.
  private static func helpCommand() -> String {
    var words = ["cadence"]
    var current: ParsableCommand.Type = CadenceCommand.self
    for argument in CommandLine.arguments.dropFirst() {
      guard let next = current.configuration.subcommands.first(where: { $0.configuration.commandName == argument })
      else { break }
      words.append(argument)
      current = next
    }
    // `cadence plan --step 0.05` ran `plan show`: its help has the options.
    if let implied = current.configuration.defaultSubcommand?.configuration.commandName { words.append(implied) }
    return words.joined(separator: " ")
  }

  /// ArgumentParser's "Error: " prefix dropped: the line already says it is an error.
  private static func usageText(_ text: String) -> String {
    text.hasPrefix("Error: ") ? String(text.dropFirst(7)) : text
  }
}
