import ArgumentParser
import CadenceCore
import Coach

/// A check-in given as options (`log`, `checkin`): effort and back pain, both or neither, the
/// warning signs, and whether the run held its cadence.
struct CheckInOptions: ParsableArguments {
  @Option(help: ArgumentHelp("How hard it felt, 1 (very easy) to 10 (maximal).", valueName: "1-10"))
  var effort: Int?

  @Option(help: ArgumentHelp("Back pain after the run, 0 (none) to 10 (worst).", valueName: "0-10"))
  var pain: Int?

  @Option(
    name: .customLong("warning"), help: ArgumentHelp("A warning sign you had (repeat for several).", valueName: "sign"),
    completion: .list(WarningSign.allCases.map { $0.rawValue }))
  var warnings: [String] = []

  @Flag(name: .customLong("missed-target"), help: "You could not hold the cadence for the whole run.")
  var missedTarget = false

  func validate() throws {
    if let effort, !(1...10).contains(effort) { throw ValidationError("--effort must be from 1 to 10; got \(effort)") }
    if let pain, !(0...10).contains(pain) { throw ValidationError("--pain must be from 0 to 10; got \(pain)") }
    if (effort == nil) != (pain == nil) {
      throw ValidationError("a check-in needs both --effort and --pain (or neither)")
    }
    for w in warnings where WarningSign(rawValue: w) == nil {
      throw ValidationError(
        "--warning must be one of \(WarningSign.allCases.map(\.rawValue).joined(separator: ", ")); got '\(w)'")
    }
  }

  var signs: Set<WarningSign> { Set(warnings.compactMap(WarningSign.init(rawValue:))) }

  /// The answers the options give, when effort and pain were given.
  func answers(distanceMeters: Double?) -> CheckInAnswers? {
    guard let effort, let pain else { return nil }
    return CheckInAnswers(
      effort: effort, backPain: pain, completedAtTarget: !missedTarget, warningSigns: signs,
      distanceMeters: distanceMeters)
  }
}
