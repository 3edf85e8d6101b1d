import Testing
import TreadmillSimulator

@testable import Listening

/// Runs the detector over a recording in 480-frame blocks, telling it the click frames a block
/// ahead as the engine would; returns the onsets.
func detect(_ r: TreadmillRecording, rate: Double = 48_000, tellClicks: Bool = true, speech: [FrameSpan] = [])
  -> [Int64]
{
  var detector = StepDetector(sampleRate: rate)
  if tellClicks { detector.addClicks(r.clicks) }
  detector.addSpeech(speech)
  var onsets: [Int64] = []
  var i = 0
  r.samples.withUnsafeBufferPointer { all in
    while i < all.count {
      let n = min(480, all.count - i)
      onsets += detector.process(UnsafeBufferPointer(rebasing: all[i..<(i + n)]))
      i += n
    }
  }
  return onsets
}

/// True steps found within 25 ms, and onsets that match no step.
func score(_ r: TreadmillRecording, _ onsets: [Int64], rate: Double = 48_000) -> (found: Int, missed: Int, extra: Int) {
  let tolerance = Int64(0.025 * rate)
  var found = 0
  var used = Set<Int64>()
  for s in r.steps {
    if let o = onsets.first(where: { abs($0 - s) <= tolerance && !used.contains($0) }) {
      found += 1
      used.insert(o)
    }
  }
  return (found, r.steps.count - found, onsets.count - used.count)
}

func estimate(_ onsets: [Int64], at seconds: Double, rate: Double = 48_000) -> Double? {
  var e = CadenceEstimator(sampleRate: rate)
  e.add(onsets)
  return e.estimate(at: Int64(seconds * rate))
}

@Suite struct ListeningAccuracyTests {
  let changing = [TreadmillRecording.Part(seconds: 30, spm: 164), .init(seconds: 30, spm: 172)]

  /// Belt noise from quiet to loud (footfall peaks are 0.4-0.5; at 0.4 the noise peaks reach
  /// the weaker foot's thump): steps found, and the cadence within 1 spm after 15 s, and again
  /// 15 s after a change of cadence. Missed steps are halved by the estimator, so the cadence
  /// holds even where a quarter of the steps are lost.
  @Test(arguments: [(0.02, 0.95), (0.1, 0.95), (0.2, 0.95), (0.4, 0.6)])
  func withinOneSPMAfterFifteenSeconds(noise: Double, recall: Double) throws {
    let r = TreadmillRecording.make(parts: changing, noise: noise, seed: 3)
    let onsets = detect(r)
    let s = score(r, onsets)
    #expect(Double(s.found) >= recall * Double(r.steps.count), "noise \(noise): \(s)")
    #expect(s.extra <= 2, "noise \(noise): \(s)")
    let before = try #require(estimate(onsets, at: 15.5))
    let settled = try #require(estimate(onsets, at: 29.5))
    let after = try #require(estimate(onsets, at: 45))
    #expect(abs(before - 164) < 1 && abs(settled - 164) < 1, "noise \(noise): \(before), \(settled)")
    #expect(abs(after - 172) < 1, "noise \(noise): \(after)")
  }

  @Test func theClicksAreNeverSteps() {
    // Loud clicks and belt noise, nobody running: no footfall, told of the clicks or not.
    let r = TreadmillRecording.make(parts: [.init(seconds: 30, spm: 0)], noise: 0.05, clickLevel: 1.0)
    #expect(detect(r) == [])
    #expect(detect(r, tellClicks: false) == [])
    #expect(estimate(detect(r), at: 30) == nil)
  }

  @Test func aRunnerOnTheBeatKeepsEveryStep() throws {
    // Steps and clicks together at 170 spm (the steps' timing wobbles 2% around the beat).
    let r = TreadmillRecording.make(
      parts: [.init(seconds: 30, spm: 170)], noise: 0.05, clickLevel: 0.6, clickOffset: 0.5)
    let onsets = detect(r)
    let s = score(r, onsets)
    #expect(Double(s.found) >= 0.95 * Double(r.steps.count), "\(s)")
    #expect(abs(try #require(estimate(onsets, at: 29)) - 170) < 1)
  }

