import ALSA
import Testing

@testable import Playback

@Suite struct LatencyPolicyTests {
  @Test func aSoundCardGetsTenMilliseconds() {
    let choice = LatencyPolicy.choose(for: .hardware, milliseconds: nil)
    #expect(choice.request.latencyMicroseconds == 10_000)
    #expect(choice.request.periodsPerBuffer == 4 && choice.request.periodFrames == nil)
    #expect(choice.reason == "a sound card takes a short buffer: 10 ms in 4 periods")
    #expect(LatencyPolicy.choose(for: .other("Null PCM"), milliseconds: nil).request.latencyMicroseconds == 10_000)
  }

  @Test func aSoundServerGetsItsOwnQuantum() {
    for kind in [DeviceKind.pipeWire, .pulseAudio, .otherServer("ALSA <-> BlueALSA PCM I/O Plugin")] {
      let choice = LatencyPolicy.choose(for: kind, milliseconds: nil)
      #expect(choice.request.periodFrames == 1024, "\(kind)")
      #expect(choice.request.latencyMicroseconds == 85_333, "\(kind)")
      #expect(
        choice.reason
          == "\(kind) is a sound server: 4 periods of 21 ms (its usual quantum, 1024 frames at 48 kHz), 85 ms in all, "
          + "so it is not forced to run its graph faster; a tempo change lands on the first beat not yet queued",
        "\(choice.reason)")
    }
    // At 44.1 kHz the period keeps its length in time.
    #expect(LatencyPolicy.choose(for: .pipeWire, milliseconds: nil, sampleRate: 44_100).request.periodFrames == 940)
  }

  @Test func jackKeepsItsPeriod() {
    let choice = LatencyPolicy.choose(for: .jack, milliseconds: nil)
    #expect(choice.request.latencyMicroseconds == 20_000 && choice.request.periodFrames == nil)
    #expect(choice.reason == "JACK sets the period itself; about 20 ms in 4 of its periods")
  }

  @Test func latencyOverridesThePolicy() {
    let choice = LatencyPolicy.choose(for: .pipeWire, milliseconds: 10)
    #expect(choice.request.latencyMicroseconds == 10_000 && choice.request.periodFrames == nil)
    #expect(choice.reason == "buffer 10 ms as asked (--latency or the config's latency)")
    #expect(LatencyPolicy.choose(for: .hardware, milliseconds: 2.5).reason.hasPrefix("buffer 2.5 ms as asked"))
  }
}
