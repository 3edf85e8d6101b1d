import AudioTestSupport
import CadenceCore
import ClickEngine
import Foundation
import Playback
import Testing

@testable import LiveRun

@Suite struct LiveRunTests {
  let rate = 48_000.0

  func play(_ spm: Double = 170, interactive: Bool = false, minutes: Double? = nil) -> (LiveRun, RecordedOutput) {
    let output = RecordedOutput()
    let timeline = SessionTimeline(.untilStopped(spm: spm, gain: 1, every: 1, accentEvery: 0), sampleRate: rate)
    let setup = RunSetup(
      timeline: timeline, interactive: interactive, frameLimit: minutes.map { Int64($0 * 60 * rate) })
    return (LiveRun(setup, sound: impulseSound(), output: output), output)
  }

  func session(_ spec: SessionSpec, cueSeconds: Double = 20, rate: Double = 48_000, interactive: Bool = false) -> (
    LiveRun, RecordedOutput
  ) {
    let output = RecordedOutput()
    let setup = RunSetup(
      timeline: SessionTimeline(spec, sampleRate: rate), cueEverySeconds: cueSeconds, interactive: interactive)
    return (LiveRun(setup, sound: impulseSound(rate: rate), output: output), output)
  }

  /// The same commands pushed by hand at the frames the keys should change things at.
  func reference(_ spm: Double, frames: Int64, commands: [TimedCommand]) -> [Int64] {
    let engine = ClickEngine(sampleRate: rate, sound: impulseSound(), settings: ClickSettings(spm: spm, gain: 1))
    let timeline = SessionTimeline(.untilStopped(spm: spm, gain: 1, every: 1, accentEvery: 0), sampleRate: rate)
    for command in (timeline.schedule + commands).sorted(by: { $0.at < $1.at }) { engine.commands.push(command) }
    var found: [Float] = []
    renderOffline(engine, frames: frames, blockFrames: 256) { found.append(contentsOf: $0) }
    return onsets(found).map(Int64.init)
  }

