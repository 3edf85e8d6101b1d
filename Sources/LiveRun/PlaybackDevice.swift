import ALSA
import CadenceCore
import ClickEngine
import Playback

/// Where opening, configuring or starting a device failed, with libasound's own error.
public struct DeviceFailure: Error, Sendable {
  public enum Stage: String, Sendable {
    case open, configure, start
  }

  public var stage: Stage
  public var error: ALSAError

  public init(_ stage: Stage, _ error: ALSAError) {
    self.stage = stage
    self.error = error
  }
}

/// The one way a run gets a playing device: opened and configured, then a player started on
/// it, the same at the start of a run and after a lost device, with the same reports (what
/// the device agreed to, and whether real-time priority was granted, said with --verbose).
public struct PlaybackDevice<Output: PCMOutput> {
  /// The device's name, for the lines the runner reads.
  public var name: String
  /// Opens and configures the device.
  public var open: () throws(DeviceFailure) -> Output
  /// Lets go of a device: a lost one before it is opened again, or one that failed to start.
  public var retire: (Output) -> Void
  /// Where --verbose lines go; nil says nothing.
  public var verbose: ((String) -> Void)?
  /// SCHED_FIFO priority asked for the playback thread (nil: normal priority).
  public var realtimePriority: Int32?

  public init(
    name: String, open: @escaping () throws(DeviceFailure) -> Output, retire: @escaping (Output) -> Void = { _ in },
    verbose: ((String) -> Void)? = nil, realtimePriority: Int32? = 50
  ) {
    self.name = name
    self.open = open
    self.retire = retire
    self.verbose = verbose
    self.realtimePriority = realtimePriority
  }

  /// A player on `output`, started, playing `engine` up to `frameLimit` frames. The stop
  /// signals are taken first (the control side waits on them).
  public func startPlayer(engine: ClickEngine, on output: Output, frameLimit: Int64?) throws(DeviceFailure)
    -> Player<Output>
  {
    let player: Player<Output>
    do {
      player = try Player(engine: engine, output: output, frameLimit: frameLimit)
    } catch {
      throw DeviceFailure(.start, error)
    }
    StopSignals.install()
    if let verbose {
      verbose("cadence: \(name): \(player.configuration)")
      verbose("cadence: sound '\(engine.sound.name)', \(engine.sound.normal.count) frames")
    }
    do {
      try player.start(realtimePriority: realtimePriority)
    } catch {
      throw DeviceFailure(.start, error)
    }
    if let verbose {
      switch player.realtime {
      case .fifo(let priority): verbose("cadence: playback thread runs SCHED_FIFO, priority \(priority)")
      case .normal(let reason):
        verbose(
          "cadence: playback thread runs without real-time priority (\(reason)); a busy machine may cause xruns, "
            + "a larger --latency helps")
      }
    }
    return player
  }
}

extension PlaybackDevice where Output == PCM {
  /// An ALSA PCM by name, its buffer chosen for its kind (a sound card, PipeWire, PulseAudio,
  /// JACK) unless `latencyMilliseconds` is given; libasound's own messages only with --verbose.
  public static func alsa(name: String, latencyMilliseconds: Double?, verbose: ((String) -> Void)?)
    -> PlaybackDevice<PCM>
  {
    PlaybackDevice(
      name: name,
      open: { () throws(DeviceFailure) in
        ALSAErrorOutput.silent = verbose == nil
        let pcm: PCM
        do throws(ALSAError) {
          pcm = try PCM(name: name)
        } catch {
          throw DeviceFailure(.open, error)
        }
        let choice = LatencyPolicy.choose(for: pcm.kind, milliseconds: latencyMilliseconds)
        verbose?("cadence: \(name): \(choice.reason)")
        do throws(ALSAError) {
          try pcm.configure(choice.request)
        } catch {
          pcm.close()
          throw DeviceFailure(.configure, error)
        }
        return pcm
      }, retire: { $0.close() }, verbose: verbose)
  }
}

/// "cadence: the playback thread woke 566 times for 282 periods (2.0 a period)": how often the
/// loop waited on the device, which a plugin that misreports readiness would inflate.
/// The stretches without sound (`silent`, a lost device) wrote no periods.
public func wakeupLine(_ summary: PlaybackSummary, periodFrames: Int, silent: Int64 = 0) -> String {
  let periods = max(1, (summary.framesWritten - silent) / Int64(max(1, periodFrames)))
  let ratio = Double(summary.wakeups) / Double(periods)
  return "cadence: the playback thread woke \(summary.wakeups) times for \(periods) periods "
    + "(\(format(ratio, 1)) a period)"
}

/// A playback device on an ALSA PCM: what `play` and `session` run on.
public typealias ALSAPlaybackDevice = PlaybackDevice<PCM>
