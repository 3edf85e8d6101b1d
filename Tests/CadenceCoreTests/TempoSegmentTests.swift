import Testing

@testable import CadenceCore

/// round(num / den) for positive integers, half away from zero: the ideal grid in exact
/// integer arithmetic, independent of the floating-point code under test.
func roundedQuotient(_ num: Int64, _ den: Int64) -> Int64 { (2 * num + den) / (2 * den) }

@Suite struct SteadyGridTests {
  /// Cadences as tenths of a step per minute, so that the ideal onset of beat k,
  /// k * rate * 60 / spm = k * rate * 600 / tenths, is an exact rational.
  @Test(arguments: [1700, 1750, 1800, 1735, 1001, 2399])
  func twoHoursWithinHalfAFrame(tenths: Int64) {
    for rate: Int64 in [48_000, 44_100] {
      let segment = TempoSegment(origin: 1_000, spm: Double(tenths) / 10, sampleRate: Double(rate))
      let beats = 2 * 60 * tenths / 10  // two hours of steps
      var worst: Int64 = 0
      for k in 0...beats {
        let expected = 1_000 + roundedQuotient(k * rate * 600, tenths)
        let got = segment.frame(ofBeat: k)
        worst = max(worst, abs(got - expected))
      }
      #expect(worst == 0, "rate \(rate), \(tenths / 10).\(tenths % 10) spm")
    }
  }

  @Test func exactFramesAt173point5() {
    let segment = TempoSegment(origin: 0, spm: 173.5, sampleRate: 48_000)
    // 48000 * 60 / 173.5 = 16599.42... frames a step.
    #expect(segment.frame(ofBeat: 1) == 16_599)
    #expect(segment.frame(ofBeat: 2) == 33_199)
    #expect(segment.frame(ofBeat: 347) == 5_760_000)  // 347 steps are exactly 2 minutes
    #expect(segment.frame(ofBeat: 20_820) == 345_600_000)  // 2 hours
  }
}

@Suite struct RampTests {
  /// Beat phase of a linear tempo ramp at `t` frames: the integral of tempo, in beats.
  func phase(_ t: Double, a: Double, b: Double, ramp: Double, rate: Double) -> Double {
    let c = rate * 60
    if t <= ramp { return (a * t + (b - a) * t * t / (2 * ramp)) / c }
    return (a + b) / 2 * ramp / c + (t - ramp) * b / c
  }

  /// Finds the frame where the phase reaches k by bisection: an independent solver.
  func bisect(_ k: Double, a: Double, b: Double, ramp: Double, rate: Double) -> Double {
    var lo = 0.0
    var hi = 1e10
    for _ in 0..<200 {
      let mid = (lo + hi) / 2
      if phase(mid, a: a, b: b, ramp: ramp, rate: rate) < k { lo = mid } else { hi = mid }
    }
    return (lo + hi) / 2
  }

  @Test(arguments: [(160.0, 170.0), (170, 160), (165, 180), (170, 170.1)])
  func rampOnsetsMatchAnIndependentSolver(from a: Double, to b: Double) {
    let rate = 48_000.0
    let rampFrames: Int64 = 10 * 60 * 48_000  // ten minutes
    let segment = TempoSegment(origin: 0, from: a, to: b, rampFrames: rampFrames, sampleRate: rate)
    let beats = Int64(20 * max(a, b))  // twenty minutes: the ramp and as long again held
    for k in stride(from: Int64(0), through: beats, by: 1) {
      let ideal = bisect(Double(k), a: a, b: b, ramp: Double(rampFrames), rate: rate)
      let got = segment.frame(ofBeat: k)
      #expect(abs(Double(got) - ideal) <= 0.5 + 1e-6, "beat \(k): \(got) vs \(ideal)")
      if abs(Double(got) - ideal) > 0.5 + 1e-6 { return }
    }
  }

  @Test func rampEndsAtTheTargetTempo() {
    let rate = 48_000.0
    let segment = TempoSegment(origin: 0, from: 160, to: 170, rampFrames: 2_880_000, sampleRate: rate)
    // (160 + 170) / 2 spm for one minute: 165 beats in the ramp.
    #expect(segment.beatsInRamp == 165)
    #expect(segment.frame(ofBeat: 165) == 2_880_000)
    // After the ramp the steps are 48000 * 60 / 170 frames apart, from the ramp's end.
    #expect(segment.frame(ofBeat: 166) == 2_880_000 + 16_941)
    #expect(segment.frame(ofBeat: 335) == 2_880_000 + 2_880_000)
    #expect(segment.spm(atOffset: 1_440_000) == 165)
    #expect(segment.spm(atOffset: 9_999_999) == 170)
  }
}

@Suite struct FirstBeatTests {
  @Test func firstBeatAtOrAfterAFrame() {
    let steady = TempoSegment(origin: 1_000, spm: 173.5, sampleRate: 48_000)
    for frame: Int64 in [0, 1_000, 1_001, 17_599, 17_600, 17_601, 5_761_000, 345_601_000] {
      let k = steady.firstBeat(atOrAfter: frame)
      #expect(steady.frame(ofBeat: k) >= frame)
      #expect(k == 0 || steady.frame(ofBeat: k - 1) < frame)
    }
    #expect(steady.firstBeat(atOrAfter: 17_599) == 1)  // beat 1 is at 1000 + 16599
    #expect(steady.firstBeat(atOrAfter: 17_600) == 2)
    let ramp = TempoSegment(origin: 0, from: 160, to: 170, rampFrames: 2_880_000, sampleRate: 48_000)
    for frame in stride(from: Int64(0), to: 6_000_000, by: 7_919) {
      let k = ramp.firstBeat(atOrAfter: frame)
      #expect(ramp.frame(ofBeat: k) >= frame && (k == 0 || ramp.frame(ofBeat: k - 1) < frame))
    }
    #expect(ramp.firstBeat(atOrAfter: 2_880_000) == 165)
  }
}
