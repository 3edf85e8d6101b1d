import ALSA
import AudioTestSupport
import CadenceCore
import ClickEngine
import Foundation
import Testing

@testable import Playback

/// A device that takes at most `chunk` frames a write, asks the loop to wait every other
/// call, and reports an underrun on the third write: the paths a real PCM takes.
final class ScriptedOutput: PCMOutput {
  var configuration: PCMConfiguration? = PCMConfiguration(
    sampleRate: 48_000, channels: 1, format: .float32, periodFrames: 120, bufferFrames: 480)
  var received: [Float] = []
  var writes = 0
  var recovered: [Int32] = []
  var waits = 0
  let chunk: Int
  init(chunk: Int) { self.chunk = chunk }

  func write(_ bytes: UnsafeRawPointer, frames: Int) -> Int {
    writes += 1
    if writes == 3 { return Int(ALSAError.underrun) }
    if writes % 2 == 0 { return Int(ALSAError.again) }
    let n = min(chunk, frames)
    received += UnsafeBufferPointer(start: bytes.assumingMemoryBound(to: Float.self), count: n)
    return n
  }
  func available() -> Int { 480 }
  func recover(from code: Int32) throws(ALSAError) { recovered.append(code) }
  func wait(stopFD: Int32, timeoutMilliseconds: Int32) -> PCM.Wake {
    waits += 1
    return .writable
  }
  func delay() -> Int { 0 }
  func drain() {}
  func drop() {}
}

@Suite struct PlayerTests {
  @Test func underrunsAreRecoveredCountedAndLoseNothing() throws {
    let settings = ClickSettings(spm: 173.5, gain: 1)
    let engine = ClickEngine(sampleRate: 48_000, sound: impulseSound(), settings: settings)
    let output = ScriptedOutput(chunk: 50)
    let player = try Player(engine: engine, output: output, frameLimit: 48_000)
    try player.start(realtimePriority: nil)
    let summary = player.wait()
    #expect(summary.xruns == 1)
    #expect(output.recovered == [ALSAError.underrun])
    #expect(summary.framesWritten == 48_000 && summary.error == nil)

    let reference = ClickEngine(sampleRate: 48_000, sound: impulseSound(), settings: settings)
    var expected: [Float] = []
    renderOffline(reference, frames: 48_000) { expected += $0 }
    #expect(output.received == expected)
  }

  @Test func endAtBringsTheEndForwardAndNeverBack() throws {
    let engine = ClickEngine(sampleRate: 48_000, sound: impulseSound(), settings: ClickSettings(spm: 170))
    let player = try Player(engine: engine, output: ScriptedOutput(chunk: 50), frameLimit: 48_000)
    player.endAt(9_600)
    player.endAt(20_000)  // later than the end already set: ignored
    #expect(player.frameLimit == 9_600)
    try player.start(realtimePriority: nil)
    #expect(player.wait().framesWritten == 9_600)
  }

  /// A schedule fed a bounded horizon ahead: the thread stops where the fed commands end,
  /// says so on `starvedFD`, and goes on once the control side feeds further.
  @Test func thePlayerNeverRendersPastTheSchedule() throws {
    let engine = ClickEngine(sampleRate: 48_000, sound: impulseSound(), settings: ClickSettings(spm: 170))
    engine.markScheduled(until: 4_800)
    let player = try Player(engine: engine, output: ScriptedOutput(chunk: 50), frameLimit: 48_000)
    try player.start(realtimePriority: nil)
    var starved = pollfd(fd: player.starvedFD, events: Int16(POLLIN), revents: 0)
    #expect(poll(&starved, 1, 5_000) == 1)
    #expect(player.framesWritten == 4_800 && engine.framesRendered == 4_800)
    #expect(player.scheduleWaits > 0)
    engine.markScheduled(until: .max)
    #expect(player.wait().framesWritten == 48_000)
  }

  @Test func anUnrecoverableErrorEndsPlaybackWithIt() throws {
    final class Failing: PCMOutput {
      var configuration: PCMConfiguration? = PCMConfiguration(
        sampleRate: 48_000, channels: 1, format: .s16, periodFrames: 64, bufferFrames: 256)
      func write(_ bytes: UnsafeRawPointer, frames: Int) -> Int { Int(-ENODEV) }
      func available() -> Int { 256 }
      func recover(from code: Int32) throws(ALSAError) {}
      func wait(stopFD: Int32, timeoutMilliseconds: Int32) -> PCM.Wake { .writable }
      func delay() -> Int { 0 }
      func drain() {}
      func drop() {}
    }
    let engine = ClickEngine(sampleRate: 48_000, sound: impulseSound(), settings: ClickSettings(spm: 170))
    let player = try Player(engine: engine, output: Failing())
    try player.start(realtimePriority: nil)
    let summary = player.wait()
    #expect(summary.error == ALSAError(code: -ENODEV, function: "snd_pcm_writei"))
    #expect(summary.framesWritten == 0)
  }

