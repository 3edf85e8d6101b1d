import ArgumentParser
import CadenceCore
import ClickEngine
import Coach
import Foundation
import History
import LiveRun
import Settings
import Sounds

struct Session: ContextCommand {
  static let configuration = CommandConfiguration(
    commandName: "session",
    abstract: "Run today's coached treadmill session: warm-up, cadence block, cool-down, form cues.",
    discussion: """
      The cadence block plays your plan's current rung (or --cadence). Keys on a terminal: as in \
      `cadence play`, plus n (next phase) and c (next cue); headset buttons and media keys \
      (MPRIS) pause, resume, skip to the next phase and stop. The session is saved to your history, \
      with a check-in afterwards, even when stopped early.
      """)

  @OptionGroup var shape: SessionShapeOptions

  @Option(
    help: ArgumentHelp(
      "Treadmill speed, like 10km/h or 6.2mph, for step lengths (default: your plan's).", valueName: "speed"))
  var speed: String?

  @Flag(
    help:
      "Play although another cadence run is playing (the two clicks will not be in step, and both runs are stored).")
  var force = false

  @Flag(help: "Listen to your footfalls through a microphone (--input) and show your cadence beside the target.")
  var listen = false

  @OptionGroup var sensorOptions: SensorOptions

  @Flag(
    help:
      "At the end print the run as JSON: how it played, the row stored, the plan after (the live lines, advice and check-in go to standard error)."
  )
  var json = false

  @OptionGroup var click: ClickOptions
  @OptionGroup var deviceOptions: DeviceOptions
  @OptionGroup var inputOptions: InputOptions
  @OptionGroup var storage: StorageOptions

  func validate() throws {
    try validateSpeed(speed)
    try sensorOptions.validateSensors()
    try sensorOptions.validateQuietCoach(listening: listen, shapedSilences: shape.intervals != nil || shape.fade)
  }

  func run(in context: CommandContext) throws {
    let config = try context.config()
    try sensorOptions.requireLiveCadence(config, listening: listen)
    let speak = context.speaker(json: json)
    let ledger = try context.ledger(storage)
    let report = try ledger.planReport()
    if let signs = report?.status.pausedFor {
      throw UserError(
        message: "your plan is paused after a warning sign: no session until a professional has cleared you\n"
          + warningAdvice(signs), hint: "once cleared: cadence plan resume", code: .usage)
    }
    guard
      let blockSPM = shape.cadence.map(\.spm)
        ?? report?.status.current.spm
    else {
      throw UserError(
        message: "no cadence for the block", hint: "pass --cadence SPM, or make a plan: cadence plan --current SPM",
        code: .usage)
    }
    let treadmill = speed.flatMap(Speed.init(parsing:)) ?? report?.settings.speed
    var spec = shape.spec(blockSPM: blockSPM, report: report, config: config, click: click)
    spec.previousSPM = try ledger.db.previousTarget()
    let voice = try shape.speaker(config, in: context)

    // One run at a time: held until this command ends.
    let lock = try context.takeRunLock("session", force: force)
    defer { withExtendedLifetime(lock) {} }
    speak(FormCues.beforeRun)
    let playback = try LivePlayback(deviceOptions, config: config, speak: speak, in: context)
    let rate = playback.sampleRate
    let sound = try click.clickSound(config, sampleRate: rate, in: context)
    let timeline = SessionTimeline(spec, sampleRate: rate)
    let cueSeconds = shape.cueSeconds(config)
    var clips =
      voice.map {
        cueClips(
          $0, timeline: timeline, cueSeconds: cueSeconds, milestones: shape.spokenMilestones, sampleRate: rate)
      } ?? [:]
    if let voice, sensorOptions.quietCoach != nil {
      for drift in [QuietCoach.Drift.tooSlow, .tooFast] {
        clips[QuietCoach.spoken(drift)] = voice.clip(QuietCoach.spoken(drift), sampleRate: rate)
      }
    }
    var setup = RunSetup(
      timeline: timeline, cueEverySeconds: cueSeconds, speed: treadmill, units: config.units,
      clips: clips, offsetFrames: playback.offsetFrames, interactive: context.interactive)
    setup.columns = context.columns
    setup.rows = context.rows
    setup.screen = deviceOptions.screenMode(config, environment: context.environment)
    setup.milestones = shape.spokenMilestones
    let run = LiveRun(setup, sound: sound, output: context.runOutput(json: json))
    if let band = sensorOptions.quietCoach { run.coachQuietly(band: band) }
    let listener = try listen ? inputOptions.listener(seconds: Double(timeline.totalFrames) / rate) : nil
    let sensors = sensorOptions.start(in: context, config: config)
    run.sensing = sensors.sensing
    defer { sensors.stop() }
    let played = try playback.play(run, header: "session: \(describe(timeline)) on '\(playback.device)'") {
      () throws in
      guard let listener else { return }
      try inputOptions.start(listener)
      run.hearing = Hearing(listener)
    }
    for line in sensors.lossLines { speak(line) }
    speak("")
    speak(FormCues.afterRun)
    let outcome = played.outcome
    // What the runner ran in the block, where a microphone or a foot pod measured it: the run
    // held the cadence only if that is within the rung's tolerance, and the check-in does not
    // ask what was measured.
    let ran = blockCadence(outcome, timeline: timeline, sampleRate: rate)
    let held = ran.map { abs($0 - spec.blockSPM) <= Training.rungToleranceSPM + 1e-9 } ?? true
    if let ran {
      speak(
        "Measured in the block: \(Cadence.format(ran)) spm against the click's \(Cadence.format(spec.blockSPM))"
          + (held
            ? ": it counts for the rung."
            : ": more than \(Cadence.format(Training.rungToleranceSPM)) spm off (a product choice), so it holds the "
              + "rung as a run not completed at the target."))
    }
    var record = RunRecord(
      date: ledger.now, source: .session, targetSPM: spec.blockSPM, measuredSPM: ran ?? outcome.measuredSPM,
      durationSeconds: outcome.runSeconds, speedMetersPerSecond: treadmill?.metersPerSecond,
      completedAtTarget: !outcome.stoppedEarly && held, interrupted: outcome.stoppedEarly,
      notes: run.playedDescription(outcome))
    if outcome.pausedFrames > 0 { record.pausedSeconds = outcome.pausedSeconds }
    record.takeBelt(outcome)
    let recorded = try playback.store(record, played, ledger: ledger, plan: report, measured: ran != nil)
    if json { context.say(Coach.json(RunSummaryJSON(outcome, stored: recorded.rows, plan: recorded.after))) }
  }

  /// The average of the minutes measured (heard or sensed) whose middle falls in the block, to
  /// a tenth; nil where none does.
  private func blockCadence(_ outcome: RunOutcome, timeline: SessionTimeline, sampleRate: Double) -> Double? {
    guard let block = timeline.phases.first(where: { $0.kind == .block }) else { return nil }
    let inBlock = outcome.heardPerMinute.filter { minute in
      let middle = Int64((Double(minute.minute) + 0.5) * 60 * sampleRate)
      return middle >= block.start && middle < block.end
    }
    guard !inBlock.isEmpty else { return nil }
    return (inBlock.map(\.spm).reduce(0, +) / Double(inBlock.count) * 10).rounded() / 10
  }
}
