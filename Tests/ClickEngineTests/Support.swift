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

/// Frames where a sound starts: non-zero after at least `gap` silent frames.
func onsets(_ audio: [Float], gap: Int = 8) -> [Int] {
  var result: [Int] = []
  var silent = gap
  for (i, x) in audio.enumerated() {
    if x != 0 {
      if silent >= gap { result.append(i) }
      silent = 0
    } else {
      silent += 1
    }
  }
  return result
}

func drain(_ engine: ClickEngine) -> [EngineEvent] {
  var events: [EngineEvent] = []
  while let e = engine.events.pop() { events.append(e) }
  return events
}
