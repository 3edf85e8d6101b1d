/// A coaching cue: a short line to read or hear while running, and what the articles say of it.
public struct FormCue: Sendable, Equatable, Hashable {
  public var id: String
  public var line: String
  public var why: String

  public init(id: String, line: String, why: String) {
    self.id = id
    self.line = line
    self.why = why
  }

  /// The line as spoken: without its asides in parentheses ("(the articles advise 5-10
  /// minutes)" belongs on the screen, not in the ear).
  public var spoken: String {
    var out = ""
    var depth = 0
    for character in line {
      if character == "(" {
        depth += 1
      } else if character == ")" {
        depth = max(0, depth - 1)
      } else if depth == 0 {
        out.append(character)
      }
    }
    return out.replacingSpaceBeforePunctuation()
  }
}

extension String {
  /// "walk for 15 seconds ." -> "walk for 15 seconds.": what is left where an aside was cut.
  fileprivate func replacingSpaceBeforePunctuation() -> String {
    var out = ""
    for character in self {
      if ".,;:!?".contains(character), out.last == " " { out.removeLast() }
      if character == " ", out.last == " " { continue }
      out.append(character)
    }
    return out
  }
}

/// [product choice] What a voiced session says besides its cues, each kind on by default and
/// each one the runner can turn off (`--milestones`).
public enum Milestone: String, Sendable, CaseIterable {
  /// The cadence block's start: "Cadence block, 165." (it replaces the cue due then).
  case phases
  /// "Halfway." in a block of at least 2 minutes.
  case halfway
  /// "5 minutes left." in a block of at least 10 minutes, "1 minute left." in one of at least 2.
  case left
  /// "Click off: hold the cadence." and "Click on." at each switch of an interval block.
  case intervals
}

/// The form cues of ../shared/domain.md ("Form cues (the coach's words)"), in the order they
/// rotate during a session.
public enum FormCues {
  /// Each `why` is what an article says (domain.md); where the article gives no reason, the
  /// cue says which common form mistake it avoids, and claims no mechanism. "Land under your
  /// body" and "brace your abs" are common coaching wording, kept as plain instructions.
  public static let catalog: [FormCue] = [
    FormCue(
      id: "shorter-stride", line: "Shorter stride: let your foot land under your body.",
      why:
        "Overstriding increases impact forces on the lumbar spine; proper form decreases the stress on knees, hips, ankles and the lower back."
    ),
    FormCue(
      id: "midfoot", line: "Land on your midfoot, not your heel.",
      why: "Landing on the heel is one of the common form mistakes."),
    FormCue(
      id: "upright", line: "Run tall: upright posture, don't slouch.",
      why: "Slouching is one of the common form mistakes."),
    FormCue(
      id: "no-forward-lean", line: "No leaning forward from the waist.",
      why: "Excessive leaning increases impact forces on the lumbar spine."),
    FormCue(
      id: "no-back-arch", line: "Don't arch your lower back: brace your abs.",
      why: "Excessive lumbar extension (an exaggerated curve) loads the lower back."),
    FormCue(
      id: "quick-light", line: "Quick, light steps.",
      why: "Reducing the time each foot spends on the ground helps avoid injuries."),
  ]

  /// The cue when the cadence changed since the runner's last run (`from`), or with a tempo
  /// key: short, to act on mid-run. The step length stays on the screen and in `cadence plan`.
  public static func cadenceChange(from previous: Double, to spm: Double) -> FormCue {
    let line =
      spm > previous
      ? "Quicker, shorter steps: \(Cadence.format(spm)) now." : "A slower beat: \(Cadence.format(spm)) now."
    return FormCue(id: "cadence-change", line: line, why: catalog[0].why)
  }

  /// domain.md, "Around the run": "Warm up: walk or jog slowly for 5-10 minutes"; a shorter
  /// warm-up says it is short of that.
  public static func warmUp(minutes: Double) -> FormCue {
    let short = minutes < recommendedWarmUpMinutes ? " (the articles advise 5-10 minutes)" : ""
    return FormCue(
      id: "warm-up", line: "Warm up: walk or jog slowly for \(minutesText(minutes))\(short).",
      why: "The articles advise a 5-10 minute warm-up of walking or slow jogging, then stretching.")
  }

  /// [article] The bottom of the 5-10 minute warm-up.
  public static let recommendedWarmUpMinutes = 5.0

  public static let thinning = FormCue(
    id: "thinning", line: "The click thins out: keep the same quick, light steps.",
    why: "The fading click is a product choice: it lets you practise holding the cadence on your own.")

  public static func coolDown(minutes: Double) -> FormCue {
    FormCue(
      id: "cool-down", line: "Cool down: walk easy for \(minutesText(minutes)).",
      why: "Light walking is active recovery, and rest your back after each run.")
  }

  /// "5 minutes", "1 minute", "1.5 minutes", "15 seconds".
  static func minutesText(_ minutes: Double) -> String {
    if minutes < 1 && minutes != minutes.rounded() { return "\(Int((minutes * 60).rounded())) seconds" }
    let text = Cadence.format(minutes)
    return text + (text == "1" ? " minute" : " minutes")
  }

  /// domain.md, "Around the run": before and after.
  public static let beforeRun =
    "Before you start: warm up by walking or jogging slowly for 5-10 minutes, then stretch your lower back and hamstrings."
  public static let afterRun = """
    After the run: gentle stretches (knee-to-chest, cat-cow), foam roll your glutes, hips and \
    hamstrings (never directly on the spine), and some light walking. If something hurts, stop; \
    if pain appears, rest a few days and ice 15-20 minutes at a time.
    """
}
