/// What the footfalls of a window say: a cadence, or why none can be given.
public enum Heard: Equatable, Sendable {
  case cadence(Double)
  case unsure(Unsure)

  public var spm: Double? {
    if case .cadence(let spm) = self { return spm }
    return nil
  }
}

/// Why no cadence is reported. A wrong cadence stored is worse than none: each of these stores
/// nothing.
public enum Unsure: Equatable, Sendable {
  /// Too few onsets left, once steady beats are set aside, to be a runner's steps.
  case tooFewFootfalls(Int)
  /// Onsets that are not one steady rhythm of two alternating feet.
  case uneven
  /// A steady beat (music, a belt seam) at about the steps' own rate: they cannot be told apart.
  case beatAtStepRate(bpm: Double)
  /// What was left after a steady beat was set aside is not a runner.
  case steadyBeat(bpm: Double, then: Leftover)
  /// A rhythm outside what a runner's two feet make (one foot heard, or something else).
  case outOfRange(spm: Double)
  /// A cadence heard now, but not the same over the last few seconds.
  case unsettled

  /// Beside the beat: too few onsets for a runner, or onsets that are not one.
  public enum Leftover: Equatable, Sendable { case tooFew, uneven }

  /// What the runner can do about it.
  public var advice: String {
    switch self {
    case .steadyBeat, .beatAtStepRate:
      return "turn the music down or off, and put the microphone on or near the deck, away from the speakers"
    case .unsettled: return "listen for longer (30 s or more) at a steady pace"
    case .tooFewFootfalls, .uneven, .outOfRange:
      return "put the microphone closer to the deck, and listen for at least 20 seconds of running"
    }
  }

  /// What was heard, for the runner.
  public var description: String {
    switch self {
    case .tooFewFootfalls(let n): return "too few footfalls (\(n) in the last \(Int(CadenceEstimator.windowSeconds)) s)"
    case .uneven: return "no steady rhythm of footfalls: too noisy"
    case .beatAtStepRate(let bpm):
      return "a steady beat at \(Int(bpm.rounded())) bpm, as fast as the steps: the footfalls cannot be told from it"
    case .steadyBeat(let bpm, let then):
      let rest = then == .tooFew ? "too few footfalls beside it" : "no steady footfalls beside it"
      return "a steady beat at \(Int(bpm.rounded())) bpm that is not footfalls (music or the belt?), and \(rest)"
    case .outOfRange(let spm): return "a rhythm at \(Int(spm.rounded())) a minute, not a runner's two feet"
    case .unsettled: return "footfalls not yet steady for long enough"
    }
  }
}

/// Running cadence from footfall frames, over the last 15 s. A wrong cadence stored is worse
/// than none, so it answers only when the onsets are a runner:
///
/// 1. Steady beats are set aside (`SteadyBeats`: music, a belt seam, the metronome).
/// 2. The typical step is the interval most others agree with (within 10%, or twice it for a
///    step unheard), and must be 120 to 240 spm.
/// 3. The onsets are walked in runs of whole steps; strays are passed over. At least 8 step
///    intervals, 70% of the onsets' intervals (80% when a steady beat was set aside), and
///    steps over 60% of the window.
/// 4. Step intervals spread at most 6%; left and right steps differ at most 15% on average.
/// 5. The step interval is the slope of one line through the runs (frame against step
///    number), and must agree with the typical step within 1%.
/// 6. No steady beat (other than the metronome's own clicks) within 3% of the step rate: the
///    footfalls cannot be told from it.
///
/// Every threshold is a product choice, tuned on the synthetic rooms of the tests (README).
public struct CadenceEstimator: Sendable {
  public let sampleRate: Double
  public static let windowSeconds = 15.0
  /// Reported cadences: a runner's two feet on a treadmill (product choice).
  public static let range = 120.0...240.0
  /// Step intervals may spread this much (standard deviation over mean; runners' step times
  /// vary by a few per cent; product choice).
  public static let spread = 0.06
  /// A step interval may be this far from the typical step (or a gap from twice it).
  public static let outOfPlace = 0.1
  /// The fitted step and the median step may differ by this share (product choice).
  public static let agreement = 0.01
  /// Step intervals kept, of all the onsets' intervals (product choice) ...
  public static let keptShare = 0.7
  /// ... and when a steady beat was set aside, whose onsets may have moved some footfalls.
  public static let keptShareBesideBeat = 0.8
  /// The steps kept must span this share of the window (product choice).
  public static let coverage = 0.6
  /// Left and right steps may differ by this share of a step on average (product choice).
  public static let footImbalance = 0.15
  private var onsets: [Int64] = []
  private var clicks: [Int64] = []

