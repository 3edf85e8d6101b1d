import ArgumentParser
import Coach
import Glibc
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
      Play.self, Session.self, Render.self, Plan.self, Log.self, CheckIn.self, Warn.self, Measure.self,
      HistoryCommand.self, Tap.self,
      Listen.self,
      Import.self, Today.self, Week.self, Shoes.self, SensorsCommand.self, Devices.self,
      Cues.self,
    ]
  )

  /// The process's entry point: the only place that reads the process's environment, streams
  /// and clock (into a `CommandContext`) and exits.
  static func main() {
    // cadence's words, dates and numbers are English and ISO 8601 whatever the locale, and a
    // locale name ICU cannot read crashed it: the process's own locale is pinned before any
    // formatter is made (the runner's environment is still read, for paths and CADENCE_NOW).
    setenv("LC_ALL", "C.UTF-8", 1)
    DescriptorOutput.holdStandardDescriptors()
    let context: CommandContext
    do {
      context = try CommandContext.live()
    } catch {
      DescriptorOutput(2).write(error.printed)
      Glibc.exit(error.code.rawValue)
    }
    Glibc.exit(execute(Array(CommandLine.arguments.dropFirst()), in: context))
  }

  /// Parses `arguments`, runs the command in `context`, and returns the exit status. Every error
  /// is worded here, at the edge: a library's typed error or a UserError as "cadence: error:
  /// ..." with "  try: ..." and its sysexits code; a usage error found while parsing or
  /// validating in the same style, exit 64; help, --version and completion scripts print as
  /// ArgumentParser does, on standard output; an ExitCode only sets the status.
  static func execute(_ arguments: [String], in context: CommandContext) -> Int32 {
    context.finish(run(arguments, in: context, json: arguments.contains("--json")))
  }

  /// `execute` before standard output's check: errors on standard error, and as one JSON
  /// object on standard output where `--json` was asked for.
  private static func run(_ arguments: [String], in context: CommandContext, json: Bool) -> Int32 {
    // The version as ArgumentParser prints it, without its parse: that parse's first protocol
    // conformance lookups scan every conformance record of the image (about half of
    // `--version`'s instructions, README's start-up figures).
    if arguments == ["--version"] {
      context.output.write(configuration.version + "\n")
      return 0
    }
    if let mistake = UsageWords.mistake(in: arguments) { return context.report(mistake, json: json) }
    let arguments = UsageWords.joiningNegativeValues(arguments)
    do {
      var command = try parseAsRoot(arguments)
      if let command = command as? any ContextCommand {
        try command.run(in: context)
      } else {
        try command.run()
      }
      return 0
    } catch let code as ExitCode {
      return code.rawValue
    } catch {
      if let words = UserError(wording: error) { return context.report(words, json: json) }
      if exitCode(for: error) == .success {
        context.output.write(fullMessage(for: error) + "\n")
        return 0
      }
      let text =
        message(for: error).split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? "\(error)"
      return context.report(
        UserError(message: usageText(text), hint: "\(helpCommand(arguments)) --help", code: .usage), json: json)
    }
  }

  /// "cadence measure" for `cadence measure 0xAA`: the command whose help names the options.
  private static func helpCommand(_ arguments: [String]) -> String {
    var words = ["cadence"]
    var current: ParsableCommand.Type = CadenceCommand.self
    for argument in arguments {
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
