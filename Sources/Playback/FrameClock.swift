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
/// null PCM runs as fast as it is fed, and frames from it cannot be placed in time.
public final class FrameClock: @unchecked Sendable {
  private let sequence = Atomic<Int>(0)
  private let frame = Atomic<Int64>(0)
  private let nanos = Atomic<Int64>(0)
  private let firstFrame = Atomic<Int64>(-1)
  private let firstNanos = Atomic<Int64>(0)
  public let sampleRate: Double

  public init(sampleRate: Double) {
    self.sampleRate = sampleRate
  }

  /// Audio thread: the stream is at `frame` now.
  public func publish(frame value: Int64, nanos time: Int64 = FrameAnchor.now()) {
    if firstFrame.load(ordering: .relaxed) < 0 {
      firstNanos.store(time, ordering: .relaxed)
      firstFrame.store(value, ordering: .relaxed)
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

  /// True once the stream has run a second and its frames kept to the clock within 2%.
  public var isPaced: Bool {
    guard let latest = anchor, firstFrame.load(ordering: .relaxed) >= 0 else { return false }
    let seconds = Double(latest.nanos - firstNanos.load(ordering: .relaxed)) / 1e9
    guard seconds >= 1 else { return false }
    let frames = Double(latest.frame - firstFrame.load(ordering: .relaxed))
    return abs(frames / (seconds * sampleRate) - 1) <= 0.02
  }
}

/// Where a playback frame is heard in a capture stream: both streams' anchors put it on the
/// monotonic clock. Nil unless both streams are paced.
public func captureFrame(ofPlayback frame: Int64, playback: FrameClock, capture: FrameClock) -> Int64? {
  guard playback.isPaced, capture.isPaced, let p = playback.anchor, let c = capture.anchor else { return nil }
  let heardAt = Double(p.nanos) / 1e9 + Double(frame - p.frame) / playback.sampleRate
  let seconds = heardAt - Double(c.nanos) / 1e9
  return c.frame + Int64((seconds * capture.sampleRate).rounded())
}
