import CadenceCore
import ClickEngine
import Coach
import Foundation
import Glibc
import History
import LiveRun
import MediaControl
import Settings
import Sounds
import StayAwake

/// The device side that `play` and `session` share: open, play a `LiveRun` to its end through
/// the run driver, say how it went, and store it (before any question) with the check-in that
/// follows.
struct LivePlayback {
  let context: CommandContext
  let options: DeviceOptions
  let config: Config
  let driver: RunDriver
  /// Where the summary line goes (standard error when standard output carries JSON).
  let speak: (String) -> Void

  init(_ options: DeviceOptions, config: Config, speak: @escaping (String) -> Void, in context: CommandContext) throws {
    self.context = context
    self.options = options
    self.config = config
    self.speak = speak
    let device = options.playbackDevice(config, in: context)
    do {
      driver = try RunDriver(device)
    } catch {
      throw UserError.device(device.name, error, from: options.source(config, environment: context.environment))
    }
  }

  /// The device's name, as the runner gave it.
  var device: String { driver.device.name }
  var sampleRate: Double { driver.sampleRate }
  var offsetFrames: Int64 { options.offsetFrames(config, sampleRate: sampleRate) }

  /// Plays `run` until it ends or is stopped, and says how it went; `started` runs once
  /// playback has begun (the microphone starts there).
  func play(_ run: LiveRun, header: String, started: () throws -> Void = {}) throws -> RunDriver.Played {
    // The machine stays awake while the run plays, and lets go when it ends.
    let awake = stayAwake()
    defer { awake?.release() }
    let played: RunDriver.Played
    do {
      played = try driver.play(run, header: header, remote: mediaControl, started: started)
    } catch let failure as DeviceFailure {
      throw UserError.device(device, failure, from: options.source(config, environment: context.environment))
    }
    speak(run.summaryLine(played.outcome))
    return played
  }

  /// A logind inhibitor (no screen blanking, no suspend) while the run plays, where there is
  /// a system bus with logind; without, the run plays on and --verbose says why.
  private func stayAwake() -> SleepInhibitor? {
    do {
      let inhibitor = try SleepInhibitor(why: "a cadence run is playing")
      if options.verbose {
        context.note("cadence: logind keeps the screen on and the machine awake while the run plays")
      }
      return inhibitor
    } catch {
      if options.verbose {
        context.note(
          "cadence: cannot keep the machine awake (\(error)): a blank screen or a suspend may stop the click")
      }
      return nil
    }
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
  /// `measured`: the run's cadence was measured (a microphone or a foot pod), so the check-in
  /// does not ask whether it held the click; the record says.
  func store(
    _ record: RunRecord, _ played: RunDriver.Played, ledger: RunLedger, plan: PlanReport?, measured: Bool = false
  ) throws
    -> RunLedger
    .Outcome<RunRecord>
  {
    let ask = played.signal != SIGTERM && played.signal != SIGHUP
    context.input.interruptFD = StopSignals.readFD
    let recorded = try ledger.record(
      record, heardPerMinute: played.outcome.heardPerMinute, planBefore: .some(plan),
      checkIn: ask
        ? {
          // The distance the run has (a treadmill's belt), or its speed over the time run.
          let meters =
            record.distanceMeters
            ?? record.speedMetersPerSecond.flatMap { speed in record.durationSeconds.map { speed * $0 } }
          let offered = meters.flatMap { $0 > 0 ? ($0, config.units.distance(meters: $0)) : nil }
          var result = context.checkIn().ask(asksCompletion: !measured, offeredDistance: offered)
          if measured, case .answered(var answers) = result {
            answers.completedAtTarget = record.completedAtTarget
            result = .answered(answers)
          }
          return result
        } : nil)
    for line in recorded.lines(units: config.units) { speak(line) }
    if let error = played.summary.error { throw UserError.lostDevice(device, error) }
    return recorded
  }
}
