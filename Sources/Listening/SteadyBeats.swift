/// A source in the room that beats more steadily than any runner: music's kick or bass, a
/// belt seam, a metronome. Its onsets lie on a straight grid to within a few milliseconds
/// over many beats; a runner's footfalls wander by more than that from step to step
/// (stride-time variability of a few per cent), so they never line up that long.
public struct SteadyBeat: Equatable, Sendable {
  /// Frames between beats (fitted).
  public var period: Double
  /// The frame of one beat on the grid.
  public var phase: Double
  /// Onsets found on the grid.
  public var onsets: Int

  /// Beats per minute at `rate`; a grid of eighth notes (over 200) is told as its beat.
  public func bpm(rate: Double) -> Double {
    var bpm = 60 * rate / period
    while bpm > 200 { bpm /= 2 }
    return bpm
  }

  /// True when `frame` lies on the grid, or halfway between two of its beats, within `tolerance`.
  func holds(_ frame: Int64, tolerance: Double) -> Bool {
    let half = period / 2
    let x = (Double(frame) - phase) / half
    return abs(x - x.rounded()) * half <= tolerance
  }
}

/// Finds steady beats among onsets: chains on which every onset sits within `tolerance` of a
/// straight grid fitted to the chain so far, beats may be missing (a footfall on a beat
/// hides it), at least `minimumOnsets` long and holding at least half the beats it spans.
public enum SteadyBeats {
  /// A machine's onsets, found by the detector, lie this close to their grid: the onset is where
  /// the envelope crosses a threshold that moves with the room, a millisecond or two.
  public static let toleranceSeconds = 0.001
  /// Fewer onsets than this on a grid could be chance.
  public static let minimumOnsets = 10
  /// ... or over less time than this.
  public static let minimumSeconds = 8.0
  /// Beats from 40 to 240 per minute.
  static let periods = (shortest: 0.25, longest: 1.5)

  /// The steady beats, strongest first; every onset belongs to at most one.
  public static func find(in onsets: [Int64], rate: Double) -> [SteadyBeat] {
    let tolerance = toleranceSeconds * rate
    var free = onsets
    var found: [SteadyBeat] = []
    // At most a few sources: each pass takes the longest chain and the onsets on its grid.
    for _ in 0..<4 {
      guard let best = longestChain(in: free, rate: rate, tolerance: tolerance) else { break }
      found.append(best)
      free.removeAll { best.holds($0, tolerance: tolerance) }
    }
    return found
  }

  private static func longestChain(in onsets: [Int64], rate: Double, tolerance: Double) -> SteadyBeat? {
    let shortest = Int64(periods.shortest * rate)
    let longest = Int64(periods.longest * rate)
    var best: SteadyBeat?
    for i in onsets.indices {
      var j = i + 1
      while j < onsets.count && onsets[j] - onsets[i] <= longest {
        if onsets[j] - onsets[i] >= shortest,
          let chain = follow(onsets, from: i, to: j, tolerance: tolerance, rate: rate),
          chain.onsets > (best?.onsets ?? minimumOnsets - 1)
        {
          best = chain
        }
        j += 1
      }
    }
    return best
  }

  /// Follows the grid that onsets `i` and `j` start, refitting it (least squares) as it grows
  /// with twice the tolerance (the first two onsets fix the period only roughly), then counts
  /// the onsets within the tolerance of the final grid.
  private static func follow(_ onsets: [Int64], from i: Int, to j: Int, tolerance: Double, rate: Double) -> SteadyBeat?
  {
    let origin = Double(onsets[i])
    var period = Double(onsets[j] - onsets[i])
    // Sums for the fit of frame = origin + intercept + period * beat over the members.
    var n = 2.0
    var sumK = 1.0
    var sumKK = 1.0
    var sumY = period
    var sumKY = period
    var intercept = 0.0
    var lastBeat = 1
    var k = j + 1
    while k < onsets.count {
      let y = Double(onsets[k]) - origin
      let beat = Int((y - intercept) / period + 0.5)
      if beat > lastBeat && abs(intercept + Double(beat) * period - y) <= 2 * tolerance {
        let b = Double(beat)
        n += 1
        sumK += b
        sumKK += b * b
        sumY += y
        sumKY += b * y
        let d = n * sumKK - sumK * sumK
        period = (n * sumKY - sumK * sumY) / d
        intercept = (sumY - period * sumK) / n
        lastBeat = beat
      }
      k += 1
    }
    guard Int(n) >= minimumOnsets else { return nil }
    let phase = origin + intercept
    let last = phase + Double(lastBeat) * period + tolerance
    // A runner's footfalls can line up with a grid for a few seconds; a machine keeps it: the
    // chain must last `minimumSeconds` and hold members in both halves of that.
    guard Double(lastBeat) * period >= minimumSeconds * rate else { return nil }
    let middle = phase + Double(lastBeat) * period / 2
    var members = (first: 0, second: 0)
    for f in onsets[i...] {
      if Double(f) > last { break }
      let x = (Double(f) - phase) / period
      guard abs(x - x.rounded()) * period <= tolerance else { continue }
      if Double(f) < middle { members.first += 1 } else { members.second += 1 }
    }
    let total = members.first + members.second
    guard total >= minimumOnsets, 2 * total >= lastBeat + 1, min(members.first, members.second) >= 3 else {
      return nil
    }
    return SteadyBeat(period: period, phase: phase, onsets: total)
  }
}
