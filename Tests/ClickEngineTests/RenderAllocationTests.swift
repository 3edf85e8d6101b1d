import AllocationCounter
import AudioTestSupport
import CadenceCore
import Testing

@testable import ClickEngine

/// The render contract: not one heap allocation (or free) on the rendering thread, whatever
/// the commands, clips and voice stealing going on.
@Suite struct RenderAllocationTests {
  @Test func renderNeverAllocates() {
    let engine = ClickEngine(
      sampleRate: 48_000, sound: impulseSound(), settings: ClickSettings(spm: 170, accentEvery: 4))
    let clip = Sample([Float](repeating: 0.1, count: 20_000), sampleRate: 48_000)
    let block = UnsafeMutableBufferPointer<Float>.allocate(capacity: 256)
    defer { block.deallocate() }
    engine.render(block)  // first call outside the count: lazy runtime set-up is not render's

    var allocations = 0
    for round in 0..<20 {
      // Control side (not counted): a tempo change, a ramp, a clip, every and accent changes.
      engine.commands.push(TimedCommand(.setCadence(170 + Double(round))))
      engine.commands.push(TimedCommand(.ramp(to: 180, frames: 48_000)))
      engine.commands.push(TimedCommand(.playClip(clip.frames, gain: 0.5, tag: Int32(round + 1))))
      engine.commands.push(TimedCommand(.setEvery(round % 2 == 0 ? 2 : 1)))
      engine.commands.push(TimedCommand(.setMuted(round % 5 == 4)))
      // A session's schedule: a new grid on a frame ahead, then a cutover that replaces it.
      let ahead = engine.framesRendered + 48_000
      engine.commands.push(TimedCommand(at: ahead, .startTempo(from: 165, to: 172, frames: 96_000)))
      let generation = engine.cutover(from: ahead - 24_000)
      engine.commands.push(TimedCommand(at: ahead - 24_000, .setEvery(4), generation: generation))
      CCadenceAlloc_begin()
      for _ in 0..<1_875 { engine.render(block) }  // 10 s a round, 200 s in all
      allocations += CCadenceAlloc_end()
      _ = drain(engine)
    }
    #expect(allocations == 0)
    #expect(engine.framesRendered == 256 * (1 + 20 * 1_875))
  }

  @Test func theCounterCountsAllocations() {
    // Proves the counter can fail: an Array growing on this thread is seen.
    CCadenceAlloc_begin()
    var grown: [Int] = []
    for i in 0..<100 { grown.append(i) }
    let counted = CCadenceAlloc_end()
    #expect(grown.count == 100)
    #expect(counted > 0)
  }
}
