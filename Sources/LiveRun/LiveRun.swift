import CadenceCore
import ClickEngine
import Listening
import Playback

/// One run as it plays: the engine and the timeline it follows (fed a bounded horizon ahead),
/// the keys and what they change (on the next beat not yet queued), the cue schedule, the one
/// tally of clicks heard, and the screen or plain lines. `cadence play` is an open-ended
/// one-phase timeline, `cadence session` the full one; both run through here.
///
/// Runs on the control thread; it reaches the render thread only through the engine's rings
/// and its cutover. Time comes from `PlaybackPosition` and `engine.framesRendered`, so a test
/// drives it with an offline render and reads onset frames exactly.
public final class LiveRun {
  public enum Reaction { case carryOn, stop }

  public let engine: ClickEngine
  public private(set) var timeline: SessionTimeline
  /// The microphone side, with `--listen`.
  public var hearing: Hearing?
  /// The foot-pod side, with `--sensor`.
  public var sensing: Sensing?
  /// The quiet coach, with `--quiet-coach` (set by `coachQuietly`).
  public private(set) var quietCoach: QuietCoach?
  /// Its cues: tones made once at the run's rate (or the voice's clips), kept for the run.
  private var coachCues: [QuietCoach.Drift: Sample] = [:]
  /// What it did, in frames.
  private(set) var quietTally: QuietTally?
  /// The grid the last steps were on, to place a cue just after a click.
  private var stepGrid: TempoSegment?
  public let setup: RunSetup
  let output: RunOutput
  private var position: PlaybackPosition?
  private var feeder: ScheduleFeeder
  /// Changes made by keys, kept so that a later cutover re-sends those not yet due.
  private var keyCommands: [TimedCommand] = []
  var cues: [SessionTimeline.Cue]
  /// What a voiced run says besides its cues (none without clips).
  var milestones: [SessionTimeline.Cue]
  var shownCue = -1
  var cueText = ""
  /// The catalog cue shown last: `c` shows the one after it.
  private var lastCatalogCue = -1
  /// The cadence shown: the last step's, or the one the runner's keys asked for.
  public private(set) var cadence: Double
  private var keysSetCadence = false
  public private(set) var paused = false
  /// Where the click was paused, while it is; and the frames paused before.
  private var pausedFrom: Int64?
  private var pausedFrames: Int64 = 0
  /// The slowest and fastest cadence of the clicks queued and heard.
  private var queuedSPM: [Double] = []
  private var heardRange: ClosedRange<Double>?
  var clicksHeard = 0
  private var clicksQueued: [Int64] = []
  /// Clicks rendered since the last tick, for the microphone side.
  private var clicksRendered: [Int64] = []
  /// Where cadence's voice plays, in order; those starting before `speechSent` were told.
  private var speech: [FrameSpan] = []
  private var speechSent: Int64 = 0
  var lastClickFrame: Int64 = -1
  private var announcedUntil: Int64 = 0
  var nextPlainMinute: Int64
  /// Stretches without sound: a device lost, and found again or not.
  var gaps: [SoundGap] = []
  var screenLines = 0
  /// The full-screen view is up (the alternate screen, the cursor hidden), with the rows last
  /// drawn and the size they were drawn for: only rows that changed are written again.
  var fullScreen = false
  var drawnRows: [String] = []
  var drawnSize = (columns: 0, rows: 0)

  /// The engine's command ring: the horizon keeps far fewer commands than this in it.
  public static let commandCapacity = 256
  /// How far ahead of the render the schedule is handed over: long enough to ride out a control
  /// thread that wakes late, short enough for a few commands at the shortest interval.
  public static let horizonSeconds = 4.0

  public init(_ setup: RunSetup, sound: ClickSound, output: RunOutput) {
    self.setup = setup
    self.output = output
    let timeline = setup.timeline
    self.timeline = timeline
    let rate = timeline.sampleRate
    engine = ClickEngine(
      sampleRate: rate, sound: sound, settings: timeline.initial, commandCapacity: Self.commandCapacity)
    feeder = ScheduleFeeder(horizonFrames: Int64(Self.horizonSeconds * rate))
    cues = setup.cueEverySeconds.map { timeline.cues(everySeconds: $0) } ?? []
    milestones = setup.clips.isEmpty ? [] : timeline.milestones(setup.milestones)
    cadence = timeline.initial.spm
    nextPlainMinute = Int64(rate * 60)
    replaceSchedule(from: 0, generation: 0)
  }

