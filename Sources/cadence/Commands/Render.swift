import ArgumentParser
import AudioFile
import CadenceCore
import ClickEngine
import Coach
import Glibc
import LiveRun
import Settings
import Sounds

struct Render: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "render",
    abstract: "Write a click track or a whole session to a sound file, for any player.",
    discussion: """
      The same engine as `cadence play` and `cadence session`: the file holds exactly what a \
      device would play. WAV and FLAC are 16-bit and lossless; Ogg Vorbis and MP3 are lossy, for \
      phones and MP3 players. A file is written under a temporary name beside it and renamed \
      when complete: a failed write leaves an existing file as it was. Replacing a file says \
      so. A WAV over 4 GiB is written as RF64. `-o -` writes to standard output (--format, \
      default WAV), and the summary goes to standard error. The options: `cadence render play \
      --help` (the default: `cadence render 170 --minutes 30 -o track.wav`) and `cadence render \
      session --help`.
      """,
    subcommands: [RenderPlay.self, RenderSession.self], defaultSubcommand: RenderPlay.self)
}

/// `cadence render 170 --minutes 30 -o track.wav`: what `cadence play` would play.
struct RenderPlay: ContextCommand {
  static let configuration = CommandConfiguration(
    commandName: "play", abstract: "Write a click track at a cadence (or a ramp), as `cadence play` plays it.")

  @Argument(
    help: ArgumentHelp("Cadence in steps per minute, 100 to 240 (e.g. 170 or 173.5).", valueName: "cadence"),
    transform: cadenceValue)
  var cadence: Cadence

  @Option(
    help: ArgumentHelp("Minutes at the cadence: the length of the track, at most 600.", valueName: "minutes"),
    transform: decimal)
  var minutes: Double

  @OptionGroup var out: RenderOutputOptions
  @OptionGroup var click: ClickOptions
  @OptionGroup var ramp: RampOptions

  func validate() throws {
    try validateMinutes(minutes)
  }

  func run(in context: CommandContext) throws {
    let start = cadence
    let sampleRate = Double(out.rate)
    let config = try context.config()
    let sound = try click.clickSound(config, sampleRate: sampleRate, in: context)
    // The timeline `cadence play` follows, so the file holds what the device would play.
    let ramp = ramp.rampCadence()
    let timeline = SessionTimeline(
      .untilStopped(
        spm: ramp?.cadence.spm ?? start.spm, from: ramp.map { _ in start.spm }, rampMinutes: ramp?.minutes ?? 0,
        gain: click.gain(config), every: click.every, accentEvery: click.accent), sampleRate: sampleRate)
    let frames = Int64((minutes * 60 * sampleRate).rounded())
    // The same live-run code as `render session` and `play`, without a device.
    let run = LiveRun(
      RunSetup(timeline: timeline, interactive: false, frameLimit: frames), sound: sound, output: SilentOutput())
    var outcome: RunOutcome?
    let replaced = try out.write(frames: frames, in: context) { (write) throws(AudioFileError) in
      outcome = try run.renderOffline(write)
    }
    let clicks = outcome?.clicks ?? 0
    let (name, container) = out.notes(frames: frames, replaced: replaced)
    out.say(
      in: context,
      "wrote \(name): \(clock(Double(frames) / sampleRate)) of clicks at \(start) spm\(ramp.map { " ramping to \($0.cadence)" } ?? ""), \(clicks) clicks, \(out.description)\(container)"
    )
  }
}

/// `cadence render session --cadence 170 --voice -o session.mp3`: a whole session as `cadence
/// session` plays it, spoken cues included, to take away on a phone or an MP3 player.
struct RenderSession: ContextCommand {
  static let configuration = CommandConfiguration(
    commandName: "session",
    abstract: "Write a whole session (warm-up, block, cool-down, cues) as `cadence session` plays it.",
    discussion: """
      The same options as `cadence session`; the block's cadence defaults to your plan's \
      current rung. With --voice the cues are spoken into the file (espeak-ng), just after a \
      click, moving none.
      """)

  @OptionGroup var shape: SessionShapeOptions
  @OptionGroup var out: RenderOutputOptions
  @OptionGroup var click: ClickOptions
  @OptionGroup var storage: StorageOptions

  func run(in context: CommandContext) throws {
    let config = try context.config()
    let report = try storage.openIfExists(context).flatMap { db throws in
      try RunLedger(db: db, now: context.now).planReport()
    }
    guard let blockSPM = shape.cadence.map(\.spm) ?? report?.status.current.spm else {
      throw UserError(
        message: "no cadence for the block", hint: "pass --cadence SPM, or make a plan: cadence plan --current SPM",
        code: .usage)
    }
    let spec = shape.spec(blockSPM: blockSPM, report: report, config: config, click: click)
    let rate = Double(out.rate)
    let voice = try shape.speaker(config, in: context)
    let sound = try click.clickSound(config, sampleRate: rate, in: context)
    let timeline = SessionTimeline(spec, sampleRate: rate)
    let cueSeconds = shape.cueSeconds(config)
    let clips =
      voice.map {
        cueClips(
          $0, timeline: timeline, cueSeconds: cueSeconds, milestones: shape.spokenMilestones, sampleRate: rate)
      } ?? [:]
    var setup = RunSetup(timeline: timeline, cueEverySeconds: cueSeconds, clips: clips, interactive: false)
    setup.milestones = shape.spokenMilestones
    let run = LiveRun(setup, sound: sound, output: SilentOutput())
    let frames = timeline.totalFrames
    var outcome: RunOutcome?
    let replaced = try out.write(frames: frames, in: context) { (write) throws(AudioFileError) in
      outcome = try run.renderOffline(write)
    }
    let (name, container) = out.notes(frames: frames, replaced: replaced)
    out.say(
      in: context,
      "wrote \(name): \(describe(timeline)) (\(clock(Double(frames) / rate))), \(outcome?.clicks ?? 0) clicks"
        + (voice == nil ? "" : ", spoken cues") + ", \(out.description)\(container)")
  }
}
