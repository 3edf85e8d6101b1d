import CadenceCore
import Foundation
import History

/// A plan's status as a runner reads it (table and notes) or a script does (JSON).
public struct PlanReport {
  public let plan: PlanRecord
  public let status: PlanStatus
  /// How the text shows speeds, step lengths and distances (JSON stays metric).
  public var units: UnitSystem = .metric

  public init(plan: PlanRecord, db: AppDatabase, now: Date) throws(CoachError) {
    self.plan = plan
    let events = try fromHistory(db.planEvents(for: plan, until: now))
    do {
      status = try evaluatePlan(
        plan.settings, startedAt: Int64(plan.createdAt.timeIntervalSince1970), events: events,
        now: Int64(now.timeIntervalSince1970), calendar: localWeeks)
    } catch {
      throw .storedPlanInvalid(error)
    }
  }

  public var settings: PlanSettings { plan.settings }

  public struct Row: Encodable, Equatable {
    public var rung: Int
    public var spm: Double
    public var phase: Int
    public var stepLengthMeters: Double?
    public var status: String
    public var from: String?
    public var runs: Int?
    public var runsNeeded: Int
  }

  public var rows: [Row] {
    let holdSeconds = Int64(settings.holdDays) * Training.secondsPerDay
    return status.rungs.map { rung in
      let step = status.step(of: rung)
      var from: Int64? = nil
      var runs: Int? = nil
      switch step {
      case .done: break
      case .current:
        from = status.rungStart
        runs = status.runsAtRung
      case .locked:
        from = status.rungClock + Int64(rung.index - status.currentIndex) * holdSeconds
        runs = 0
      }
      return Row(
        rung: rung.index + 1, spm: rung.spm, phase: rung.phase,
        stepLengthMeters: settings.speed.map { ($0.stepLength(atSPM: rung.spm) * 100).rounded() / 100 },
        status: step == .done ? "done" : step == .current ? "current" : "locked", from: from.map(dayString), runs: runs,
        runsNeeded: settings.holdRuns)
    }
  }

  public var text: String {
    var out: [String] = []
    let speed = settings.speed.map { " on a treadmill at \(units.speed($0))" } ?? ""
    out.append(
      "Cadence plan: \(Cadence.format(settings.startSPM)) -> \(Cadence.format(settings.goalSPM)) spm, made \(dayString(plan.createdAt))\(speed)"
    )
    if status.isMaintenance {
      let start = Cadence.format(settings.startSPM)
      out.append(
        (settings.startSPM >= settings.goalSPM
          ? "You already run at \(start) spm, at or above your goal: keep it there (maintenance). "
          : "You run at \(start) spm, which rounds to your goal: hold \(Cadence.format(settings.goalSPM)) spm "
            + "with the click (maintenance). ")
          + "Log your runs so the history keeps watch.")
    }
    var header = ["rung", "cadence"]
    if settings.speed != nil { header.append("step") }
    header += ["status", "from", "runs"]
    var cells = [header]
    for row in rows {
      var line = ["\(row.rung)", Cadence.format(row.spm)]
      if let step = row.stepLengthMeters { line.append(units.stepLength(meters: step)) }
      let remeasure = status.rungs[row.rung - 1].needsRemeasure ? " (re-measure)" : ""
      line += [row.status + remeasure, row.from ?? "-", row.runs.map { "\($0)/\(row.runsNeeded)" } ?? "-"]
      cells.append(line)
    }
    out.append(columns(cells).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
    let phases = status.rungs.last?.phase ?? 1
    if phases > 1 {
      let percent = Int(((settings.goalSPM / settings.startSPM - 1) * 100).rounded())
      let ends = status.rungs.filter(\.needsRemeasure).map { status.rungs[$0.index - 1].spm }.map(Cadence.format)
      out.append(
        "\(Cadence.format(settings.goalSPM)) spm is \(percent)% above \(Cadence.format(settings.startSPM)): beyond the +10% "
          + "that cadence studies tested. The plan goes in \(phases) phases; measure your cadence again "
          + "(cadence measure SPM) when you reach \(ends.joined(separator: " and ")) spm.")
    }
    if let signs = status.pausedFor {
      out.append(warningAdvice(signs))
      return out.joined(separator: "\n")
    }
    if let line = stepBackLine(status) { out.append(line) }
    if status.isComplete && !status.isMaintenance {
      out.append("Now: \(Cadence.format(status.current.spm)) spm, your goal. Keep running on it.")
    } else if !status.isComplete {
      let next = status.rungs[status.currentIndex + 1]
      out.append(
        "Now: \(Cadence.format(status.current.spm)) spm. \(Cadence.format(next.spm)) spm unlocks on "
          + "\(dayString(status.earliestNext ?? status.rungStart)) at the earliest, when the runs earn it."
          + (status.pausedAtRung >= Training.secondsPerDay
            ? " (The \(status.pausedAtRung / Training.secondsPerDay) days the plan was paused do not count.)" : ""))
      if !status.holds.isEmpty {
        out.append("What holds \(Cadence.format(next.spm)) spm, and what clears it:")
        out += status.holds.map { "  - " + clears($0) }
      }
    }
    out += painNotes(status, settings)
    out += loadNotes(status, units: units)
    if let speed = settings.speed {
      out.append(
        "At \(units.speed(speed)), \(Cadence.format(status.current.spm)) spm is a "
          + "\(units.stepLength(meters: speed.stepLength(atSPM: status.current.spm))) step: "
          + "shorter strides, feet landing under the body.")
    }
    return out.joined(separator: "\n")
  }

  public struct JSONPlan: Encodable {
    var created: Date
    var startSPM: Double
    var goalSPM: Double
    var stepSPM: Double
    var holdDays: Int
    var holdRuns: Int
    var baselinePain: Int
    var speedKmh: Double?
    var maintenance: Bool
    var currentSPM: Double
    var currentRung: Int
    var nextUnlocksOn: String?
    var holds: [String]
    var paused: [String]?
    var steppedBack: Bool
    var rungs: [Row]
  }

  public var jsonValue: JSONPlan {
    JSONPlan(
      created: plan.createdAt, startSPM: settings.startSPM, goalSPM: settings.goalSPM, stepSPM: settings.stepSPM,
      holdDays: settings.holdDays, holdRuns: settings.holdRuns, baselinePain: settings.baselinePain,
      speedKmh: settings.speed.map { ($0.kmh * 10).rounded() / 10 }, maintenance: status.isMaintenance,
      currentSPM: status.current.spm, currentRung: status.currentIndex + 1,
      nextUnlocksOn: status.earliestNext.map(dayString),
      holds: status.holds.map(\.description),
      paused: status.pausedFor.map { WarningSign.allCases.filter($0.contains).map(\.rawValue) },
      steppedBack: status.steppedBack, rungs: rows)
  }
}

/// The step back, said once and correctly: the rung it went back to and the one it left.
func stepBackLine(_ status: PlanStatus) -> String? {
  guard status.steppedBack, status.currentIndex + 1 < status.rungs.count else { return nil }
  let again = status.earliestNext.map {
    " The rung's hold starts again from that run: \(Cadence.format(status.rungs[status.currentIndex + 1].spm)) spm "
      + "unlocks on \(dayString(Date(timeIntervalSince1970: TimeInterval($0)))) at the earliest."
  }
  return "Stepped back to \(Cadence.format(status.current.spm)) spm (from "
    + "\(Cadence.format(status.rungs[status.currentIndex + 1].spm))): back pain was \(Training.painRiseThatHolds)+ points "
    + "above your baseline on \(Training.painRisesThatStepBack) runs in a row (a product choice)." + (again ?? "")
}

/// What back pain in the check-ins calls for: the articles' advice when it rose, the first
/// rung held when there is none to step back to, the lasting-pain question, and where the
/// baseline it is compared with comes from.
public func painNotes(_ status: PlanStatus, _ settings: PlanSettings) -> [String] {
  guard status.pausedFor == nil else { return [] }
  var notes: [String] = []
  let rose = status.steppedBack || status.painRisesInARow > 0
  if status.painRisesInARow >= Training.painRisesThatStepBack && status.currentIndex == 0 {
    notes.append(
      "Back pain was \(Training.painRiseThatHolds)+ points above your baseline on \(status.painRisesInARow) runs in a row; "
        + "\(Cadence.format(status.current.spm)) spm is the first rung, so there is none to step back to: the plan holds it."
    )
  }
  if rose { notes += PainAdvice.lines }
  if let since = status.lastingPainSince {
    notes.append(PainAdvice.lastingPainQuestion(since: dayString(Date(timeIntervalSince1970: TimeInterval(since)))))
  }
  let painHolds = status.holds.contains {
    switch $0 {
    case .painAboveBaseline, .painRose: true
    default: false
    }
  }
  // Where the baseline comes from, said when the last run's pain was above it (not after every
  // run while an older sore run is still in the window).
  if rose || (painHolds && (status.lastPain ?? 0) > settings.baselinePain) {
    notes.append(
      "Your baseline back pain is \(settings.baselinePain)/10: check-ins are compared with it. If more is usual for you "
        + "on days you do not run, set it: cadence plan set --baseline-pain N")
  }
  return notes
}

/// Calendar weeks in the local time zone (TZ), Monday to Sunday.
public let localWeeks = Weeks(utcOffset: { time in
  Int64(TimeZone.current.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(time))))
})

