/// Whether a device's cadence counts steps (both feet) or strides (one foot). Standards say
/// "per minute" and devices disagree, so the figure is read against the speed it came with:
/// one reading gives a running step, the other does not. Shared by watch files and live
/// sensors, so both decide the same way.
public enum StepOrStride: Sendable, Equatable {
  case steps
  case strides

  /// [product choice] A step this short or long is not a running step: 0.5 to 1.8 m covers a
  /// shuffle to a sprint.
  public static let plausibleStep = 0.5...1.8
  /// [product choice] Per leg, a runner makes at most about 130 strides a minute (260 steps);
  /// a figure above that counts steps.
  public static let mostStridesPerMinute = 130.0
  /// Below this speed (m/s) a step length says nothing (standing, the belt stopping).
  public static let slowestSpeedThatTells = 0.5

  /// What one figure `raw` (as the device sent it) at `metersPerSecond` says; nil when it
  /// cannot tell (no speed, a speed under which both or neither reading is a running step).
  public static func vote(raw: Double, metersPerSecond: Double?) -> StepOrStride? {
    guard raw.isFinite, raw > 0 else { return nil }
    if raw > mostStridesPerMinute { return .steps }
    guard let speed = metersPerSecond, speed.isFinite, speed >= slowestSpeedThatTells else { return nil }
    let asSteps = plausibleStep.contains(speed / (raw / 60))
    let asStrides = plausibleStep.contains(speed / (raw * 2 / 60))
    if asSteps && !asStrides { return .steps }
    if asStrides && !asSteps { return .strides }
    return nil
  }

  /// `raw` in steps per minute under this reading.
  public func stepsPerMinute(_ raw: Double) -> Double { self == .steps ? raw : raw * 2 }
}
