import AudioTestSupport
import ClickEngine

/// A click whose first frame is its loudest, so an onset is the first non-zero frame after
/// silence; accents are negative so they can be told apart.
func impulseSound(rate: Double = 48_000) -> ClickSound {
  ClickSound(
    name: "impulse",
    normal: Sample([0.5, 0.25, 0.125], sampleRate: rate),
    accent: Sample([-0.9, -0.45], sampleRate: rate))
}

func render(_ engine: ClickEngine, frames: Int, block: Int = 4096) -> [Float] {
  var out: [Float] = []
  out.reserveCapacity(frames)
  renderOffline(engine, frames: Int64(frames), blockFrames: block) { out.append(contentsOf: $0) }
  return out
}

func drain(_ engine: ClickEngine) -> [EngineEvent] {
  var events: [EngineEvent] = []
  while let e = engine.events.pop() { events.append(e) }
  return events
}
