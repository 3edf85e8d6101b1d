/// The runner's footfalls against the metronome's clicks: each footfall paired with the click
/// nearest it (within half the time between clicks), footfall minus click in milliseconds.
/// Both in capture frames: the clicks placed where the runner heard them (the playback
/// device's delay and the microphone's included).
public struct ClickTiming: Equatable, Sendable {
  /// Mean footfall minus click; negative is ahead of the click.
  public var meanMs: Double
  /// Standard deviation of footfall minus click.
  public var spreadMs: Double
  /// Footfalls paired with a click.
  public var footfalls: Int

  /// Fewer pairs than this say nothing about the runner's timing.
  public static let minimumFootfalls = 8

  /// Nil with fewer than `minimumFootfalls` footfalls near a click. The detector's own delay
  /// (`StepDetector.latencySeconds`) is taken off each footfall.
  public static func measure(footfalls: [Int64], clicks: [Int64], sampleRate: Double) -> ClickTiming? {
    guard clicks.count >= 2 else { return nil }
    let latency = StepDetector.latencySeconds * sampleRate
    var offsets: [Double] = []
    var c = 0
    for step in footfalls {
      let f = Double(step) - latency
      while c + 1 < clicks.count && Double(clicks[c + 1]) <= f { c += 1 }
      // The click before the footfall and the one after: the nearer, within half their distance.
      let before = Double(clicks[c])
      let after = c + 1 < clicks.count ? Double(clicks[c + 1]) : before
      let nearest = abs(f - before) <= abs(after - f) ? before : after
      let gap = c + 1 < clicks.count ? after - before : (c > 0 ? before - Double(clicks[c - 1]) : 0)
      guard gap > 0, abs(f - nearest) <= gap / 2 else { continue }
      offsets.append((f - nearest) / sampleRate * 1000)
    }
    guard offsets.count >= minimumFootfalls else { return nil }
    let mean = offsets.reduce(0, +) / Double(offsets.count)
    let spread = (offsets.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(offsets.count)).squareRoot()
    return ClickTiming(meanMs: mean, spreadMs: spread, footfalls: offsets.count)
  }
}
