import Testing

@testable import CadenceCore

@Suite struct TapAnalysisTests {
  /// Taps at `spm` with a deterministic wobble of +/- `jitter` seconds (a seeded LCG).
  func taps(spm: Double, count: Int, jitter: Double = 0.008, seed: UInt64 = 42) -> [Double] {
    var state = seed
    func next() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53) * 2 - 1
    }
    return (0..<count).map { Double($0) * 60 / spm + next() * jitter }
  }

  @Test func steadyTapsGiveTheCadenceAndATightInterval() throws {
    let result = try TapAnalysis.analyze(taps(spm: 168, count: 71))
    #expect(abs(result.spm - 168) < 0.5)
    #expect(result.low < result.spm && result.spm < result.high)
    #expect(result.high - result.low < 2)
    #expect(result.steps == 70 && result.missedTaps == 0 && result.doubleTaps == 0 && result.outliers == 0)
  }

  @Test func aMissedTapIsFilledInAndADoubleTapDropped() throws {
    var times = taps(spm: 170, count: 60)
    times.remove(at: 30)  // missed
    times.insert(times[10] + 0.04, at: 11)  // double
    let result = try TapAnalysis.analyze(times)
    #expect(result.missedTaps == 1 && result.doubleTaps == 1 && result.outliers == 0)
    #expect(result.steps == 59)
    #expect(abs(result.spm - 170) < 0.6)
  }

  @Test func oneFootTapsCountTwoSteps() throws {
    let result = try TapAnalysis.analyze(taps(spm: 85, count: 40), perFoot: true)
    #expect(abs(result.spm - 170) < 1)
    #expect(result.steps == 78)
  }

  @Test func tooFewTapsAndIrregularTapsAreRefused() {
    #expect(throws: TapAnalysis.Failure.tooFewTaps(intervals: 9)) { try TapAnalysis.analyze(taps(spm: 170, count: 10)) }
    let wild = taps(spm: 170, count: 60, jitter: 0.12)
    #expect(throws: TapAnalysis.Failure.self) { try TapAnalysis.analyze(wild) }
    // Taps every 0.2 s: 300 spm is no running cadence.
    #expect(throws: TapAnalysis.Failure.outOfRange(spm: 300)) {
      try TapAnalysis.analyze((0..<40).map { Double($0) * 0.2 })
    }
  }

  @Test func tValues() {
    #expect(TapAnalysis.studentT975(degrees: 1) == 12.706)
    #expect(TapAnalysis.studentT975(degrees: 30) == 2.042)
    #expect(abs(TapAnalysis.studentT975(degrees: 120) - 1.98) < 0.001)
  }
}
