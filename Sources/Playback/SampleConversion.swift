import ALSA

/// Writes mono float frames as interleaved device samples: each frame copied to every channel,
/// converted to the device format (rounded to nearest, clipped). Does not allocate.
public func convertMono(
  _ source: UnsafePointer<Float>, frames: Int, to format: SampleFormat, channels: Int,
  into destination: UnsafeMutableRawPointer
) {
  switch format {
  case .float32:
    let out = destination.assumingMemoryBound(to: Float.self)
    for i in 0..<frames {
      let v = min(max(source[i], -1), 1)
      for c in 0..<channels { out[i * channels + c] = v }
    }
  case .s32:
    let out = destination.assumingMemoryBound(to: Int32.self)
    for i in 0..<frames {
      // 2147483647 is not exact in Float; scale in Double so full scale maps to Int32.max.
      let v = (Double(min(max(source[i], -1), 1)) * 2_147_483_647).rounded(.toNearestOrEven)
      let sample = Int32(v)
      for c in 0..<channels { out[i * channels + c] = sample }
    }
  case .s16:
    let out = destination.assumingMemoryBound(to: Int16.self)
    for i in 0..<frames {
      let sample = Int16((min(max(source[i], -1), 1) * 32767).rounded(.toNearestOrEven))
      for c in 0..<channels { out[i * channels + c] = sample }
    }
  }
}