  /// A device paced by the clock whose descriptor always says "ready", full or not: what the
  /// PipeWire 0.3.65 plugin's eventfd does when its descriptors are not asked for anew. The
  /// loop must not spin on it: about one wake-up a period, never a busy loop.
  @Test func aDescriptorThatIsAlwaysReadyDoesNotMakeTheLoopSpin() throws {
    final class LyingDescriptor: PCMOutput {
      let rate = 48_000
      let buffer = 1_920
      var configuration: PCMConfiguration? = PCMConfiguration(
        sampleRate: 48_000, channels: 1, format: .float32, periodFrames: 480, bufferFrames: 1_920)
      private var written = 0
      private var started: UInt64?
      private(set) var polls = 0
      /// Frames the "device" has played by now: wall-clock paced once started.
      private var consumed: Int {
        guard let started else { return 0 }
        return min(written, Int((DispatchTime.now().uptimeNanoseconds - started) * UInt64(rate) / 1_000_000_000))
      }
      func available() -> Int { buffer - (written - consumed) }
      func write(_ bytes: UnsafeRawPointer, frames: Int) -> Int {
        let n = min(frames, available())
        if n <= 0 { return Int(ALSAError.again) }
        written += n
        if started == nil && written >= buffer { started = DispatchTime.now().uptimeNanoseconds }
        return n
      }
      func wait(stopFD: Int32, timeoutMilliseconds: Int32) -> PCM.Wake {
        polls += 1
        return .notReady  // woke at once, as the readable eventfd does, without room
      }
      func recover(from code: Int32) throws(ALSAError) {}
      func delay() -> Int { written - consumed }
      func drain() {}
      func drop() {}
    }
    let engine = ClickEngine(sampleRate: 48_000, sound: impulseSound(), settings: ClickSettings(spm: 170))
    let output = LyingDescriptor()
    // 0.5 s of audio: 50 periods of 10 ms.
    let player = try Player(engine: engine, output: output, frameLimit: 24_000)
    try player.start(realtimePriority: nil)
    let summary = player.wait()
    #expect(summary.framesWritten == 24_000 && summary.error == nil)
    // Every wait polls the lying descriptor once at most, then sleeps for the missing frames
    // (a sleep that overshoots leaves the next period nothing to wait for).
    #expect(summary.wakeups <= 3 * 50, "\(summary.wakeups) wake-ups for 50 periods")
    #expect(output.polls <= 50 + 4, "\(output.polls) polls of the device")
  }

  @Test func stopEndsAnEndlessRun() throws {
    let engine = ClickEngine(sampleRate: 48_000, sound: impulseSound(), settings: ClickSettings(spm: 170))
    let output = ScriptedOutput(chunk: 1_000)
    let player = try Player(engine: engine, output: output)
    try player.start(realtimePriority: nil)
    while player.framesWritten < 48_000 { usleep(1_000) }
    player.stop()
    let summary = player.wait()
    #expect(summary.framesWritten >= 48_000)
    #expect(summary.framesWritten == Int64(output.received.count))
  }

  @Test func throughARealFilePCMTheOnsetsAreExact() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cadence-playback-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("play.raw").path
    let config = """
      pcm.capture { type file slave.pcm { type null } file "\(path)" format "raw" }
      """
    for format in [SampleFormat.s16, .s32, .float32] {
      do {
        let pcm = try PCM(name: "capture", configText: config)
        var request = PCMRequest()
        request.formats = [format]
        request.channels = 2
        try pcm.configure(request)
        let engine = ClickEngine(
          sampleRate: 48_000, sound: impulseSound(), settings: ClickSettings(spm: 173.5, gain: 1))
        let player = try Player(engine: engine, output: pcm, frameLimit: 48_000 * 30)
        try player.start()
        let summary = player.wait()
        #expect(summary.xruns == 0 && summary.framesPlayed == 48_000 * 30)
      }
      let data = try Data(contentsOf: URL(fileURLWithPath: path))
      let left: [Float] = data.withUnsafeBytes { raw in
        switch format {
        case .s16:
          raw.bindMemory(to: Int16.self).enumerated().filter { $0.offset % 2 == 0 }.map { Float($0.element) / 32767 }
        case .s32: raw.bindMemory(to: Int32.self).enumerated().filter { $0.offset % 2 == 0 }.map { Float($0.element) }
        case .float32: raw.bindMemory(to: Float.self).enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        }
      }
      #expect(left.count == 48_000 * 30, "\(format)")
      let grid = TempoSegment(origin: 0, spm: 173.5, sampleRate: 48_000)
      let expected = (0..<87).map { Int(grid.frame(ofBeat: $0)) }  // 86.75 steps in 30 s
      #expect(onsets(left) == expected, "\(format)")
    }
  }
}

