import Glibc
import Listening
import Playback

/// The microphone side of a session: footfalls from the listener thread, the running cadence,
/// and the cadence heard in each minute.
public final class Hearing {
  public let listener: Listener
  private var estimator: CadenceEstimator
  private let rate: Double
  public private(set) var perMinute: [(minute: Int, spm: Double)] = []
  private var nextMinute = 0
  public private(set) var current: Double?

  public init(listener: Listener) {
    self.listener = listener
    rate = Double(listener.configuration.sampleRate)
    estimator = CadenceEstimator(sampleRate: rate)
  }

  /// Takes the footfalls found so far; reports each minute completed.
  public func update(_ minuteDone: ((minute: Int, spm: Double)) -> Void) {
    var frames: [Int64] = []
    while let f = listener.steps.pop() { frames.append(f) }
    estimator.add(frames)
    let captured = listener.framesCaptured
    current = estimator.estimate(at: captured)
    while Int64(Double(nextMinute + 1) * 60 * rate) <= captured {
      let boundary = Int64(Double(nextMinute + 1) * 60 * rate)
      if let spm = estimator.estimate(at: boundary) {
        let entry = (nextMinute, (spm * 10).rounded() / 10)
        perMinute.append(entry)
        minuteDone(entry)
      }
      nextMinute += 1
    }
  }

  /// After the session: lets the listener reach `seconds` of input (at most 5 s of waiting),
  /// stops it, and takes the last minutes.
  public func finish(upTo seconds: Double, _ minuteDone: ((minute: Int, spm: Double)) -> Void) {
    let target = Int64(seconds * rate)
    var waited = 0
    while listener.framesCaptured < target && !listener.isFinished && waited < 500 {
      usleep(10_000)
      waited += 1
    }
    listener.stop()
    listener.wait()
    update(minuteDone)
  }
}
