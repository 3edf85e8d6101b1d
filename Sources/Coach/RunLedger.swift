import Activities
import CadenceCore
import Foundation
import History

/// Records what a runner did (a run, a warning sign, a measurement, an import, a removal) and
/// returns what it did: the rows stored, and the plan before and after, replayed once each.
/// The one place every command records through, so the plan's before and after are always
/// compared the same way. It says nothing: the command line words the outcome.
public struct RunLedger {
  public let db: AppDatabase
  public let now: Date

  public init(db: AppDatabase, now: Date) {
    self.db = db
    self.now = now
  }

  /// What recording did.
  public struct Outcome<Rows> {
    /// The rows stored (or removed), as they are in the history.
    public var rows: Rows
    /// The active plan before and after (nil without a plan; `after` also nil when nothing was
    /// stored).
    public var before: PlanReport?
    public var after: PlanReport?
    /// The runner's activity before this one: a rung unlocked since then is news too.
    public var previous: Date?
    /// What else the runner is told: shoes that reached the distance to replace them at.
    public var notices: [String] = []
  }

  /// The pair a run is stored with: the default, unless it says one.
  private func withShoe(_ run: RunRecord) throws(CoachError) -> RunRecord {
    guard run.shoeId == nil, run.source != .report else { return run }
    var run = run
    run.shoeId = try fromHistory(db.defaultShoe())?.id
    return run
  }

  /// The notice for shoes the runs of `stored` took past the distance the articles advise
  /// replacing them at.
  func shoeNotices(_ stored: [RunRecord]) throws(CoachError) -> [String] {
    let ids = Set(stored.compactMap(\.shoeId))
    guard !ids.isEmpty else { return [] }
    let limit = Training.shoeReplaceKm.lowerBound * 1000
    return try fromHistory(db.shoes()).compactMap { shoe, meters in
      guard let id = shoe.id, ids.contains(id), meters >= limit else { return nil }
      let added = stored.filter { $0.shoeId == id }.compactMap(\.distanceMeters).reduce(0, +)
      guard meters - added < limit else { return nil }
      return ShoeWords.notice(shoe.name, meters: meters)
    }
  }

  /// The active plan as it stands, if there is one.
  public func planReport() throws(CoachError) -> PlanReport? {
    guard let plan = try fromHistory(db.activePlan()) else { return nil }
    return try PlanReport(plan: plan, db: db, now: now)
  }

  /// The plan after a change, when there was one before.
  private func after(_ before: PlanReport?) throws(CoachError) -> PlanReport? {
    guard let before else { return nil }
    return try PlanReport(plan: before.plan, db: db, now: now)
  }

  /// Stores `run` (with the cadence heard in each minute) at once; then asks `checkIn`, if given,
  /// and writes its answers into the stored row. A check-in that is skipped leaves the run
  /// stored without one; one interrupted keeps what it was told (effort, pain, warning signs). `planBefore` is the plan as the command already
  /// replayed it (`.some(nil)`: no plan); nil replays it here.
  public func record(
    _ run: RunRecord, heardPerMinute: [HeardMinute] = [], planBefore: PlanReport?? = nil,
    checkIn: (() -> CheckInResult)? = nil
  ) throws(CoachError) -> Outcome<RunRecord> {
    let before: PlanReport?
    if let planBefore { before = planBefore } else { before = try planReport() }
    let previous = try fromHistory(db.lastActivity(before: run.date, measurements: false))
    let shod = try withShoe(run)
    var stored = try fromHistory(db.addRun(shod, heardPerMinute: heardPerMinute))
    switch checkIn?() {
    case .answered(let answers)?:
      stored.apply(answers)
      try fromHistory(db.updateRun(stored))
    case .interrupted(let told)? where !told.isEmpty:
      stored.apply(told)
      try fromHistory(db.updateRun(stored))
    default: break
    }
    return Outcome(
      rows: stored, before: before, after: try after(before), previous: previous, notices: try shoeNotices([stored]))
  }

  /// Keeps what an interrupted `cadence checkin` was told (effort, pain, warning signs) in the
  /// run; the plan is replayed before and after.
  public func keep(_ told: PartialCheckIn, in run: RunRecord) throws(CoachError) -> Outcome<RunRecord> {
    try update(run) { $0.apply(told) }
  }

