import Glibc

/// Finds footfalls in a microphone signal from a treadmill, as frames.
///
/// Footfalls are low, short thumps; the metronome's clicks sit at 2-4 kHz and the belt hisses
/// across the spectrum. So: a low-pass (150 Hz, two biquad stages), a peak envelope with a 15 ms
/// release, an onset where the envelope rises through twice its slow (1.5 s) average and twice
/// its lowest since the last thump died away (a steady bass line keeps the envelope up between
/// thumps), at most one onset per 100 ms (a kick drum just before a footfall must not hide it).
/// The engine's click frames are known exactly: an onset within a click's window is kept only if its peak is at least half the runner's recent footfalls
/// (click leakage is weak after the low-pass; a runner on the beat still lands on clicks, so
/// timing alone must not reject a step). Streaming: feed any block sizes.
public struct StepDetector: Sendable {
  public let sampleRate: Double
  private var stages: (Biquad, Biquad)
  private var envelope: Float = 0
  private var average: Float = 0
  private let release: Float
  private let averaging: Float
  private var frame: Int64 = 0
  private var lastOnset: Int64 = .min / 2
  private var armed = true
  /// The lowest envelope since re-arming, and the peak of the last thump.
  private var armedMin: Float = 0
  private var lastPeak: Float = 0
  private let refractory: Int64
  /// Onsets this close before a click frame, or this close after, are the click, not a step.
  private let clickBefore: Int64
  private let clickAfter: Int64
  /// Sorted click frames still to be matched.
  private var clicks: [Int64] = []
  private var clickIndex = 0
  /// Stretches of cadence's own voice.
  private var speech: [FrameSpan] = []
  /// An onset waiting 25 ms for its peak before it is judged.
  private var pending: Onset?
  struct Onset {
    var frame: Int64
    var peak: Float
    var nearClick: Bool
    /// Inside a stretch where cadence itself was speaking.
    var inSpeech: Bool
    var background: Float
    /// The envelope it rose from.
    var base: Float
  }
  private let calibration: Int64
  private let judgeAfter: Int64
  /// The envelope of the last frames (a ring), to find where a thump rose; and how far before
  /// the threshold crossing to look.
  private var recent: [Float]
  private let lead: Int64
  /// Peaks of the last accepted footfalls.
  private var peaks: [Float] = []

  /// Envelope over slow average that starts an onset.
  public static let ratio: Float = 2
  /// ... and over the lowest envelope since the last thump died away.
  public static let rise: Float = 2
  /// An onset's peak must reach this many times the slow average: belt noise alone rises to
  /// about twice its average, a footfall far more.
  public static let peakRatio: Float = 2.8
  /// The first seconds only calibrate the slow average to the room.
  public static let calibrationSeconds = 1.5
  /// How long after a footfall lands its onset is reported: the low-pass's delay and the
  /// thump's rise to halfway (measured on the synthesized thumps of the tests, whose first
  /// sample is the landing: `theDetectorsDelayIsKnown`).
  public static let latencySeconds = 0.00385
  /// Below this the room is quiet: no steps however the envelope moves.
  public static let floor: Float = 0.002

  public init(sampleRate: Double) {
    self.sampleRate = sampleRate
    stages = (Biquad.lowPass(150, rate: sampleRate), Biquad.lowPass(150, rate: sampleRate))
    release = Float(exp(-1 / (0.015 * sampleRate)))
    averaging = Float(1 - exp(-1 / (1.5 * sampleRate)))
    refractory = Int64(0.05 * sampleRate)
    clickBefore = Int64(0.005 * sampleRate)
    clickAfter = Int64(0.03 * sampleRate)
    judgeAfter = Int64(0.025 * sampleRate)
    lead = Int64(0.005 * sampleRate)
    recent = [Float](repeating: 0, count: Int(judgeAfter + lead) + 2)
    calibration = Int64(Self.calibrationSeconds * sampleRate)
  }

  /// The frames at which the metronome clicked (from the engine's events), in order.
  public mutating func addClicks(_ frames: [Int64]) {
    clicks.append(contentsOf: frames)
    if clickIndex > 4_096 {
      clicks.removeFirst(clickIndex)
      clickIndex = 0
    }
  }

