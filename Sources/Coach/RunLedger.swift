import Activities
import CadenceCore
import Foundation
import History

/// Records what a runner did (a run, a warning sign, a measurement) and reports it: the stored
/// row in a line, the advice a warning sign calls for, and what it did to the plan. The one
/// place every command records through, so the plan's before and after are always compared
/// the same way.
public struct RunLedger {
  public let db: AppDatabase
  public let now: Date
  /// Where the report goes (standard output in the CLI).
  public let say: (String) -> Void
  /// How distances, speeds and step lengths are shown.
  public let units: UnitSystem

  public init(db: AppDatabase, now: Date, units: UnitSystem = .metric, say: @escaping (String) -> Void) {
    self.db = db
    self.now = now
    self.units = units
    self.say = say
  }

  /// The active plan as it stands, if there is one.
  public func planReport() throws(CoachError) -> PlanReport? {
    guard let plan = try fromHistory(db.activePlan()) else { return nil }
    var report = try PlanReport(plan: plan, db: db, now: now)
    report.units = units
    return report
  }

  /// Stores `run` (with the cadence heard in each minute) at once; then asks `checkIn`, if given,
  /// and writes its answers into the stored row. A check-in that is skipped or interrupted
  /// leaves the run stored without one. Returns the row as stored.
  @discardableResult
  public func record(
    _ run: RunRecord, heardPerMinute: [HeardMinute] = [],
    checkIn: (() -> CheckInAnswers?)? = nil
  ) throws(CoachError) -> RunRecord {
    let before = try planReport()
    let previous = try fromHistory(db.runs()).last { $0.date < run.date }?.date
    var stored = try fromHistory(db.addRun(run, heardPerMinute: heardPerMinute))
    if let answers = checkIn?() {
      stored.apply(answers)
      try fromHistory(db.updateRun(stored))
    }
    say(describe(stored, units: units))
    if !stored.signs.isEmpty { say(warningAdvice(stored.signs)) }
    if let before {
      say(try planChange(from: before, to: PlanReport(plan: before.plan, db: db, now: now), previous: previous))
    }
    return stored
  }

  /// Stores a measured cadence, says `line`, and what it did to the plan. Returns it as stored.
  @discardableResult
  public func record(_ measurement: MeasurementRecord, line: String) throws(CoachError) -> MeasurementRecord {
    try record([(measurement, line)])[0]
  }

  /// Stores measurements (an import of several files) in one transaction, then says each one's
  /// line and once what they did to the plan. Stored before anything is said: a reader that
  /// goes away (`| head -1`, SIGPIPE) cannot leave the import half-stored.
  @discardableResult
  public func record(_ measurements: [(MeasurementRecord, line: String)]) throws(CoachError) -> [MeasurementRecord] {
    let before = try planReport()
    let previous = try lastActivity()
    let stored = try fromHistory(db.addMeasurements(measurements.map(\.0)))
    for (_, line) in measurements { say(line) }
    if let before {
      say(try planChange(from: before, to: PlanReport(plan: before.plan, db: db, now: now), previous: previous))
    }
    return stored
  }

  /// When the runner last recorded anything before now (a run or a measurement): a rung that
  /// unlocked before that was news then, not now.
  func lastActivity() throws(CoachError) -> Date? {
    let run = try fromHistory(db.runs()).last { $0.date < now }?.date
    let measured = try fromHistory(db.measurements()).last { $0.date < now }?.date
    return [run, measured].compactMap { $0 }.max()
  }
}

/// One activity file as `cadence import` read it.
public struct ImportedActivity: Sendable {
  public var name: String
  /// Its first sample.
  public var date: Date
  public var spm: Double
  /// The report lines: overall and per speed band.
  public var description: String
  public var totals: ActivityTotals

  public init(name: String, date: Date, spm: Double, description: String, totals: ActivityTotals) {
    self.name = name
    self.date = date
    self.spm = spm
    self.description = description
    self.totals = totals
  }
}

extension RunLedger {
  /// Stores imported activities, each as a measurement and a run (no target, no check-in), in
  /// one transaction before anything is said. An activity already in the history (an imported
  /// measurement with the same start, to the millisecond), or twice in this import, is skipped
  /// and said to be.
  /// Returns what was stored (a measurement and a run for each activity) and the names of the
  /// activities skipped as already imported.
  @discardableResult
  public func record(imported activities: [ImportedActivity]) throws(CoachError) -> (
    stored: [(MeasurementRecord, RunRecord)], skipped: [String]
  ) {
    let before = try planReport()
    let previous = try lastActivity()
    var known = Set(try fromHistory(db.measurements()).filter { $0.method == "import" }.map(Self.millisecond))
    var items: [(MeasurementRecord, RunRecord)] = []
    var lines: [String] = []
    var skipped: [String] = []
    for activity in activities {
      guard known.insert(Self.millisecond(activity.date)).inserted else {
        lines.append("\(activity.name) (\(isoString(activity.date))): already imported; skipped")
        skipped.append(activity.name)
        continue
      }
      let details = activity.description.replacingOccurrences(of: "\n", with: "; ")
      items.append(
        (
          MeasurementRecord(date: activity.date, spm: activity.spm, method: "import", details: details),
          RunRecord(
            date: activity.date, source: .import, targetSPM: nil, measuredSPM: activity.spm,
            durationSeconds: activity.totals.seconds, distanceMeters: activity.totals.meters, completedAtTarget: true,
            notes: activity.name)
        ))
      lines.append(activity.description)
    }
    let stored = items.isEmpty ? [] : try fromHistory(db.addImported(items))
    for line in lines { say(line) }
    if let before, !items.isEmpty {
      say(try planChange(from: before, to: PlanReport(plan: before.plan, db: db, now: now), previous: previous))
    }
    return (stored, skipped)
  }