  public init(sampleRate: Double) {
    self.sampleRate = sampleRate
  }

  public mutating func add(_ frames: [Int64]) {
    onsets.append(contentsOf: frames)
    if onsets.count > 4_096 { onsets.removeFirst(onsets.count - 2_048) }
  }

  /// The frames (in the same frames as the onsets) at which the metronome was heard.
  public mutating func addClicks(_ frames: [Int64]) {
    clicks.append(contentsOf: frames)
    if clicks.count > 4_096 { clicks.removeFirst(clicks.count - 2_048) }
  }

  /// Steps per minute over the window ending at `frame`, when the footfalls say so.
  public func estimate(at frame: Int64) -> Double? { hear(at: frame).spm }

  /// The verdict to store at `frame`: a cadence only when the windows ending 3 and 6 s
  /// earlier heard one too, all within 1 spm of it (a wrong cadence is most often a few
  /// seconds in which another thump lined up with the steps); else the latest reason.
  public func settled(at frame: Int64) -> Heard {
    let now = hear(at: frame)
    guard let spm = now.spm else { return now }
    for back in [3.0, 6.0] {
      guard let before = hear(at: frame - Int64(back * sampleRate)).spm, abs(before - spm) <= 1 else {
        return .unsure(.unsettled)
      }
    }
    return now
  }

  /// The verdict on the window ending at `frame`.
  public func hear(at frame: Int64) -> Heard {
    let start = frame - Int64(Self.windowSeconds * sampleRate)
    let recent = onsets.filter { $0 > start && $0 <= frame }
    let tolerance = SteadyBeats.toleranceSeconds * sampleRate
    let beats = SteadyBeats.find(in: recent, rate: sampleRate)
    let music = beats.filter { !isMetronome($0, from: start, to: frame) }
    let steps = recent.filter { f in !beats.contains { $0.holds(f, tolerance: tolerance) } }
    let verdict = footfalls(steps, keptShare: music.isEmpty ? Self.keptShare : Self.keptShareBesideBeat)
    guard case .cadence(let spm) = verdict else {
      guard let loudest = music.first else { return verdict }
      var leftover = Unsure.Leftover.uneven
      if case .unsure(.tooFewFootfalls) = verdict { leftover = .tooFew }
      return .unsure(.steadyBeat(bpm: loudest.bpm(rate: sampleRate), then: leftover))
    }
    let stepPeriod = 60 * sampleRate / spm
    for beat in music where abs(beat.period / stepPeriod - 1) <= 0.03 {
      return .unsure(.beatAtStepRate(bpm: 60 * sampleRate / beat.period))
    }
    return verdict
  }

  /// The clicks the metronome played lie on this grid: it is the metronome, not music.
  private func isMetronome(_ beat: SteadyBeat, from start: Int64, to end: Int64) -> Bool {
    let window = clicks.filter { $0 > start && $0 <= end }
    guard window.count >= SteadyBeats.minimumOnsets else { return false }
    let tolerance = 2 * SteadyBeats.toleranceSeconds * sampleRate
    let on = window.filter { beat.holds($0, tolerance: tolerance) }.count
    return on * 10 >= window.count * 9
  }

  /// The step interval most intervals agree with: each interval (and half of each) is tried,
  /// scored by the intervals within 10% of it (one step) or of twice it (a step unheard, which
  /// counts for less, so that a runner heard on one foot is not taken for half the cadence);
  /// the best is refined to the median of the intervals that agree. Nil when none is a
  /// runner's (outside 120-240 spm).
  func typicalStep(_ raw: [Double]) -> Double? {
    let slack = Self.outOfPlace
    let shortest = 60 * sampleRate / Self.range.upperBound
    let longest = 60 * sampleRate / Self.range.lowerBound
    var best: (step: Double, score: Double)?
    for candidate in raw + raw.map({ $0 / 2 }) where (shortest...longest).contains(candidate) {
      var score = 0.0
      for interval in raw {
        let r = interval / candidate
        if abs(r - 1) <= slack { score += 1 } else if abs(r / 2 - 1) <= slack { score += 0.75 }
      }
      if score > (best?.score ?? 0) { best = (candidate, score) }
    }
    guard let best else { return nil }
    let agreeing = raw.compactMap { interval -> Double? in
      let r = interval / best.step
      return abs(r - 1) <= slack ? interval : abs(r / 2 - 1) <= slack ? interval / 2 : nil
    }.sorted()
    return agreeing[agreeing.count / 2]
  }

