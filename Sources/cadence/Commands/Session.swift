import ALSA
import ArgumentParser
import CadenceCore
import ClickEngine
import Foundation
import Glibc
import History
import Listening
import Playback

struct Session: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "session",
    abstract: "Run today's coached treadmill session: warm-up, cadence block, cool-down, form cues.",
    discussion: """
      The cadence block plays your plan's current rung (or --cadence). Keys on a terminal: as in \
      `cadence play`, plus n (next phase) and c (next cue). The session is saved to your history, \
      with a check-in afterwards, even when stopped early.
      """)

  @Option(help: ArgumentHelp("Cadence of the block (default: your plan's current rung).", valueName: "spm"))
  var cadence: String?

  @Option(
    help: ArgumentHelp("Warm-up minutes, 0 to 30 (default: the config's warmup_minutes, else 5).", valueName: "minutes")
  )
  var warmup: Double?

  @Option(
    name: .customLong("warmup-spm"),
    help: ArgumentHelp("A soft click at this cadence during the warm-up (default: none).", valueName: "spm"))
  var warmupSPM: String?

  @Option(help: ArgumentHelp("Length of the cadence block in minutes (default 20).", valueName: "minutes"))
  var minutes: Double = 20

  @Option(
    help: ArgumentHelp(
      "Ramp up over the block's first minutes, from --ramp-from or the plan's previous rung.", valueName: "minutes"))
  var ramp: Double?

  @Option(
    name: .customLong("ramp-from"),
    help: ArgumentHelp("Where the ramp starts (default: the previous rung, else 5 spm lower).", valueName: "spm"))
  var rampFrom: String?

  @Option(
    help: ArgumentHelp("Intervals ON/OFF in minutes, like 3/2: ON with the click, OFF without.", valueName: "on/off"))
  var intervals: String?

  @Flag(help: "Thin the click out over the block: every step, every 2nd, every 4th, then silent stretches.")
  var fade = false

  @Option(help: ArgumentHelp("Cool-down minutes, 0 to 30 (default 5).", valueName: "minutes"))
  var cooldown: Double = 5

  @Option(
    help: ArgumentHelp(
      "Treadmill speed, like 10km/h or 6.2mph, for step lengths (default: your plan's).", valueName: "speed"))
  var speed: String?

  @Option(
    name: .customLong("cue-every"),
    help: ArgumentHelp("Minutes between form cues (default: the config's cue_interval, else 2).", valueName: "minutes"))
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
    if let cadence { _ = try parseCadence(cadence, option: "--cadence") }
    if let warmupSPM { _ = try parseCadence(warmupSPM, option: "--warmup-spm") }
    if let rampFrom { _ = try parseCadence(rampFrom, option: "--ramp-from") }
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
    guard parts.count == 2, let on = Double(parts[0]), let off = Double(parts[1]), (0.01...60).contains(on),
      (0.01...60).contains(off)
    else {
      return nil
    }
    return (on, off)
  }

  func run() throws {
    do throws(CLIError) {
      try session()
    } catch {
      throw report(error)
    }
  }

  private func session() throws(CLIError) {
    let config = try Config.load()
    let db = try storage.open()
    let now = currentDate()
    let plan = try history(db.activePlan())
    let report = try plan.map { (p) throws(CLIError) in try PlanReport(plan: p, db: db, now: now) }
    if let signs = report?.status.pausedFor {
      throw CLIError(
        message: "your plan is paused after a warning sign: no session until a professional has cleared you\n"
          + warningAdvice(signs), hint: "once cleared: cadence plan resume", code: .usage)
    }
    guard
      let blockSPM = try cadence.map({ (c) throws(CLIError) in try cliParse(c, option: "--cadence").spm })
        ?? report?.status.current.spm
    else {
      throw CLIError(
        message: "no cadence for the block", hint: "pass --cadence SPM, or make a plan: cadence plan --current SPM",
        code: .usage)
    }
    let treadmill = speed.flatMap(Speed.init(parsing:)) ?? report?.settings.speed
    var style = SessionSpec.Style.continuous
    if let ramp {
      let previous = report.flatMap {
        $0.status.currentIndex > 0 ? $0.status.rungs[$0.status.currentIndex - 1].spm : nil
      }
      let from =
        try rampFrom.map { (r) throws(CLIError) in try cliParse(r, option: "--ramp-from").spm } ?? previous
        ?? max(100, blockSPM - 5)
      style = .ramp(fromSPM: from, minutes: ramp)
    } else if let intervals, let parsed = Self.parseIntervals(intervals) {
      style = .intervals(onMinutes: parsed.on, offMinutes: parsed.off)
    }
    let spec = SessionSpec(
      warmUpMinutes: warmup ?? config.warmupMinutes ?? 5,
      warmUpSPM: try warmupSPM.map { (w) throws(CLIError) in try cliParse(w, option: "--warmup-spm").spm },
      blockMinutes: minutes, blockSPM: blockSPM, style: style, fade: fade, coolDownMinutes: cooldown,
      gain: click.gain(config), every: click.every)
    let voice = (self.voice ?? config.voice ?? false) ? try Voice() : nil

    say(FormCues.beforeRun)
    let device = deviceOptions.name(config)
    let pcm = try deviceOptions.open(config)
    let sampleRate = Double(pcm.configuration!.sampleRate)
    let sound = try SoundLibrary.load(click.soundName(config), sampleRate: sampleRate) {
      standardError.write($0 + "\n")
    }
    let timeline = SessionTimeline(spec, sampleRate: sampleRate)
    var listener: Listener? = nil
    if listen {
      let capture = try inputOptions.open()
      let captureRate = Double(capture.configuration!.sampleRate)
      do {
        listener = try Listener(
          pcm: capture, frameLimit: Int64(Double(timeline.totalFrames) / sampleRate * captureRate))
      } catch {
        throw CLIError(
          message: "cannot listen on '\(inputOptions.input)': \(error)", hint: "pick another --input",
          code: .unavailable)
      }
    }
    let control = SessionControl(
      timeline: timeline, sound: sound, voice: voice, speed: treadmill, cueMinutes: cueEvery ?? config.cueInterval ?? 2,
      interactive: isInteractive(), unit: config.speedUnit ?? .kmh,
      offsetFrames: deviceOptions.offsetFrames(config, sampleRate: sampleRate))
    let player = try startPlayer(
      engine: control.engine, pcm: pcm, frameLimit: timeline.totalFrames, device: device,
      verbose: deviceOptions.verbose,
      soundName: sound.name)
    control.player = player
    if let listener {
      do {
        try listener.start()
      } catch {
        throw CLIError(
          message: "cannot listen on '\(inputOptions.input)': \(error)", hint: "pick another --input",
          code: .unavailable)
      }
      control.hearing = Hearing(listener: listener)
    }
    let summary = control.run(device: device)
    say(control.summaryLine(summary))
    if deviceOptions.verbose { standardError.write(wakeupLine(summary, player: player) + "\n") }
    say("")
    say(FormCues.afterRun)
    try save(db, plan: plan, before: report, began: now, control: control, summary: summary)
    if let error = summary.error { throw CLIError.lostDevice(device, error) }
  }

  private func save(
    _ db: AppDatabase, plan: PlanRecord?, before: PlanReport?, began: Date, control: SessionControl,
    summary: PlaybackSummary
  ) throws(CLIError) {
    let answers = CheckInPrompt().run()
    let interrupted = summary.framesPlayed < control.timeline.totalFrames
    let heard = control.hearing?.perMinute ?? []
    var run = RunRecord(
      date: began, source: .session, targetSPM: control.timeline.spec.blockSPM,
      durationSeconds: Double(summary.framesPlayed) / control.timeline.sampleRate,
      speedMetersPerSecond: control.speed?.metersPerSecond,
      completedAtTarget: answers?.completedAtTarget ?? !interrupted, interrupted: interrupted, effort: answers?.effort,
      backPain: answers?.backPain, warningSigns: answers?.warningSigns ?? [], notes: control.playedDescription(summary))
    run.distanceMeters = answers?.distanceMeters
    if !heard.isEmpty { run.measuredSPM = ((heard.map(\.spm).reduce(0, +) / Double(heard.count)) * 10).rounded() / 10 }
    let previous = try history(db.runs()).last { $0.date < began }?.date
    _ = try history(db.addRun(run, heardPerMinute: heard))
    say(describe(run))
    if !run.signs.isEmpty { say(warningAdvice(run.signs)) }
    if let plan {
      say(try planChange(from: before, to: PlanReport(plan: plan, db: db, now: currentDate()), previous: previous))
    }
  }
}

