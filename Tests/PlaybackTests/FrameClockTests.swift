import AllocationCounter
import Foundation
import Playback
import Testing

@Suite struct FrameClockTests {
  @Test func aStreamIsPacedOnlyWhenItsFramesKeepToTheClock() {
    let device = FrameClock(sampleRate: 48_000)
    #expect(device.anchor == nil && !device.isPaced)
    for tick in 0...30 {
      device.publish(frame: Int64(tick) * 4_800, nanos: 1_000_000_000 + Int64(tick) * 100_000_000)
    }
    #expect(device.isPaced)
    #expect(device.anchor == FrameAnchor(frame: 144_000, nanos: 4_000_000_000))
    // A file or null PCM: ten times real time.
    let file = FrameClock(sampleRate: 48_000)
    for tick in 0...30 { file.publish(frame: Int64(tick) * 48_000, nanos: Int64(tick) * 100_000_000) }
    #expect(!file.isPaced)
    // Under two seconds: not yet known.
    let young = FrameClock(sampleRate: 48_000)
    for tick in 0...15 { young.publish(frame: Int64(tick) * 4_800, nanos: Int64(tick) * 100_000_000) }
    #expect(!young.isPaced)
    // A first burst (a buffer filled at once) does not keep a device from being paced later.
    let burst = FrameClock(sampleRate: 48_000)
    burst.publish(frame: 0, nanos: 0)
    burst.publish(frame: 48_000, nanos: 10_000_000)
    for tick in 1...60 {
      burst.publish(frame: 48_000 + Int64(tick) * 4_800, nanos: 10_000_000 + Int64(tick) * 100_000_000)
    }
    #expect(burst.isPaced)
  }

  /// Playback heard from 10 s on the clock, capture taking frames from 10.25 s: playback
  /// frame 48,000 (heard at 11 s) is capture frame 36,000; at 44.1 kHz capture, 33,075.
  @Test func aPlaybackFrameIsPlacedInTheCaptureStream() throws {
    for (captureRate, expected) in [(48_000.0, Int64(36_000)), (44_100, 33_075)] {
      let playback = FrameClock(sampleRate: 48_000)
      let capture = FrameClock(sampleRate: captureRate)
      for tick in Int64(0)...30 {
        let nanos = 10_000_000_000 + tick * 100_000_000 + 250_000_000
        playback.publish(frame: 12_000 + tick * 4_800, nanos: nanos)
        capture.publish(frame: Int64(Double(tick) * 0.1 * captureRate), nanos: nanos)
      }
      #expect(captureFrame(ofPlayback: 48_000, playback: playback, capture: capture) == expected)
    }
    let unpaced = FrameClock(sampleRate: 48_000)
    #expect(captureFrame(ofPlayback: 0, playback: unpaced, capture: unpaced) == nil)
  }

  /// The player publishes on the real-time thread after every period: no allocation, no
  /// lock, over 10,000 periods (pacing judged every 2 s among them).
  @Test func publishingNeverAllocates() {
    let clock = FrameClock(sampleRate: 48_000)
    clock.publish(frame: 0, nanos: 0)
    CCadenceAlloc_begin()
    var period: Int64 = 1
    while period <= 10_000 {
      clock.publish(frame: period * 256, nanos: period * 5_333_333)
      period += 1
    }
    let allocations = CCadenceAlloc_end()
    #expect(allocations == 0)
    #expect(clock.isPaced)
  }

  /// One thread publishes pairs whose nanos are a function of the frame, another reads: a
  /// read never mixes two writes.
  @Test func aReaderNeverSeesHalfAWrite() async {
    let clock = FrameClock(sampleRate: 48_000)
    let done = ManagedAtomicFlag()
    let writer = Thread {
      var frame: Int64 = 1
      while !done.isSet {
        clock.publish(frame: frame, nanos: frame * 7)
        frame += 1
      }
    }
    writer.start()
    var reads = 0
    var torn = 0
    let until = Date().addingTimeInterval(0.5)
    while Date() < until {
      if let a = clock.anchor {
        reads += 1
        if a.nanos != a.frame * 7 { torn += 1 }
      }
    }
    done.set()
    #expect(reads > 1_000 && torn == 0, "\(reads) reads, \(torn) torn")
  }
}

/// A flag two threads share.
final class ManagedAtomicFlag: @unchecked Sendable {
  private let lock = NSLock()
  private var value = false
  var isSet: Bool { lock.withLock { value } }
  func set() { lock.withLock { value = true } }
}
