import Testing

@testable import CadenceCore

@Suite struct BeatClockTests {
  func play(_ clock: inout BeatClock, beats: Int) -> [Int64] { (0..<beats).map { _ in clock.advance() } }

  @Test func steadyBeatsFromStart() {
    var clock = BeatClock(spm: 180, sampleRate: 48_000)
    #expect(play(&clock, beats: 4) == [0, 16_000, 32_000, 48_000])
    #expect(clock.nextBeatFrame == 64_000)
  }

  @Test func aChangeLandsOnTheNextBeatByTheNewInterval() {
    var clock = BeatClock(spm: 180, sampleRate: 48_000)
    _ = play(&clock, beats: 3)  // last beat at 32000
    clock.setTempo(160, at: 40_000)  // 48000*60/160 = 18000 frames a step
    #expect(clock.nextBeatFrame == 50_000)
    #expect(play(&clock, beats: 3) == [50_000, 68_000, 86_000])
    #expect(clock.currentSPM == 160)
  }

  @Test func aChangeWhoseMomentHasPassedSoundsAtOnce() {
    var clock = BeatClock(spm: 160, sampleRate: 48_000)
    _ = play(&clock, beats: 2)  // last beat at 18000
    clock.setTempo(240, at: 31_000)  // 18000 + 12000 = 30000 is already past
    #expect(clock.nextBeatFrame == 31_000)
    #expect(play(&clock, beats: 2) == [31_000, 43_000])
  }

  @Test func aChangeBeforeTheFirstBeatKeepsTheFirstBeat() {
    var clock = BeatClock(spm: 160, sampleRate: 48_000, start: 500)
    clock.setTempo(180, at: 100)
    #expect(play(&clock, beats: 2) == [500, 16_500])
  }

  @Test func pauseAndResume() {
    var clock = BeatClock(spm: 180, sampleRate: 48_000)
    _ = play(&clock, beats: 2)
    clock.pause()
    #expect(clock.nextBeatFrame == nil)
    clock.setTempo(160, at: 20_000)  // changed while paused: used on resume
    clock.resume(at: 100_000)
    #expect(play(&clock, beats: 2) == [100_000, 118_000])
  }

  @Test func rampFromTheLastBeat() {
    var clock = BeatClock(spm: 160, sampleRate: 48_000)
    _ = play(&clock, beats: 1)  // beat at 0
    clock.ramp(to: 170, overFrames: 2_880_000, at: 10)
    let frames = play(&clock, beats: 166)
    // 2ck / (a + sqrt(a^2 + 2(b - a)ck / T)) with c = 2880000, k = 1: 17996.48 frames.
    #expect(frames.first == 17_996)
    #expect(frames[164] == 2_880_000)  // beat 165 of the ramp ends it exactly
    #expect(frames[165] == 2_880_000 + 16_941)
  }
}
