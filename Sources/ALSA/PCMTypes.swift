import CALSA

/// Sample formats cadence can write, in the order it prefers them.
public enum SampleFormat: String, Sendable, CaseIterable {
  case float32 = "FLOAT_LE"
  case s32 = "S32_LE"
  case s16 = "S16_LE"

  public var bytesPerSample: Int {
    switch self {
    case .float32, .s32: 4
    case .s16: 2
    }
  }

  var alsa: snd_pcm_format_t {
    switch self {
    case .float32: SND_PCM_FORMAT_FLOAT_LE
    case .s32: SND_PCM_FORMAT_S32_LE
    case .s16: SND_PCM_FORMAT_S16_LE
    }
  }
}

/// What cadence asks of a playback device.
public struct PCMRequest: Sendable, Equatable {
  public var sampleRate: Int = 48_000
  /// Buffer length; the period is a quarter of it, so a late wake-up still finds three
  /// quarters of the buffer queued.
  public var latencyMicroseconds: Int = 10_000
  public var periodsPerBuffer: Int = 4
  /// A period asked for in frames rather than time (a sound server's quantum is a frame
  /// count); nil to derive it from the latency.
  public var periodFrames: Int?
  public var channels: Int = 1
  public var formats: [SampleFormat] = SampleFormat.allCases

  public init() {}
}

/// What a device agreed to.
public struct PCMConfiguration: Sendable, Equatable, CustomStringConvertible {
  public var sampleRate: Int
  public var channels: Int
  public var format: SampleFormat
  public var periodFrames: Int
  public var bufferFrames: Int

  public init(sampleRate: Int, channels: Int, format: SampleFormat, periodFrames: Int, bufferFrames: Int) {
    self.sampleRate = sampleRate
    self.channels = channels
    self.format = format
    self.periodFrames = periodFrames
    self.bufferFrames = bufferFrames
  }

  public var bytesPerFrame: Int { channels * format.bytesPerSample }
  public var description: String {
    let ms = Double(bufferFrames) * 1000 / Double(sampleRate)
    return "\(sampleRate) Hz, \(format.rawValue), \(channels) ch, period \(periodFrames) frames, "
      + "buffer \(bufferFrames) frames (\(Int(ms.rounded())) ms)"
  }
}

/// Which way the audio goes.
public enum StreamDirection: Sendable {
  case playback
  case capture

  var alsa: snd_pcm_stream_t { self == .playback ? SND_PCM_STREAM_PLAYBACK : SND_PCM_STREAM_CAPTURE }
}
