import ALSA
import ArgumentParser
import Coach
import LiveRun

struct Devices: ContextCommand {
  static let configuration = CommandConfiguration(
    commandName: "devices",
    abstract: "List the ALSA playback devices that --device accepts.",
    discussion: """
      Outputs only: rate converters and mixers from libasound2-plugins (lavrate, samplerate, \
      speexrate, speex, upmix, vdownmix) pass audio on to `default` and are left out.
      """)

  @Flag(help: "Print the devices as JSON (name, description).")
  var json = false

  struct Row: Encodable {
    var name: String
    var description: String
  }

  func run(in context: CommandContext) throws {
    let hints: [DeviceHint]
    do {
      hints = try pcmDeviceHints().filter(\.isOutput)
    } catch {
      throw UserError(
        message: "cannot list ALSA devices: \(error)", hint: "check that ALSA is installed (libasound2)",
        code: .unavailable)
    }
    if json {
      context.say(Coach.json(hints.map { Row(name: $0.name, description: $0.description) }))
      return
    }
    guard !hints.isEmpty else {
      context.say(
        "No ALSA playback devices found. Plug in headphones or a sound card, or write a file with `cadence render`.")
      return
    }
    for hint in hints {
      context.say(hint.name)
      if !hint.description.isEmpty { context.say("    \(hint.description)") }
    }
  }
}
