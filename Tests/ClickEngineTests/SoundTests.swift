import AudioFile
import Foundation
import Testing

@testable import ClickEngine

let soundsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sounds").path

/// Share of a signal's energy between `low` and `high` Hz, by a plain DFT.
func bandEnergyShare(_ x: [Float], rate: Double, low: Double, high: Double) -> Double {
  let n = x.count
  var inBand = 0.0
  var total = 0.0
  for bin in 1..<(n / 2) {
    var re = 0.0
    var im = 0.0
    let w = 2 * Double.pi * Double(bin) / Double(n)
    for (i, v) in x.enumerated() {
      re += Double(v) * cos(w * Double(i))
      im -= Double(v) * sin(w * Double(i))
    }
    let energy = re * re + im * im
    let hz = Double(bin) * rate / Double(n)
    total += energy
    if hz >= low && hz <= high { inBand += energy }
  }
  return inBand / total
}

@Suite struct BuiltInSoundTests {
  @Test(arguments: ["woodblock", "beep", "hihat"])
  func shortSharpAndBright(name: String) throws {
    for variant in [name, name + "-accent"] {
      let audio = try readMonoAudio(path: "\(soundsDirectory)/\(variant).wav")
      #expect(audio.sampleRate == 48_000)
      #expect(audio.samples.count <= 48 * 60, "\(variant) is at most 60 ms")
      let peakAt = audio.samples.indices.max { abs(audio.samples[$0]) < abs(audio.samples[$1]) }!
      #expect(peakAt < 48 * 10, "\(variant) peaks within 10 ms: a sharp transient")
      let onsetPeak = audio.samples[0..<96].map(abs).max()!
      #expect(onsetPeak > 0.1, "\(variant) is loud within 2 ms: no slow swell")
      let share = bandEnergyShare(audio.samples, rate: 48_000, low: 1_800, high: 5_000)
      #expect(share > 0.6, "\(variant): \(share) of its energy near 2-4 kHz")
    }
    let normal = try readMonoAudio(path: "\(soundsDirectory)/\(name).wav").samples.map(abs).max()!
    let accent = try readMonoAudio(path: "\(soundsDirectory)/\(name)-accent.wav").samples.map(abs).max()!
    #expect(accent > normal, "the accent is louder")
  }

  @Test func synthesizedFallbackIsBrightToo() {
    let click = ClickSynth.woodblock(sampleRate: 48_000, accent: false)
    #expect(click.count == 1_920)
    #expect(bandEnergyShare(click, rate: 48_000, low: 1_800, high: 5_000) > 0.8)
  }
}

@Suite struct ResamplerTests {
  @Test func keepsPitchAndLength() throws {
    let tone = (0..<4_410).map { Float(sin(2 * Double.pi * 1_000 * Double($0) / 44_100)) }
    let out = try resample(tone, from: 44_100, to: 48_000)
    #expect(out.count == 4_800)
    // A 1 kHz tone crosses zero upwards 1000 times a second: 100 in 0.1 s, give or take the edges.
    var upward = 0
    for i in 1..<out.count where out[i - 1] < 0 && out[i] >= 0 { upward += 1 }
    #expect((99...100).contains(upward))
    // Steady-state amplitude survives (the edges ring; the middle must not).
    let middle = out[1_000..<3_800].map(abs).max()!
    #expect(abs(middle - 1) < 0.01)
  }

  @Test func sameRateIsIdentity() throws {
    #expect(try resample([1, 2, 3], from: 48_000, to: 48_000) == [1, 2, 3])
  }

  /// A file is decoded, mixed and resampled in 4,096-frame blocks: the result is the one-shot
  /// conversion of the mixed signal, whatever the blocks.
  @Test func aFileResampledInBlocksEqualsTheWholeConversion() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("resample-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("chirp.wav").path
    let count = 44_100  // 1 s: ten and a bit blocks
    let chirp = (0..<count).map {
      Float(0.5 * sin(2 * Double.pi * (200 + 4_000 * Double($0) / 44_100) * Double($0) / 44_100))
    }
    let writer = try AudioFileWriter(path: path, format: .wav, sampleRate: 44_100)
    try chirp.withUnsafeBufferPointer { try writer.write($0) }
    try writer.finish()
    let whole = try resample(try readMonoAudio(path: path).samples, from: 44_100, to: 48_000)
    let streamed = try readMonoAudio(path: path, sampleRate: 48_000)
    #expect(streamed.sampleRate == 48_000)
    #expect(streamed.samples.count == whole.count && abs(whole.count - 48_000) <= 1)
    #expect(zip(streamed.samples, whole).map { abs($0 - $1) }.max()! < 1e-6)
  }
}

