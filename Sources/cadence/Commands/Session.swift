import ALSA
import ArgumentParser
import CadenceCore
import ClickEngine
import Coach
import Foundation
import History
import LiveRun
import Settings
import Sounds

struct Session: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "session",
    abstract: "Run today's coached treadmill session: warm-up, cadence block, cool-down, form cues.",
    discussion: """
      The cadence block plays your plan's current rung (or --cadence). Keys on a terminal: as in \
      `cadence play`, plus n (next phase) and c (next cue); headset buttons and media keys \
      (MPRIS) pause, resume, skip to the next phase and stop. The session is saved to your history, \
      with a check-in afterwards, even when stopped early.
      """)

  @Option(
    help: ArgumentHelp("Cadence of the block (default: your plan's current rung).", valueName: "spm"),
    transform: cadenceValue)
  var cadence: Cadence?

  @Option(
    help: ArgumentHelp(
      "Warm-up minutes, 0 to 30 (default: the config's warmup_minutes, else 5, the bottom of the articles' 5-10).",
      valueName: "minutes"), transform: decimal)
  var warmup: Double?

  @Option(
    name: .customLong("warmup-spm"),
    help: ArgumentHelp("A soft click at this cadence during the warm-up (default: none).", valueName: "spm"),
    transform: cadenceValue)
  var warmupSPM: Cadence?

  @Option(
    help: ArgumentHelp(
      "Minutes at the cadence: the block, at most 300 (default 20; the warm-up and cool-down come on top).",
      valueName: "minutes"), transform: decimal
  )
  var minutes: Double = 20

  @Option(
    help: ArgumentHelp(
      "Ramp up over the block's first minutes, from --ramp-from or the plan's previous rung.", valueName: "minutes"),
    transform: decimal)
  var ramp: Double?

  @Option(
    name: .customLong("ramp-from"),
    help: ArgumentHelp("Where the ramp starts (default: the previous rung, else 5 spm lower).", valueName: "spm"),
    transform: cadenceValue)
  var rampFrom: Cadence?

  @Option(
    help: ArgumentHelp("Intervals ON/OFF in minutes, like 3/2: ON with the click, OFF without.", valueName: "on/off"))
  var intervals: String?

  @Flag(
    help:
      "Thin the click out over the block's quarters: every step, every 2nd, every 4th, then 30 s on and 30 s off (a product choice)."
  )
  var fade = false

  @Option(
    help: ArgumentHelp("Cool-down minutes, 0 to 30 (default 5, a product choice).", valueName: "minutes"),
    transform: decimal)
  var cooldown: Double = 5

  @Option(
    help: ArgumentHelp(
      "Treadmill speed, like 10km/h or 6.2mph, for step lengths (default: your plan's).", valueName: "speed"))
  var speed: String?

  @Option(
    name: .customLong("cue-every"),
    help: ArgumentHelp(
      "Minutes between form cues, 0.25 to 60 (default: the config's cue_interval, else 2, a product choice).",
      valueName: "minutes"),
    transform: decimal)
  var cueEvery: Double?

  @Flag(inversion: .prefixedNo, help: "Speak the cues (espeak-ng; default: the config's voice, else off).")
  var voice: Bool?

  @Flag(help: "Listen to your footfalls through a microphone (--input) and show your cadence beside the target.")
  var listen = false

  @OptionGroup var click: ClickOptions
  @OptionGroup var deviceOptions: DeviceOptions
  @OptionGroup var inputOptions: InputOptions
  @OptionGroup var storage: StorageOptions

  func validate() throws {
    if let warmup, !(warmup.isFinite && (0...30).contains(warmup)) {
      throw ValidationError("--warmup must be from 0 to 30 minutes; got \(warmup)")
    }
    guard cooldown.isFinite, (0...30).contains(cooldown) else {
      throw ValidationError("--cooldown must be from 0 to 30 minutes; got \(cooldown)")
    }
    try validateMinutes(minutes, option: "--minutes", max: 300)
    if let ramp {
      guard ramp.isFinite, ramp > 0, ramp <= minutes else {
        throw ValidationError(
          "--ramp must be more than 0 and at most the block's --minutes (\(format(minutes, 1))); got \(ramp)")
      }
    }
    if rampFrom != nil && ramp == nil { throw ValidationError("--ramp-from needs --ramp MINUTES") }
    if let intervals {
      guard let parsed = Self.parseIntervals(intervals) else {
        throw ValidationError(
          "--intervals must be ON/OFF minutes, each from 0.01 to 60, like 3/2; got '\(intervals)'")
      }
      _ = parsed
      if ramp != nil || fade {
        throw ValidationError("--intervals does not combine with --ramp or --fade: pick one way to run the block")
      }
    }
    try validateSpeed(speed)
    if let cueEvery, !(cueEvery.isFinite && (0.25...60).contains(cueEvery)) {
      throw ValidationError("--cue-every must be from 0.25 to 60 minutes; got \(cueEvery)")
    }
  }

  static func parseIntervals(_ text: String) -> (on: Double, off: Double)? {
    let parts = text.split(separator: "/")
    // 0.01 minutes (0.6 s, two steps at 200 spm) is the shortest stretch: the bound that keeps
    // a 300-minute block to at most 30,000 changes.
    guard parts.count == 2, let on = parseDecimal(parts[0]), let off = parseDecimal(parts[1]), (0.01...60).contains(on),
      (0.01...60).contains(off)
    else {
      return nil
    }
    return (on, off)
  }

  func run() throws {
    do throws(UserError) {
      try session()
    } catch {
      throw report(error)
    }
  }

  private func session() throws(UserError) {
    let config = try Config.load()
    let ledger = RunLedger(db: try storage.open(), now: currentDate(), say: say)
    let report = try ledger.planReport()
    if let signs = report?.status.pausedFor {
      throw UserError(
        message: "your plan is paused after a warning sign: no session until a professional has cleared you\n"
          + warningAdvice(signs), hint: "once cleared: cadence plan resume", code: .usage)
    }
    guard
      let blockSPM = cadence.map(\.spm)
        ?? report?.status.current.spm
    else {
      throw UserError(
        message: "no cadence for the block", hint: "pass --cadence SPM, or make a plan: cadence plan --current SPM",
        code: .usage)
    }
    let treadmill = speed.flatMap(Speed.init(parsing:)) ?? report?.settings.speed
    var spec = try self.spec(blockSPM: blockSPM, report: report, config: config)
    spec.previousSPM = try history(ledger.db.runs()).last { $0.source != .report && $0.targetSPM != nil }?.targetSPM
    let voice = (self.voice ?? config.voice ?? false) ? try Voice() : nil

    say(FormCues.beforeRun)
    let playback = try LivePlayback(deviceOptions, config: config)
    let rate = playback.sampleRate
    let sound = try SoundLibrary.load(click.soundName(config), sampleRate: rate) { standardError.write($0 + "\n") }
    let timeline = SessionTimeline(spec, sampleRate: rate)
    let cueSeconds = (cueEvery ?? config.cueInterval ?? 2) * 60
    let unit = config.speedUnit ?? .kmh
    var clips: [String: Sample] = [:]
    if let voice {
      let lines = Set(
        timeline.cues(everySeconds: cueSeconds).map(\.cue.line) + FormCues.catalog.map(\.line))
      for line in lines { clips[line] = voice.clip(line, sampleRate: rate) }
    }
    let setup = RunSetup(
      timeline: timeline, cueEverySeconds: cueSeconds, speed: treadmill, speedText: { speedText($0, unit: unit) },
      clips: clips, offsetFrames: playback.offsetFrames, interactive: isInteractive())
    let run = LiveRun(setup, sound: sound, output: StandardOutput())
    let listener = try listen ? inputOptions.listener(seconds: Double(timeline.totalFrames) / rate) : nil
    let played = try playback.play(run, header: "session: \(describe(timeline)) on '\(playback.device)'") {
      () throws(UserError) in
      guard let listener else { return }
      try inputOptions.start(listener)
      run.hearing = Hearing(listener: listener)
    }
    say("")
    say(FormCues.afterRun)
    let outcome = played.outcome
    let record = RunRecord(
      date: ledger.now, source: .session, targetSPM: spec.blockSPM, measuredSPM: outcome.measuredSPM,
      durationSeconds: outcome.seconds, speedMetersPerSecond: treadmill?.metersPerSecond,
      completedAtTarget: !outcome.stoppedEarly, interrupted: outcome.stoppedEarly,
      notes: run.playedDescription(outcome))
    try playback.store(record, played, ledger: ledger)
  }

  /// The session as asked: the plan's rung or --cadence, the block's style, the config's defaults.
  private func spec(blockSPM: Double, report: PlanReport?, config: Config) throws(UserError) -> SessionSpec {
    var style = SessionSpec.Style.continuous
    if let ramp {
      let previous = report.flatMap {
        $0.status.currentIndex > 0 ? $0.status.rungs[$0.status.currentIndex - 1].spm : nil
      }
      let from =
        rampFrom.map(\.spm) ?? previous
        ?? max(100, blockSPM - 5)
      style = .ramp(fromSPM: from, minutes: ramp)
    } else if let intervals, let parsed = Self.parseIntervals(intervals) {
      style = .intervals(onMinutes: parsed.on, offMinutes: parsed.off)
    }
    return SessionSpec(
      warmUpMinutes: warmup ?? config.warmupMinutes ?? 5,
      warmUpSPM: warmupSPM.map(\.spm),
      blockMinutes: minutes, blockSPM: blockSPM, style: style, fade: fade, coolDownMinutes: cooldown,
      gain: click.gain(config), every: click.every)
  }
}

/// "10.0 km/h" or "6.2 mph", as the runner chose in the config.
func speedText(_ speed: Speed, unit: Config.SpeedUnit) -> String {
  unit == .mph ? "\(format(speed.metersPerSecond * 3_600 / 1_609.344, 1)) mph" : "\(speed)"
}