  @Test func tempoAndPauseKeysLandOnTheFirstBeatNotYetQueued() {
    let (run, _) = play()
    let keys: [(at: Int64, key: Key)] = [
      (48_000, .up), (96_000, .pageUp), (144_000, .down), (192_000, .space), (240_000, .space), (288_000, .quit),
    ]
    let result = playOffline(run, keys: keys)
    let at = keys.map { changeFrame($0.at) }
    #expect(at == [49_088, 96_960, 145_088, 192_960, 241_088, 288_960])
    let expected = reference(
      170, frames: 288_000,
      commands: [
        TimedCommand(at: at[0], .setCadence(171)), TimedCommand(at: at[1], .setCadence(176)),
        TimedCommand(at: at[2], .setCadence(175)), TimedCommand(at: at[3], .pause),
        TimedCommand(at: at[4], .resume),
      ])
    #expect(result.onsets == expected)
    #expect(result.stoppedByKey)
    // Independently of the reference: 170 spm until the first change, then 171 from the beat
    // after it (60 * 48000 / 171 = 16842.1 frames); nothing while paused; the resume sounds at once.
    let before = result.onsets.last { $0 < at[0] }!
    let after = result.onsets.first { $0 >= at[0] }!
    #expect(before == 33_882 && after - before == 16_842)
    #expect(!result.onsets.contains { $0 > at[3] && $0 < at[4] })
    #expect(result.onsets.contains(at[4]))
    #expect(result.outcome.clicks == result.onsets.count)
    #expect(result.outcome.finalSPM == 175)
    #expect(result.outcome.stoppedEarly == false)  // play has no planned end
    #expect(result.starved == 0)
    // The summary: the cadences the clicks were played at, and the time paused (from the
    // pause's change frame to the resume's).
    #expect(result.outcome.pausedFrames == at[4] - at[3])
    #expect(result.outcome.cadenceRange == 170...176)
    #expect(
      run.summaryLine(result.outcome)
        == "played \(clock(Double(result.outcome.framesPlayed) / 48_000)) at 170 to 176 spm, "
        + "\(result.outcome.clicks) clicks; paused 0:01")
  }

  /// Lost devices said once: several stretches found again add up, and one that never came
  /// back ends the sentence.
  @Test func soundGapsAreSaidInOneStatement() {
    let (run, _) = play(minutes: 5)
    var outcome = RunOutcome(
      framesPlayed: 14_400_000, sampleRate: rate, clicks: 800, xruns: 0, finalSPM: 170, stoppedEarly: true,
      heardPerMinute: [])
    outcome.cadenceRange = 170...170
    outcome.gaps = [
      SoundGap(from: 480_000, to: 576_000, reason: "a"), SoundGap(from: 960_000, to: 1_104_000, reason: "b"),
      SoundGap(from: 2_880_000, to: nil, reason: "c"),
    ]
    #expect(
      run.summaryLine(outcome)
        == "played 5:00 of 5:00 at 170 spm, 800 clicks (stopped early); no sound for 0:05 in all between 0:10 and "
        + "0:23 (the device was lost 2 times and opened again); sound lost at 1:00, the device did not come back")
    outcome.gaps = [SoundGap(from: 480_000, to: 576_000, reason: "a")]
    #expect(
      run.summaryLine(outcome)
        == "played 5:00 of 5:00 at 170 spm, 800 clicks (stopped early); no sound from 0:10 to 0:12 "
        + "(the device was lost and opened again)")
    // A foot pod that went quiet, and a treadmill's belt: said after the rest.
    outcome.gaps = []
    outcome.podGaps = [(75.5, 81), (250, nil)]
    outcome.beltMeters = 840
    #expect(
      run.summaryLine(outcome)
        == "played 5:00 of 5:00 at 170 spm, 800 clicks (stopped early); the foot pod sent nothing from 1:15 to 1:21; "
        + "the foot pod sent nothing from 4:10 on; the treadmill's belt ran 0.84 km at 10.1 km/h")
  }

  @Test func theTallyCountsOnlyClicksHeardBeforeTheStop() {
    let (run, _) = play(minutes: 0.5)
    let result = playOffline(run)
    #expect(result.outcome.framesPlayed == 1_440_000)
    #expect(result.outcome.clicks == 85 && result.onsets.count == 85)
    #expect(!result.outcome.stoppedEarly)
    #expect(run.summaryLine(result.outcome) == "played 0:30 of 0:30 at 170 spm, 85 clicks")
    #expect(run.deviceLine(result.outcome) == "cadence: 1440000 frames played, 0 xruns")
  }

  @Test func nextPhaseStartsTheBlockOnTheChangeFrameAndBringsTheEndForward() {
    let spec = SessionSpec(warmUpMinutes: 0.5, blockMinutes: 1, blockSPM: 170, coolDownMinutes: 0.5, gain: 1)
    let (run, output) = session(spec)
    let result = playOffline(run, keys: [(480_000, .character("n")), (960_000, .character("c"))])
    let start = changeFrame(480_000)
    #expect(start == 480_960)
    let grid = TempoSegment(origin: start, spm: 170, sampleRate: rate)
    #expect(result.onsets == (0..<170).map { grid.frame(ofBeat: $0) })
    #expect(run.timeline.totalFrames == start + 2_880_000 + 1_440_000)
    #expect(result.outcome.framesPlayed == run.timeline.totalFrames)
    #expect(!result.outcome.stoppedEarly)
    let cues = FormCues.catalog.map(\.line)
    // The warm-up was announced at 0:00 with its planned length; the block's cues restart from
    // its new start (0:10.02: every 20 s, the last due at its end is not given); `c` at 0:20
    // shows the catalog cue after the stride cue the block began with; 142 clicks by 1:00
    // ((2,880,000 - 480,960) / 16,941.2 beats, from beat 0); the run ends at 1:40.
    let expected: [String] = [
      "0:00  warm-up (0:30)",
      "0:00  cue: " + FormCues.warmUp(minutes: 0.5).line,
      "0:10  cadence block (1:00)",
      "0:10  cue: " + cues[0],
      "0:20  cue: " + cues[1],
      "0:30  cue: " + cues[1],
      "0:50  cue: " + cues[2],
      "1:00  170 spm, 142 clicks, 0:40 left",
      "1:10  cool-down (0:30)",
      "1:10  cue: " + FormCues.coolDown(minutes: 0.5).line,
    ]
    #expect(output.lines == expected)
  }

  @Test func oneScreenPerTickOnATerminal() {
    let spec = SessionSpec(warmUpMinutes: 0, blockMinutes: 0.25, blockSPM: 170, coolDownMinutes: 0, gain: 1)
    let (run, output) = session(spec, interactive: true)
    let result = playOffline(run)
    // 0:15 at 170 spm ends on beat 43 (728,471 frames): 151 ticks of 100 ms.
    #expect(run.timeline.totalFrames == 728_471)
    #expect(result.ticks == 151)
    #expect(output.screens.count == result.ticks + 1)  // each tick, and the clearing at the end
    #expect(output.lines.isEmpty)
    let last = output.screens[result.ticks - 1]
    #expect(
      last.hasPrefix("\u{1B}[3F\u{1B}[2K CADENCE BLOCK  ○ 170 spm  0:15 / 0:15  [███████████████████████░]  0:00 left"),
      "\(last)")
    #expect(last.contains("43 clicks"))
    #expect(last.hasSuffix("keys: ↑↓ ±1  PgUp/PgDn ±5  space pause  c next cue  q quit\n"), "\(last)")
  }

  /// The longest valid session with the shortest intervals: 30,000 on/off changes, fed through
  /// a 256-command ring a few seconds ahead, each landing on its beat.
  @Test func aFiveHourIntervalSessionPlaysEveryBoundaryOnItsFrame() {
    let rate = 8_000.0
    let spec = SessionSpec(
      warmUpMinutes: 0, blockMinutes: 300, blockSPM: 170, style: .intervals(onMinutes: 0.01, offMinutes: 0.01),
      coolDownMinutes: 0, gain: 1)
    let (run, output) = session(spec, cueSeconds: 600, rate: rate)
    let timeline = run.timeline
    let switches = timeline.commands.filter { if case .setMuted = $0.command { true } else { false } }
    #expect(switches.count > 30_000 / 2 && switches.count > LiveRun.commandCapacity * 100)
    // The expected onsets: the block's grid, silent where the last switch before a beat muted it.
    var expected: [Int64] = []
    var muted = false
    var next = 0
    let grid = timeline.blockSegment
    var beat: Int64 = 0
    while grid.frame(ofBeat: beat) < timeline.totalFrames {
      let frame = grid.frame(ofBeat: beat)
      while next < switches.count && switches[next].at <= frame {
        if case .setMuted(let m) = switches[next].command { muted = m }
        next += 1
      }
      if !muted { expected.append(frame) }
      beat += 1
    }
    let result = playOffline(run, tickFrames: 800)
    #expect(result.starved == 0)
    #expect(result.outcome.framesPlayed == timeline.totalFrames)
    #expect(result.onsets.count == expected.count)
    #expect(result.onsets == expected)
    #expect(output.lines.filter { $0.hasSuffix(" left") }.count == 300)
  }
}

