import ALSA
import AudioTestSupport
import CadenceCore
import ClickEngine
import Listening
import LiveRun
import Playback
import Testing
import TreadmillSimulator

/// The microphone side without a microphone: footfalls from a recording, found by the real
/// detector as the scripted capture clock advances.
final class ScriptedFootfalls: FootfallSource {
  let steps = SPSCRing<Int64>(capacity: 4_096)
  let clicks = SPSCRing<Int64>(capacity: 4_096)
  let speech = SPSCRing<FrameSpan>(capacity: 256)
  let clock: FrameClock
  private(set) var framesCaptured: Int64 = 0
  var isFinished = false
  private var detector: StepDetector
  private let recording: TreadmillRecording
  private(set) var clicksTold: [Int64] = []
  private(set) var speechTold: [FrameSpan] = []

  init(_ recording: TreadmillRecording) {
    self.recording = recording
    clock = FrameClock(sampleRate: recording.rate)
    detector = StepDetector(sampleRate: recording.rate)
  }

  /// The microphone has taken frames up to `frame`, at `nanos` on the monotonic clock.
  func advance(to frame: Int64, nanos: Int64) {
    var told: [Int64] = []
    while let c = clicks.pop() { told.append(c) }
    clicksTold += told
    detector.addClicks(told)
    var spoken: [FrameSpan] = []
    while let span = speech.pop() { spoken.append(span) }
    speechTold += spoken
    detector.addSpeech(spoken)
    let end = min(frame, Int64(recording.samples.count))
    guard end > framesCaptured else { return }
    recording.samples.withUnsafeBufferPointer { all in
      let block = UnsafeBufferPointer(rebasing: all[Int(framesCaptured)..<Int(end)])
      for onset in detector.process(block) { _ = steps.push(onset) }
    }
    framesCaptured = end
    clock.publish(frame: end, nanos: nanos)
  }

  func stop() { isFinished = true }
  func wait() -> ALSAError? { nil }
}

/// A device that plays in real time on a scripted clock: what is rendered is heard at once.
final class ClockedDevice: PlaybackPosition {
  let engine: ClickEngine
  let periodFrames = 256
  let clock: FrameClock?
  init(_ engine: ClickEngine, clocked: Bool) {
    self.engine = engine
    clock = clocked ? FrameClock(sampleRate: engine.sampleRate) : nil
  }
  var framesHeard: Int64 { engine.framesRendered }
  func endAt(_ frame: Int64) {}
  func moveEnd(to frame: Int64) {}
  var playbackClock: FrameClock? { clock }
}

@Suite struct HearingTests {
  let rate = 48_000.0

  /// `play 170` for 130 s with `--listen`: the microphone starts `captureLag` seconds after the
  /// sound, and the runner lands `lateMs` after each click they hear. The clicks the run played
  /// are placed in the microphone's frames by the two clocks, and each minute stores the
  /// cadence and the footfalls' timing against the click.
  func run(
    lateMs: Double, captureLag: Double = 0.25, clocked: Bool = true, voice: Sample? = nil,
    output: RecordedOutput = RecordedOutput(), interactive: Bool = false
  ) -> (RunOutcome, ScriptedFootfalls, [Int64], LiveRun) {
    let timeline: SessionTimeline
    let setup: RunSetup
    if let voice {
      // A 130 s session block with a spoken cue every 20 s, each `voice` long.
      let spec = SessionSpec(warmUpMinutes: 0, blockMinutes: 130.0 / 60, blockSPM: 170, coolDownMinutes: 0, gain: 1)
      timeline = SessionTimeline(spec, sampleRate: rate)
      let lines = timeline.cues(everySeconds: 20).map(\.cue.line)
      setup = RunSetup(
        timeline: timeline, cueEverySeconds: 20,
        clips: Dictionary(lines.map { ($0, voice) }, uniquingKeysWith: { a, _ in a }), interactive: interactive)
    } else {
      timeline = SessionTimeline(.untilStopped(spm: 170, gain: 1, every: 1, accentEvery: 0), sampleRate: rate)
      setup = RunSetup(timeline: timeline, interactive: interactive, frameLimit: Int64(130 * rate))
    }
    let run = LiveRun(setup, sound: impulseSound(), output: output)
    let grid = timeline.blockSegment
    let lag = Int64(captureLag * rate)
    let clicks = (0..<400).map { grid.frame(ofBeat: Int64($0)) }.filter { $0 < Int64(130 * rate) }
    // A runner keeping to the click: each footfall within 10 ms either side of `lateMs` after it
    // (a footfall exactly on a grid would be a machine, which listening sets aside).
    var seed: UInt64 = 11
    let steps = clicks.map { click -> Int64 in
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let jitter = (Double(seed >> 11) / Double(1 << 53) * 2 - 1) * 0.010
      return click + Int64(((lateMs / 1000 + jitter) * rate).rounded()) - lag
    }
    let recording = TreadmillRecording.make(steps: steps, seconds: 131, seed: 3)
    let source = ScriptedFootfalls(recording)
    run.hearing = Hearing(source)
    let device = ClockedDevice(run.engine, clocked: clocked)
    run.attach(device)
    var buffer = [Float](repeating: 0, count: 256)
    var frame: Int64 = 0
    let start: Int64 = 5_000_000_000
    // Both setups have an end; without one nothing is rendered and the expectations fail.
    let end = run.plannedEnd ?? 0
    while frame < end {
      buffer.withUnsafeMutableBufferPointer { run.engine.render($0) }
      frame += 256
      let nanos = start + Int64(Double(frame) / rate * 1e9)
      device.clock?.publish(frame: frame, nanos: nanos)
      source.advance(to: frame - lag, nanos: nanos)
      if frame % 4_864 == 0 { run.tick() }
    }
    source.isFinished = true
    let outcome = run.finish(PlaybackSummary(framesWritten: frame, framesPlayed: frame, xruns: 0))
    return (outcome, source, clicks.map { $0 - lag }, run)
  }

