import Glibc

/// Band-limited resampling of short clips (click sounds, spoken cues) to the device rate.
///
/// Runs once, off the render thread, when a sound is loaded. A Blackman-windowed sinc with
/// 32 zero crossings a side: far better than the clicks need, and a 50 ms clip takes well
/// under a millisecond.
public enum Resampler {
  static let halfWidth = 32

  public static func resample(_ input: [Float], from sourceRate: Double, to targetRate: Double) -> [Float] {
    precondition(sourceRate > 0 && targetRate > 0)
    if sourceRate == targetRate || input.isEmpty { return input }
    let ratio = targetRate / sourceRate
    let outputCount = Int((Double(input.count) * ratio).rounded(.up))
    // Below the lower of the two Nyquist frequencies, with a little room for the window.
    let cutoff = min(1, ratio) * 0.94
    var output = [Float](repeating: 0, count: outputCount)
    let width = Double(halfWidth) / cutoff
    for n in 0..<outputCount {
      let center = Double(n) / ratio
      let first = max(0, Int((center - width).rounded(.up)))
      let last = min(input.count - 1, Int((center + width).rounded(.down)))
      if first > last { continue }
      var acc = 0.0
      for i in first...last {
        let x = Double(i) - center
        acc += Double(input[i]) * kernel(x * cutoff, window: x / width) * cutoff
      }
      output[n] = Float(acc)
    }
    return output
  }

  private static func kernel(_ x: Double, window w: Double) -> Double {
    let sinc = x == 0 ? 1 : sin(Double.pi * x) / (Double.pi * x)
    // Blackman window over w in -1...1.
    let blackman = 0.42 + 0.5 * cos(Double.pi * w) + 0.08 * cos(2 * Double.pi * w)
    return sinc * blackman
  }
}
