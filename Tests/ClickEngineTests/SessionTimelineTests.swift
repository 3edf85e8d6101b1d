import AudioTestSupport
import CadenceCore
import Testing

@testable import ClickEngine

/// A session rendered offline with the impulse click: the onsets and their levels.
func renderSession(_ timeline: SessionTimeline, clip: (frame: Int64, samples: Sample)? = nil) -> (
  audio: [Float], events: [EngineEvent]
) {
  let engine = ClickEngine(sampleRate: timeline.sampleRate, sound: impulseSound(), settings: timeline.initial)
  if timeline.initiallyMuted { engine.commands.push(TimedCommand(at: 0, .setMuted(true))) }
  var pending = timeline.commands
  if let clip {
    pending.append(TimedCommand(at: clip.frame, .playClip(clip.samples.frames, gain: 1, tag: 1)))
    pending.sort { $0.at < $1.at }
  }
  var audio: [Float] = []
  var events: [EngineEvent] = []
  var next = 0
  // Feed commands up to two blocks ahead of what is rendered, as the live controller does.
  func feed() {
    let horizon = engine.framesRendered + 9_600
    while next < pending.count && pending[next].at < horizon {
      engine.commands.push(pending[next])
      next += 1
    }
  }
  feed()
  renderOffline(engine, frames: timeline.totalFrames, blockFrames: 4_800) { block in
    feed()
    audio += block
    while let e = engine.events.pop() { events.append(e) }
  }
  return (audio, events)
}

@Suite struct SessionTimelineTests {
  let rate = 48_000.0

