import ClickEngine
import Glibc

/// A synthesized treadmill recording with known truth: belt noise, footfall thumps with natural
/// timing variation and alternating feet, and the metronome's clicks bleeding in.
public struct TreadmillRecording {
  public var samples: [Float]
  /// Frames of the footfalls (the truth).
  public var steps: [Int64]
  /// Frames of the metronome clicks mixed in.
  public var clicks: [Int64]
  /// Frames per second.
  public var rate: Double

  public struct Part {
    public var seconds: Double
    public var spm: Double
    public init(seconds: Double, spm: Double) {
      self.seconds = seconds
      self.spm = spm
    }
  }

  /// A seeded generator, so that every recording is the same run after run.
  struct LCG {
    var state: UInt64
    mutating func uniform() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53)
    }
    mutating func symmetric() -> Double { uniform() * 2 - 1 }
  }

  /// A footfall: a 90 Hz thump decaying in 30 ms and a short broadband slap.
  static func footfall(at: Int64, level: Double, into out: inout [Float], rate: Double, rng: inout LCG) {
    let length = Int(0.15 * rate)
    for n in 0..<length where Int(at) + n < out.count {
      let s = Double(n) / rate
      let thump = sin(2 * Double.pi * 90 * s) * exp(-s / 0.03)
      let slap = rng.symmetric() * exp(-s / 0.004) * 0.3
      out[Int(at) + n] += Float(0.5 * level * (thump + slap))
    }
  }

  /// Footfalls at the frames given (alternating feet), in belt noise, with no clicks: a test
  /// places the steps against a click it plays itself.
  public static func make(steps: [Int64], seconds: Double, rate: Double = 48_000, noise: Double = 0.1, seed: UInt64 = 1)
    -> TreadmillRecording
  {
    var r = make(parts: [.init(seconds: seconds, spm: 0)], rate: rate, noise: noise, clickSPM: nil, seed: seed)
    var rng = LCG(state: seed &+ 1)
    for (i, at) in steps.enumerated() where at >= 0 {
      footfall(at: at, level: i % 2 == 0 ? 1 : 0.8, into: &r.samples, rate: rate, rng: &rng)
    }
    r.steps = steps.filter { $0 >= 0 }
    return r
  }

  /// `noise`: belt noise level (RMS about noise / 2); `jitter`: step timing spread as a share of
  /// the interval; `clickSPM`/`clickLevel`: the metronome heard through the microphone;
  /// `lighterFoot`: the other foot's thump against the first's.
  public static func make(
    parts: [Part], rate: Double = 48_000, noise: Double = 0.02, jitter: Double = 0.02, clickSPM: Double? = 170,
    clickLevel: Float = 0.3, clickOffset: Double = 0.23, lighterFoot: Double = 0.8, seed: UInt64 = 1
  ) -> TreadmillRecording {
    var rng = LCG(state: seed)
    let total = Int(parts.reduce(0) { $0 + $1.seconds } * rate)
    var out = [Float](repeating: 0, count: total)
    // Belt noise: white noise through a one-pole low-pass at about 2 kHz, plus a 100 Hz motor hum.
    var lp = 0.0
    let k = 1 - exp(-2 * Double.pi * 2_000 / rate)
    for i in 0..<total {
      lp += (rng.symmetric() - lp) * k
      out[i] = Float(noise * (lp * 2 + 0.3 * sin(2 * Double.pi * 100 * Double(i) / rate)))
    }
    // Footfalls: a 90 Hz thump decaying in 30 ms and a short broadband slap, alternating feet.
    var steps: [Int64] = []
    var t = 0.5
    var partStart = 0.0
    var foot = 0
    for part in parts {
      let end = partStart + part.seconds
      while part.spm > 0 && t < end {
        let at = Int64(t * rate)
        steps.append(at)
        footfall(at: at, level: foot % 2 == 0 ? 1.0 : lighterFoot, into: &out, rate: rate, rng: &rng)
        foot += 1
        t += 60 / part.spm * (1 + rng.symmetric() * jitter)
      }
      if part.spm <= 0 { t = end }
      partStart = end
    }
    // The metronome's clicks through the microphone.
    var clicks: [Int64] = []
    if let clickSPM {
      let click = ClickSynth.woodblock(sampleRate: rate, accent: false)
      var k: Int64 = 0
      while true {
        let at = Int64((Double(k) * 60 * rate / clickSPM).rounded()) + Int64(clickOffset * rate)
        if at >= Int64(total) { break }
        clicks.append(at)
        for (n, v) in click.enumerated() where Int(at) + n < total { out[Int(at) + n] += v * clickLevel }
        k += 1
      }
    }
    return TreadmillRecording(samples: out, steps: steps, clicks: clicks, rate: rate)
  }
}
