/// What a runner chose when they made the plan.
public struct PlanSettings: Sendable, Equatable, Codable {
  public var startSPM: Double
  public var goalSPM: Double
  /// Largest rise from one rung to the next, in spm (`--step`; at most 5).
  public var stepSPM: Double
  public var holdDays: Int
  public var holdRuns: Int
  /// The runner's usual back pain, 0-10: the level a check-in is compared with.
  public var baselinePain: Int
  public var speed: Speed?

  public init(
    startSPM: Double, goalSPM: Double = Training.defaultGoalSPM, stepSPM: Double = Training.maxRungSPM,
    holdDays: Int = Training.defaultHoldDays, holdRuns: Int = Training.defaultHoldRuns, baselinePain: Int = 0,
    speed: Speed? = nil
  ) {
    self.startSPM = startSPM
    self.goalSPM = goalSPM
    self.stepSPM = stepSPM
    self.holdDays = holdDays
    self.holdRuns = holdRuns
    self.baselinePain = baselinePain
    self.speed = speed
  }
}

public enum PlanError: Error, Equatable, Sendable {
  case startOutOfRange(Double)
  case goalAboveBand(Double)
  case goalNotAboveStart(start: Double, goal: Double)
  case stepOutOfRange(Double)
  case holdTooShort(days: Int, runs: Int)
  case holdTooLong(days: Int, runs: Int)
  case painOutOfRange(Int)
}

/// One cadence the runner holds before moving up.
public struct Rung: Sendable, Equatable, Codable {
  public var index: Int
  public var spm: Double
  /// Phases split a goal beyond the tested +10% (phase 1, 2, ...).
  public var phase: Int
  /// The first rung of a later phase: reached only after a new measurement.
  public var needsRemeasure: Bool
}

public enum Ladder {
  /// Validates settings and builds the ladder. The first rung is the start rounded to a whole
  /// spm (the runner learns to run to the click at their own cadence first); the climb to the
  /// goal is cut into the fewest rises of at most `stepSPM` and 5% of the rung below, spread
  /// evenly ([product choice]: no sliver of a last rung, such as 169.6 -> 170, held for two
  /// weeks), each rung a whole spm where the step is whole (else to 0.1 spm). A start already
  /// at or above the goal gives one rung: maintenance.
  public static func rungs(_ s: PlanSettings) throws(PlanError) -> [Rung] {
    guard Cadence.playable.contains(s.startSPM) else { throw .startOutOfRange(s.startSPM) }
    guard s.goalSPM <= Training.highestGoalSPM else { throw .goalAboveBand(s.goalSPM) }
    guard s.stepSPM.isFinite, s.stepSPM >= Training.minRungSPM && s.stepSPM <= Training.maxRungSPM else {
      throw .stepOutOfRange(s.stepSPM)
    }
    guard s.goalSPM.isFinite, s.startSPM.isFinite else { throw .startOutOfRange(s.startSPM) }
    guard s.holdDays >= Training.minimumHoldDays && s.holdRuns >= Training.minimumHoldRuns else {
      throw .holdTooShort(days: s.holdDays, runs: s.holdRuns)
    }
    guard s.holdDays <= Training.maximumHoldDays && s.holdRuns <= Training.maximumHoldRuns else {
      throw .holdTooLong(days: s.holdDays, runs: s.holdRuns)
    }
    guard (0...10).contains(s.baselinePain) else { throw .painOutOfRange(s.baselinePain) }
    if s.startSPM >= s.goalSPM {
      guard s.goalSPM >= Training.defaultGoalSPM || s.startSPM >= Training.defaultGoalSPM else {
        throw .goalNotAboveStart(start: s.startSPM, goal: s.goalSPM)
      }
      return [Rung(index: 0, spm: s.startSPM, phase: 1, needsRemeasure: false)]
    }
    let first = s.startSPM.rounded()
    guard first < s.goalSPM else {
      // The start rounds to the goal (169.6 with a goal of 170): one rung, the goal.
      return [Rung(index: 0, spm: s.goalSPM, phase: 1, needsRemeasure: false)]
    }
    let climb = evenRises(from: first, to: s.goalSPM, step: s.stepSPM)
    var rungs = [Rung(index: 0, spm: first, phase: 1, needsRemeasure: false)]
    var phase = 1
    var phaseLimit = first * (1 + Training.testedIncreaseFraction)
    var below = first
    for next in climb {
      // Every rung climbs (rise >= 1 spm at 100 spm and up): the ladder ends within 90 rungs.
      precondition(next > below, "a rung that does not climb")
      var remeasure = false
      if next > phaseLimit + 1e-9 {
        phase += 1
        phaseLimit = below * (1 + Training.testedIncreaseFraction)
        remeasure = true
      }
      rungs.append(Rung(index: rungs.count, spm: next, phase: phase, needsRemeasure: remeasure))
      below = next
    }
    return rungs
  }

  /// The rungs above `first` up to `goal`: the fewest evenly spread rises that each stay within
  /// `step` and 5% of the rung below; whole spm where `step`, `first` and `goal` are whole,
  /// else 0.1 spm (rounded down, so no rise grows past the step).
  static func evenRises(from first: Double, to goal: Double, step: Double) -> [Double] {
    let distance = goal - first
    let whole = step == step.rounded() && goal == goal.rounded()
    let unit = whole ? 1.0 : 0.1
    var count = max(1, Int((distance / step - 1e-9).rounded(.up)))
    // At most 90 rungs (1 spm from 100 to 190); the loop ends long before.
    while count < 1_000 {
      var rungs: [Double] = []
      var below = first
      var fits = true
      for i in 1...count {
        let next =
          i == count ? goal : first + ((distance * Double(i) / Double(count)) / unit + 1e-9).rounded(.down) * unit
        if next - below > min(step, below * Training.maxRungFraction) + 1e-9 || next <= below { fits = false }
        rungs.append(next)
        below = next
      }
      if fits { return rungs }
      count += 1
    }
    return [goal]
  }
}