// MARK: Playing a run without a device

/// Playback without a device: what is rendered is heard at once.
final class OfflineDevice: PlaybackPosition {
  let engine: ClickEngine
  let periodFrames = 256
  private(set) var end: Int64?

  init(_ engine: ClickEngine) { self.engine = engine }

  var framesHeard: Int64 { engine.framesRendered }
  func endAt(_ frame: Int64) { end = min(end ?? .max, frame) }
  func moveEnd(to frame: Int64) { end = frame }
}

/// What the run wrote: plain lines and screen redraws.
final class RecordedOutput: RunOutput {
  var lines: [String] = []
  var screens: [String] = []
  func line(_ text: String) { lines.append(text) }
  func screen(_ text: String) { screens.append(text) }
}

/// Onset frames found block by block (the impulse click's first frame is its loudest): a
/// non-zero frame after at least 8 silent ones.
struct OnsetScanner {
  private(set) var onsets: [Int64] = []
  private var quiet = 8
  private var frame: Int64 = 0

  mutating func scan(_ block: UnsafeMutableBufferPointer<Float>) {
    for x in block {
      if x != 0 {
        if quiet >= 8 { onsets.append(frame) }
        quiet = 0
      } else {
        quiet += 1
      }
      frame += 1
    }
  }
}

/// What an offline run did.
struct OfflineRun {
  var onsets: [Int64]
  var outcome: RunOutcome
  var ticks: Int
  /// Times the render found the schedule not fed far enough (must stay 0).
  var starved: Int
  var stoppedByKey: Bool
}

/// Plays `run` in 256-frame periods as the player would: keys are handled at the first period
/// boundary at or after their frame, the control side ticks every `tickFrames` (100 ms at
/// 48 kHz by default), and the run ends at its planned end, an `n` that shortens it, `q`, or
/// `limit`.
func playOffline(
  _ run: LiveRun, keys: [(at: Int64, key: Key)] = [], tickFrames: Int64 = 4_800, limit: Int64 = .max,
  stopAfterTick: ((Int64) -> Bool)? = nil
) -> OfflineRun {
  let device = OfflineDevice(run.engine)
  run.attach(device)
  var scanner = OnsetScanner()
  var buffer = [Float](repeating: 0, count: device.periodFrames)
  var frame: Int64 = 0
  var nextTick = tickFrames
  var pending = keys[...]
  var ticks = 0
  var starved = 0
  var stopped = false
  playing: while true {
    let end = min(limit, device.end ?? .max, run.plannedEnd ?? .max)
    guard frame < end else { break }
    while let key = pending.first, key.at <= frame {
      pending = pending.dropFirst()
      if run.handle(key.key) == .stop {
        stopped = true
        break playing
      }
    }
    let n = Int(min(Int64(device.periodFrames), end - frame))
    if run.engine.scheduledUntil < frame + Int64(n) { starved += 1 }
    buffer.withUnsafeMutableBufferPointer { all in
      let block = UnsafeMutableBufferPointer(rebasing: all[0..<n])
      run.engine.render(block)
      scanner.scan(block)
    }
    frame += Int64(n)
    if frame >= nextTick {
      run.tick()
      ticks += 1
      nextTick += tickFrames
      if stopAfterTick?(frame) == true {
        stopped = true
        break playing
      }
    }
  }
  let outcome = run.finish(PlaybackSummary(framesWritten: frame, framesPlayed: frame, xruns: 0))
  return OfflineRun(onsets: scanner.onsets, outcome: outcome, ticks: ticks, starved: starved, stoppedByKey: stopped)
}

/// The frame a key pressed at `frame` changes things from: the next period boundary, plus the
/// run's margin of two periods (at least 20 ms).
func changeFrame(_ frame: Int64, rate: Double = 48_000) -> Int64 {
  let boundary = (frame + 255) / 256 * 256
  return boundary + max(512, Int64(0.02 * rate))
}

/// The line view fits any terminal: each line is fitted to the width read at every draw,
/// fields dropped by priority and never wrapped; keys only where they act.
@Suite struct FittedScreenTests {
  let rate = 48_000.0