  /// Writes a check-in into a stored run (one skipped, stopped early, imported or logged
  /// without one), replacing any it had; the plan is replayed before and after.
  public func checkIn(_ run: RunRecord, _ answers: CheckInAnswers) throws(CoachError) -> Outcome<RunRecord> {
    try update(run) { $0.apply(answers) }
  }

  /// A stored run changed by `change` and written back, with the plan before and after.
  private func update(_ run: RunRecord, _ change: (inout RunRecord) -> Void) throws(CoachError) -> Outcome<RunRecord> {
    let before = try planReport()
    let previous = try fromHistory(db.lastActivity(before: run.date, measurements: false))
    var updated = run
    change(&updated)
    try fromHistory(db.updateRun(updated))
    return Outcome(rows: updated, before: before, after: try after(before), previous: previous)
  }

  /// The stored runs a logged run may be (`log` of a run already imported, or played with its
  /// check-in skipped): on the same day as `date` (within `window` of it when the runner gave
  /// a time), imported or still without a check-in. A run with its check-in, played or
  /// logged, is another run.
  public func sameRun(as date: Date, window: TimeInterval?, calendar: Calendar) throws(CoachError) -> [RunRecord] {
    let (start, end): (Date, Date)
    if let window {
      (start, end) = (date.addingTimeInterval(-window), date.addingTimeInterval(window))
    } else {
      start = calendar.startOfDay(for: date)
      end = calendar.date(byAdding: .day, value: 1, to: start) ?? start.addingTimeInterval(86_400)
    }
    return try fromHistory(db.runs(from: start, to: end)).filter { $0.source == .import || !$0.checkIn.isCheckedIn }
  }

  /// Completes `stored` with what `log` gave: its check-in (effort, pain, signs, whether it held
  /// the cadence) replaces any it had; every other figure fills only what the stored run lacks,
  /// so a watch's own time and distance stay. Nothing is stored twice.
  public func complete(_ stored: RunRecord, with log: RunRecord) throws(CoachError) -> Outcome<RunRecord> {
    let before = try planReport()
    let previous = try fromHistory(db.lastActivity(before: stored.date, measurements: false))
    var run = stored
    if log.effort != nil && log.backPain != nil {
      run.effort = log.effort
      run.backPain = log.backPain
      run.completedAtTarget = log.completedAtTarget
      run.warningSigns = log.warningSigns
    }
    run.durationSeconds = run.durationSeconds ?? log.durationSeconds
    run.distanceMeters = run.distanceMeters ?? log.distanceMeters
    run.speedMetersPerSecond = run.speedMetersPerSecond ?? log.speedMetersPerSecond
    run.measuredSPM = run.measuredSPM ?? log.measuredSPM
    if run.source != .import { run.targetSPM = run.targetSPM ?? log.targetSPM }
    if let notes = log.notes { run.notes = run.notes.map { $0 + "; " + notes } ?? notes }
    try fromHistory(db.updateRun(run))
    return Outcome(rows: run, before: before, after: try after(before), previous: previous)
  }

  /// Stores measurements (an import of several files, a tap) in one transaction.
  public func record(_ measurements: [MeasurementRecord]) throws(CoachError) -> Outcome<[MeasurementRecord]> {
    let before = try planReport()
    let previous = try fromHistory(db.lastActivity(before: now))
    let stored = try fromHistory(db.addMeasurements(measurements))
    return Outcome(rows: stored, before: before, after: try after(before), previous: previous)
  }

  /// Removes run `id` (a mistake, a duplicate).
  public func removeRun(id: Int64) throws(CoachError) -> Outcome<RunRecord> {
    let before = try planReport()
    guard let run = try fromHistory(db.removeRun(id: id)) else { throw .noSuchRun(id) }
    return Outcome(rows: run, before: before, after: try after(before), previous: now)
  }

  /// Removes measurement `id`.
  public func removeMeasurement(id: Int64) throws(CoachError) -> Outcome<MeasurementRecord> {
    let before = try planReport()
    guard let m = try fromHistory(db.removeMeasurement(id: id)) else { throw .noSuchMeasurement(id) }
    return Outcome(rows: m, before: before, after: try after(before), previous: now)
  }
}

