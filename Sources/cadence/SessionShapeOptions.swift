import ArgumentParser
import CadenceCore
import ClickEngine
import Coach
import Settings
import Sounds

/// What a session is made of: the block's cadence, length and style, the warm-up and cool-down,
/// the cues and their voice. Shared by `cadence session` (which plays it) and `cadence render
/// session` (which writes it to a file).
struct SessionShapeOptions: ParsableArguments {
  /// The session's shape with no options: 5 minutes of warm-up (the bottom of the articles'
  /// 5-10), a 20-minute block and a 5-minute cool-down ([product choice] both).
  static let defaultWarmupMinutes = 5.0
  static let defaultBlockMinutes = 20.0
  static let defaultCooldownMinutes = 5.0

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
  var minutes: Double = Self.defaultBlockMinutes

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
  var cooldown: Double = Self.defaultCooldownMinutes

  @Option(
    name: .customLong("cue-every"),
    help: ArgumentHelp(
      "Minutes between form cues, 0.25 to 60 (default: the config's cue_interval, else 2, a product choice).",
      valueName: "minutes"),
    transform: decimal)
  var cueEvery: Double?

  @Flag(
    inversion: .prefixedNo,
    help: ArgumentHelp(
      "--voice speaks the cues and milestones (espeak-ng); --no-voice keeps them on screen only, whatever the "
        + "config says (default: the config's voice, else on screen only)."))
  var voice: Bool?

  @Option(
    help: ArgumentHelp(
      "With --voice, what is spoken besides the cues, comma-separated: phases (the block's start and its cadence), "
        + "halfway, left (5 and 1 minutes before the block ends), intervals (each switch), or none "
        + "(default: all; each is a product choice). Speech peaks 6 dB below the click.",
      valueName: "list"))
  var milestones: String?

  /// The milestones asked for (all by default).
  var spokenMilestones: Set<Milestone> {
    guard let milestones else { return Set(Milestone.allCases) }
    return Set(milestones.split(separator: ",").compactMap { Milestone(rawValue: String($0)) })
  }

  func validate() throws {
    if let milestones, milestones != "none" {
      for name in milestones.split(separator: ",", omittingEmptySubsequences: false)
      where Milestone(rawValue: String(name)) == nil {
        throw ValidationError(
          "--milestones takes phases, halfway, left and intervals, comma-separated, or none; got '\(name)'")
      }
    }
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

  /// The session as asked: the plan's rung or --cadence, the block's style, the config's defaults.
  func spec(blockSPM: Double, report: PlanReport?, config: Config, click: ClickOptions) -> SessionSpec {
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
      warmUpMinutes: warmup ?? config.warmupMinutes ?? Self.defaultWarmupMinutes,
      warmUpSPM: warmupSPM.map(\.spm),
      blockMinutes: minutes, blockSPM: blockSPM, style: style, fade: fade, coolDownMinutes: cooldown,
      gain: click.gain(config), every: click.every)
  }

  /// Seconds between form cues: --cue-every, the config's, else 2 minutes.
  func cueSeconds(_ config: Config) -> Double { (cueEvery ?? config.cueInterval ?? 2) * 60 }

  /// Whether the cues are spoken: --voice / --no-voice, else the config's voice.
  func speaks(_ config: Config) -> Bool { voice ?? config.voice ?? false }

  /// The voice for spoken cues, where they are asked for. `--voice` without espeak-ng is an
  /// error (it was asked for now); the config's `voice = true` without it plays with the cues
  /// on screen and says so once, on standard error: a setting made once must not stop a run.
  func speaker(_ config: Config, in context: CommandContext) throws(UserError) -> Voice? {
    guard speaks(config) else { return nil }
    guard voice == nil else { return try context.voice() }
    do {
      return try context.voice()
    } catch {
      context.note(
        "cadence: warning: the config's voice = true needs espeak-ng, which could not be loaded; the cues are "
          + "shown, not spoken (install it: sudo apt-get install espeak-ng; or set voice = false in "
          + "\(Config.path(environment: context.environment)))")
      return nil
    }
  }
}

/// The spoken clips of every cue `timeline` shows and of the catalog (the `c` key's), by line.
func cueClips(
  _ voice: Voice, timeline: SessionTimeline, cueSeconds: Double, milestones: Set<Milestone>, sampleRate: Double
) -> [String: Sample] {
  // In a fixed order: espeak-ng's output depends on what it spoke before, so an order that
  // changed from run to run (a Set's) would change the samples.
  let cues = timeline.cues(everySeconds: cueSeconds) + timeline.milestones(milestones)
  let lines = Set(cues.map(\.cue.spoken) + FormCues.catalog.map(\.spoken)).sorted()
  var clips: [String: Sample] = [:]
  for line in lines { clips[line] = voice.clip(line, sampleRate: sampleRate) }
  return clips
}
