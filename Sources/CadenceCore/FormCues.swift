/// A coaching cue: a short line to read or hear while running, and why it matters.
public struct FormCue: Sendable, Equatable, Hashable {
  public var id: String
  public var line: String
  public var why: String
}

/// The form cues of ../shared/domain.md ("Form cues (the coach's words)"), in the order they
/// rotate during a session.
public enum FormCues {
  public static let catalog: [FormCue] = [
    FormCue(
      id: "shorter-stride", line: "Shorter stride: let your foot land under your body.",
      why:
        "Overstriding lands the foot ahead of you; less of it takes stress off knees, hips, ankles and the lower back."),
    FormCue(
      id: "midfoot", line: "Land on your midfoot, not your heel.",
      why: "A midfoot or forefoot landing pairs with a shorter step and softens each impact."),
    FormCue(
      id: "upright", line: "Run tall: upright posture, don't slouch.",
      why: "An upright trunk keeps the spine stacked instead of bent under each landing."),
    FormCue(
      id: "no-forward-lean", line: "No leaning forward from the waist.",
      why: "Poor alignment in the sagittal plane loads the lower back."),
    FormCue(
      id: "no-back-arch", line: "Don't arch your lower back: brace your abs.",
      why: "Excessive lumbar extension loads the lower back; bracing the abdominals holds the pelvis level."),
    FormCue(
      id: "quick-light", line: "Quick, light steps.",
      why: "Less time on the ground per step means less stress on every joint."),
    FormCue(
      id: "relaxed-arms", line: "Relax your arms and shoulders.",
      why: "Relaxed arm carriage supports an upright posture."),
  ]

  /// After a cadence change: shorten the stride to match the new beat (with the step length when
  /// the treadmill speed is known: domain.md, step length = speed / cadence).
  public static func cadenceChange(to spm: Double, speed: Speed?) -> FormCue {
    var line = "New cadence, \(Cadence.format(spm)): shorten your stride to match the beat."
    if let speed { line += " At \(speed) that is a \(format(speed.stepLength(atSPM: spm), 2)) m step." }
    return FormCue(id: "cadence-change", line: line, why: catalog[0].why)
  }

  /// domain.md, "Around the run": "Warm up: walk or jog slowly for 5-10 minutes".
  public static func warmUp(minutes: Double) -> FormCue {
    FormCue(
      id: "warm-up", line: "Warm up: walk or jog slowly for \(minutesText(minutes)).",
      why: "A slow start readies muscles and joints before the cadence work.")
  }

  public static let thinning = FormCue(
    id: "thinning", line: "The click thins out: keep the same quick, light steps.",
    why: "Holding the cadence without the click is the goal of the training.")

  public static func coolDown(minutes: Double) -> FormCue {
    FormCue(
      id: "cool-down", line: "Cool down: walk easy for \(minutesText(minutes)).",
      why: "Light walking is active recovery.")
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
    for mild pain rest a few days and ice 15-20 minutes at a time.
    """
}