  /// A session's screen 1:00 into its 5:00 block, at `columns`, as its lines (escapes gone).
  func screen(columns: Int?, at seconds: Double = 90, coolDown: Bool = false) -> [String] {
    let spec = SessionSpec(warmUpMinutes: 0.5, blockMinutes: 5, blockSPM: 170, coolDownMinutes: 5, gain: 1)
    let output = RecordedOutput()
    var setup = RunSetup(
      timeline: SessionTimeline(spec, sampleRate: rate), cueEverySeconds: 20, speed: .kmh(10), interactive: true)
    setup.columns = { columns }
    let run = LiveRun(setup, sound: impulseSound(rate: rate), output: output)
    _ = playOffline(run, limit: Int64(seconds * rate))
    let last = output.screens.last { $0.contains("keys:") } ?? ""
    return last.split(separator: "\n").map { plain(String($0)) }
  }

  /// `text` without its escape sequences (ESC [ digits letter).
  func plain(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    var scalars = text.unicodeScalars[...]
    while let scalar = scalars.popFirst() {
      guard scalar == "\u{1B}", scalars.first == "[" else {
        out.append(scalar)
        continue
      }
      scalars = scalars.dropFirst().drop { ("0"..."9").contains($0) }.dropFirst()
    }
    return String(out)
  }

  @Test func everyLineFitsEveryWidth() {
    for width in [24, 40, 80, 100, 120, 200] {
      for seconds in [20.0, 90, 400] {
        let lines = screen(columns: width, at: seconds)
        #expect(lines.count == 3)
        for line in lines { #expect(line.unicodeScalars.count <= width - 1, "\(width): \(line)") }
      }
    }
  }

  /// At 80 columns the status keeps the phase, the cadence and the time left, and the keys
  /// line drops the step length; at 40 the cadence and the phase's time left, the cue cut, the
  /// pause and quit keys; at 200 everything shows; without a known width nothing is fitted;
  /// in the cool-down only the keys that act are shown.
  @Test func fieldsAreDroppedByPriority() {
    #expect(
      screen(columns: 80) == [
        " CADENCE BLOCK  ○ 170 spm  9:00 left  (4:00 of this phase)", " cue: No leaning forward from the waist.",
        " keys: ↑↓ ±1  PgUp/PgDn ±5  space pause  n next phase  c next cue  q quit",
      ])
    let full = [
      " CADENCE BLOCK  ○ 170 spm  1:30 / 10:30  [███░░░░░░░░░░░░░░░░░░░░░]  9:00 left  (4:00 of this phase)"
        + "  170 clicks",
      " cue: No leaning forward from the waist.",
      " step 0.98 m at 10.0 km/h · keys: ↑↓ ±1  PgUp/PgDn ±5  space pause  n next phase  c next cue  q quit",
    ]
    #expect(screen(columns: 200) == full)
    #expect(screen(columns: nil) == full)
    #expect(
      screen(columns: 40) == [
        " ○ 170 spm  (4:00 of this phase)", " cue: No leaning forward from the wais…", " keys: space pause  q quit",
      ])
    #expect(
      screen(columns: 80, at: 400) == [
        " COOL-DOWN  ○ no click  3:50 left  (3:50 of this phase)", " cue: Cool down: walk easy for 5 minutes.",
        " step 0.98 m at 10.0 km/h · keys: c next cue  q quit",
      ])
  }

}

/// A session followed by ear: the milestones spoken where they are due (a cue near one is
/// shown, not spoken), asides left out of the voice, and speech 6 dB under the click.
@Suite struct SpokenMilestoneTests {
  let rate = 8_000.0