  @Test(arguments: [40.0, -25.0])
  func eachMinuteStoresTheTimingAgainstTheClick(lateMs: Double) throws {
    let (outcome, source, clicksHeard, _) = run(lateMs: lateMs)
    #expect(outcome.heardPerMinute.map(\.minute) == [0, 1])
    for minute in outcome.heardPerMinute {
      #expect(abs(minute.spm - 170) <= 0.5, "\(minute)")
      #expect(abs(try #require(minute.offsetMs) - lateMs) <= 1.5, "\(minute)")
      // Uniform within 10 ms either side: a standard deviation of 5.8 ms.
      #expect(abs(try #require(minute.spreadMs) - 5.8) <= 1, "\(minute)")
    }
    // The clicks told to the detector are where the microphone heard them, to the frame, from
    // the first 2.5 s on (before that the clocks are not yet known to run in real time).
    let told = source.clicksTold
    #expect(!told.isEmpty && told.allSatisfy { clicksHeard.contains($0) }, "\(told.prefix(5))")
    #expect(told.count >= clicksHeard.filter { $0 >= Int64(2.5 * rate) }.count)
  }

  @Test func withoutARealTimeDeviceNoTimingIsGuessed() {
    let (outcome, source, _, _) = run(lateMs: 40, clocked: false)
    #expect(outcome.heardPerMinute.count == 2)
    #expect(outcome.heardPerMinute.allSatisfy { $0.offsetMs == nil && $0.spreadMs == nil })
    #expect(source.clicksTold.isEmpty)
  }

  /// A session with a spoken cue every 20 s: each clip's stretch is told to the detector in
  /// the microphone's frames (the capture lag taken off), the whole clip, before it is heard.
  @Test func cadencesOwnVoiceIsToldToTheDetector() throws {
    let voice = Sample([Float](repeating: 0.1, count: 24_000), sampleRate: rate)
    let (outcome, source, _, run) = self.run(lateMs: 10, voice: voice)
    let cues = run.timeline.cues(everySeconds: 20).map(\.frame)
    let told = source.speechTold
    #expect(told.count == cues.count, "\(told) for cues at \(cues)")
    for (span, cue) in zip(told, cues) {
      #expect(span.last - span.first == 24_000)
      // Just after the click of the first beat from the cue (and the 0.25 s lag).
      let offset = span.first + Int64(0.25 * rate) - cue
      #expect(offset >= 0 && offset < Int64(60 / 170 * rate) + 4_800, "\(span) for the cue at \(cue)")
    }
    #expect(outcome.heardPerMinute.count == 2)
  }

  /// What the runner sees: off a terminal a line a minute, on it the screen's heard line,
  /// and the reason while no cadence is settled.
  @Test func theScreenAndTheLinesShowTheTiming() throws {
    let lines = RecordedOutput()
    _ = run(lateMs: 40, output: lines)
    let heard = lines.lines.filter { $0.contains("heard") }
    #expect(
      heard == [
        "1:00  heard 170 spm, target 170: at the target; footfalls late (+39 ms, spread 6 ms)",
        "2:00  heard 170 spm, target 170: at the target; footfalls late (+40 ms, spread 6 ms)",
      ])
    let screen = RecordedOutput()
    _ = run(lateMs: -45, output: screen, interactive: true)
    let shown = screen.screens.joined()
    #expect(shown.contains(" heard: listening for steady footfalls..."))
    #expect(shown.contains(" heard: no cadence: footfalls not yet steady for long enough"))
    #expect(shown.contains(" heard: 170 spm, target 170: at the target; footfalls early (-4"), "\(shown.suffix(400))")
  }

  @Test func onTheBeatEarlyAndLate() {
    #expect(
      HeardMinute(minute: 0, spm: 170, offsetMs: 12.4, spreadMs: 18.6).timing == "on the beat (+12 ms, spread 19 ms)")
    #expect(HeardMinute(minute: 0, spm: 170, offsetMs: -30, spreadMs: 5).timing == "on the beat (-30 ms, spread 5 ms)")
    #expect(HeardMinute(minute: 0, spm: 170, offsetMs: -48.2, spreadMs: 22).timing == "early (-48 ms, spread 22 ms)")
    #expect(HeardMinute(minute: 0, spm: 170, offsetMs: 61, spreadMs: 30).timing == "late (+61 ms, spread 30 ms)")
    #expect(HeardMinute(minute: 0, spm: 170).timing == nil)
  }
}