@Suite struct ConversionTests {
  @Test func monoToInterleavedDeviceSamples() {
    let source: [Float] = [0, 0.5, -0.5, 1, -1, 2]
    var s16 = [Int16](repeating: 0, count: 12)
    s16.withUnsafeMutableBytes { convertMono(source, frames: 6, to: .s16, channels: 2, into: $0.baseAddress!) }
    #expect(s16 == [0, 0, 16_384, 16_384, -16_384, -16_384, 32_767, 32_767, -32_767, -32_767, 32_767, 32_767])
    var s32 = [Int32](repeating: 0, count: 6)
    s32.withUnsafeMutableBytes { convertMono(source, frames: 6, to: .s32, channels: 1, into: $0.baseAddress!) }
    #expect(s32 == [0, 1_073_741_824, -1_073_741_824, 2_147_483_647, -2_147_483_647, 2_147_483_647])
    var f = [Float](repeating: 0, count: 6)
    f.withUnsafeMutableBytes { convertMono(source, frames: 6, to: .float32, channels: 1, into: $0.baseAddress!) }
    #expect(f == [0, 0.5, -0.5, 1, -1, 1])
  }
}

@Suite struct LostDeviceTests {
  /// A device that fails every write and every recovery "succeeds" (the PipeWire plugin after
  /// its server died): the loop gives up after five recoveries in a row instead of spinning
  /// at real-time priority, and ends with the error.
  @Test(.timeLimit(.minutes(1))) func endlessUnderrunsWithoutAFramePlayedEndPlayback() throws {
    final class Dead: PCMOutput {
      var configuration: PCMConfiguration? = PCMConfiguration(
        sampleRate: 48_000, channels: 1, format: .float32, periodFrames: 256, bufferFrames: 1_024)
      var recoveries = 0
      var writes = 0
      func write(_ bytes: UnsafeRawPointer, frames: Int) -> Int {
        writes += 1
        return writes <= 2 ? frames : Int(ALSAError.underrun)
      }
      func available() -> Int { 1_024 }
      func recover(from code: Int32) throws(ALSAError) { recoveries += 1 }
      func wait(stopFD: Int32, timeoutMilliseconds: Int32) -> PCM.Wake { .writable }
      func delay() -> Int { 0 }
      func drain() {}
      func drop() {}
    }
    let device = Dead()
    let engine = ClickEngine(sampleRate: 48_000, sound: impulseSound(), settings: ClickSettings(spm: 170))
    engine.markScheduled(until: .max)
    let player = try Player(engine: engine, output: device)
    try player.start(realtimePriority: nil)
    let summary = player.wait()
    #expect(device.recoveries == 5 && summary.xruns == 6 && summary.framesWritten == 512)
    #expect(
      summary.error
        == ALSAError(code: ALSAError.underrun, function: "snd_pcm_recover, 5 times in a row without a frame played"))
  }

  /// A player that takes over from one whose device was lost counts on the engine's timeline.
  @Test func aPlayerStartsWhereTheEngineIs() throws {
    let engine = ClickEngine(sampleRate: 48_000, sound: impulseSound(), settings: ClickSettings(spm: 170))
    engine.markScheduled(until: .max)
    var scratch = [Float](repeating: 0, count: 1_000)
    scratch.withUnsafeMutableBufferPointer { engine.render($0) }
    let player = try Player(engine: engine, output: ScriptedOutput(chunk: 480), frameLimit: 5_000)
    #expect(player.framesWritten == 1_000 && player.framesHeard == 1_000)
    try player.start(realtimePriority: nil)
    let summary = player.wait()
    #expect(summary.framesWritten == 5_000 && engine.framesRendered == 5_000)
  }
}