  @Test func asidesAreShownNotSpoken() {
    #expect(
      FormCues.warmUp(minutes: 0.25).line
        == "Warm up: walk or jog slowly for 15 seconds (the articles advise 5-10 minutes).")
    #expect(FormCues.warmUp(minutes: 0.25).spoken == "Warm up: walk or jog slowly for 15 seconds.")
    #expect(FormCues.catalog.allSatisfy { $0.spoken == $0.line })
  }

  @Test func milestonesAreDueAtTheirFrames() {
    let spec = SessionSpec(warmUpMinutes: 5, blockMinutes: 20, blockSPM: 170, coolDownMinutes: 5, gain: 1)
    let timeline = SessionTimeline(spec, sampleRate: rate)
    let block = timeline.phases[1]
    let minute = Int64(60 * rate)
    #expect(block.start == 5 * minute)
    let all = timeline.milestones(Set(Milestone.allCases))
    #expect(all.map(\.cue.line) == ["Cadence block, 170.", "Halfway.", "5 minutes left.", "1 minute left."])
    #expect(
      all.map(\.frame) == [
        block.start, block.start + (block.end - block.start) / 2, block.end - 5 * minute, block.end - minute,
      ])
    #expect(timeline.milestones([]).isEmpty)
    #expect(timeline.milestones([.halfway]).map(\.cue.line) == ["Halfway."])
    // Intervals: each switch, on the switch's beat.
    var intervals = spec
    intervals.blockMinutes = 6
    intervals.style = .intervals(onMinutes: 2, offMinutes: 1)
    let switching = SessionTimeline(intervals, sampleRate: rate)
    let switches = switching.commands.filter {
      if case .setMuted = $0.command { return $0.at > switching.phases[1].start && $0.at < switching.phases[1].end }
      return false
    }
    let spoken = switching.milestones([.intervals])
    #expect(spoken.map(\.frame) == switches.map(\.at))
    #expect(spoken.map(\.cue.line) == ["Click off: hold the cadence.", "Click on.", "Click off: hold the cadence."])
  }

  /// Rendered with and without voice: what the voice adds starts just after the click of the
  /// milestone's beat, the block-start cue is left unspoken for its milestone, and the voice
  /// peaks at exactly half the click's peak.
  @Test func speechIsDueOnItsBeatAndUnderTheClick() throws {
    let spec = SessionSpec(warmUpMinutes: 0, blockMinutes: 2, blockSPM: 170, coolDownMinutes: 0, gain: 0.8)
    let timeline = SessionTimeline(spec, sampleRate: rate)
    let voice = Sample([Float](repeating: 0.9, count: 400), sampleRate: rate)
    let texts = Set(
      (timeline.cues(everySeconds: 50) + timeline.milestones(Set(Milestone.allCases))).map(\.cue.spoken))
    func render(voiced: Bool) -> [Float] {
      let setup = RunSetup(
        timeline: timeline, cueEverySeconds: 50,
        clips: voiced ? Dictionary(uniqueKeysWithValues: texts.map { ($0, voice) }) : [:], interactive: false)
      let run = LiveRun(setup, sound: impulseSound(rate: rate), output: RecordedOutput())
      var samples: [Float] = []
      _ = run.renderOffline { samples.append(contentsOf: $0) }
      return samples
    }
    let plain = render(voiced: false)
    let voiced = render(voiced: true)
    #expect(plain.count == voiced.count)
    let speech = zip(voiced, plain).map { $0 - $1 }
    var starts: [Int64] = []
    for i in speech.indices where speech[i] != 0 && (i == 0 || speech[i - 1] == 0) { starts.append(Int64(i)) }
    let grid = timeline.blockSegment
    let click = Int64(impulseSound(rate: rate).normal.count)
    func onBeat(_ frame: Int64) -> Int64 { grid.frame(ofBeat: grid.firstBeat(atOrAfter: frame)) + click }
    let block = timeline.phases[0]
    // The block's start (its milestone, not the stride cue at the same frame), the cue at 0:50
    // (10 s from halfway: far enough), halfway at 1:00 ("1 minute left" falls there too, and is
    // not spoken over it), the cue at 1:40.
    let expected = [0, 50, 60, 100].map { onBeat(block.start + Int64($0 * rate)) }
    #expect(starts == expected)
    let speechPeak = speech.reduce(0) { max($0, abs($1)) }
    let clickPeak = plain.reduce(0) { max($0, abs($1)) }
    #expect(abs(speechPeak - 0.5 * clickPeak) < 1e-6, "speech \(speechPeak), click \(clickPeak)")
  }

  /// In a warm-up with its softer click, speech is set under that click, not the block's.
  @Test func speechInAClickingWarmUpIsUnderItsSofterClick() {
    var spec = SessionSpec(warmUpMinutes: 0.5, blockMinutes: 0.5, blockSPM: 170, coolDownMinutes: 0, gain: 0.8)
    spec.warmUpSPM = 150
    let timeline = SessionTimeline(spec, sampleRate: rate)
    let voice = Sample([Float](repeating: 0.9, count: 400), sampleRate: rate)
    let warmUpLine = FormCues.warmUp(minutes: 0.5).spoken
    func render(voiced: Bool) -> [Float] {
      var setup = RunSetup(
        timeline: timeline, cueEverySeconds: 600, clips: voiced ? [warmUpLine: voice] : [:], interactive: false)
      setup.milestones = []
      let run = LiveRun(setup, sound: impulseSound(rate: rate), output: RecordedOutput())
      var samples: [Float] = []
      _ = run.renderOffline { samples.append(contentsOf: $0) }
      return samples
    }
    let plain = render(voiced: false)
    let warm = Int(timeline.phases[0].end)
    let speech = zip(render(voiced: true), plain).prefix(warm).map { $0 - $1 }
    let speechPeak = speech.reduce(0) { max($0, abs($1)) }
    let warmClickPeak = plain.prefix(warm).reduce(0) { max($0, abs($1)) }
    #expect(
      warmClickPeak > 0 && abs(speechPeak - 0.5 * warmClickPeak) < 1e-6, "speech \(speechPeak), click \(warmClickPeak)")
  }
}

/// Pause pauses the workout: the session's clock, phases, cues and intervals hold where they
/// were and resume there, on a fresh beat grid from the resume.
@Suite struct WorkoutPauseTests {
  let rate = 48_000.0

  /// The ideal grid: beat k of a 170-spm grid from `origin` at origin + round(k * 48000 * 60 / 170),
  /// in exact integer arithmetic (tenths of a step per minute).
  func grid(from origin: Int64, below limit: Int64) -> [Int64] {
    var frames: [Int64] = []
    var k: Int64 = 0
    while true {
      let f = origin + (2 * k * 48_000 * 600 + 1700) / (2 * 1700)
      guard f < limit else { return frames }
      frames.append(f)
      k += 1
    }
  }

