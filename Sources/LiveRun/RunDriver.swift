import ALSA
import Glibc
import Playback

/// One run on a playback device, from the first click to the last: the driver `play` and
/// `session` share. It opens the device, starts the player, drives the run on the control
/// thread (keys, a remote, stop signals, a lost device opened again the same way), and returns
/// how it went. It words nothing but --verbose lines: the command line says the rest.
public final class RunDriver {
  public let device: PlaybackDevice<PCM>
  private let pcm: PCM
  public let sampleRate: Double

  /// Opens and configures `device`.
  public init(_ device: PlaybackDevice<PCM>) throws(DeviceFailure) {
    self.device = device
    let pcm = try device.open()
    guard let configuration = pcm.configuration else {
      throw DeviceFailure(.configure, ALSAError(code: -EINVAL, function: "snd_pcm_hw_params"))
    }
    self.pcm = pcm
    sampleRate = Double(configuration.sampleRate)
  }

  /// What played, and the signal that stopped it (nil: it ended, or a key stopped it).
  public struct Played {
    public let outcome: RunOutcome
    public let summary: PlaybackSummary
    public let signal: Int32?
  }

  /// Plays `run` until it ends or is stopped. `started` runs once playback has begun (the
  /// microphone starts there); the remote `remote` makes then (MPRIS) drives the run as keys
  /// do. The header line names what the device agreed to off a terminal.
  public func play(
    _ run: LiveRun, header: String, remote: () -> RemoteControl?, started: () throws -> Void = {}
  ) throws -> Played {
    let player = try device.startPlayer(engine: run.engine, on: pcm, frameLimit: run.plannedEnd)
    run.attach(player)
    try started()
    run.begin(run.setup.interactive ? header : "\(header) (\(player.configuration))")
    let (outcome, summary, signal) = runControlLoop(
      run, player: player, reconnection: Reconnection(device: device), remote: remote())
    if let verbose = device.verbose {
      verbose(run.deviceLine(outcome))
      let silent = outcome.gaps.reduce(Int64(0)) { $0 + max(0, ($1.to ?? $1.from) - $1.from) }
      verbose(wakeupLine(summary, periodFrames: player.configuration.periodFrames, silent: silent))
    }
    return Played(outcome: outcome, summary: summary, signal: signal)
  }
}