/// The control side of a session: feeds the timeline, shows the screen or plain lines, handles
/// keys, and keeps what was played.
final class SessionControl {
  private(set) var timeline: SessionTimeline
  let engine: ClickEngine
  let voice: Voice?
  let speed: Speed?
  let interactive: Bool
  let unit: Config.SpeedUnit
  var player: Player<PCM>!
  /// The microphone, with `--listen`.
  var hearing: Hearing?
  private let cueFrames: Int64
  private var cues: [SessionTimeline.Cue] = []
  private var shownCue = -1
  private var cueText = ""
  private var extraCue = 0
  /// Spoken clips by cue line, synthesized before playback.
  private var clips: [String: Sample] = [:]
  private var generation: UInt32 = 0
  private var cadence: Double
  private var userChanged = false
  private var paused = false
  private var lastClickFrame: Int64 = -1
  private var clicks = 0
  /// Phase starts before this frame have been announced.
  private var announcedUntil: Int64 = 0
  private var nextPlainMinute: Int64
  private var screenLines = 0
  private let offsetFrames: Int64

  init(
    timeline: SessionTimeline, sound: ClickSound, voice: Voice?, speed: Speed?, cueMinutes: Double, interactive: Bool,
    unit: Config.SpeedUnit, offsetFrames: Int64 = 0
  ) {
    self.offsetFrames = offsetFrames
    self.timeline = timeline
    self.voice = voice
    self.speed = speed
    self.interactive = interactive
    self.unit = unit
    cueFrames = Int64(cueMinutes * 60 * timeline.sampleRate)
    cadence = timeline.initial.spm
    nextPlainMinute = Int64(timeline.sampleRate * 60)
    engine = ClickEngine(
      sampleRate: timeline.sampleRate, sound: sound, settings: timeline.initial, commandCapacity: 8_192)
    cues = timeline.cues(everySeconds: cueMinutes * 60, speed: speed)
    if let voice {
      let lines = Set(cues.map(\.cue.line) + FormCues.catalog.map(\.line))
      for line in lines { clips[line] = voice.clip(line, sampleRate: timeline.sampleRate) }
    }
    if timeline.initiallyMuted { engine.commands.push(TimedCommand(at: 0, .setMuted(true))) }
    schedule(from: 0)
  }