  /// A 2-minute block after a silent 30 s warm-up, paused for exactly 10 s in its middle: the
  /// block still clicks for 2:00, the cool-down follows 10 s later, the onsets after the resume
  /// lie on a fresh grid from it, and the paused time is kept apart from the time run.
  @Test func aTenSecondPauseKeepsTheBlockWhole() {
    let spec = SessionSpec(warmUpMinutes: 0.5, blockMinutes: 2, blockSPM: 170, coolDownMinutes: 1, gain: 1)
    let output = RecordedOutput()
    let setup = RunSetup(timeline: SessionTimeline(spec, sampleRate: rate), interactive: false)
    let run = LiveRun(setup, sound: impulseSound(rate: rate), output: output)
    let planned = run.timeline
    #expect(planned.phases.map(\.start) == [0, 1_440_000, 7_200_000])
    #expect(planned.totalFrames == 10_080_000)
    let result = playOffline(run, keys: [(2_880_000, .space), (3_360_000, .space)])
    let (pause, resume) = (changeFrame(2_880_000), changeFrame(3_360_000))
    #expect((pause, resume) == (2_880_960, 3_360_960))
    let delay = resume - pause
    // The block grows by the pause, the cool-down starts and ends that much later.
    #expect(run.timeline.phases.map(\.start) == [0, 1_440_000, 7_200_000 + delay])
    #expect(run.timeline.phases.map(\.end) == [1_440_000, 7_200_000 + delay, 10_080_000 + delay])
    #expect(result.outcome.framesPlayed == 10_080_000 + delay)
    // Clicks: the block's grid up to the pause, then a fresh grid from the resume to the block's
    // moved end; nothing while paused, nothing in the warm-up or the cool-down.
    let expected = grid(from: 1_440_000, below: pause) + grid(from: resume, below: 7_200_000 + delay)
    #expect(result.onsets == expected)
    // Time at the click: exactly the planned 2:00 (5,760,000 frames) either side of the pause.
    #expect((pause - 1_440_000) + (7_200_000 + delay - resume) == 5_760_000)
    #expect(result.outcome.pausedFrames == 480_000)
    #expect(result.outcome.runSeconds == 210)
    #expect(result.outcome.pausedSeconds == 10)
    #expect(result.outcome.stoppedEarly == false)
    #expect(result.starved == 0)
    // The phase announcements follow the workout: the cool-down is announced at its moved start.
    #expect(output.lines.contains("2:40  cool-down (1:00)"), "\(output.lines)")
  }

  /// A pause longer than the limit ends the run, which counts as stopped early.
  @Test func aPauseThatOutlastsTheLimitEndsTheRun() {
    let spec = SessionSpec(warmUpMinutes: 0, blockMinutes: 20, blockSPM: 170, coolDownMinutes: 0, gain: 1)
    let setup = RunSetup(timeline: SessionTimeline(spec, sampleRate: rate), interactive: false)
    let run = LiveRun(setup, sound: impulseSound(rate: rate), output: RecordedOutput())
    var outlastedAt: Int64?
    let result = playOffline(run, keys: [(480_000, .space)], tickFrames: 48_000) { (frame: Int64) -> Bool in
      if run.pauseOutlasted && outlastedAt == nil { outlastedAt = frame }
      return run.pauseOutlasted
    }
    let pause = changeFrame(480_000)
    #expect(outlastedAt.map { $0 > pause + Int64(600 * rate) && $0 <= pause + Int64(602 * rate) } == true)
    #expect(result.outcome.stoppedEarly)
    #expect(result.onsets.allSatisfy { $0 < pause })
  }
}

/// The full-screen view, cell by cell: block digits five rows tall for the target, the beat
/// mark and the cadence heard, and for the time left; every row one column short of the width.
@Suite struct BigScreenTests {
  func state(paused: Bool = false, lost: Bool = false, heard: Bool = true, beat: Bool = true) -> BigScreenState {
    BigScreenState(
      phase: "CADENCE BLOCK", phaseWord: "BLOCK", target: "170",
      heard: heard ? ("167", "heard: low: quicker steps") : nil,
      onBeat: beat,
      paused: paused, soundLost: lost, time: "12:30", timeLabel: "left in this phase", progress: 0.25,
      cue: "Shorter stride: land with your foot under you.",
      keys: [Field("↑↓ ±1", priority: 3), Field("space pause", priority: 1), Field("q quit", priority: 0)])
  }

