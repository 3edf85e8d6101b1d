import ClickEngine
import Playback

/// Playback without a device: what is rendered is heard at once.
final class OfflinePosition: PlaybackPosition {
  let engine: ClickEngine
  let periodFrames: Int
  private(set) var end: Int64?

  init(_ engine: ClickEngine, periodFrames: Int) {
    self.engine = engine
    self.periodFrames = periodFrames
  }

  var framesHeard: Int64 { engine.framesRendered }
  func endAt(_ frame: Int64) { end = min(end ?? .max, frame) }
  func moveEnd(to frame: Int64) { end = frame }
}

/// Where a run rendered to a file says nothing.
public final class SilentOutput: RunOutput {
  public init() {}
  public func line(_ text: String) {}
  public func screen(_ text: String) {}
}

extension LiveRun {
  /// Renders the whole run to its planned end without a device, in blocks of `blockFrames`,
  /// ticking every `tickFrames` as the control loop does while playing: the timeline fed a
  /// horizon ahead, the cue clips at their frames. So a file holds what a device would play.
  /// The run must have a planned end.
  public func renderOffline<E: Error>(
    blockFrames: Int = 4_096, tickFrames: Int64 = 4_800, _ write: (UnsafeBufferPointer<Float>) throws(E) -> Void
  ) throws(E) -> RunOutcome {
    let end = plannedEnd ?? 0
    let position = OfflinePosition(engine, periodFrames: blockFrames)
    attach(position)
    var buffer = [Float](repeating: 0, count: blockFrames)
    var frame: Int64 = 0
    var nextTick = tickFrames
    while frame < end {
      try buffer.withUnsafeMutableBufferPointer { all throws(E) in
        let count = renderScheduled(all, until: end)
        try write(UnsafeBufferPointer(rebasing: all[0..<count]))
      }
      frame = engine.framesRendered
      if frame >= nextTick {
        tick()
        nextTick = (frame / tickFrames + 1) * tickFrames
      }
    }
    return finish(PlaybackSummary(framesWritten: frame, framesPlayed: frame, xruns: 0))
  }

  /// Renders into the start of `buffer` (the control thread, no player running): the schedule
  /// handed over first, then never past `end` nor past what it reaches, the ring emptying as the
  /// engine renders; at least one frame, so that nothing can stall it. Call it only short of
  /// `end`. Returns how many.
  func renderScheduled(_ buffer: UnsafeMutableBufferPointer<Float>, until end: Int64) -> Int {
    feedSchedule()
    let rendered = engine.framesRendered
    var count = Int(min(Int64(buffer.count), end - rendered))
    if engine.scheduledUntil < rendered + Int64(count) {
      count = max(1, Int(min(Int64(count), engine.scheduledUntil - rendered)))
    }
    engine.render(UnsafeMutableBufferPointer(rebasing: buffer[0..<count]))
    return count
  }
}
