import AudioTestSupport
import ClickEngine

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
