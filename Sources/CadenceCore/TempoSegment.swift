/// A stretch of the beat grid with one tempo law, anchored at a frame.
///
/// Beat `k` of a segment lies at `origin + round(offset(k))`, where `offset` is computed in
/// closed form from the segment start. No interval is ever added to a rounded frame, so the
/// grid cannot drift: every onset is within half a frame of the ideal grid however long the
/// segment runs.
///
/// A segment either holds one tempo (`startSPM == endSPM`) or ramps linearly in tempo
/// from `startSPM` to `endSPM` over `rampFrames` and holds `endSPM` after that.
public struct TempoSegment: Sendable, Equatable, BitwiseCopyable {
  /// Frame of beat 0.
  public var origin: Int64
  public var startSPM: Double
  public var endSPM: Double
  /// Length of the ramp in frames; 0 for a steady tempo.
  public var rampFrames: Int64
  public var sampleRate: Double

  public init(origin: Int64, spm: Double, sampleRate: Double) {
    self.init(origin: origin, from: spm, to: spm, rampFrames: 0, sampleRate: sampleRate)
  }

  public init(origin: Int64, from startSPM: Double, to endSPM: Double, rampFrames: Int64, sampleRate: Double) {
    precondition(startSPM > 0 && endSPM > 0 && rampFrames >= 0 && sampleRate > 0)
    self.origin = origin
    self.startSPM = startSPM
    self.endSPM = rampFrames == 0 ? startSPM : endSPM
    self.rampFrames = rampFrames
    self.sampleRate = sampleRate
  }

  var isRamp: Bool { rampFrames > 0 && startSPM != endSPM }

  /// Frames per minute times... the constant that turns beats per minute into frames.
  private var framesPerMinute: Double { sampleRate * 60 }

  /// Beats (fractional) that the ramp spans: the integral of tempo over the ramp.
  public var beatsInRamp: Double {
    isRamp ? (startSPM + endSPM) / 2 * Double(rampFrames) / framesPerMinute : 0
  }

  /// Exact (unrounded) distance in frames from `origin` to beat `k`.
  ///
  /// Steady: `k * rate * 60 / spm`. Ramp: the tempo is `A + (B - A) t / T`, so the beat phase
  /// is `(A t + (B - A) t^2 / 2T) / (60 rate)`; solving phase = k for t gives the root below,
  /// written in the form that does not cancel when `B` is close to `A`. Past the ramp the
  /// tempo is `B` and the offset grows linearly from the ramp's end.
  public func offset(ofBeat k: Int64) -> Double {
    let beats = Double(k)
    guard isRamp else { return beats * framesPerMinute / startSPM }
    let a = startSPM
    let b = endSPM
    let t = Double(rampFrames)
    let inRamp = beatsInRamp
    if beats <= inRamp {
      let c = framesPerMinute
      return 2 * c * beats / (a + (a * a + 2 * (b - a) * c * beats / t).squareRoot())
    }
    return t + (beats - inRamp) * framesPerMinute / b
  }

  /// Beats (fractional) from the origin to `frames` after it: the inverse of `offset`.
  public func phase(atOffset frames: Double) -> Double {
    let t = max(0, frames)
    guard isRamp else { return t * startSPM / framesPerMinute }
    let ramp = Double(rampFrames)
    if t <= ramp { return (startSPM * t + (endSPM - startSPM) * t * t / (2 * ramp)) / framesPerMinute }
    return beatsInRamp + (t - ramp) * endSPM / framesPerMinute
  }

  /// Index of the first beat sounding at or after `frame`.
  public func firstBeat(atOrAfter frame: Int64) -> Int64 {
    var k = Int64(phase(atOffset: Double(frame - origin)).rounded(.up))
    // The phase is exact up to rounding; settle on the integer boundary.
    while k > 0 && self.frame(ofBeat: k - 1) >= frame { k -= 1 }
    while self.frame(ofBeat: k) < frame { k += 1 }
    return max(0, k)
  }

  /// The frame at which beat `k` sounds.
  public func frame(ofBeat k: Int64) -> Int64 {
    origin + Int64(offset(ofBeat: k).rounded())
  }

  /// The tempo in effect `frames` after the origin.
  public func spm(atOffset frames: Double) -> Double {
    guard isRamp else { return startSPM }
    let progress = min(max(frames / Double(rampFrames), 0), 1)
    return startSPM + (endSPM - startSPM) * progress
  }
}
