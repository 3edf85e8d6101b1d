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
  /// Validates settings and builds the ladder: the start, then rungs of at most `stepSPM` and
  /// at most 5% of the rung below (to 0.1 spm, rounded down), ending on the goal. A start
  /// already at or above the goal gives one rung: maintenance.
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
    var rungs = [Rung(index: 0, spm: s.startSPM, phase: 1, needsRemeasure: false)]
    var phase = 1
    var phaseLimit = s.startSPM * (1 + Training.testedIncreaseFraction)
    var below = s.startSPM
    while below < s.goalSPM {
      let rise = min(s.stepSPM, below * Training.maxRungFraction)
      let next = min(s.goalSPM, ((below + rise) * 10 + 1e-9).rounded(.down) / 10)
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
}