  public var sampleRate: Double { timeline.sampleRate }
  /// Where playback is to stop: the timeline's end, or `cadence play --minutes`; nil for never.
  /// A pause moves it later by its length.
  public var plannedEnd: Int64? {
    timeline.isOpenEnded ? setup.frameLimit.map { $0 + pausedFrames } : timeline.totalFrames
  }

  /// Playback's position; before it is attached, what is rendered is what is heard.
  public func attach(_ position: PlaybackPosition) { self.position = position }

  /// The frame the runner hears now, less `--offset`: the screen, phase announcements and cues
  /// wait for it, so that they change when the sound does.
  var heard: Int64 { max(0, (position?.framesHeard ?? engine.framesRendered) - setup.offsetFrames) }

  /// The timeline's commands, the spoken milestones' and cues' clips and the keys' changes, in
  /// any order. A milestone is spoken instead of a cue near it: speech never talks over speech.
  private func schedule() -> [TimedCommand] {
    var all = timeline.schedule
    let apart = Int64(Self.speechApartSeconds * sampleRate)
    // Milestones in frame order; one close after another (halfway and 1 minute left in a
    // 2-minute block) is not spoken.
    var spoken: [(Int64, Sample)] = []
    for milestone in milestones {
      guard let clip = setup.clips[milestone.cue.spoken],
        !spoken.contains(where: { abs($0.0 - milestone.frame) < apart })
      else { continue }
      spoken.append((milestone.frame, clip))
    }
    for (frame, clip) in spoken {
      let at = clipStart(frame)
      all.append(TimedCommand(at: at, .playClip(clip.frames, gain: speechGain(clip, at: at), tag: 1)))
    }
    for cue in cues where !spoken.contains(where: { abs($0.0 - cue.frame) < apart }) {
      if let clip = setup.clips[cue.cue.spoken] {
        let at = clipStart(cue.frame)
        all.append(TimedCommand(at: at, .playClip(clip.frames, gain: speechGain(clip, at: at), tag: 1)))
      }
    }
    // Paused: the workout holds where it was; nothing of it plays until it resumes.
    if let held = pausedFrom { all.removeAll { $0.at >= held } }
    return all + keyCommands
  }

  /// [product choice] A pause longer than this ends the run, which is saved: the runner has
  /// stepped off (10 minutes: a drink or the bathroom is far shorter).
  public static let longestPauseSeconds = 600.0

  /// True once the run has been paused for longer than `longestPauseSeconds`.
  public var pauseOutlasted: Bool {
    guard let from = pausedFrom else { return false }
    return Double(engine.framesRendered - from) > Self.longestPauseSeconds * sampleRate
  }

  /// The frame of the workout the runner is at: where it was held while paused, else what is
  /// heard. The screen, announcements and cues follow this.
  var workoutFrame: Int64 { pausedFrom.map { min(heard, $0) } ?? heard }

  /// [product choice] A cue due this close to a milestone is shown, not spoken: speech never
  /// talks over speech.
  static let speechApartSeconds = 10.0

  /// [product choice] Speech peaks at half the click's peak (6 dB below it), so the click
  /// always stays on top of the voice.
  public static let speechToClickPeak: Float = 0.5

  /// The gain that brings `clip`, played from `frame`, to `speechToClickPeak` of the click
  /// playing then: a clicking warm-up's softer click, else the block's (a phase without a
  /// click is measured against the block's, the level the runner's ears are set to).
  func speechGain(_ clip: Sample, at frame: Int64) -> Float {
    let clipPeak = clip.peak
    guard clipPeak > 0 else { return 0 }
    var clickGain = timeline.spec.gain
    if timeline.phase(at: frame)?.kind == .warmUp && timeline.spec.warmUpSPM != nil {
      clickGain *= SessionSpec.warmUpGainRatio
    }
    return Self.speechToClickPeak * engine.sound.normal.peak * clickGain / clipPeak
  }

  /// Hands the engine the schedule from `frame` on, and notes where cadence's voice will
  /// play (the microphone side sets those stretches apart).
  private func replaceSchedule(from frame: Int64, generation: UInt32) {
    let all = schedule()
    speech = all.compactMap { command -> FrameSpan? in
      guard command.at >= frame, case .playClip(let samples, _, _) = command.command else { return nil }
      return FrameSpan(command.at, command.at + Int64(samples.count))
    }.sorted { $0.first < $1.first }
    speechSent = frame
    feeder.replace(with: all, from: frame, generation: generation)
    feeder.feed(engine)
  }

