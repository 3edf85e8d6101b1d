import ArgumentParser
import CadenceCore
import ClickEngine
import Coach
import Foundation
import LiveRun
import Settings
import Sounds

struct DeviceOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "ALSA PCM to play through, see `cadence devices` (default: the config's device, else 'default').",
      valueName: "name"), completion: Completions.device)
  var device: String?

  @Option(
    help: ArgumentHelp(
      "Output buffer in milliseconds, 2 to 500: lower reacts faster, higher survives a busy machine "
        + "(default: the config's latency, else chosen for the device: 10 on a sound card, 85 on PipeWire "
        + "or PulseAudio, about 20 on JACK; --verbose says which).", valueName: "ms"), transform: decimal)
  var latency: Double?

  @Option(
    help: ArgumentHelp(
      "Extra delay in milliseconds, 0 to 1000, for a device that plays later than it reports (some Bluetooth "
        + "headphones): the screen's beat and the session's phases wait for it (default: the config's offset, else 0).",
      valueName: "ms"), transform: decimal)
  var offset: Double?

  @Flag(
    help: "Say what the device agreed to, whether real-time priority was granted, and show libasound's own messages.")
  var verbose = false

  @Option(
    help: ArgumentHelp(
      "The live view on a terminal: big (block digits readable from the treadmill, where the terminal has at "
        + "least \(BigScreen.minimumColumns)x\(BigScreen.minimumRows); smaller, the line view), line (a few "
        + "fitted lines) or plain (a line a minute, as off a terminal) (default: the config's screen, else big).",
      valueName: "view"))
  var screen: ScreenMode?

  /// The view asked for: `--screen`, the config's, else big; plain where the terminal cannot
  /// move its cursor (TERM=dumb).
  func screenMode(_ config: Config, environment: [String: String]) -> ScreenMode {
    if environment["TERM"] == "dumb" { return .plain }
    return screen ?? config.screen.flatMap(ScreenMode.init(rawValue:)) ?? .big
  }

  func validate() throws {
    if let latency, !(latency.isFinite && (2...500).contains(latency)) {
      throw ValidationError("--latency must be from 2 to 500 milliseconds; got \(latency)")
    }
    if let offset, !(offset.isFinite && (0...1000).contains(offset)) {
      throw ValidationError("--offset must be from 0 to 1000 milliseconds; got \(offset)")
    }
  }

  func name(_ config: Config) -> String { device ?? config.device ?? "default" }

  /// Where the device's name came from, for advice that points at the right place.
  func source(_ config: Config, environment: [String: String]) -> UserError.DeviceSource {
    if device != nil { return .option }
    if config.device != nil { return .config(path: Config.path(environment: environment)) }
    return .builtIn
  }

  /// The extra delay, in frames at `sampleRate`.
  func offsetFrames(_ config: Config, sampleRate: Double) -> Int64 {
    Int64(((offset ?? config.offset ?? 0) / 1000 * sampleRate).rounded())
  }

  /// The device a run plays through: opened, configured and started the same way at the start
  /// and after a loss; --verbose lines on standard error.
  func playbackDevice(_ config: Config, in context: CommandContext) -> ALSAPlaybackDevice {
    .alsa(
      name: name(config), latencyMilliseconds: latency ?? config.latency,
      verbose: verbose ? { [errors = context.errors] in errors.write($0 + "\n") } : nil)
  }
}

extension ScreenMode: ExpressibleByArgument {}
