import AudioTestSupport
import CadenceCore
import Testing

@testable import ClickEngine

@Suite struct ClickEngineRenderTests {
  @Test func onsetsAtExactlyTheGridFrames() {
    for spm in [170.0, 175, 180, 173.5] {
      let engine = ClickEngine(sampleRate: 48_000, sound: impulseSound(), settings: ClickSettings(spm: spm, gain: 1))
      let audio = render(engine, frames: 48_000 * 60)
      let grid = TempoSegment(origin: 0, spm: spm, sampleRate: 48_000)
      let expected = (0...Int64(spm) + 1).map { Int(grid.frame(ofBeat: $0)) }.filter { $0 < audio.count }
      #expect(onsets(audio) == expected, "\(spm) spm")
      #expect(audio[0] == 0.5 && audio[1] == 0.25 && audio[2] == 0.125 && audio[3] == 0)
    }
  }

  @Test func blockSizeDoesNotChangeASingleSample() {
    func run(_ block: Int) -> [Float] {
      let engine = ClickEngine(
        sampleRate: 48_000, sound: impulseSound(), settings: ClickSettings(spm: 173.5, accentEvery: 3, gain: 1))
      engine.commands.push(TimedCommand(at: 100_000, .setCadence(181.3)))
      engine.commands.push(TimedCommand(at: 200_000, .ramp(to: 165, frames: 96_000)))
      return render(engine, frames: 400_000, block: block)
    }
    let reference = run(4096)
    for block in [1, 37, 256, 480, 100_000] { #expect(run(block) == reference, "block \(block)") }
  }

  @Test func accentsAndAlertFrequency() {
    let engine = ClickEngine(
      sampleRate: 48_000, sound: impulseSound(), settings: ClickSettings(spm: 180, every: 2, accentEvery: 2, gain: 1))
    let audio = render(engine, frames: 16_000 * 9)
    let events = drain(engine)
    #expect(
      events.map(\.kind) == [
        .accent, .silentStep, .click, .silentStep, .accent, .silentStep, .click, .silentStep, .accent,
      ])
    #expect(events.map(\.frame) == (0..<9).map { Int64($0) * 16_000 })
    // Every 2nd step sounds; every 2nd click is the (negative) accent.
    #expect(onsets(audio) == [0, 32_000, 64_000, 96_000, 128_000])
    #expect([0, 32_000, 64_000, 96_000, 128_000].map { audio[$0] } == [-0.9, 0.5, -0.9, 0.5, -0.9])

    let quarter = ClickEngine(
      sampleRate: 48_000, sound: impulseSound(), settings: ClickSettings(spm: 180, every: 4, gain: 1))
    #expect(onsets(render(quarter, frames: 16_000 * 9)) == [0, 64_000, 128_000])
  }

  @Test func aLiveChangeLandsOnTheNextBeat() {
    let engine = ClickEngine(sampleRate: 48_000, sound: impulseSound(), settings: ClickSettings(spm: 180, gain: 1))
    var audio = render(engine, frames: 40_000)  // beats at 0, 16000, 32000
    engine.commands.push(TimedCommand(.setCadence(160)))  // as soon as possible: frame 40000
    audio += render(engine, frames: 60_000)
    #expect(onsets(audio) == [0, 16_000, 32_000, 50_000, 68_000, 86_000])
    #expect(drain(engine).last?.spm == 160)
  }

  @Test func timedCommandsLandOnTheirFrame() {
    let engine = ClickEngine(sampleRate: 48_000, sound: impulseSound(), settings: ClickSettings(spm: 180, gain: 1))
    engine.commands.push(TimedCommand(at: 20_000, .pause))
    engine.commands.push(TimedCommand(at: 50_001, .resume))
    engine.commands.push(TimedCommand(at: 60_000, .setMuted(true)))
    engine.commands.push(TimedCommand(at: 90_000, .setMuted(false)))
    let audio = render(engine, frames: 120_000, block: 4096)
    // 0, 16000; paused until 50001; then 50001 + 16000 k, muted 60000..<90000.
    #expect(onsets(audio) == [0, 16_000, 50_001, 98_001, 114_001])
    let events = drain(engine)
    #expect(events.filter { $0.kind == .silentStep }.map(\.frame) == [66_001, 82_001])
  }

