import ArgumentParser
import CadenceCore
import Coach

/// The plan settings that `plan` and `plan set` share: they change a plan in place.
struct PlanSettingOptions: ParsableArguments {
  @Option(
    name: .customLong("hold-days"),
    help: ArgumentHelp(
      "Days to hold each rung, 7 to 365 (default 14: about two weeks is common coaching practice; the bounds are product choices).",
      valueName: "days"))
  var holdDays: Int?

  @Option(
    name: .customLong("hold-runs"),
    help: ArgumentHelp(
      "Runs to hold each rung, 3 to 100 (default 6; all three figures are product choices).", valueName: "runs"))
  var holdRuns: Int?

  @Option(
    name: .customLong("baseline-pain"),
    help: ArgumentHelp(
      "Your usual back pain on days you do not run, 0 to 10 (default 0): check-ins are compared with it.",
      valueName: "0-10"))
  var baselinePain: Int?

  @Option(
    help: ArgumentHelp(
      "Treadmill speed, like 10km/h or 6.2mph: shows the step length at each rung.", valueName: "speed"))
  var speed: String?

  func validate() throws {
    if let holdDays, !(Training.minimumHoldDays...Training.maximumHoldDays).contains(holdDays) {
      throw ValidationError("--hold-days must be from 7 to 365 (product choices); got \(holdDays)")
    }
    if let holdRuns, !(Training.minimumHoldRuns...Training.maximumHoldRuns).contains(holdRuns) {
      throw ValidationError("--hold-runs must be from 3 to 100 (product choices); got \(holdRuns)")
    }
    if let baselinePain, !(0...10).contains(baselinePain) {
      throw ValidationError("--baseline-pain must be from 0 to 10; got \(baselinePain)")
    }
    try validateSpeed(speed)
  }

  var change: PlanSettingsChange {
    PlanSettingsChange(
      baselinePain: baselinePain, holdDays: holdDays, holdRuns: holdRuns, speed: speed.flatMap(Speed.init(parsing:)))
  }
}
