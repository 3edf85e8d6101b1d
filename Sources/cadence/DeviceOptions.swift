import ALSA
import ArgumentParser
import CadenceCore
import ClickEngine
import Coach
import Foundation
import LiveRun
import Playback
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

  func validate() throws {
    if let latency, !(latency.isFinite && (2...500).contains(latency)) {
      throw ValidationError("--latency must be from 2 to 500 milliseconds; got \(latency)")
    }
    if let offset, !(offset.isFinite && (0...1000).contains(offset)) {
      throw ValidationError("--offset must be from 0 to 1000 milliseconds; got \(offset)")
    }
  }

  func name(_ config: Config) -> String { device ?? config.device ?? "default" }

  /// The extra delay, in frames at `sampleRate`.
  func offsetFrames(_ config: Config, sampleRate: Double) -> Int64 {
    Int64(((offset ?? config.offset ?? 0) / 1000 * sampleRate).rounded())
  }

  /// Opens and configures the device, with errors that name it and what to try.
  func open(_ config: Config, in context: CommandContext) throws(UserError) -> PCM {
    ALSAErrorOutput.silent = !verbose
    let device = name(config)
    let pcm: PCM
    do {
      pcm = try PCM(name: device)
    } catch {
      throw .device(device, error, doing: "open")
    }
    let choice = LatencyPolicy.choose(for: pcm.kind, milliseconds: latency ?? config.latency)
    if verbose { context.errors.write("cadence: \(device): \(choice.reason)\n") }
    do {
      try pcm.configure(choice.request)
    } catch {
      throw .device(device, error, doing: "configure")
    }
    return pcm
  }
}

/// Makes the playback thread and starts it, saying (with --verbose) what the device agreed to
/// and whether real-time priority was granted.
func startPlayer(
  engine: ClickEngine, pcm: PCM, frameLimit: Int64?, device: String, verbose: Bool, soundName: String,
  in context: CommandContext
) throws(UserError) -> Player<PCM> {
  let player: Player<PCM>
  do {
    player = try Player(engine: engine, output: pcm, frameLimit: frameLimit)
  } catch {
    throw UserError.device(device, error, doing: "start")
  }
  StopSignals.install()
  if verbose {
    context.errors.write("cadence: \(device): \(player.configuration)\n")
    context.errors.write("cadence: sound '\(soundName)', \(engine.sound.normal.count) frames\n")
  }
  do {
    try player.start()
  } catch {
    throw UserError.device(device, error, doing: "start")
  }
  if verbose {
    switch player.realtime {
    case .fifo(let priority): context.errors.write("cadence: playback thread runs SCHED_FIFO, priority \(priority)\n")
    case .normal(let reason):
      context.errors.write(
        "cadence: playback thread runs without real-time priority (\(reason)); a busy machine may cause xruns, a larger --latency helps\n"
      )
    }
  }
  return player
}

/// "cadence: the playback thread woke 566 times for 282 periods (2.0 a period)": how often the
/// loop waited on the device, which a plugin that misreports readiness would inflate.
/// The stretches without sound (`silent`, a lost device) wrote no periods.
func wakeupLine(_ summary: PlaybackSummary, player: Player<PCM>, silent: Int64 = 0) -> String {
  let periods = max(1, (summary.framesWritten - silent) / Int64(max(1, player.configuration.periodFrames)))
  let ratio = Double(summary.wakeups) / Double(periods)
  return "cadence: the playback thread woke \(summary.wakeups) times for \(periods) periods "
    + "(\(format(ratio, 1)) a period)"
}