  /// A cue's voice clip starts just after the click of the first beat from the cue's frame.
  private func clipStart(_ frame: Int64) -> Int64 {
    guard let phase = timeline.phase(at: frame), phase.kind == .block else { return frame }
    let grid = timeline.blockSegment
    return grid.frame(ofBeat: grid.firstBeat(atOrAfter: frame)) + Int64(engine.sound.normal.count)
  }

  /// The first frame a change can still land on: two periods (at least 20 ms) past the render.
  private var changeFrame: Int64 {
    let period = Int64(position?.periodFrames ?? 256)
    return engine.framesRendered + max(2 * period, Int64(0.02 * sampleRate))
  }

  /// Replaces the schedule from `frame` on, adding `commands` there (and `later` at their own
  /// frames, none before `frame`).
  private func cutover(at frame: Int64, adding commands: [EngineCommand] = [], later: [TimedCommand] = []) {
    keyCommands =
      keyCommands.filter { $0.at >= frame } + commands.map { TimedCommand(at: frame, $0) }
      + later.filter { $0.at >= frame }
    let generation = engine.cutover(from: frame)
    replaceSchedule(from: frame, generation: generation)
  }

  public func handle(_ key: Key) -> Reaction {
    if let step = key.cadenceStep {
      // A phase without a click (a silent warm-up, the cool-down) has no tempo to change.
      guard clicking, let next = nudged(cadence, by: step) else { return .carryOn }
      let before = cadence
      cadence = next
      keysSetCadence = true
      cutover(at: changeFrame, adding: [.setCadence(next)])
      if !cues.isEmpty { cueText = FormCues.cadenceChange(from: before, to: next).line }
      return .carryOn
    }
    switch key {
    case .space where clicking || paused:
      paused.toggle()
      let frame = changeFrame
      if paused {
        pausedFrom = frame
        // Held: the workout has no end until it resumes (or the pause outlasts the limit).
        if plannedEnd != nil { position?.moveEnd(to: .max) }
      } else if let from = pausedFrom {
        // The workout resumes where it was held: the rest of it moves later by the pause.
        let delay = max(0, frame - from)
        pausedFrames += delay
        pausedFrom = nil
        timeline = timeline.delayed(from: from, by: delay)
        func later(_ cues: [SessionTimeline.Cue]) -> [SessionTimeline.Cue] {
          cues.map { $0.frame >= from ? SessionTimeline.Cue(frame: $0.frame + delay, cue: $0.cue) : $0 }
        }
        cues = later(cues)
        milestones = later(milestones)
        if let end = plannedEnd { position?.moveEnd(to: end) }
      }
      cutover(at: frame, adding: [paused ? .pause : .resume])
    case .quit: return .stop
    case .character("n") where timeline.phases.count > 1:
      return nextPhase()
    case .character("c") where !cues.isEmpty:
      lastCatalogCue = (lastCatalogCue + 1) % FormCues.catalog.count
      let cue = FormCues.catalog[lastCatalogCue]
      cueText = cue.line
      if let clip = setup.clips[cue.spoken] {
        let at = changeFrame
        cutover(at: at, adding: [.playClip(clip.frames, gain: speechGain(clip, at: at), tag: 2)])
      }
      if !setup.interactive { output.line("\(clock(Double(heard) / sampleRate))  cue: \(cue.line)") }
    default: break
    }
    return .carryOn
  }

  /// The `n` key: the phase playing now ends at the next change frame and the later phases
  /// follow from there; in the last phase it ends the run.
  private func nextPhase() -> Reaction {
    let frame = changeFrame
    guard let next = timeline.endingPhase(at: frame) else { return .stop }
    timeline = next
    cues = (setup.cueEverySeconds.map { timeline.cues(everySeconds: $0) } ?? [])
      .filter { $0.frame >= frame }
    milestones = setup.clips.isEmpty ? [] : timeline.milestones(setup.milestones).filter { $0.frame >= frame }
    shownCue = -1
    position?.endAt(timeline.totalFrames)
    cutover(at: frame)
    return .carryOn
  }

  /// The control loop's heartbeat: hand over the schedule, take the engine's events, announce
  /// what fell due, and draw the screen once (or print the minute's line).
  public func tick() {
    feeder.feed(engine)
    drainEvents()
    let now = workoutFrame
    let due = announcements(upTo: now)
    hearing?.update { heardLine($0) }
    if let sensing {
      let seconds = Double(now) / sampleRate
      let offset = seconds - sensing.clock()
      sensing.update(now: seconds, runSeconds: { $0 + offset }) { sensedLine($0) }
    }
    coach(now)
    if showsScreen {
      draw(now)
    } else {
      for line in due { output.line(line) }
      printMinuteLineIfDue(now)
    }
  }