  /// How it degrades: printed for the README (the test itself asserts only that the figures
  /// are computed; the limits above are the contract).
  @Test func degradationTable() {
    for noise in [0.02, 0.1, 0.2, 0.4, 0.8, 1.6] {
      let r = TreadmillRecording.make(parts: changing, noise: noise, seed: 3)
      let onsets = detect(r)
      let s = score(r, onsets)
      let err = [estimate(onsets, at: 29.5).map { abs($0 - 164) }, estimate(onsets, at: 60).map { abs($0 - 172) }]
      print(
        "listen-accuracy noise \(noise): found \(s.found)/\(r.steps.count), extra \(s.extra), error \(err.map { $0.map { format2($0) } ?? "none" })"
      )
      #expect(s.found + s.missed == r.steps.count)
    }
  }
}

func format2(_ x: Double) -> String { String(Double(Int(x * 100)) / 100) }

@Suite struct FootfallTimingTests {
  /// The onsets' delay after the landing, in belt noise, both feet, at several cadences: the
  /// median within 0.5 ms of `StepDetector.latencySeconds`.
  @Test(arguments: [150.0, 170, 190])
  func theDetectorsDelayIsKnown(spm: Double) throws {
    let r = TreadmillRecording.make(parts: [.init(seconds: 30, spm: spm)], noise: 0.1, seed: 7)
    let onsets = detect(r)
    let delays = r.steps.compactMap { s in onsets.first { abs($0 - s) <= 1_200 }.map { Double($0 - s) / r.rate } }
    #expect(delays.count >= r.steps.count - 4)
    let median = delays.sorted()[delays.count / 2]
    #expect(abs(median - StepDetector.latencySeconds) < 0.0005, "\(median)")
  }

  /// A runner 20 ms behind the click (2% timing jitter on top): the mean within 1 ms of 20,
  /// the spread that of the jitter; ahead of it the same; no clicks, no timing.
  @Test(arguments: [20.0, -35.0])
  func footfallsAgainstTheClick(offsetMs: Double) throws {
    let rate = 48_000.0
    let r = TreadmillRecording.make(parts: [.init(seconds: 30, spm: 170)], noise: 0.1, jitter: 0, seed: 7)
    // Clicks placed so that each true step is offsetMs after one.
    let clicks = r.steps.map { $0 - Int64(offsetMs / 1000 * rate) }
    let timing = try #require(ClickTiming.measure(footfalls: detect(r), clicks: clicks, sampleRate: rate))
    #expect(abs(timing.meanMs - offsetMs) < 1, "\(timing)")
    #expect(timing.spreadMs < 1.5, "\(timing)")
    #expect(timing.footfalls >= r.steps.count - 4)
    #expect(ClickTiming.measure(footfalls: detect(r), clicks: [], sampleRate: rate) == nil)
  }

  /// Clicks at 170 and a runner at 166 drifting through them: footfalls are paired with the
  /// nearest click, so the offsets spread over the whole beat.
  @Test func aRunnerOffTheClickSpreadsWide() throws {
    let rate = 48_000.0
    let r = TreadmillRecording.make(parts: [.init(seconds: 30, spm: 166)], noise: 0.1, clickSPM: 170, seed: 7)
    let timing = try #require(ClickTiming.measure(footfalls: detect(r), clicks: r.clicks, sampleRate: rate))
    #expect(timing.spreadMs > 60, "\(timing)")
  }
}

@Suite struct SpokenCueTests {
  /// Somebody talking and nobody running gives onsets; told that the talking is cadence's own
  /// voice, the detector keeps none of them. A runner talked over keeps the steps.
  @Test func cadencesOwnVoiceIsNotFootfalls() {
    var talking = TreadmillRecording.make(parts: [.init(seconds: 30, spm: 0)], noise: 0.1, seed: 7)
    talking.addSpeech(seed: 8)
    let whole = [FrameSpan(0, Int64(talking.samples.count))]
    #expect(!detect(talking).isEmpty)
    #expect(detect(talking, speech: whole).isEmpty)
    var running = TreadmillRecording.make(parts: [.init(seconds: 30, spm: 170)], noise: 0.1, seed: 7)
    running.addSpeech(start: 10, seed: 8)
    let s = score(running, detect(running, speech: [FrameSpan(Int64(10 * 48_000), Int64(running.samples.count))]))
    #expect(Double(s.found) >= 0.95 * Double(running.steps.count) && s.extra <= 2, "\(s)")
  }
}
