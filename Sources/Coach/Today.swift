import CadenceCore
import Foundation
import History

/// `cadence today`: what to run next, and what it takes for the next rung, from the plan as it
/// stands. Says nothing new about training: every figure is the plan's own.
public struct TodayAdvice {
  /// The session's shape as `cadence session` would play it with no options.
  public struct Shape: Sendable {
    public var warmupMinutes: Double
    public var blockMinutes: Double
    public var cooldownMinutes: Double

    public init(warmupMinutes: Double, blockMinutes: Double, cooldownMinutes: Double) {
      self.warmupMinutes = warmupMinutes
      self.blockMinutes = blockMinutes
      self.cooldownMinutes = cooldownMinutes
    }
  }

  public var report: PlanReport?
  public var latestMeasured: Double?
  /// The newest run without a check-in, which does not count until it has one.
  public var withoutCheckIn: RunRecord?
  public var shape: Shape

  public init(report: PlanReport?, latestMeasured: Double?, withoutCheckIn: RunRecord?, shape: Shape) {
    self.report = report
    self.latestMeasured = latestMeasured
    self.withoutCheckIn = withoutCheckIn
    self.shape = shape
  }

  public var lines: [String] {
    guard let report else {
      if let latestMeasured {
        return [
          "No plan yet. Next: cadence plan makes it from your \(Cadence.format(latestMeasured)) spm, "
            + "then cadence session plays its first rung."
        ]
      }
      return [
        "No plan yet. First measure your cadence on a run at your usual speed: cadence tap (tap on every step for "
          + "25 s), cadence measure SPM (count your steps for a minute), or cadence import your watch's file."
      ]
    }
    let status = report.status
    if let signs = status.pausedFor {
      return [
        "Today: no run. Your plan is paused for \(signs.count == 1 ? "a warning sign" : "warning signs") "
          + "(\(WarningSign.allCases.filter(signs.contains).map(\.rawValue).joined(separator: ", "))): "
          + "do not run through it. When a professional has cleared you to run: cadence plan resume"
      ]
    }
    let spm = Cadence.format(status.current.spm)
    var lines = [
      "Today: cadence session: \(minutes(shape.warmupMinutes)) warm-up, \(minutes(shape.blockMinutes)) at \(spm) spm, "
        + "\(minutes(shape.cooldownMinutes)) cool-down (rung \(status.currentIndex + 1) of \(status.rungs.count))."
    ]
    if let run = withoutCheckIn, let id = run.id {
      lines.append(
        "Run \(id) (\(dayString(run.date))) has no check-in, so it does not count yet: cadence checkin \(id)")
    }
    if status.isComplete {
      lines.append("\(spm) spm is your goal: hold it, and keep the runs easy.")
      return lines
    }
    guard status.currentIndex + 1 < status.rungs.count else { return lines }
    let next = Cadence.format(status.rungs[status.currentIndex + 1].spm)
    if status.holds.isEmpty {
      lines.append("\(next) spm unlocks with your next run's check-in.")
      return lines
    }
    lines.append("For \(next) spm:")
    lines += status.holds.map { "  - " + report.clears($0) }
    return lines
  }

  private func minutes(_ value: Double) -> String {
    let rounded = (value * 10).rounded() / 10
    return rounded == rounded.rounded() ? "\(Int(rounded)) min" : "\(rounded) min"
  }
}
