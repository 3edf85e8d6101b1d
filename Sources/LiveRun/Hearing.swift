import ALSA
import CadenceCore
import ClickEngine
import Glibc
import Listening
import Playback

/// Where the footfalls come from: the microphone's listener thread, or a test's script.
public protocol FootfallSource: AnyObject {
  /// Footfall frames found so far, in capture frames.
  var steps: SPSCRing<Int64> { get }
  /// The metronome's clicks in capture frames, for the detector.
  var clicks: SPSCRing<Int64> { get }
  /// Where cadence's own voice plays, in capture frames, for the detector.
  var speech: SPSCRing<FrameSpan> { get }
  /// The capture stream's frame against the monotonic clock.
  var clock: FrameClock { get }
  var framesCaptured: Int64 { get }
  var isFinished: Bool { get }
  func stop()
  @discardableResult func wait() -> ALSAError?
}

extension Listener: FootfallSource {}

/// The microphone side of a session: footfalls from the listener thread, the cadence heard
/// (settled: a wrong one is worse than none), the footfalls' timing against the click, and
/// what was heard in each minute.
public final class Hearing {
  public let source: FootfallSource
  private var estimator: CadenceEstimator
  private let rate: Double
  public private(set) var perMinute: [HeardMinute] = []
  private var nextMinute = 0
  private var nextJudgement: Int64 = 0
  /// The latest verdict, once a window of footfalls has been heard.
  public private(set) var current: Heard?
  /// The footfalls' timing against the click over the last window.
  public private(set) var timing: ClickTiming?
  /// Footfalls and clicks in capture frames, from a little before the minute being heard.
  private var footfalls: [Int64] = []
  private var clicks: [Int64] = []

  public init(_ source: FootfallSource) {
    self.source = source
    rate = source.clock.sampleRate
    estimator = CadenceEstimator(sampleRate: rate)
  }

  /// The clicks the engine played (engine frames), placed where the microphone heard them by
  /// the two streams' clocks; dropped unless both streams run in real time.
  public func clicked(_ frames: [Int64], playback: FrameClock?) {
    guard let playback, !frames.isEmpty else { return }
    let placed = frames.compactMap { captureFrame(ofPlayback: $0, playback: playback, capture: source.clock) }
    for frame in placed { _ = source.clicks.push(frame) }
    clicks += placed
    estimator.addClicks(placed)
  }

  /// Stretches where cadence's voice plays (engine frames), placed in the microphone's frames
  /// for the detector; false (try again later) until both streams run in real time.
  public func spoke(_ spans: [FrameSpan], playback: FrameClock?) -> Bool {
    guard let playback else { return false }
    var placed: [FrameSpan] = []
    for span in spans {
      guard let start = captureFrame(ofPlayback: span.first, playback: playback, capture: source.clock),
        let end = captureFrame(ofPlayback: span.last, playback: playback, capture: source.clock)
      else { return false }
      placed.append(FrameSpan(start, end))
    }
    for span in placed { _ = source.speech.push(span) }
    return true
  }

  /// Takes the footfalls found so far; reports each minute completed.
  public func update(_ minuteDone: (HeardMinute) -> Void) {
    var frames: [Int64] = []
    while let f = source.steps.pop() { frames.append(f) }
    estimator.add(frames)
    footfalls += frames
    let captured = source.framesCaptured
    let window = Int64(CadenceEstimator.windowSeconds * rate)
    // Judged once a second (the control loop ticks ten times as often).
    if captured >= window && captured >= nextJudgement {
      nextJudgement = captured + Int64(rate)
      current = estimator.settled(at: captured)
      timing = ClickTiming.measure(
        footfalls: footfalls.filter { $0 > captured - window },
        clicks: clicks.filter { $0 > captured - window - window / 10 },
        sampleRate: rate)
    }
    let minute = Int64(60 * rate)
    while Int64(nextMinute + 1) * minute <= captured {
      let start = Int64(nextMinute) * minute
      let end = start + minute
      if let spm = estimator.settled(at: end).spm {
        let inMinute = footfalls.filter { $0 >= start && $0 < end }
        let near = clicks.filter { $0 >= start - Int64(rate) && $0 < end + Int64(rate) }
        let t = ClickTiming.measure(footfalls: inMinute, clicks: near, sampleRate: rate)
        let entry = HeardMinute(
          minute: nextMinute, spm: (spm * 10).rounded() / 10, offsetMs: t.map { ($0.meanMs * 10).rounded() / 10 },
          spreadMs: t.map { ($0.spreadMs * 10).rounded() / 10 })
        perMinute.append(entry)
        minuteDone(entry)
      }
      nextMinute += 1
      // Only the last window and the minute being heard are needed.
      let keep = min(end - Int64(rate), captured - window - Int64(rate))
      footfalls.removeAll { $0 < keep }
      clicks.removeAll { $0 < keep }
    }
  }

  /// After the session: lets the listener reach `seconds` of input (at most 5 s of waiting),
  /// stops it, and takes the last minutes.
  public func finish(upTo seconds: Double, _ minuteDone: (HeardMinute) -> Void) {
    let target = Int64(seconds * rate)
    var waited = 0
    while source.framesCaptured < target && !source.isFinished && waited < 500 {
      usleep(10_000)
      waited += 1
    }
    source.stop()
    source.wait()
    update(minuteDone)
  }
}