  @Test func gainScalesClicks() {
    let engine = ClickEngine(sampleRate: 48_000, sound: impulseSound(), settings: ClickSettings(spm: 180, gain: 0.5))
    engine.commands.push(TimedCommand(at: 10_000, .setGain(0.25)))
    let audio = render(engine, frames: 20_000)
    #expect(audio[0] == 0.25 && audio[16_000] == 0.125)
  }

  @Test func aClipMixesWithoutMovingAClick() {
    func run(withClip: Bool) -> (audio: [Float], events: [EngineEvent]) {
      let engine = ClickEngine(sampleRate: 48_000, sound: impulseSound(), settings: ClickSettings(spm: 170, gain: 1))
      let clip = Sample([Float](repeating: 0.01, count: 30_000), sampleRate: 48_000)
      if withClip { engine.commands.push(TimedCommand(at: 17_000, .playClip(clip.frames, gain: 1, tag: 7))) }
      let audio = render(engine, frames: 96_000)
      return (audio, drain(engine))
    }
    let plain = run(withClip: false)
    let voiced = run(withClip: true)
    #expect(plain.events.filter(\.isStep) == voiced.events.filter(\.isStep))
    #expect(voiced.events.filter { !$0.isStep }.map(\.kind) == [.clipStarted, .clipFinished])
    #expect(voiced.events.filter { !$0.isStep }.map(\.frame) == [17_000, 47_000])
    // Outside the clip the two renders are identical; inside, clip + click.
    #expect(plain.audio[0..<17_000] == voiced.audio[0..<17_000])
    #expect(plain.audio[47_000...] == voiced.audio[47_000...])
    #expect(voiced.audio[33_882] == plain.audio[33_882] + 0.01)  // a click inside the clip
  }
}

@Suite struct SPSCRingTests {
  @Test func fifoAndCapacity() {
    let ring = SPSCRing<Int>(capacity: 3)
    #expect(ring.capacity == 4)
    for i in 0..<4 { #expect(ring.push(i)) }
    #expect(!ring.push(99))
    #expect(ring.peek() == 0)
    #expect(ring.pop() == 0)
    #expect(ring.push(4))
    #expect([ring.pop(), ring.pop(), ring.pop(), ring.pop(), ring.pop()] == [1, 2, 3, 4, nil])
  }

  @Test func oneProducerOneConsumerAcrossThreads() async {
    let ring = SPSCRing<Int>(capacity: 64)
    let count = 200_000
    async let produced: Void = Task.detached {
      var i = 0
      while i < count { if ring.push(i) { i += 1 } else { await Task.yield() } }
    }.value
    var expected = 0
    var inOrder = true
    while expected < count {
      if let v = ring.pop() {
        inOrder = inOrder && v == expected
        expected += 1
      } else {
        await Task.yield()
      }
    }
    await produced
    #expect(inOrder)
  }
}

@Suite struct CutoverTests {
  @Test func aCutoverReplacesTheScheduleFromItsFrame() {
    let engine = ClickEngine(sampleRate: 48_000, sound: impulseSound(), settings: ClickSettings(spm: 180, gain: 1))
    // The original schedule: mute at 40000, unmute at 100000, slow down at 120000.
    engine.commands.push(TimedCommand(at: 40_000, .setMuted(true)))
    engine.commands.push(TimedCommand(at: 100_000, .setMuted(false)))
    engine.commands.push(TimedCommand(at: 120_000, .setCadence(160)))
    var audio = render(engine, frames: 60_000)
    // From 70000: a new tempo now, then unmute at 90000; the old unmute and slow-down are gone.
    let g = engine.cutover(from: 70_000)
    engine.commands.push(TimedCommand(at: 70_000, .startTempo(from: 200, to: 200, frames: 0), generation: g))
    engine.commands.push(TimedCommand(at: 90_000, .setMuted(false), generation: g))
    audio += render(engine, frames: 100_000)
    // 180 spm: 0, 16000, 32000 heard; muted from 40000; 200 spm from 70000 (14400 apart),
    // heard from 90000: 98800, 113200, 127600, 142000, 156400.
    #expect(onsets(audio) == [0, 16_000, 32_000, 98_800, 113_200, 127_600, 142_000, 156_400])
  }
}