  var sampleRate: Double { timeline.sampleRate }
  /// The frame the runner hears now: what the device reports as played, less `--offset`. Phase
  /// announcements and cues wait for it, so the screen changes when the sound does.
  private var heard: Int64 { max(0, (player?.framesHeard ?? 0) - offsetFrames) }

  /// The voice clip for a cue starts just after the click on the first beat from the cue's frame.
  private func clipStart(_ frame: Int64) -> Int64 {
    guard let phase = timeline.phase(at: frame), phase.kind == .block else { return frame }
    let grid = timeline.blockSegment
    return grid.frame(ofBeat: grid.firstBeat(atOrAfter: frame)) + Int64(engine.sound.normal.count)
  }

  /// Pushes the timeline's commands and cue clips due at or after `frame` (generation `generation`).
  private func schedule(from frame: Int64, extra: [TimedCommand] = []) {
    var pending = timeline.commands.filter { $0.at >= frame } + extra
    for cue in cues where cue.frame >= frame {
      if let clip = clips[cue.cue.line] {
        pending.append(TimedCommand(at: clipStart(cue.frame), .playClip(clip.frames, gain: 0.7, tag: 1)))
      }
    }
    for command in pending.enumerated().sorted(by: { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }).map(
      \.element)
    {
      var c = command
      c.generation = generation
      if !engine.commands.push(c) { standardError.write("cadence: too many scheduled changes; some were dropped\n") }
    }
  }

