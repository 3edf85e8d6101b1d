import CadenceCore
import Foundation
import GRDB

/// A cadence plan as stored. Only one is active; making a new plan retires the old one.
public struct PlanRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
  public static let databaseTableName = "plan"
  public var id: Int64?
  public var createdAt: Date
  public var startSPM: Double
  public var goalSPM: Double
  public var stepSPM: Double
  public var holdDays: Int
  public var holdRuns: Int
  public var baselinePain: Int
  public var speedMetersPerSecond: Double?
  public var active: Bool

  public init(settings: PlanSettings, createdAt: Date) {
    self.createdAt = createdAt
    startSPM = settings.startSPM
    goalSPM = settings.goalSPM
    stepSPM = settings.stepSPM
    holdDays = settings.holdDays
    holdRuns = settings.holdRuns
    baselinePain = settings.baselinePain
    speedMetersPerSecond = settings.speed?.metersPerSecond
    active = true
  }

  public var settings: PlanSettings {
    PlanSettings(
      startSPM: startSPM, goalSPM: goalSPM, stepSPM: stepSPM, holdDays: holdDays, holdRuns: holdRuns,
      baselinePain: baselinePain, speed: speedMetersPerSecond.map(Speed.init(metersPerSecond:)))
  }

  public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// Where a run came from.
public enum RunSource: String, Codable, Sendable, CaseIterable {
  case play, session, log
  /// Not a run: a warning sign reported on its own (`cadence warn`, `cadence log --warning`).
  case report
  /// A run read from a watch or app's file (`cadence import`): no target, no check-in.
  case `import`
}

/// One run: what was played and the runner's check-in.
public struct RunRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
  public static let databaseTableName = "run"
  public var id: Int64?
  public var date: Date
  public var source: RunSource
  /// The click's cadence (the rung's, for a planned run).
  public var targetSPM: Double?
  /// The runner's own cadence, if measured.
  public var measuredSPM: Double?
  public var durationSeconds: Double?
  public var distanceMeters: Double?
  public var speedMetersPerSecond: Double?
  public var completedAtTarget: Bool
  /// Stopped early (Ctrl-C, SIGTERM, a lost device).
  public var interrupted: Bool
  /// Check-in: effort 1-10 and back pain 0-10 (nil: no check-in).
  public var effort: Int?
  public var backPain: Int?
  /// Warning signs reported, comma-separated `WarningSign` raw values ("" for none).
  public var warningSigns: String
  public var notes: String?
  /// Time paused during a played run (space, or the headset's pause), kept apart from
  /// `durationSeconds`, which is the time run.
  public var pausedSeconds: Double?
  /// The shoes it was run in (`cadence shoes`): the default pair when it was stored.
  public var shoeId: Int64?

  public init(
    date: Date, source: RunSource, targetSPM: Double? = nil, measuredSPM: Double? = nil,
    durationSeconds: Double? = nil, distanceMeters: Double? = nil, speedMetersPerSecond: Double? = nil,
    completedAtTarget: Bool = true, interrupted: Bool = false, effort: Int? = nil, backPain: Int? = nil,
    warningSigns: Set<WarningSign> = [], notes: String? = nil
  ) {
    self.date = date
    self.source = source
    self.targetSPM = targetSPM
    self.measuredSPM = measuredSPM
    self.durationSeconds = durationSeconds
    self.distanceMeters = distanceMeters
    self.speedMetersPerSecond = speedMetersPerSecond
    self.completedAtTarget = completedAtTarget
    self.interrupted = interrupted
    self.effort = effort
    self.backPain = backPain
    self.warningSigns = warningSigns.map(\.rawValue).sorted().joined(separator: ",")
    self.notes = notes
    pausedSeconds = nil
    shoeId = nil
  }

  public var signs: Set<WarningSign> {
    Set(warningSigns.split(separator: ",").compactMap { WarningSign(rawValue: String($0)) })
  }

  /// The run as the planner sees it. An imported run was played to no click: its cadence is
  /// the one the watch measured, so it counts towards the rung it was run at.
  public var checkIn: RunCheckIn {
    RunCheckIn(
      time: Int64(date.timeIntervalSince1970), completedAtTarget: completedAtTarget, effort: effort,
      backPain: backPain, warningSigns: signs, distanceMeters: distanceMeters,
      spm: source == .import ? measuredSPM : targetSPM, seconds: durationSeconds)
  }

  public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A measurement of the runner's cadence, with how it was taken.
public struct MeasurementRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
  public static let databaseTableName = "measurement"
  public var id: Int64?
  public var date: Date
  public var spm: Double
  /// "manual" (`cadence measure`), later "tap", "import", "listen".
  public var method: String
  public var details: String?

  public init(date: Date, spm: Double, method: String, details: String? = nil) {
    self.date = date
    self.spm = spm
    self.method = method
    self.details = details
  }

  public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// Something that happened to a plan other than a run: a resume after a warning sign.
public struct PlanEventRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
  public static let databaseTableName = "planEvent"
  public var id: Int64?
  public var planId: Int64
  public var date: Date
  public var kind: String

  public init(planId: Int64, date: Date, kind: String) {
    self.planId = planId
    self.date = date
    self.kind = kind
  }

  public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// The cadence heard by the microphone in one minute of a run (`session --listen`).
public struct RunCadenceRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
  public static let databaseTableName = "runCadence"
  public var id: Int64?
  public var runId: Int64
  /// Minute of the run, from 0.
  public var minute: Int
  public var spm: Double
  /// Mean and standard deviation of footfall minus click, in ms (nil where not measured).
  public var offsetMs: Double?
  public var spreadMs: Double?
  /// "sensor" for a foot pod's minute; nil (the microphone) otherwise.
  public var source: String?
  public var metersPerSecond: Double?
  /// The distance a treadmill's belt ran in the minute, m.
  public var meters: Double?

  public init(runId: Int64, heard: HeardMinute) {
    self.runId = runId
    minute = heard.minute
    spm = heard.spm
    offsetMs = heard.offsetMs
    spreadMs = heard.spreadMs
    source = heard.source
    metersPerSecond = heard.metersPerSecond
    meters = heard.meters
  }

  public var heard: HeardMinute {
    HeardMinute(
      minute: minute, spm: spm, offsetMs: offsetMs, spreadMs: spreadMs, source: source,
      metersPerSecond: metersPerSecond,
      meters: meters)
  }

  public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