@Suite struct LongWavTests {
  /// A 16-bit mono WAV's data size is a 32-bit field: past 2,147,483,135 frames it is RF64.
  @Test func aWavOverFourGibibytesIsRF64() throws {
    #expect(!OutputFileFormat.needsRF64(frames: 2_147_483_135))
    #expect(OutputFileFormat.needsRF64(frames: 2_147_483_136))
    // 600 minutes at 192 kHz, the longest render: RF64.
    #expect(OutputFileFormat.needsRF64(frames: 600 * 60 * 192_000))
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rf64-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for (frames, magic) in [(Int64(48_000), "RIFF"), (Int64(2_147_483_136), "RF64")] {
      let path = dir.appendingPathComponent("\(magic).wav").path
      let writer = try AudioFileWriter(path: path, format: .wav, sampleRate: 48_000, frames: frames)
      try [Float](repeating: 0.5, count: 480).withUnsafeBufferPointer { try writer.write($0) }
      try writer.finish()
      let head = try Data(contentsOf: URL(fileURLWithPath: path)).prefix(4)
      #expect(String(decoding: head, as: UTF8.self) == magic)
      #expect(try readMonoAudio(path: path).samples.count == 480)
    }
  }
}

/// The sound-file loader on mutated files: flipped and random bytes, cuts, and header fields
/// (rate, channels, sizes) set to hostile values. Each load gives at most 10 s of audio at the
/// asked rate, or an error; never a crash, a hang or a huge allocation.
@Suite struct SoundFileFuzzTests {
  @Test(arguments: ["wav", "flac"]) func mutatedSoundFilesNeverCrash(format: String) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sound-fuzz-\(getpid())-\(format)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let seedPath = dir.appendingPathComponent("seed.\(format)").path
    let writer = try AudioFileWriter(path: seedPath, format: format == "wav" ? .wav : .flac, sampleRate: 44_100)
    let click = (0..<2_000).map { Float(sin(Double($0) / 7)) * Float(exp(-Double($0) / 400)) }
    try click.withUnsafeBufferPointer { try writer.write($0) }
    try writer.finish()
    let seed = [UInt8](try Data(contentsOf: URL(fileURLWithPath: seedPath)))
    var state: UInt64 = format == "wav" ? 0x5EED : 0xF1AC
    func below(_ n: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(max(n, 1)))
    }
    let hostile: [UInt32] = [0, 1, 7, 0xFFFF_FFFF, 0x7FFF_FFFF, 384_001, 1_000_000_000]
    var loaded = 0
    for round in 0..<200 {
      var bytes = seed
      for _ in 0..<(1 + below(4)) {
        switch below(4) {
        case 0: bytes[below(min(bytes.count, 64))] = UInt8(below(256))  // the header
        case 1: bytes[below(bytes.count)] ^= UInt8(1 << below(8))
        case 2: bytes = Array(bytes.prefix(max(1, below(bytes.count + 1))))
        default:
          // A 32-bit header field (WAV: rate at 24, sizes at 4 and 40; FLAC: the STREAMINFO).
          let at = [4, 22, 24, 28, 40, 18, 21][below(7)]
          if at + 4 <= bytes.count {
            let value = hostile[below(hostile.count)]
            for k in 0..<4 { bytes[at + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(k))) }
          }
        }
      }
      let path = dir.appendingPathComponent("m\(round).\(format)").path
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      if let audio = try? readMonoAudio(path: path, maxSeconds: 10, sampleRate: 48_000) {
        loaded += 1
        #expect(audio.samples.count <= 480_100 && audio.samples.allSatisfy(\.isFinite))
      }
      try? FileManager.default.removeItem(atPath: path)
    }
    #expect(loaded > 0)
  }
}