  /// At 80x24: every row exactly as a runner sees it.
  @Test func aBlockAt80x24() throws {
    let frame = try #require(BigScreen.frame(state(), columns: 80, rows: 24))
    let expected = [
      " CADENCE BLOCK",
      "",
      "   ██    ██████  ██████    ██████      ██    ██████  ██████",
      " ████        ██  ██  ██    ██████    ████    ██          ██",
      "   ██        ██  ██  ██    ██████      ██    ██████      ██",
      "   ██        ██  ██  ██    ██████      ██    ██  ██      ██",
      " ██████      ██  ██████    ██████    ██████  ██████      ██",
      " spm target                          heard: low: quicker steps",
      "",
      "   ██    ██████      ██████  ██████      ████    ██      ██████  ██████  ██  ██",
      " ████        ██  ██      ██  ██  ██      ██  ██  ██      ██  ██  ██      ██  ██",
      "   ██    ██████      ██████  ██  ██      ████    ██      ██  ██  ██      ████",
      "   ██    ██      ██      ██  ██  ██      ██  ██  ██      ██  ██  ██      ██  ██",
      " ██████  ██████      ██████  ██████      ████    ██████  ██████  ██████  ██  ██",
      " left in this phase                      cadence block",
      " [" + String(repeating: "█", count: 19) + String(repeating: "░", count: 57) + "]",
      " cue: Shorter stride: land with your foot under you.",
      "", "", "", "", "", "",
      " keys: ↑↓ ±1  space pause  q quit",
    ]
    #expect(frame.count == 24)
    for (row, line) in frame.enumerated() {
      #expect(line.unicodeScalars.count == 79, "row \(row)")
      #expect(line == BigScreen.pad(expected[row], 79), "row \(row): \(line)")
    }
  }

  /// Paused and sound lost are shown big in the target's place; the beat mark is dark between
  /// clicks; without a cadence heard its column is empty.
  @Test func pausedLostAndBetweenBeats() throws {
    let paused = try #require(BigScreen.frame(state(paused: true), columns: 100, rows: 30))
    #expect(paused[0] == BigScreen.pad(" CADENCE BLOCK · PAUSED · space resumes", 99))
    #expect(paused[2] == BigScreen.pad(" " + BigText.render("PAUSED")[0], 99))
    #expect(paused[2].hasPrefix(" ██████  ██████  ██  ██  ██████  ██████  ████"))
    let lost = try #require(BigScreen.frame(state(lost: true), columns: 100, rows: 30))
    #expect(lost[2...6].map { $0 } == BigText.render("NO SOUND").map { BigScreen.pad(" " + $0, 99) })
    let dark = try #require(BigScreen.frame(state(heard: false, beat: false), columns: 120, rows: 40))
    #expect(dark[2] == BigScreen.pad("   ██    ██████  ██████", 119))
    #expect(dark[7] == BigScreen.pad(" spm target", 119))
    #expect(dark.count == 40 && dark[39] == BigScreen.pad(" keys: ↑↓ ±1  space pause  q quit", 119))
  }

  /// Below 64x18 there is no full-screen view (the line view is drawn); at 200x60 it fills it.
  @Test(arguments: [(63, 24, false), (80, 17, false), (64, 18, true), (200, 60, true)])
  func sizes(columns: Int, rows: Int, fits: Bool) {
    let frame = BigScreen.frame(state(), columns: columns, rows: rows)
    #expect((frame != nil) == fits)
    if let frame {
      #expect(frame.count == rows)
      #expect(frame.allSatisfy { $0.unicodeScalars.count == columns - 1 })
    }
  }
}

/// The full-screen view in a run: entered with the alternate screen and the cursor hidden, only
/// changed rows written again, the beat mark lit at the first redraw after each click, and the
/// terminal given back (cursor shown, alternate screen left) when the run ends.
@Suite struct BigViewRunTests {
  let rate = 48_000.0

  @Test func theBeatMarkFollowsTheClicksAndTheTerminalIsGivenBack() throws {
    let spec = SessionSpec(warmUpMinutes: 0, blockMinutes: 0.2, blockSPM: 170, coolDownMinutes: 0, gain: 1)
    let output = RecordedOutput()
    var setup = RunSetup(timeline: SessionTimeline(spec, sampleRate: rate), cueEverySeconds: 20, interactive: true)
    setup.screen = .big
    setup.columns = { 80 }
    setup.rows = { 24 }
    let run = LiveRun(setup, sound: impulseSound(rate: rate), output: output)
    var ticks: [(frame: Int64, lit: Bool)] = []
    let result = playOffline(run) { (frame: Int64) -> Bool in
      ticks.append((frame, run.bigState(frame).onBeat))
      return false
    }
    #expect(result.onsets.count == 34)
    // Each click is lit at the first redraw after it (a tick's frame counts what is rendered
    // before it): within one redraw period (100 ms), which falls on a device period (256).
    for onset in result.onsets {
      let tick = try #require(ticks.first { $0.frame > onset }, "\(onset)")
      #expect(tick.lit && tick.frame - onset <= 4_800 + 256, "click at \(onset), redraw at \(tick.frame)")
    }
    // And dark at least once between two clicks (0.35 s apart).
    #expect(ticks.contains { !$0.lit })
    let screens = output.screens
    #expect(screens.first?.hasPrefix("\u{1B}[?1049h\u{1B}[?25l\u{1B}[H\u{1B}[2J") == true)
    #expect(screens.last == "\u{1B}[?25h\u{1B}[?1049l")
    // After the first frame only changed rows are written: never all 24 again.
    let rowsWritten = screens.dropFirst().dropLast().map { $0.components(separatedBy: ";1H").count - 1 }
    #expect(rowsWritten.allSatisfy { $0 < 24 }, "\(rowsWritten)")
    #expect(screens.first.map { $0.components(separatedBy: ";1H").count - 1 } == 24)
    // No row reaches the last column: nothing wraps.
    for screen in screens {
      for piece in screen.components(separatedBy: "\u{1B}[").dropFirst() {
        guard let h = piece.firstIndex(of: "H") else { continue }
        #expect(piece[piece.index(after: h)...].unicodeScalars.count <= 79)
      }
    }
  }