  /// Replaces the schedule from a frame far enough ahead that no render has passed it.
  private func reschedule(_ build: (Int64) -> [TimedCommand]) {
    let period = Int64(player?.configuration.periodFrames ?? 256)
    let frame = engine.framesRendered + max(2 * period, Int64(0.02 * sampleRate))
    generation = engine.cutover(from: frame)
    schedule(from: frame, extra: build(frame))
  }

  func run(device: String) -> PlaybackSummary {
    say("session: \(describe(timeline)) on '\(device)'" + (interactive ? "" : " (\(player.configuration))"))
    let summary = runControlLoop(player: player, interactive: interactive, onKey: { self.handle($0) }) { self.tick() }
    drainEvents()
    if let hearing {
      // A file-fed input may still be catching up with what was played; a microphone is not.
      hearing.finish(upTo: Double(summary.framesPlayed) / sampleRate) { self.heardLine($0) }
    }
    // Announce what the loop had no tick left to show (a device that plays faster than real time).
    if !interactive { announce(upTo: summary.framesPlayed - 1) }
    if interactive { clearScreen() }
    return summary
  }

  private func handle(_ key: Key) -> LiveControl.Reaction {
    if let step = key.cadenceStep {
      change(by: step)
      return .carryOn
    }
    switch key {
    case .space:
      paused.toggle()
      let command: EngineCommand = paused ? .pause : .resume
      reschedule { [TimedCommand(at: $0, command)] }
    case .quit: return .stop
    case .character("n"):
      let frame = engine.framesRendered + Int64(0.05 * sampleRate)
      if let next = timeline.endingPhase(at: frame) {
        timeline = next
        cues = timeline.cues(everySeconds: Double(cueFrames) / sampleRate, speed: speed).filter { $0.frame >= frame }
        shownCue = -1
        reschedule { _ in [] }
      } else {
        return .stop  // n in the cool-down ends the session
      }
    case .character("c"):
      extraCue += 1
      let cue = FormCues.catalog[(shownCue + extraCue + 1) % FormCues.catalog.count]
      cueText = cue.line
      if let clip = clips[cue.line] { reschedule { [TimedCommand(at: $0, .playClip(clip.frames, gain: 0.7, tag: 2))] } }
      if !interactive { say("\(clock(Double(heard) / sampleRate))  cue: \(cue.line)") }
    default: break
    }
    return .carryOn
  }

  private func change(by step: Double) {
    guard let next = nudged(cadence, by: step) else { return }
    cadence = next
    userChanged = true
    reschedule { [TimedCommand(at: $0, .setCadence(next))] }
    cueText = FormCues.cadenceChange(to: next, speed: speed).line
  }

  private func drainEvents() {
    while let event = engine.events.pop() {
      if event.isStep { cadence = userChanged ? cadence : event.spm }
      if event.isAudibleStep {
        clicks += 1
        lastClickFrame = event.frame
      }
    }
  }

  private func tick() {
    drainEvents()
    let now = heard
    announce(upTo: now)
    hearing?.update { heardLine($0) }
    if interactive {
      draw(now)
    } else if now >= nextPlainMinute {
      nextPlainMinute += Int64(sampleRate * 60)
      say(
        "\(clock(Double(now) / sampleRate))  \(Cadence.format(cadence)) spm, \(clock(Double(timeline.totalFrames - now) / sampleRate)) left"
      )
    }
  }