  @Test func continuousBlockAfterASilentWarmUp() {
    let t = SessionTimeline(
      SessionSpec(warmUpMinutes: 5, blockMinutes: 20, blockSPM: 170, coolDownMinutes: 5, gain: 1), sampleRate: rate)
    // 20 minutes at 170 spm are exactly 3400 steps: the block ends on a beat at 20:00.
    #expect(
      t.phases == [
        .init(kind: .warmUp, start: 0, end: 14_400_000),
        .init(kind: .block, start: 14_400_000, end: 72_000_000),
        .init(kind: .coolDown, start: 72_000_000, end: 86_400_000),
      ])
    #expect(t.initiallyMuted)
    #expect(t.commands.map(\.at) == [14_400_000, 14_400_000, 14_400_000, 14_400_000, 72_000_000])
    let (audio, events) = renderSession(
      SessionTimeline(
        SessionSpec(warmUpMinutes: 0.5, blockMinutes: 1, blockSPM: 170, coolDownMinutes: 0.5, gain: 1), sampleRate: rate
      ))
    let grid = TempoSegment(origin: 1_440_000, spm: 170, sampleRate: rate)
    #expect(onsets(audio) == (0..<170).map { Int(grid.frame(ofBeat: $0)) })
    #expect(events.filter(\.isAudibleStep).count == 170)
  }

  @Test func aSoftWarmUpClickHandsOverOnABeat() {
    // 5 minutes at 152.5 spm are 762.5 steps: the block starts on warm-up beat 763.
    let spec = SessionSpec(
      warmUpMinutes: 5, warmUpSPM: 152.5, blockMinutes: 1, blockSPM: 165, coolDownMinutes: 1, gain: 1)
    let t = SessionTimeline(spec, sampleRate: rate)
    #expect(t.phases[1].start == 14_409_443)  // round(763 * 2880000 / 152.5)
    #expect(t.initial == ClickSettings(spm: 152.5, every: 1, accentEvery: 0, gain: 0.5))
    let (audio, _) = renderSession(t)
    let warm = TempoSegment(origin: 0, spm: 152.5, sampleRate: rate)
    let block = TempoSegment(origin: 14_409_443, spm: 165, sampleRate: rate)
    let expected = (0..<763).map { Int(warm.frame(ofBeat: $0)) } + (0..<165).map { Int(block.frame(ofBeat: $0)) }
    #expect(onsets(audio) == expected)
    #expect(audio[0] == 0.25 && audio[14_409_443] == 0.5)  // the warm-up click is softer
  }

  @Test func rampFromThePreviousRung() {
    let spec = SessionSpec(
      warmUpMinutes: 0, blockMinutes: 3, blockSPM: 170, style: .ramp(fromSPM: 165, minutes: 2), coolDownMinutes: 0,
      gain: 1)
    let t = SessionTimeline(spec, sampleRate: rate)
    #expect(t.blockSegment == TempoSegment(origin: 0, from: 165, to: 170, rampFrames: 5_760_000, sampleRate: rate))
    // Two minutes of ramp hold (165 + 170) / 2 * 2 = 335 steps, then 170 steps in the third.
    #expect(t.phases == [.init(kind: .block, start: 0, end: 8_640_000)])
    let (audio, _) = renderSession(t)
    #expect(onsets(audio) == (0..<505).map { Int(t.blockSegment.frame(ofBeat: $0)) })
  }

  @Test func intervalsSwitchOnBeats() {
    // 3 on, 2 off at 170 spm: switches at 3:00 (510 steps), 5:00 (850), 8:00 (1360).
    let spec = SessionSpec(
      warmUpMinutes: 0, blockMinutes: 10, blockSPM: 170, style: .intervals(onMinutes: 3, offMinutes: 2),
      coolDownMinutes: 0, gain: 1)
    let t = SessionTimeline(spec, sampleRate: rate)
    let switches = t.commands.filter { if case .setMuted = $0.command { true } else { false } }
    #expect(switches.map(\.at) == [0, 8_640_000, 14_400_000, 23_040_000, 28_800_000])
    #expect(
      switches.map(\.command) == [
        .setMuted(false), .setMuted(true), .setMuted(false), .setMuted(true), .setMuted(true),
      ])
    let (_, events) = renderSession(t)
    let heard = events.filter(\.isAudibleStep).map(\.step)
    #expect(heard == Array(0..<510) + Array(850..<1360))
  }

  @Test func fadingThinsTheClickOnBeats() {
    // 4 minutes at 180 spm (720 steps): every step, every 2nd from step 180, every 4th from 360,
    // then stretches of 30 s (90 steps): every 4th until 630, silent after.
    let spec = SessionSpec(warmUpMinutes: 0, blockMinutes: 4, blockSPM: 180, fade: true, coolDownMinutes: 0, gain: 1)
    let t = SessionTimeline(spec, sampleRate: rate)
    let (_, events) = renderSession(t)
    let heard = events.filter(\.isAudibleStep).map(\.step)
    let expected = Array(0..<180) + Array(stride(from: 180, to: 360, by: 2)) + Array(stride(from: 360, to: 630, by: 4))
    #expect(heard == expected.map(Int64.init))
    #expect(events.filter(\.isStep).count == 720)  // the grid never stops: only the sound does
  }

  @Test func cueSchedule() {
    var spec = SessionSpec(warmUpMinutes: 5, blockMinutes: 6, blockSPM: 170, coolDownMinutes: 5, previousSPM: 165)
    let cues = SessionTimeline(spec, sampleRate: rate).cues(everySeconds: 120)
    #expect(cues.map(\.frame) == [0, 14_400_000, 20_160_000, 25_920_000, 31_680_000])
    #expect(cues.map(\.cue.id) == ["warm-up", "cadence-change", "midfoot", "upright", "cool-down"])
    #expect(
      cues.map(\.cue.line)[0...1] == ["Warm up: walk or jog slowly for 5 minutes.", "Quicker, shorter steps: 170 now."])
    // The same cadence as the last run, or no run before: no change to announce.
    for previous in [170, nil] as [Double?] {
      spec.previousSPM = previous
      #expect(
        SessionTimeline(spec, sampleRate: rate).cues(everySeconds: 120).map(\.cue.id)
          == ["warm-up", "shorter-stride", "midfoot", "upright", "cool-down"])
    }
    #expect(FormCues.cadenceChange(from: 170, to: 165).line == "A slower beat: 165 now.")
    #expect(
      FormCues.warmUp(minutes: 4.5).line
        == "Warm up: walk or jog slowly for 4.5 minutes (the articles advise 5-10 minutes).")
    #expect(!FormCues.catalog.map(\.id).contains("relaxed-arms"))
  }

  @Test func theNextPhaseKeyEndsThePhaseOnABeat() throws {
    let spec = SessionSpec(warmUpMinutes: 5, warmUpSPM: 150, blockMinutes: 20, blockSPM: 170, coolDownMinutes: 5)
    let t = SessionTimeline(spec, sampleRate: rate)
    let skipped = try #require(t.endingPhase(at: 1_000_000))
    // The first 150-spm beat from frame 1,000,000: beat 53 at 1,017,600.
    #expect(skipped.phases.map(\.start) == [0, 1_017_600, 1_017_600 + 57_600_000])
    let block = try #require(skipped.endingPhase(at: 2_000_000))
    #expect(
      block.phases[2].start == block.blockSegment.frame(ofBeat: block.blockSegment.firstBeat(atOrAfter: 2_000_000)))
    #expect(block.phases[2].end - block.phases[2].start == 14_400_000)
    #expect(block.endingPhase(at: block.phases[2].start + 10) == nil)  // nothing after the cool-down
  }

  @Test func aVoiceClipMovesNoClick() {
    let spec = SessionSpec(
      warmUpMinutes: 0.25, warmUpSPM: 150, blockMinutes: 1, blockSPM: 172.5, coolDownMinutes: 0.25, gain: 1)
    let t = SessionTimeline(spec, sampleRate: rate)
    let clip = Sample([Float](repeating: 0.001, count: 96_000), sampleRate: rate)
    let plain = renderSession(t)
    let voiced = renderSession(t, clip: (720_300, clip))
    #expect(plain.events.filter(\.isStep) == voiced.events.filter(\.isStep))
    // 0.25 min at 150 spm: 38 warm-up clicks (37.5 steps, then the next beat); 173 in the block.
    #expect(plain.events.filter(\.isAudibleStep).count == 211)
  }
}
