import ArgumentParser
import CadenceCore
import ClickEngine
import Coach
import Foundation
import History
import LiveRun
import Settings
import Sounds

struct Play: ContextCommand {
  static let configuration = CommandConfiguration(
    commandName: "play",
    abstract: "Play a click at a cadence through ALSA until stopped.",
    discussion: """
      On a terminal a status line shows the cadence, elapsed time and the beat, and keys \
      change it live: up/down or +/- by 1 spm, PageUp/PageDown (or shift+up/down) by 5, \
      space pauses and resumes, q quits. Ctrl-C also stops. Headset buttons and media keys \
      (MPRIS, on the session bus) pause, resume and stop it too. A summary follows on exit.
      """)

  @Argument(
    help: ArgumentHelp("Cadence in steps per minute, 100 to 240 (e.g. 170 or 173.5).", valueName: "cadence"),
    transform: cadenceValue)
  var cadence: Cadence

  @Option(
    help: ArgumentHelp(
      "Minutes at the cadence: stop after this many, at most 600 (default: until stopped).", valueName: "minutes"),
    transform: decimal)
  var minutes: Double?

  @OptionGroup var click: ClickOptions
  @OptionGroup var ramp: RampOptions
  @OptionGroup var deviceOptions: DeviceOptions
  @OptionGroup var sensorOptions: SensorOptions

  @Flag(
    help: "Save the run to your history, with a check-in (effort, back pain, warning signs) read from standard input.")
  var log = false

  @Flag(
    name: .customLong("despite-warning"),
    help: "Play although your plan is paused after a warning sign (the articles' advice is to stop running).")
  var despiteWarning = false

  @Flag(
    help:
      "Play although another cadence run is playing (the two clicks will not be in step, and both runs are stored).")
  var force = false

  @Flag(
    help:
      "At the end print the run as JSON: how it played and, with --log, the row stored and the plan after (the lines go to standard error)."
  )
  var json = false

  @OptionGroup var storage: StorageOptions

  func validate() throws {
    try validateMinutes(minutes)
    try sensorOptions.validateSensors()
    try sensorOptions.validateQuietCoach()
  }

  func run(in context: CommandContext) throws {
    let start = cadence
    let config = try context.config()
    try sensorOptions.requireLiveCadence(config)
    // Open the history first: a damaged database is reported before the run, not after it.
    // Without --log it is read only if it exists, to hear a warning sign that paused the plan.
    let db = log ? try storage.open(context) : try storage.openIfExists(context)
    let speak = context.speaker(json: json)
    let ledger = db.map { RunLedger(db: $0, now: context.now) }
    let plan = try ledger?.planReport()
    if let signs = plan?.status.pausedFor {
      if !despiteWarning {
        throw UserError(
          message: "your plan is paused after a warning sign: stop running until a professional has cleared you\n"
            + warningAdvice(signs),
          hint: "once cleared: cadence plan resume (--despite-warning plays anyway, against that advice)", code: .usage)
      }
      speak("Playing despite the warning sign you reported: the advice is to stop running and see a professional.")
    }
    // One run at a time: held until this command ends.
    let lock = try context.takeRunLock("play", force: force)
    defer { withExtendedLifetime(lock) {} }
    let began = context.now
    let playback = try LivePlayback(deviceOptions, config: config, speak: speak, in: context)
    let rate = playback.sampleRate
    let sound = try click.clickSound(config, sampleRate: rate, in: context)
    let ramp = ramp.rampCadence()
    let spec = SessionSpec.untilStopped(
      spm: ramp?.cadence.spm ?? start.spm, from: ramp.map { _ in start.spm }, rampMinutes: ramp?.minutes ?? 0,
      gain: click.gain(config), every: click.every, accentEvery: click.accent)
    var setup = RunSetup(
      timeline: SessionTimeline(spec, sampleRate: rate), offsetFrames: playback.offsetFrames,
      interactive: context.interactive, frameLimit: minutes.map { Int64(($0 * 60 * rate).rounded()) })
    setup.columns = context.columns
    setup.rows = context.rows
    setup.screen = deviceOptions.screenMode(config, environment: context.environment)
    let run = LiveRun(setup, sound: sound, output: context.runOutput(json: json))
    if let band = sensorOptions.quietCoach { run.coachQuietly(band: band) }
    let sensors = sensorOptions.start(in: context, config: config)
    run.sensing = sensors.sensing
    defer { sensors.stop() }
    let played = try playback.play(run, header: "playing \(start) spm on '\(playback.device)'")
    for line in sensors.lossLines { context.speaker(json: json)(line) }
    if log, let ledger {
      let outcome = played.outcome
      var record = RunRecord(
        date: began, source: .play, targetSPM: outcome.finalSPM, measuredSPM: outcome.measuredSPM,
        durationSeconds: outcome.runSeconds,
        completedAtTarget: !outcome.stoppedEarly, interrupted: outcome.stoppedEarly,
        notes: outcome.finalSPM != start.spm ? "started at \(Cadence.format(start.spm)) spm" : nil)
      if outcome.pausedFrames > 0 { record.pausedSeconds = outcome.pausedSeconds }
      record.takeBelt(outcome)
      let recorded = try playback.store(record, played, ledger: ledger, plan: plan)
      if json { context.say(Coach.json(RunSummaryJSON(outcome, stored: recorded.rows, plan: recorded.after))) }
    } else if let error = played.summary.error {
      throw UserError.lostDevice(playback.device, error)
    } else if json {
      context.say(Coach.json(RunSummaryJSON(played.outcome, stored: nil, plan: nil)))
    }
  }
}