  /// After playback stopped: the last events, what was still to announce, the final tally.
  public func finish(_ summary: PlaybackSummary) -> RunOutcome {
    drainEvents()
    let played = summary.framesPlayed
    hearing?.finish(upTo: Double(played) / sampleRate) { heardLine($0) }
    sensing?.finish { sensedLine($0) }
    if showsScreen {
      clearScreen()
    } else {
      // What the loop had no tick left to show (a device that plays faster than real time).
      for line in announcements(upTo: played - 1) { output.line(line) }
    }
    let clicks = clicksHeard + clicksQueued.filter { $0 < played }.count
    for (frame, spm) in zip(clicksQueued, queuedSPM) where frame < played { widen(spm) }
    let paused = pausedFrames + (pausedFrom.map { max(0, played - $0) } ?? 0)
    return RunOutcome(
      framesPlayed: played, sampleRate: sampleRate, clicks: clicks, xruns: summary.xruns, finalSPM: cadence,
      quiet: quietTally, beltMeters: sensing?.beltMeters, podGaps: sensing?.podGaps ?? [],
      stoppedEarly: summary.error != nil || pausedFrom != nil || plannedEnd.map { played < $0 } ?? false,
      heardPerMinute: (hearing?.perMinute ?? []) + (sensing?.perMinute ?? []), gaps: gaps, pausedFrames: paused,
      cadenceRange: heardRange)
  }

  private func widen(_ spm: Double) {
    heardRange = heardRange.map { min($0.lowerBound, spm)...max($0.upperBound, spm) } ?? spm...spm
  }

  private func drainEvents() {
    while let event = engine.events.pop() {
      if event.isStep && !keysSetCadence { cadence = event.spm }
      if event.isStep { followGrid(event) }
      if event.isAudibleStep {
        lastClickFrame = event.frame
        clicksQueued.append(event.frame)
        queuedSPM.append(event.spm)
        clicksRendered.append(event.frame)
      }
    }
    hearing?.clicked(clicksRendered, playback: position?.playbackClock)
    clicksRendered.removeAll(keepingCapacity: true)
    // The voice's stretches due within a second, told before the microphone hears them.
    if let hearing {
      let until = engine.framesRendered + Int64(sampleRate)
      let due = speech.filter { $0.first >= speechSent && $0.first < until }
      if !due.isEmpty, hearing.spoke(due, playback: position?.playbackClock) { speechSent = until }
    }
    let now = heard
    let before = clicksQueued.count
    let heardCount = clicksQueued.prefix { $0 < now }.count
    for spm in queuedSPM.prefix(heardCount) { widen(spm) }
    clicksQueued.removeFirst(heardCount)
    queuedSPM.removeFirst(heardCount)
    clicksHeard += before - clicksQueued.count
  }

  /// The engine's events for frames no one heard: the cadence follows them, the tally does not.
  func discardEvents() {
    while let event = engine.events.pop() {
      if event.isStep && !keysSetCadence { cadence = event.spm }
    }
  }

  /// Clicks queued at or after `frame` were never heard (the device went away with them).
  func dropQueuedClicks(from frame: Int64) {
    drainEvents()
    // Queued in render order: those from `frame` on are the tail.
    let kept = clicksQueued.prefix { $0 < frame }.count
    clicksQueued.removeLast(clicksQueued.count - kept)
    queuedSPM.removeLast(queuedSPM.count - kept)
  }

  /// Hands the schedule over up to the horizon.
  func feedSchedule() { feeder.feed(engine) }

