import Glibc
import Synchronization

/// A stream's frame at a moment of the monotonic clock: the frame the listener hears now (a
/// playback stream) or the frame the microphone takes now (a capture stream).
public struct FrameAnchor: Equatable, Sendable {
  public var frame: Int64
  public var nanos: Int64

  public init(frame: Int64, nanos: Int64) {
    self.frame = frame
    self.nanos = nanos
  }

  /// The monotonic clock now, in nanoseconds (vDSO: no system call, no allocation).
  public static func now() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
  }
}

/// The latest anchor of a stream, written by its audio thread after each period and read by the
/// control thread, without a lock: a sequence count around the two values (odd while writing),
/// which the reader checks before and after. The writer never waits; a reader that meets a
/// write in progress tries again (at most a few times) or goes without.
///
/// It also says whether the stream is paced: a device plays or records in real time, a file or
/// null PCM runs as fast as it is fed, and frames from it cannot be placed in time. Judged on
/// recent stretches, not from the start: a stream's first moments (a buffer filled at once, a
/// server's first burst) say nothing about how it runs.
public final class FrameClock: @unchecked Sendable {
  private let sequence = Atomic<Int>(0)
  private let frame = Atomic<Int64>(0)
  private let nanos = Atomic<Int64>(0)
  private let paced = Atomic<Bool>(false)
  /// The writer's last reference point (audio thread only): pacing is judged over each
  /// stretch of at least `pacingSeconds`.
  private var reference: FrameAnchor?
  public let sampleRate: Double
  /// Pacing is judged over stretches this long: a plugin that delivers in bursts of a period
  /// (21 ms at 1,024 frames) moves a 2 s stretch by about 1%.
  public static let pacingSeconds = 2.0
  /// ... and a stream that keeps to the clock within this share is paced.
  public static let pacingTolerance = 0.03

  public init(sampleRate: Double) {
    self.sampleRate = sampleRate
  }

  /// Audio thread: the stream is at `frame` now.
  public func publish(frame value: Int64, nanos time: Int64 = FrameAnchor.now()) {
    if let reference {
      let seconds = Double(time - reference.nanos) / 1e9
      if seconds >= Self.pacingSeconds {
        let frames = Double(value - reference.frame)
        paced.store(abs(frames / (seconds * sampleRate) - 1) <= Self.pacingTolerance, ordering: .relaxed)
        self.reference = FrameAnchor(frame: value, nanos: time)
      }
    } else {
      reference = FrameAnchor(frame: value, nanos: time)
    }
    let s = sequence.load(ordering: .relaxed)
    sequence.store(s &+ 1, ordering: .relaxed)
    atomicMemoryFence(ordering: .releasing)
    frame.store(value, ordering: .relaxed)
    nanos.store(time, ordering: .relaxed)
    sequence.store(s &+ 2, ordering: .releasing)
  }

  /// The latest anchor, or nil before the first or while writes keep overlapping the read.
  public var anchor: FrameAnchor? {
    for _ in 0..<4 {
      let before = sequence.load(ordering: .acquiring)
      if before == 0 { return nil }
      if before & 1 == 1 { continue }
      let value = FrameAnchor(frame: frame.load(ordering: .relaxed), nanos: nanos.load(ordering: .relaxed))
      atomicMemoryFence(ordering: .acquiring)
      if sequence.load(ordering: .relaxed) == before { return value }
    }
    return nil
  }

  /// True when over the last stretch of 2 s the stream's frames kept to the clock within 3%
  /// (false for the first 2 s: not yet known).
  public var isPaced: Bool { paced.load(ordering: .relaxed) }
}

/// Where a playback frame is heard in a capture stream: both streams' anchors put it on the
/// monotonic clock. Nil unless both streams are paced.
public func captureFrame(ofPlayback frame: Int64, playback: FrameClock, capture: FrameClock) -> Int64? {
  guard playback.isPaced, capture.isPaced, let p = playback.anchor, let c = capture.anchor else { return nil }
  let heardAt = Double(p.nanos) / 1e9 + Double(frame - p.frame) / playback.sampleRate
  let seconds = heardAt - Double(c.nanos) / 1e9
  return c.frame + Int64((seconds * capture.sampleRate).rounded())
}