  private static func millisecond(_ m: MeasurementRecord) -> Int64 { millisecond(m.date) }
  private static func millisecond(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}

extension RunLedger {
  /// Removes run `id` (a mistake, a duplicate) and says what it removed and what that did to
  /// the plan.
  public func removeRun(id: Int64) throws(CoachError) {
    let before = try planReport()
    guard let run = try fromHistory(db.removeRun(id: id)) else {
      throw .noSuchRun(id)
    }
    say("removed run \(id): " + describe(run, units: units))
    if let before {
      say(try planChange(from: before, to: PlanReport(plan: before.plan, db: db, now: now), previous: now))
    }
  }

  /// Removes measurement `id` and says what it removed and what that did to the plan.
  public func removeMeasurement(id: Int64) throws(CoachError) {
    let before = try planReport()
    guard let m = try fromHistory(db.removeMeasurement(id: id)) else {
      throw .noSuchMeasurement(id)
    }
    say("removed measurement \(id): \(Cadence.format(m.spm)) spm on \(dayString(m.date)) (\(m.method))")
    if let before {
      say(try planChange(from: before, to: PlanReport(plan: before.plan, db: db, now: now), previous: now))
    }
  }
}

extension RunRecord {
  /// The check-in's answers, written into the run.
  public mutating func apply(_ answers: CheckInAnswers) {
    effort = answers.effort
    backPain = answers.backPain
    completedAtTarget = answers.completedAtTarget
    warningSigns = answers.warningSigns.map(\.rawValue).sorted().joined(separator: ",")
    if let distance = answers.distanceMeters { distanceMeters = distance }
  }
}

/// One line about a stored run.
public func describe(_ run: RunRecord, units: UnitSystem = .metric) -> String {
  if run.source == .report { return "reported warning signs on \(dayString(run.date)) (not a run)" }
  var parts = ["\(run.source == .import ? "imported" : "logged") run on \(dayString(run.date))"]
  if let t = run.targetSPM { parts.append("\(Cadence.format(t)) spm") }
  if let d = run.durationSeconds { parts.append(clock(d)) }
  if let m = run.distanceMeters { parts.append(units.distance(meters: m)) }
  if let e = run.effort, let p = run.backPain {
    parts.append("effort \(e)/10, back pain \(p)/10")
  } else {
    parts.append("no check-in")
  }
  if !run.completedAtTarget && run.effort != nil { parts.append("missed the target") }
  return parts.joined(separator: ", ")
}

/// What a new run or measurement did to the plan. `previous` is the runner's run before this
/// one: a rung that unlocked since then (at a daily check) is news too.
public func planChange(from before: PlanReport?, to after: PlanReport, previous: Date? = nil) -> String {
  let status = after.status
  if let signs = status.pausedFor {
    return before?.status.pausedFor == nil
      ? "Plan paused." : "Plan still paused (\(signs.count) warning sign(s) reported)."
  }
  var lines: [String]
  let unlockedSincePrevious =
    status.currentIndex > 0 && !status.steppedBack
    && status.rungStart > Int64((previous ?? after.plan.createdAt).timeIntervalSince1970)
  if unlockedSincePrevious || (before.map { $0.status.currentIndex < status.currentIndex } ?? false) {
    lines = [
      "Plan: up to \(Cadence.format(status.current.spm)) spm (rung \(status.currentIndex + 1) of \(status.rungs.count)). Well earned."
    ]
  } else if let stepBack = stepBackLine(status) {
    lines = ["Plan: " + stepBack.prefix(1).lowercased() + stepBack.dropFirst()]
  } else if status.isComplete {
    lines = ["Plan: at \(Cadence.format(status.current.spm)) spm, your goal."]
  } else {
    lines = [
      "Plan: \(Cadence.format(status.current.spm)) spm, rung \(status.currentIndex + 1) of \(status.rungs.count). "
        + "Holding: " + status.holds.map(\.description).joined(separator: "; ") + "."
    ]
  }
  return (lines + painNotes(status, after.settings)).joined(separator: "\n")
}
