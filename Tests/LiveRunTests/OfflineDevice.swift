import ClickEngine
import LiveRun
import Playback
import Testing

/// Playback without a device: what is rendered is heard at once.
final class OfflineDevice: PlaybackPosition {
  let engine: ClickEngine
  let periodFrames = 256
  private(set) var end: Int64?

  init(_ engine: ClickEngine) { self.engine = engine }

  var framesHeard: Int64 { engine.framesRendered }
  func endAt(_ frame: Int64) { end = min(end ?? .max, frame) }
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
  _ run: LiveRun, keys: [(at: Int64, key: Key)] = [], tickFrames: Int64 = 4_800, limit: Int64 = .max
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