/// What the training-load rules of domain.md can and cannot say about the weeks so far.
public func loadNotes(_ status: PlanStatus, units: UnitSystem = .metric) -> [String] {
  var notes: [String] = []
  if case .cannotJudge(let n) = status.weeklyLoad {
    notes.append(
      "The 10% rule cannot be judged this week: \(n) run\(n == 1 ? "" : "s") this week or last \(n == 1 ? "has" : "have") "
        + "no distance (give --distance when you log, or import the watch file).")
  }
  if let longest = status.longestRun, longest.share > Training.longestRunShare + 1e-9 {
    notes.append(
      "Last week your longest run, \(units.distance(meters: longest.meters, digits: 1)), was "
        + "\(Int((longest.share * 100).rounded()))% of the week's \(units.distance(meters: longest.weekMeters, digits: 1))"
        + longest.advice + ".")
  }
  return notes
}

extension PlanReport {
  /// What clears one hold, in the plan's own figures.
  public func clears(_ hold: HoldReason) -> String {
    let rung = Cadence.format(status.current.spm)
    let window = settings.holdRuns
    switch hold {
    case .days(let done, let needed):
      let earliest = status.earliestNext.map { " (from \(dayString($0)))" } ?? ""
      return "\(needed - done) more day\(needed - done == 1 ? "" : "s") at this cadence\(earliest)"
    case .runs(let done, let needed):
      return "\(needed - done) more run\(needed - done == 1 ? "" : "s") at \(rung) spm with a check-in: "
        + "\(format(Training.shortestCountingMinutes, 0)) minutes or more, the whole "
        + "time on the click, effort \(Training.manageableEffort) or less, back pain no higher than your usual "
        + "\(settings.baselinePain)"
    case .notCompleted(let n), .effortTooHigh(let n), .painAboveBaseline(let n):
      return
        "\(hold) (\(n == 1 ? "it holds" : "they hold") until \(window) newer checked-in runs at \(rung) spm follow, "
        + "at most \(window) more)"
    default:
      return "\(hold)"
    }
  }
}
