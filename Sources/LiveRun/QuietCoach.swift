import CadenceCore
import ClickEngine
import Foundation

/// The quiet coach (`--quiet-coach SPM`): with a live cadence (a foot pod or the microphone),
/// the click goes silent once the runner has held the band around the target for
/// `settleSeconds`, and comes back on the next beat when they drift out of it, with a
/// directional cue at most every `cueEverySeconds`. The click grid never moves: the engine's
/// steps go on silently (`setMuted`), so silence and return both land on beats of the grid
/// that was playing.
///
/// A plain value, stepped by the control thread at its ticks; it decides, `LiveRun` sends.
public struct QuietCoach: Sendable, Equatable {
  public enum Drift: Sendable, Equatable {
    case tooSlow
    case tooFast
  }

  public enum Action: Sendable, Equatable {
    /// The runner holds the band: the click goes quiet.
    case silence
    /// The click comes back (a drift, a pause, a phase without a click, no settled cadence).
    case restore
    /// A directional cue: quicker steps, or slower.
    case cue(Drift)
  }

  /// [product choice] The band is held this long (the settled cadence within it at every tick)
  /// before the click goes quiet: long enough to be a habit, not a lucky stretch.
  public static let settleSeconds = 30.0
  /// [product choice] At most one directional cue this often while the runner is out of the band.
  public static let cueEverySeconds = 20.0
  /// [product choice] The bands `--quiet-coach` takes, in spm either side of the target: under
  /// 1 spm no settled cadence holds still enough; over 10 spm is another rung.
  public static let bands: ClosedRange<Double> = 1...10

  /// Half-width of the band, in spm.
  public let band: Double
  public private(set) var silent = false
  private var inBandSince: Double?
  private var lastCue: Double?

  public init(band: Double) { self.band = band }

  /// Steps the coach at `now` (seconds of the run) with the click at `target` and the runner's
  /// settled cadence `live` (nil while none is settled). `active` is false where the click is
  /// not the runner's to hold: paused, a phase without a click.
  public mutating func update(now: Double, target: Double, live: Double?, active: Bool) -> [Action] {
    guard active, let live, live.isFinite, target.isFinite else {
      inBandSince = nil
      return restore()
    }
    let off = live - target
    if abs(off) <= band {
      let since = inBandSince ?? now
      inBandSince = since
      guard !silent, now - since >= Self.settleSeconds else { return [] }
      silent = true
      return [.silence]
    }
    inBandSince = nil
    var actions = restore()
    if lastCue.map({ now - $0 >= Self.cueEverySeconds }) ?? true {
      lastCue = now
      actions.append(.cue(off < 0 ? .tooSlow : .tooFast))
    }
    return actions
  }

  private mutating func restore() -> [Action] {
    guard silent else { return [] }
    silent = false
    return [.restore]
  }

  /// What the runner is told on screen when the coach acts.
  public static func words(_ action: Action, target: Double, live: Double?, band: Double) -> String {
    let spm = live.map { format($0, 0) } ?? "-"
    switch action {
    case .silence:
      return "Holding \(Cadence.format(target)) spm: the click goes quiet, and comes back if you drift past "
        + "\(Cadence.format(band)) spm."
    case .restore: return "The click is back: \(spm) spm against \(Cadence.format(target))."
    case .cue(.tooSlow): return "\(spm) spm: quicker, shorter steps."
    case .cue(.tooFast): return "\(spm) spm: a little slower."
    }
  }

  /// The spoken cue with `--voice`.
  public static func spoken(_ drift: Drift) -> String { drift == .tooSlow ? "Quicker steps." : "A little slower." }

  /// [product choice] A cue starts this long after the click it follows has ended.
  public static let cueAfterClickSeconds = 0.01

  /// [product choice] The cue without a voice: two short tones for too slow, three for too fast,
  /// each 50 ms at 880 Hz with 40 ms between: three take 230 ms, so a cue started 10 ms after a
  /// 30 ms click ends before the next click up to 220 spm.
  public static func tones(_ drift: Drift, sampleRate: Double) -> Sample {
    let count = drift == .tooSlow ? 2 : 3
    let tone = Int(0.05 * sampleRate)
    let gap = Int(0.04 * sampleRate)
    let ramp = max(1, Int(0.005 * sampleRate))
    var samples = [Float](repeating: 0, count: count * tone + (count - 1) * gap)
    for n in 0..<count {
      for i in 0..<tone {
        // Counted from 1, so that each tone's first sample already sounds.
        let t = Double(i + 1)
        let edge = min(1, t / Double(ramp), Double(tone - i) / Double(ramp))
        samples[n * (tone + gap) + i] = Float(sin(2 * .pi * 880 * t / sampleRate) * edge)
      }
    }
    return Sample(samples, sampleRate: sampleRate)
  }

  /// Where each tone of a cue starts, from the cue's first frame.
  public static func toneStarts(_ drift: Drift, sampleRate: Double) -> [Int64] {
    let step = Int64(0.05 * sampleRate) + Int64(0.04 * sampleRate)
    return (0..<(drift == .tooSlow ? 2 : 3)).map { Int64($0) * step }
  }
}

/// What the quiet coach did in a run: its silent stretches (frames; an open one ran to the end)
/// and its cues.
public struct QuietTally: Sendable, Equatable {
  public var band: Double
  public var silences: [(from: Int64, to: Int64?)]
  public var cues: [(frame: Int64, drift: QuietCoach.Drift)]

  public static func == (a: QuietTally, b: QuietTally) -> Bool {
    a.band == b.band && a.silences.map(\.from) == b.silences.map(\.from) && a.silences.map(\.to) == b.silences.map(\.to)
      && a.cues.map(\.frame) == b.cues.map(\.frame) && a.cues.map(\.drift) == b.cues.map(\.drift)
  }

  /// Frames the click was held back, up to `end`.
  public func silentFrames(upTo end: Int64) -> Int64 {
    silences.reduce(0) { $0 + max(0, min($1.to ?? end, end) - $1.from) }
  }
}