  /// Where the terminal is too small, the line view is drawn instead, as before.
  @Test func aSmallTerminalGetsTheLineView() {
    let spec = SessionSpec(warmUpMinutes: 0, blockMinutes: 0.05, blockSPM: 170, coolDownMinutes: 0, gain: 1)
    let output = RecordedOutput()
    var setup = RunSetup(timeline: SessionTimeline(spec, sampleRate: rate), interactive: true)
    setup.screen = .big
    setup.columns = { 60 }
    setup.rows = { 24 }
    let run = LiveRun(setup, sound: impulseSound(rate: rate), output: output)
    _ = playOffline(run)
    #expect(!output.screens.contains { $0.contains("\u{1B}[?1049h") })
    #expect(output.screens.contains { $0.contains("CADENCE BLOCK") })
  }
}

/// The full-screen view of a real run in each phase, and of `play`, read from the run's own
/// state at a moment: the phase in words and block letters, the target or "-" where the phase
/// has no click, the time left in the phase (or played, for `play`).
@Suite struct BigViewPhaseTests {
  let rate = 48_000.0

  func frame(_ setup: RunSetup, at seconds: Double, columns: Int = 80, rows: Int = 24) throws -> [String] {
    let run = LiveRun(setup, sound: impulseSound(rate: rate), output: RecordedOutput())
    _ = playOffline(run, limit: Int64(seconds * rate))
    return try #require(BigScreen.frame(run.bigState(Int64(seconds * rate)), columns: columns, rows: rows))
  }

  /// Rows 0, 2-7, 9-14 and the cue and keys of each phase at 80x24, and of `play` at 100x30.
  @Test func eachPhase() throws {
    let spec = SessionSpec(warmUpMinutes: 1, blockMinutes: 2, blockSPM: 170, coolDownMinutes: 1, gain: 1)
    let session = RunSetup(timeline: SessionTimeline(spec, sampleRate: rate), cueEverySeconds: 20, interactive: true)
    let noClick = ["", "", " ██████", "", "", " no click"]
    let warm = try frame(session, at: 10)
    #expect(warm[0] == BigScreen.pad(" WARM-UP", 79))
    #expect(Array(warm[2...7]) == noClick.map { BigScreen.pad($0, 79) })
    #expect(warm[9] == BigScreen.pad(" ██████      ██████  ██████      ██  ██  ██████  ████    ██  ██", 79))
    #expect(warm[13] == BigScreen.pad(" ██████      ██████  ██████      ██  ██  ██  ██  ██  ██  ██  ██", 79))
    #expect(warm[14] == BigScreen.pad(" left in this phase              warm-up", 79))
    #expect(warm[16] == BigScreen.pad(" cue: Warm up: walk or jog slowly for 1 minute (the articles advise 5-10", 79))
    #expect(warm[17] == BigScreen.pad(" minutes).", 79))
    #expect(warm[23] == BigScreen.pad(" keys: n next phase  c next cue  q quit", 79))
    let block = try frame(session, at: 100)
    #expect(block[0] == BigScreen.pad(" CADENCE BLOCK", 79))
    // 100 s is 117 ms after the 113th click of the block: the beat mark is lit.
    #expect(block[2] == BigScreen.pad("   ██    ██████  ██████    ██████", 79))
    #expect(block[6].hasPrefix(" ██████      ██  ██████"))
    #expect(block[9] == BigScreen.pad("   ██        ██████  ██████      ████    ██      ██████  ██████  ██  ██", 79))
    #expect(block[14] == BigScreen.pad(" left in this phase              cadence block", 79))
    #expect(block[23] == BigScreen.pad(" keys: ↑↓ ±1  PgUp/PgDn ±5  space pause  n next phase  c next cue  q quit", 79))
    let cool = try frame(session, at: 200)
    #expect(cool[0] == BigScreen.pad(" COOL-DOWN", 79))
    #expect(Array(cool[2...7]) == noClick.map { BigScreen.pad($0, 79) })
    #expect(cool[13] == BigScreen.pad(" ██████          ██  ██████      ██████  ██████  ██████  ██████", 79))
    #expect(cool[14] == BigScreen.pad(" left in this phase              cool-down", 79))
    #expect(cool[23] == BigScreen.pad(" keys: c next cue  q quit", 79))
    let play = try frame(
      RunSetup(
        timeline: SessionTimeline(.untilStopped(spm: 172, gain: 1, every: 1, accentEvery: 0), sampleRate: rate),
        interactive: true), at: 75, columns: 100, rows: 30)
    #expect(play[0] == BigScreen.pad(" PLAYING", 99))
    #expect(play[3].hasPrefix(" ████        ██      ██ "))
    #expect(play[13] == BigScreen.pad(" ██████      ██████  ██████      ██      ██████  ██  ██    ██", 99))
    #expect(play[14] == BigScreen.pad(" played                          playing", 99))
    #expect(play[29] == BigScreen.pad(" keys: ↑↓ ±1  PgUp/PgDn ±5  space pause  q quit", 99))
  }
}
