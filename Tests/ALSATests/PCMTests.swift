import Foundation
import Testing

@testable import ALSA

/// An ALSA configuration with a `file` PCM over `null` (captures exactly what libasound passes
/// on) and a plug in front of it that forces 16-bit stereo.
func captureConfig(_ path: String) -> String {
  """
  pcm.capture {
    type file
    slave.pcm { type null }
    file "\(path)"
    format "raw"
  }
  pcm.s16stereo {
    type plug
    slave { pcm "capture" format S16_LE channels 2 rate 44100 }
  }
  """
}

func temporaryPath(_ name: String) -> String {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cadence-tests-\(getpid())")
  try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  return dir.appendingPathComponent(name).path
}

@Suite struct PCMTests {
  @Test func negotiatesTheFirstFormatTheDeviceTakes() throws {
    let path = temporaryPath("negotiate.raw")
    let pcm = try PCM(name: "capture", configText: captureConfig(path))
    var request = PCMRequest()
    request.formats = [.s16]
    request.channels = 2
    let config = try pcm.configure(request)
    #expect(config.format == .s16 && config.channels == 2 && config.sampleRate == 48_000)
    #expect(config.bufferFrames == 480 && config.periodFrames == 120)  // 10 ms, a quarter each
  }

  @Test func bytesWrittenArriveUnchanged() throws {
    let path = temporaryPath("bytes.raw")
    do {
      let pcm = try PCM(name: "capture", configText: captureConfig(path))
      let config = try pcm.configure(PCMRequest())
      #expect(config.format == .float32 && config.channels == 1)
      var samples = (0..<960).map { Float($0) / 960 }
      let written = samples.withUnsafeMutableBytes { pcm.write($0.baseAddress!, frames: 960) }
      #expect(written == 960)
      pcm.drain()
    }
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let floats = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    #expect(floats == (0..<960).map { Float($0) / 960 })
  }

  @Test func aPlugConvertsWhatTheSlaveCannotTake() throws {
    let pcm = try PCM(name: "s16stereo", configText: captureConfig(temporaryPath("plug.raw")))
    let config = try pcm.configure(PCMRequest())
    // The plug offers every format and rate to cadence and converts to S16 stereo 44.1 kHz.
    #expect(config.format == .float32 && config.sampleRate == 48_000)
  }

  @Test func unknownDeviceNamesTheFunction() {
    #expect(throws: ALSAError(code: -ENOENT, function: "snd_pcm_open_lconf")) {
      try PCM(name: "nosuchdevice", configText: captureConfig(temporaryPath("x.raw")))
    }
    #expect(throws: ALSAError(code: -ENOENT, function: "snd_pcm_open")) { try PCM(name: "nosuchdevice") }
    #expect(ALSAError(code: -EBUSY, function: "snd_pcm_open").description == "Device or resource busy (snd_pcm_open)")
  }

  @Test func hintsIncludeTheNullDevice() throws {
    let hints = try pcmDeviceHints()
    #expect(hints.contains { $0.name == "null" && $0.canPlay })
  }
}
