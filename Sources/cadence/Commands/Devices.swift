import ALSA
import ArgumentParser
import Coach
import LiveRun

struct Devices: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "devices",
    abstract: "List the ALSA playback devices that --device accepts.")

  func run() throws {
    let hints: [DeviceHint]
    do {
      hints = try pcmDeviceHints().filter(\.canPlay)
    } catch {
      throw report(
        UserError(
          message: "cannot list ALSA devices: \(error)", hint: "check that ALSA is installed (libasound2)",
          code: .unavailable))
    }
    guard !hints.isEmpty else {
      say("No ALSA playback devices found. Plug in headphones or a sound card, or write a file with `cadence render`.")
      return
    }
    for hint in hints {
      say(hint.name)
      if !hint.description.isEmpty { say("    \(hint.description)") }
    }
  }
}