  /// Phase starts and cues due by `now`: shown on the screen, printed as lines off a terminal.
  private func announce(upTo now: Int64) {
    // What fell due since the last tick, in frame order: phase starts before cues.
    var lines: [(frame: Int64, order: Int, text: String)] = []
    for phase in timeline.phases where phase.start <= now && phase.start >= announcedUntil && phase.end > phase.start {
      if phase.kind == .block { userChanged = false }
      lines.append((phase.start, 0, "\(phase.kind.rawValue) (\(clock(Double(phase.end - phase.start) / sampleRate)))"))
    }
    while shownCue + 1 < cues.count && cues[shownCue + 1].frame <= now {
      shownCue += 1
      cueText = cues[shownCue].cue.line
      lines.append((cues[shownCue].frame, 1, "cue: \(cueText)"))
    }
    announcedUntil = max(announcedUntil, now + 1)
    if !interactive {
      for line in lines.sorted(by: { ($0.frame, $0.order) < ($1.frame, $1.order) }) {
        say("\(clock(Double(line.frame) / sampleRate))  \(line.text)")
      }
    }
    if interactive {
      draw(now)
    } else if now >= nextPlainMinute {
      nextPlainMinute += Int64(sampleRate * 60)
      say(
        "\(clock(Double(now) / sampleRate))  \(Cadence.format(cadence)) spm, \(clock(Double(timeline.totalFrames - now) / sampleRate)) left"
      )
    }
  }

  /// The live screen: four lines redrawn in place.
  private func draw(_ now: Int64) {
    let total = max(1, timeline.totalFrames)
    let phase = timeline.phase(at: now)
    let width = 24
    let filled = Int(Double(width) * Double(min(now, total)) / Double(total))
    let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
    let onBeat = lastClickFrame >= 0 && now >= lastClickFrame && now - lastClickFrame < Int64(sampleRate * 0.15)
    let beat = paused ? "‖" : (onBeat ? "●" : "○")
    let clicking = phase?.kind == .block || (phase?.kind == .warmUp && timeline.spec.warmUpSPM != nil)
    let muted = clicking ? "" : " (no click)"
    var lines = [
      " \((phase?.kind.rawValue ?? "done").uppercased())  \(beat) \(Cadence.format(cadence)) spm\(muted)   "
        + "\(clock(Double(now) / sampleRate)) / \(clock(Double(total) / sampleRate))  [\(bar)]  \(clock(Double(total - now) / sampleRate)) left",
      " cue: \(cueText)",
    ]
    if let phase { lines[0] += "  (\(clock(Double(max(0, phase.end - now)) / sampleRate)) of this phase)" }
    if let hearing {
      lines.append(" heard: " + (hearing.current.map { heardAdvice($0) } ?? "listening for steady footfalls..."))
    }
    var help = " keys: ↑↓ ±1  PgUp/PgDn ±5  space pause  n next phase  c next cue  q quit"
    if let speed { help = " step \(format(speed.stepLength(atSPM: cadence), 2)) m at \(speedText(speed)) ·" + help }
    lines.append(help)
    var out = screenLines > 0 ? "\u{1B}[\(screenLines)F" : ""
    for line in lines { out += "\u{1B}[2K" + line + "\n" }
    screenLines = lines.count
    standardOutput(out)
  }

  private func clearScreen() {
    guard screenLines > 0 else { return }
    var out = "\u{1B}[\(screenLines)F"
    for _ in 0..<screenLines { out += "\u{1B}[2K\n" }
    out += "\u{1B}[\(screenLines)F"
    standardOutput(out)
  }

  /// "164 spm, target 170: quicker, shorter steps".
  func heardAdvice(_ spm: Double) -> String {
    guard timeline.phase(at: heard)?.kind == .block else { return "\(format(spm, 0)) spm" }
    let diff = spm - cadence
    let advice =
      abs(diff) <= 1.5 ? "on the beat" : diff < 0 ? "quicker, shorter steps" : "a little slower: settle into the beat"
    return "\(format(spm, 0)) spm, target \(Cadence.format(cadence)): \(advice)"
  }

  /// A minute's heard cadence off a terminal.
  private func heardLine(_ entry: (minute: Int, spm: Double)) {
    if !interactive { say("\(clock(Double(entry.minute + 1) * 60))  heard \(heardAdvice(entry.spm))") }
  }

