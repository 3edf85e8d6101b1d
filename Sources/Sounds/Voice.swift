import AudioFile
import CSpeech
import ClickEngine

/// Spoken cues: espeak-ng text to speech, synthesized before playback (never on the audio
/// thread) and resampled to the device rate.
public final class Voice {
  /// Words per minute: a little slower than espeak's 175, to carry over treadmill noise.
  public static let wordsPerMinute: Int32 = 160
  /// Overrides the library loaded (tests point it at a missing file).
  public static let libraryEnvironmentKey = "CADENCE_ESPEAK_LIBRARY"

  public let speechRate: Double

  /// espeak-ng could not be loaded; `reason` is dlopen's or espeak-ng's own words.
  public struct Unavailable: Error, Sendable {
    public var reason: String
  }

  /// Loads espeak-ng: `library` names the shared object to load (nil: the system's).
  public init(library: String?) throws(Unavailable) {
    var error = [CChar](repeating: 0, count: 512)
    let rate =
      library.map { CCadence_speechOpen($0, &error, error.count) } ?? CCadence_speechOpen(nil, &error, error.count)
    guard rate > 0 else {
      let text = error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
      throw Unavailable(reason: String(decoding: text, as: UTF8.self))
    }
    speechRate = Double(rate)
  }

  /// `text` spoken, as a clip at `sampleRate`; nil if espeak-ng produced nothing.
  public func clip(_ text: String, sampleRate: Double) -> Sample? {
    var samples: UnsafeMutablePointer<Int16>?
    let count = CCadence_speechSynthesize(text, Self.wordsPerMinute, &samples)
    guard count > 0, let samples else { return nil }
    defer { CCadence_speechFree(samples) }
    let floats = (0..<count).map { Float(samples[$0]) / 32768 }
    guard let resampled = try? resample(floats, from: speechRate, to: sampleRate) else { return nil }
    return Sample(resampled, sampleRate: sampleRate)
  }
}
