/// Cadence from taps: the runner taps on every step (or every step of one foot) for 20-30 s.
public enum TapAnalysis {
  /// Fewer good intervals than this cannot give a cadence worth storing (about 6 s of running).
  public static let minimumIntervals = 15
  /// Above this spread (coefficient of variation of the kept intervals) the taps are not a rhythm.
  public static let maximumVariation = 0.15
  /// More than this share of intervals thrown away: the taps are not to be trusted.
  public static let maximumDiscardedShare = 0.25
  /// A gap longer than this between taps is a pause, not a step (40 spm tapped on one foot).
  public static let longestInterval = 3.0

  public struct Result: Sendable, Equatable, Encodable {
    public var spm: Double
    /// 95% confidence interval of the cadence.
    public var low: Double
    public var high: Double
    public var steps: Int
    public var seconds: Double
    public var missedTaps: Int
    public var doubleTaps: Int
    public var outliers: Int
  }

  public enum Failure: Error, Equatable, Sendable {
    case tooFewTaps(intervals: Int)
    case irregular(variationPercent: Int)
    case tooManyDiscarded(discarded: Int, of: Int)
    case outOfRange(spm: Double)
  }

  /// `times`: tap moments in seconds, in order. `perFoot`: the taps mark one foot's steps.
  public static func analyze(_ times: [Double], perFoot: Bool = false) throws(Failure) -> Result {
    let raw = zip(times.dropFirst(), times).map { $0 - $1 }.filter { $0 > 0 && $0 <= longestInterval }
    guard raw.count >= minimumIntervals else { throw .tooFewTaps(intervals: raw.count) }
    let median = raw.sorted()[raw.count / 2]
    var intervals: [Double] = []
    var missed = 0
    var doubles = 0
    var outliers = 0
    var carry = 0.0
    for interval in raw {
      let span = carry + interval
      if span < 0.5 * median {
        // A double tap: the second tap is dropped and its time joins the next interval.
        doubles += 1
        carry = span
        continue
      }
      carry = 0
      let ratio = span / median
      if (1.7...2.3).contains(ratio) {
        // A missed tap: two steps in one interval.
        missed += 1
        intervals += [span / 2, span / 2]
      } else if (0.75...1.33).contains(ratio) {
        intervals.append(span)
      } else {
        outliers += 1
      }
    }
    let discarded = doubles + outliers
    if Double(discarded) > maximumDiscardedShare * Double(raw.count) {
      throw .tooManyDiscarded(discarded: discarded, of: raw.count)
    }
    guard intervals.count >= minimumIntervals else { throw .tooFewTaps(intervals: intervals.count) }
    let n = Double(intervals.count)
    let mean = intervals.reduce(0, +) / n
    let variance = intervals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
    let sd = variance.squareRoot()
    if sd / mean > maximumVariation { throw .irregular(variationPercent: Int((sd / mean * 100).rounded())) }
    let half = studentT975(degrees: intervals.count - 1) * sd / n.squareRoot()
    let steps = perFoot ? 2.0 : 1.0
    let spm = 60 / mean * steps
    guard Cadence.playable.contains(spm) else { throw .outOfRange(spm: spm) }
    return Result(
      spm: spm, low: 60 / (mean + half) * steps, high: 60 / (mean - half) * steps, steps: intervals.count * Int(steps),
      seconds: (times.last ?? 0) - (times.first ?? 0), missedTaps: missed, doubleTaps: doubles, outliers: outliers)
  }

  /// The 97.5th percentile of Student's t (two-sided 95%): exact table to 30 degrees of freedom,
  /// then the normal value with the usual first-order correction.
  static func studentT975(degrees: Int) -> Double {
    let table: [Double] = [
      12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
      2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ]
    if degrees >= 1 && degrees <= table.count { return table[degrees - 1] }
    return 1.96 + 2.4 / Double(max(degrees, 1))
  }
}