  func speedText(_ speed: Speed) -> String {
    unit == .mph ? "\(format(speed.metersPerSecond * 3_600 / 1_609.344, 1)) mph" : "\(speed)"
  }

  func summaryLine(_ summary: PlaybackSummary) -> String {
    "played \(clock(Double(summary.framesPlayed) / sampleRate)) of \(clock(Double(timeline.totalFrames) / sampleRate)), "
      + "\(clicks) clicks, \(summary.xruns) xruns"
      + (summary.framesPlayed < timeline.totalFrames ? " (stopped early)" : "")
  }

  /// What was actually played, phase by phase, for the history.
  func playedDescription(_ summary: PlaybackSummary) -> String {
    let played = summary.framesPlayed
    let parts = timeline.phases.compactMap { phase -> String? in
      let heard = min(played, phase.end) - phase.start
      guard heard > 0 else { return nil }
      var text = "\(phase.kind.rawValue) \(clock(Double(heard) / sampleRate))"
      if phase.kind == .block { text += " at \(Cadence.format(timeline.spec.blockSPM)) spm (\(styleName))" }
      return text
    }
    return parts.isEmpty ? "stopped before it began" : parts.joined(separator: ", ")
  }

  private var styleName: String {
    var name: String
    switch timeline.spec.style {
    case .continuous: name = "continuous"
    case .ramp(let from, let minutes): name = "ramp from \(Cadence.format(from)) over \(format(minutes, 1)) min"
    case .intervals(let on, let off): name = "intervals \(format(on, 1))/\(format(off, 1)) min"
    }
    if timeline.spec.fade { name += ", fading" }
    return name
  }
}

/// "5:00 warm-up, 20:00 at 170 spm (continuous), 5:00 cool-down".
func describe(_ timeline: SessionTimeline) -> String {
  timeline.phases.map { phase in
    let length = clock(Double(phase.end - phase.start) / timeline.sampleRate)
    return phase.kind == .block
      ? "\(length) at \(Cadence.format(timeline.spec.blockSPM)) spm" : "\(length) \(phase.kind.rawValue)"
  }.joined(separator: ", ")
}

/// Standard output without buffering (the live screen).
func standardOutput(_ text: String) {
  var text = text
  text.withUTF8 { _ = Glibc.write(1, $0.baseAddress, $0.count) }
}

/// The microphone side of a session: footfalls from the listener thread, the running cadence,
/// and the cadence heard in each minute.
final class Hearing {
  let listener: Listener
  private var estimator: CadenceEstimator
  private let rate: Double
  private(set) var perMinute: [(minute: Int, spm: Double)] = []
  private var nextMinute = 0
  private(set) var current: Double?

  init(listener: Listener) {
    self.listener = listener
    rate = Double(listener.configuration.sampleRate)
    estimator = CadenceEstimator(sampleRate: rate)
  }

  /// Takes the footfalls found so far; reports each minute completed.
  func update(_ minuteDone: ((minute: Int, spm: Double)) -> Void) {
    var frames: [Int64] = []
    while let f = listener.steps.pop() { frames.append(f) }
    estimator.add(frames)
    let captured = listener.framesCaptured
    current = estimator.estimate(at: captured)
    while Int64(Double(nextMinute + 1) * 60 * rate) <= captured {
      let boundary = Int64(Double(nextMinute + 1) * 60 * rate)
      if let spm = estimator.estimate(at: boundary) {
        let entry = (nextMinute, (spm * 10).rounded() / 10)
        perMinute.append(entry)
        minuteDone(entry)
      }
      nextMinute += 1
    }
  }

  /// After the session: lets the listener reach `seconds` of input (at most 5 s of waiting),
  /// stops it, and takes the last minutes.
  func finish(upTo seconds: Double, _ minuteDone: ((minute: Int, spm: Double)) -> Void) {
    let target = Int64(seconds * rate)
    var waited = 0
    while listener.framesCaptured < target && !listener.isFinished && waited < 500 {
      usleep(10_000)
      waited += 1
    }
    listener.stop()
    listener.wait()
    update(minuteDone)
  }
}