  /// Phase starts and cues due by `now`, in frame order (a phase start before its cue), as
  /// plain lines; the screen shows the latest cue.
  private func announcements(upTo now: Int64) -> [String] {
    var lines: [(frame: Int64, order: Int, text: String)] = []
    for phase in timeline.phases
    where phase.start <= now && phase.start >= announcedUntil && phase.end > phase.start && timeline.phases.count > 1 {
      if phase.kind == .block { keysSetCadence = false }
      lines.append((phase.start, 0, "\(phase.kind.rawValue) (\(clock(Double(phase.end - phase.start) / sampleRate)))"))
    }
    while shownCue + 1 < cues.count && cues[shownCue + 1].frame <= now {
      shownCue += 1
      cueText = cues[shownCue].cue.line
      // The cadence change is the stride cue (catalog[0]) with the new cadence in it.
      let cue = cues[shownCue].cue
      if let index = FormCues.catalog.firstIndex(of: cue) ?? (cue.id == "cadence-change" ? 0 : nil) {
        lastCatalogCue = index
      }
      lines.append((cues[shownCue].frame, 1, "cue: \(cueText)"))
    }
    announcedUntil = max(announcedUntil, now + 1)
    return lines.sorted { ($0.frame, $0.order) < ($1.frame, $1.order) }.map {
      "\(clock(Double($0.frame) / sampleRate))  \($0.text)"
    }
  }
}

extension LiveRun {
  /// Turns the quiet coach on for this run, with a band of `band` spm either side of the target.
  /// Its cues are the voice's clips for `QuietCoach.spoken` where the run has them, else tones.
  public func coachQuietly(band: Double) {
    quietCoach = QuietCoach(band: band)
    quietTally = QuietTally(band: band, silences: [], cues: [])
    for drift in [QuietCoach.Drift.tooSlow, .tooFast] {
      coachCues[drift] = setup.clips[QuietCoach.spoken(drift)] ?? QuietCoach.tones(drift, sampleRate: sampleRate)
    }
  }

  /// The runner's cadence settled now: heard through the microphone, else sensed by a pod.
  var liveCadence: Double? {
    if let hearing, case .cadence(let spm)? = hearing.current { return spm }
    return sensing?.current
  }

  /// Steps the quiet coach at the workout's frame `now` and sends what it decided: the click's
  /// silence or return from the first frame a change can land on (so on the grid's next beat),
  /// a cue 10 ms after the click of that beat ends. Nothing lands past the block's end.
  func coach(_ now: Int64) {
    guard var coach = quietCoach else { return }
    let frame = changeFrame
    let block = timeline.phase(at: now)
    let active = !paused && block?.kind == .block && (block.map { frame < $0.end || $0.end == $0.start } ?? false)
    let live = liveCadence
    let actions = coach.update(now: Double(now) / sampleRate, target: cadence, live: live, active: active)
    quietCoach = coach
    guard !actions.isEmpty else { return }
    var commands: [EngineCommand] = []
    var later: [TimedCommand] = []
    for action in actions {
      switch action {
      case .silence:
        commands.append(.setMuted(true))
        quietTally?.silences.append((frame, nil))
      case .restore:
        // Past the block's end the timeline's own mute (the cool-down's) stands: the quiet
        // stretch ended with the block.
        let blockEnd = timeline.phases.first { $0.kind == .block }?.end ?? .max
        if frame < blockEnd { commands.append(.setMuted(false)) }
        if let last = quietTally?.silences.indices.last { quietTally?.silences[last].to = min(frame, blockEnd) }
      case .cue(let drift):
        guard active, let clip = coachCues[drift] else { continue }
        let at =
          nextBeat(atOrAfter: frame) + Int64(engine.sound.normal.count)
          + Int64(QuietCoach.cueAfterClickSeconds * sampleRate)
        later.append(TimedCommand(at: at, .playClip(clip.frames, gain: speechGain(clip, at: at), tag: 3)))
        quietTally?.cues.append((at, drift))
      }
      cueText = QuietCoach.words(action, target: cadence, live: live, band: coach.band)
      if !setup.interactive { output.line("\(clock(Double(now) / sampleRate))  quiet coach: \(cueText)") }
    }
    cutover(at: frame, adding: commands, later: later)
  }

  /// The first beat at or after `frame` on the grid the last steps were on (the frame itself
  /// before any step).
  func nextBeat(atOrAfter frame: Int64) -> Int64 {
    guard let grid = stepGrid else { return frame }
    return grid.frame(ofBeat: grid.firstBeat(atOrAfter: frame))
  }

  /// Keeps the grid the steps are on: a step off the grid followed so far (a tempo key, a
  /// resume, a ramp's next beat) starts a new one from it.
  func followGrid(_ event: EngineEvent) {
    if let grid = stepGrid, grid.startSPM == event.spm,
      grid.frame(ofBeat: grid.firstBeat(atOrAfter: event.frame)) == event.frame
    {
      return
    }
    stepGrid = TempoSegment(origin: event.frame, spm: event.spm, sampleRate: sampleRate)
  }
}