  /// The verdict on onsets that are not a steady beat.
  private func footfalls(_ onsets: [Int64], keptShare: Double) -> Heard {
    let raw = zip(onsets.dropFirst(), onsets).map { Double($0 - $1) }
    guard raw.count >= 8 else { return .unsure(.tooFewFootfalls(onsets.count)) }
    guard let step = typicalStep(raw) else { return .unsure(.uneven) }
    // Walk the onsets. One that comes too soon after the last step is a stray and is passed
    // over; so is one out of place when the onset after it is a whole step or two on. An
    // interval of one step (or two: a step unheard) within 10% continues the run of steps;
    // anything else (a longer gap) starts a new run.
    let slack = Self.outOfPlace
    func steps(_ interval: Double) -> Double? {
      let r = interval / step
      return abs(r - 1) <= slack ? 1 : abs(r / 2 - 1) <= slack ? 2 : nil
    }
    var runs: [[(step: Double, frame: Double)]] = [[(0, Double(onsets[0]))]]
    var kept: [Double] = []
    var previous = Double(onsets[0])
    var i = 1
    while i < onsets.count {
      let next = Double(onsets[i])
      i += 1
      let interval = next - previous
      if interval < 0.75 * step { continue }
      if let count = steps(interval) {
        // A run is opened with its first onset before any is appended: the last run is never empty.
        // swift-format-ignore: NeverForceUnwrap
        runs[runs.count - 1].append((runs[runs.count - 1].last!.step + count, next))
        kept += count == 1 ? [interval] : [interval / 2, interval / 2]
      } else if i < onsets.count, steps(Double(onsets[i]) - previous) != nil {
        continue
      } else {
        runs.append([(0, next)])
      }
      previous = next
    }
    guard kept.count >= 8, Double(kept.count) >= keptShare * Double(raw.count) else { return .unsure(.uneven) }
    // The steps must hold for most of the window, not for a few seconds at its ends.
    guard kept.reduce(0, +) >= Self.coverage * Self.windowSeconds * sampleRate else {
      return .unsure(.tooFewFootfalls(onsets.count))
    }
    let mean = kept.reduce(0, +) / Double(kept.count)
    let spread = (kept.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(kept.count)).squareRoot() / mean
    guard spread <= Self.spread else { return .unsure(.uneven) }
    // Two feet: left and right steps take about the same time. Two sources at one rate, or a
    // foot heard between thumps of something else, alternate long and short.
    let even = stride(from: 0, to: kept.count, by: 2).map { kept[$0] }
    let odd = stride(from: 1, to: kept.count, by: 2).map { kept[$0] }
    let alternation = abs(even.reduce(0, +) / Double(even.count) - odd.reduce(0, +) / Double(odd.count)) / mean
    guard alternation <= Self.footImbalance else { return .unsure(.uneven) }
    // The step interval: one straight line through each run's footfalls (frame against step
    // number), the same slope for all runs of three footfalls or more. An onset shifted by a sound over it moves the
    // line far less than it moves the two intervals beside it.
    var sxy = 0.0
    var sxx = 0.0
    for run in runs where run.count > 2 {
      let k = run.reduce(0) { $0 + $1.step } / Double(run.count)
      let t = run.reduce(0) { $0 + $1.frame } / Double(run.count)
      for p in run {
        sxy += (p.step - k) * (p.frame - t)
        sxx += (p.step - k) * (p.step - k)
      }
    }
    let interval = sxy / sxx
    // The line and the typical step must agree: when they do not, onsets out of place were
    // taken for steps.
    guard abs(interval / step - 1) <= Self.agreement else { return .unsure(.uneven) }
    let spm = 60 * sampleRate / interval
    guard Self.range.contains(spm) else { return .unsure(.outOfRange(spm: spm)) }
    return .cadence(spm)
  }
}
