/// The training figures the planner encodes. Each is from ../shared/domain.md or the planner
/// issue's summary of the cadence-retraining studies; the comment says which.
public enum Training {
  /// domain.md, "Cadence": "Goal band: 170 to 190 spm". The default goal is its bottom.
  public static let defaultGoalSPM = 170.0
  public static let highestGoalSPM = 190.0
  /// Cadence-retraining studies raised cadence by +5% to +10%; 5 spm is about the smallest
  /// change a runner can feel (domain.md: "if you're currently at 160, work your way up to
  /// 165"). A rung is at most +5 spm and at most +5% of the rung below.
  public static let maxRungSPM = 5.0
  public static let maxRungFraction = 0.05
  /// [product choice] The smallest rung `--step` may ask for: 1 spm. Rungs are kept to 0.1
  /// spm, so a smaller step could never climb; and with 1 spm a ladder from 100 to 190 has at
  /// most 90 rungs.
  public static let minRungSPM = 1.0
  /// The studies tested increases up to +10%; a goal beyond that is planned in phases with a
  /// re-measure between them.
  public static let testedIncreaseFraction = 0.10
  /// The studies held a new cadence for about 2 weeks / 6-8 runs; never less than 1 week / 3.
  public static let defaultHoldDays = 14
  public static let defaultHoldRuns = 6
  public static let minimumHoldDays = 7
  public static let minimumHoldRuns = 3
  /// Back pain (0-10) 2 or more points above the runner's baseline holds the rung; twice in a
  /// row steps back one rung (planner issue).
  public static let painRiseThatHolds = 2
  /// "Effort reported as manageable": 6 or less on the 1-10 scale (moderate). A product choice,
  /// not a figure from domain.md: above 6 the run was hard, and a new cadence should not be.
  public static let manageableEffort = 6
  /// domain.md, "Training load": "10% rule: raise weekly distance by no more than 10%", and
  /// "About 70% of running injuries follow a sudden change in training": one change at a time.
  public static let weeklyDistanceRiseFraction = 0.10
  public static let secondsPerDay: Int64 = 86_400
}

/// The warning signs of domain.md ("Warning signs: stop running and see a professional").
public enum WarningSign: String, CaseIterable, Sendable, Codable, Hashable {
  case radiatingPain = "radiating-pain"
  case bladderOrBowel = "bladder-bowel"
  case legWeakness = "leg-weakness"
  case painWalking = "walking-pain"
  case lastingPain = "lasting-pain"

  /// The question a check-in asks.
  public var question: String {
    switch self {
    case .radiatingPain:
      "Pain that radiates down a leg (especially below the knee), or numbness, tingling or weakness with it?"
    case .bladderOrBowel: "Any loss of bladder or bowel control?"
    case .legWeakness: "Significant weakness in your legs or feet?"
    case .painWalking: "Pain that severely interferes with walking or standing?"
    case .lastingPain: "Pain that has not improved within a few weeks of self-care?"
    }
  }

  /// What to do, in domain.md's words.
  public var advice: String {
    switch self {
    case .bladderOrBowel: "Loss of bladder or bowel control needs immediate medical attention."
    default:
      "Stop running and see a professional: a general practitioner, physical therapist or sports-medicine specialist can diagnose the cause."
    }
  }
}