  /// Processes the next block; returns the frames of the footfalls found in it.
  public mutating func process(_ block: UnsafeBufferPointer<Float>) -> [Int64] {
    var onsets: [Int64] = []
    for x in block {
      var y = stages.0.run(x)
      y = stages.1.run(y)
      let level = abs(y)
      envelope = max(level, envelope * release)
      average += (envelope - average) * averaging
      recent[Int(frame % Int64(recent.count))] = envelope
      let threshold = max(average * Self.ratio, Self.floor)
      if var p = pending {
        p.peak = max(p.peak, envelope)
        if frame - p.frame >= judgeAfter {
          if judge(p) { onsets.append(halfRise(of: p)) }
          pending = nil
        } else {
          pending = p
        }
      }
      if armed {
        armedMin = min(armedMin, envelope)
        if envelope > max(threshold, Self.rise * armedMin) {
          if frame - lastOnset >= refractory && frame >= calibration {
            pending = Onset(
              frame: frame, peak: envelope, nearClick: nearClick(frame), inSpeech: inSpeech(frame),
              background: average, base: armedMin)
            lastOnset = frame
          }
          armed = false
          lastPeak = envelope
        }
      } else {
        lastPeak = max(lastPeak, envelope)
        // Re-armed once the thump has died away: under the threshold, or (over a steady bass
        // that keeps the envelope up) under half of the thump's peak.
        if envelope < threshold * 0.7 || envelope < lastPeak * 0.5 {
          armed = true
          armedMin = envelope
        }
      }
      frame += 1
    }
    return onsets
  }

  /// The frame at which the thump's envelope first rose halfway from where it started to its
  /// peak: where the threshold is crossed moves with whatever else is sounding (a bass note,
  /// the tail of the thump before), the halfway point much less.
  private func halfRise(of p: Onset) -> Int64 {
    let size = Int64(recent.count)
    var f = max(p.frame - lead, frame - size + 1, 0)
    let half = p.base + (p.peak - p.base) * 0.5
    while f < frame && recent[Int(f % size)] < half { f += 1 }
    return f
  }

  /// Keeps an onset unless it sits on a click and is much weaker than recent footfalls, or
  /// in cadence's own speech and weaker than them (or before any footfall is known).
  private mutating func judge(_ p: Onset) -> Bool {
    if p.peak < p.background * Self.peakRatio { return false }
    if p.inSpeech {
      guard !peaks.isEmpty, p.peak >= peaks.sorted()[peaks.count / 2] * 0.7 else { return false }
      return true
    }
    if p.nearClick && !peaks.isEmpty {
      let typical = peaks.sorted()[peaks.count / 2]
      if p.peak < typical * 0.5 { return false }
    }
    peaks.append(p.peak)
    if peaks.count > 8 { peaks.removeFirst() }
    return true
  }

  /// Stretches (first frame, end frame) in which cadence's own voice plays, in order: a spoken
  /// cue is a voice at 100-300 Hz, which the low-pass does not remove.
  public mutating func addSpeech(_ spans: [FrameSpan]) {
    speech.append(contentsOf: spans)
    if speech.count > 1_024 { speech.removeFirst(speech.count - 512) }
  }

  private func inSpeech(_ f: Int64) -> Bool {
    speech.contains { $0.contains(f) }
  }

  private mutating func nearClick(_ f: Int64) -> Bool {
    while clickIndex < clicks.count && clicks[clickIndex] + clickAfter < f { clickIndex += 1 }
    guard clickIndex < clicks.count else { return false }
    return clicks[clickIndex] - clickBefore <= f
  }
}

/// A second-order IIR section (RBJ cookbook), transposed direct form II.
struct Biquad: Sendable {
  var b0: Float, b1: Float, b2: Float, a1: Float, a2: Float
  var z1: Float = 0, z2: Float = 0

  static func lowPass(_ hz: Double, rate: Double, q: Double = 0.7071) -> Biquad {
    let w = 2 * Double.pi * hz / rate
    let alpha = sin(w) / (2 * q)
    let c = cos(w)
    let a0 = 1 + alpha
    return Biquad(
      b0: Float((1 - c) / 2 / a0), b1: Float((1 - c) / a0), b2: Float((1 - c) / 2 / a0),
      a1: Float(-2 * c / a0), a2: Float((1 - alpha) / a0))
  }

  mutating func run(_ x: Float) -> Float {
    let y = b0 * x + z1
    z1 = b1 * x - a1 * y + z2
    z2 = b2 * x - a2 * y
    return y
  }
}

/// A stretch of frames, first to last inclusive (passes through the lock-free rings).
public struct FrameSpan: Sendable, BitwiseCopyable, Equatable {
  public var first: Int64
  public var last: Int64

  public init(_ first: Int64, _ last: Int64) {
    self.first = first
    self.last = max(first, last)
  }

  public func contains(_ frame: Int64) -> Bool { frame >= first && frame <= last }
}
