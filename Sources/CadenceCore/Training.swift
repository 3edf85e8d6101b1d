/// The training figures the planner encodes, each marked as ../shared/domain.md marks it:
/// [article], [study: ...], [arithmetic] or [product choice].
public enum Training {
  /// domain.md, "Cadence": "Goal band: 170 to 190 spm". The default goal is its bottom.
  public static let defaultGoalSPM = 170.0
  public static let highestGoalSPM = 190.0
  /// [article] "if you're currently at 160, work your way up to 165": rungs of 5 spm. The cap
  /// of +5% of the rung below is a [product choice]: the studies' +5% and +10% (domain.md,
  /// "Cadence") are whole changes, not per-rung limits.
  public static let maxRungSPM = 5.0
  public static let maxRungFraction = 0.05
  /// [product choice] The smallest rung `--step` may ask for: 1 spm. Rungs are kept to 0.1
  /// spm, so a smaller step could never climb; and with 1 spm a ladder from 100 to 190 has at
  /// most 90 rungs.
  public static let minRungSPM = 1.0
  /// [study: Heiderscheit et al. 2011] tested +5% and +10%; [study: Willy et al. 2016] +7.5%.
  /// A goal beyond +10% is planned in phases with a re-measure between them ([product choice]).
  public static let testedIncreaseFraction = 0.10
  /// A rung held for about two weeks is common coaching practice, not an article figure
  /// (domain.md, "Cadence"); 6 runs (three a week) and the floor of 1 week / 3 runs are
  /// [product choice]s.
  public static let defaultHoldDays = 14
  public static let defaultHoldRuns = 6
  public static let minimumHoldDays = 7
  public static let minimumHoldRuns = 3
  /// [product choice] The longest hold `--hold-days` / `--hold-runs` may ask for: a year and
  /// 100 runs. Beyond that a rung never unlocks, and the day arithmetic must stay bounded.
  public static let maximumHoldDays = 365
  public static let maximumHoldRuns = 100
  /// [product choice] Back pain (0-10) 2 or more points above the runner's baseline holds the
  /// rung; on two checked-in runs in a row it steps back one rung. No source gives these
  /// figures; the articles say to stop and rest when it hurts (see `PainAdvice`).
  public static let painRiseThatHolds = 2
  public static let painRisesThatStepBack = 2
  /// [product choice] "Effort reported as manageable": 6 or less on the 1-10 scale. No source
  /// gives it: above 6 the run was hard, and a new cadence should not be.
  public static let manageableEffort = 6
  /// [product choice] A run counts towards a rung when its cadence (the click it was played
  /// to, or `log --cadence`) is within 2 spm of the rung; a re-measure at a phase boundary must
  /// reach the rung held within the same 2 spm. Rungs are 1-5 spm apart.
  public static let rungToleranceSPM = 2.0
  /// [product choice] domain.md's warning sign "pain that has not improved within a few weeks
  /// of self-care", read as: back pain above the baseline on every checked-in run over 21 days.
  /// The planner then asks the question; only the runner can answer it.
  public static let lastingPainDays = 21
  /// domain.md, "Training load": "10% rule: raise weekly distance by no more than 10%", and
  /// "About 70% of running injuries follow a sudden change in training": one change at a time.
  public static let weeklyDistanceRiseFraction = 0.10
  /// [product choice] A run shorter than this (an accidental start, a block stopped after a
  /// minute) counts for distance and its check-in's pain, not towards a rung: a rung is earned
  /// by running at its cadence, and 10 minutes is half of a session's 20-minute block.
  public static let shortestCountingMinutes = 10.0
  /// domain.md, "Around the run": "Replace running shoes every 300-500 miles (about 480-800
  /// km); worn shoes lose shock absorption." A pair is told about from the low end.
  public static let shoeReplaceKm = 480.0...800.0
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

  /// The one question a check-in asks first: any of the signs, in short. A yes asks each.
  public static let anyQuestion =
    "Any warning sign: pain down a leg (or numbness, tingling), loss of bladder or bowel control, weakness in the "
    + "legs or feet, pain that stops you walking or standing, or pain not improving for weeks?"

  /// What to do, in domain.md's words.
  public var advice: String {
    switch self {
    case .bladderOrBowel: "Loss of bladder or bowel control needs immediate medical attention."
    default:
      "Stop running and see a professional: a general practitioner, physical therapist or sports-medicine specialist can diagnose the cause."
    }
  }
}

/// What the articles say to do when back pain comes up (domain.md, "Around the run"), shown
/// whenever a check-in's pain holds or steps back the plan.
public enum PainAdvice {
  public static let lines = [
    "If it hurts while running, stop: don't push through it.",
    "Rest: take a break from running for a few days; ice 15-20 minutes at a time, several times a day.",
    "For lower back pain, one article's top advice is at least a week or two off.",
    "If the pain persists, see a physical therapist.",
  ]

  /// The question the planner asks when pain has stayed above the baseline on every run since
  /// `since` (a day, as text) for `Training.lastingPainDays` days or more.
  public static func lastingPainQuestion(since: String) -> String {
    "Back pain has been above your baseline on every run since \(since) (\(Training.lastingPainDays / 7) weeks or more). "
      + "Has it not improved with self-care? That is a warning sign: stop running and see a professional, "
      + "and report it with: cadence warn \(WarningSign.lastingPain.rawValue)"
  }
}
