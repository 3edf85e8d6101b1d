import ALSA
import CadenceCore
import ClickEngine
import Coach
import Foundation
import Glibc
import History
import LiveRun
import MediaControl
import Playback
import Settings
import Sounds

/// The device side that `play` and `session` share: open, play a `LiveRun` to its end, say
/// how it went, and store it (before any question) with the check-in that follows.
struct LivePlayback {
  let context: CommandContext
  let options: DeviceOptions
  let config: Config
  let device: String
  let pcm: PCM
  /// Where the summary line goes (standard error when standard output carries JSON).
  let speak: (String) -> Void

  init(_ options: DeviceOptions, config: Config, speak: @escaping (String) -> Void, in context: CommandContext) throws {
    self.context = context
    self.options = options
    self.config = config
    self.speak = speak
    device = options.name(config)
    pcm = try options.open(config, in: context)
  }

  // init opens the PCM configured: it has a configuration.
  // swift-format-ignore: NeverForceUnwrap
  var sampleRate: Double { Double(pcm.configuration!.sampleRate) }
  var offsetFrames: Int64 { options.offsetFrames(config, sampleRate: sampleRate) }

  /// What played, and the signal that stopped it (nil: it ended, or a key stopped it).
  struct Played {
    let run: LiveRun
    let outcome: RunOutcome
    let summary: PlaybackSummary
    let signal: Int32?
  }

  /// Plays `run` until it ends or is stopped; `started` runs once playback has begun (the
  /// microphone starts there).
  func play(_ run: LiveRun, header: String, started: () throws -> Void = {}) throws -> Played {
    let player = try startPlayer(
      engine: run.engine, pcm: pcm, frameLimit: run.plannedEnd, device: device, verbose: options.verbose,
      soundName: run.engine.sound.name, in: context)
    run.attach(player)
    try started()
    run.begin(run.setup.interactive ? header : "\(header) (\(player.configuration))")
    let reconnection = Reconnection<PCM>(
      device: device, open: { [options, config, context] in try? options.open(config, in: context) },
      retire: { $0.close() })
    let remote = mediaControl()
    let (outcome, summary, signal) = runControlLoop(
      run, player: player, reconnection: reconnection, remote: remote)
    speak(run.summaryLine(outcome))
    if options.verbose {
      let silent = outcome.gaps.reduce(Int64(0)) { $0 + max(0, ($1.to ?? $1.from) - $1.from) }
      context.errors.write(wakeupLine(summary, player: player, silent: silent) + "\n")
    }
    return Played(run: run, outcome: outcome, summary: summary, signal: signal)
  }

  /// cadence as an MPRIS player while the run plays, when there is a session bus.
  private func mediaControl() -> MPRISPlayer? {
    do {
      let player = try MPRISPlayer()
      if options.verbose {
        context.errors.write(
          "cadence: MPRIS player \(player.busName) on the session bus: media keys and headset buttons "
            + "pause, resume, skip to the next phase and stop\n")
      }
      return player
    } catch {
      if options.verbose {
        context.errors.write(
          "cadence: no MPRIS player (\(error)): media keys and headset buttons will not reach cadence\n")
      }
      return nil
    }
  }

  /// Stores the run at once; then, unless SIGTERM or SIGHUP ended it, asks the check-in on
  /// standard input (Ctrl-C, SIGTERM, SIGHUP or end of input there end the questions and keep
  /// the run), and says what was stored. Then reports a lost device. `plan` is the plan as
  /// it stood before the run.
  func store(_ record: RunRecord, _ played: Played, ledger: RunLedger, plan: PlanReport?) throws
    -> RunLedger
    .Outcome<RunRecord>
  {
    let ask = played.signal != SIGTERM && played.signal != SIGHUP
    context.input.interruptFD = StopSignals.readFD
    let recorded = try ledger.record(
      record, heardPerMinute: played.outcome.heardPerMinute, planBefore: .some(plan),
      checkIn: ask ? { context.checkIn().run() } : nil)
    for line in recorded.lines(units: config.units) { speak(line) }
    if let error = played.summary.error { throw UserError.lostDevice(device, error) }
    return recorded
  }
}
