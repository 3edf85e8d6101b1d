/// Mono float audio at the engine's rate, in memory that stays put for the sample's lifetime.
///
/// The render thread reads it through a raw buffer pointer, so it must outlive every voice
/// that plays it: the engine keeps its click samples for its own lifetime, and a clip's owner
/// keeps the clip until the engine reports `.clipFinished`.
public final class Sample: @unchecked Sendable {
  public let frames: UnsafeBufferPointer<Float>
  public let sampleRate: Double

  public init(_ samples: [Float], sampleRate: Double) {
    let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: samples.count)
    _ = buffer.initialize(from: samples)
    frames = UnsafeBufferPointer(buffer)
    self.sampleRate = sampleRate
  }

  deinit { frames.deallocate() }

  public var count: Int { frames.count }
  public var peak: Float { frames.reduce(0) { max($0, abs($1)) } }
}