/// One activity file as `cadence import` read it.
public struct ImportedActivity: Sendable {
  public var name: String
  /// The activity's own start.
  public var date: Date
  /// Its cadence while running; nil where too little was run to store it as a measurement.
  public var spm: Double?
  /// The report lines: overall and per speed band.
  public var description: String
  public var totals: ActivityTotals

  public init(name: String, date: Date, spm: Double?, description: String, totals: ActivityTotals) {
    self.name = name
    self.date = date
    self.spm = spm
    self.description = description
    self.totals = totals
  }
}

/// What an import did with one activity.
public enum ImportOutcome {
  /// Stored as a run, and as a measurement where it has a cadence to measure by.
  case stored(ImportedActivity, MeasurementRecord?, RunRecord)
  /// Already in the history (an imported run with the same start, to the millisecond),
  /// or twice in this import.
  case skipped(ImportedActivity)
}

extension RunLedger {
  /// Stores imported activities, each as a run (no target, no check-in) and a measurement
  /// where it has a cadence (`ImportedActivity.spm`), in
  /// one transaction. Returns each activity's outcome in the order given.
  public func record(imported activities: [ImportedActivity]) throws(CoachError) -> Outcome<[ImportOutcome]> {
    let before = try planReport()
    let previous = try fromHistory(db.lastActivity(before: now))
    var known = Set(try fromHistory(db.importedStartTimes()).map(Self.millisecond))
    var items: [(MeasurementRecord?, RunRecord)] = []
    var fresh: [Bool] = []
    for activity in activities {
      guard known.insert(Self.millisecond(activity.date)).inserted else {
        fresh.append(false)
        continue
      }
      fresh.append(true)
      let details = activity.description.replacingOccurrences(of: "\n", with: "; ")
      items.append(
        (
          activity.spm.map { MeasurementRecord(date: activity.date, spm: $0, method: "import", details: details) },
          try withShoe(
            RunRecord(
              date: activity.date, source: .import, targetSPM: nil, measuredSPM: activity.spm,
              durationSeconds: activity.totals.seconds, distanceMeters: activity.totals.meters, completedAtTarget: true,
              notes: activity.name))
        ))
    }
    var stored = (items.isEmpty ? [] : try fromHistory(db.addImported(items)))[...]
    let outcomes = zip(activities, fresh).map { activity, isFresh -> ImportOutcome in
      guard isFresh, let (m, r) = stored.popFirst() else { return .skipped(activity) }
      return .stored(activity, m, r)
    }
    return Outcome(
      rows: outcomes, before: before, after: items.isEmpty ? nil : try after(before), previous: previous,
      notices: try shoeNotices(outcomes.compactMap { if case .stored(_, _, let run) = $0 { run } else { nil } }))
  }

  private static func millisecond(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}

extension RunRecord {
  /// What an interrupted check-in was told, written into the run: effort and pain, and the
  /// warning signs answered yes (heard at once: they pause the plan).
  public mutating func apply(_ told: PartialCheckIn) {
    if let effort = told.effort { self.effort = effort }
    if let pain = told.backPain { backPain = pain }
    let signs = self.signs.union(told.warningSigns)
    warningSigns = signs.map(\.rawValue).sorted().joined(separator: ",")
  }

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
  } else if let e = run.effort {
    parts.append("effort \(e)/10, check-in not finished (cadence checkin \(run.id ?? 0))")
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

/// What cadence says of shoes.
public enum ShoeWords {
  /// "Your shoes 'Trail 2' have run 482 km: the articles advise replacing running shoes every
  /// 300-500 miles (about 480-800 km); worn shoes lose shock absorption."
  public static func notice(_ name: String, meters: Double) -> String {
    "Your shoes '\(name)' have run \(format(meters / 1000, 0)) km: the articles advise replacing running shoes every "
      + "300-500 miles (about \(format(Training.shoeReplaceKm.lowerBound, 0))-\(format(Training.shoeReplaceKm.upperBound, 0)) km); "
      + "worn shoes lose shock absorption. A new pair: cadence shoes add NAME"
  }
}
