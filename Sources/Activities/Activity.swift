import CadenceCore
import Foundation

/// One moment of a recorded activity.
public struct ActivitySample: Sendable, Equatable {
  /// Seconds since 1970.
  public var time: Double
  /// Steps per minute (both feet), already doubled from the watch's per-leg value.
  public var spm: Double?
  public var metersPerSecond: Double?
  public var distanceMeters: Double?

  public init(time: Double, spm: Double? = nil, metersPerSecond: Double? = nil, distanceMeters: Double? = nil) {
    self.time = time
    self.spm = spm
    self.metersPerSecond = metersPerSecond
    self.distanceMeters = distanceMeters
  }
}

/// What a file (or one leg of it) says was done.
public enum Sport: Equatable, Sendable {
  case running
  /// Another sport, by the name the file gives it ("cycling", "road biking", "transition").
  case other(String)
  /// No sport, or a generic one: read as a run, as before files said what they were.
  case unstated
}

/// One part of an activity as the file states it: a FIT session, a TCX activity, a GPX track,
/// with the watch's own timer and distance where it gives them.
public struct ActivityLeg: Equatable, Sendable {
  /// More legs than any multisport race has; a file's further ones are not read.
  public static let maximumPerFile = 64

  public var sport: Sport
  /// Seconds since 1970.
  public var start: Double
  public var end: Double
  /// The watch's timer (moving time) for the leg, where the file gives it.
  public var timerSeconds: Double?
  public var meters: Double?

  public init(sport: Sport, start: Double, end: Double, timerSeconds: Double? = nil, meters: Double? = nil) {
    self.sport = sport
    self.start = start
    self.end = end
    self.timerSeconds = timerSeconds
    self.meters = meters
  }
}

/// An activity file as read: its samples, and its legs where it states them.
public struct Activity: Sendable, Equatable {
  public var samples: [ActivitySample]
  public var legs: [ActivityLeg]
  /// Every time in the file counts from the device's power-on, not a date (FIT times under
  /// 0x10000000: the watch had not set its clock), so when it was run cannot be known.
  public var deviceRelativeTimes: Bool

  public init(samples: [ActivitySample], legs: [ActivityLeg] = [], deviceRelativeTimes: Bool = false) {
    self.samples = samples
    self.legs = legs
    self.deviceRelativeTimes = deviceRelativeTimes
  }

  /// When the running in it began: the first running leg's start as the file states it (FIT
  /// session `start_time`, TCX `<Id>` or the first lap's `StartTime`), else the first sample's
  /// time; nil without either.
  public func start(of running: [ActivitySample]) -> Double? {
    let first = running.map(\.time).filter(\.isFinite).min()
    let kept = legs.filter { $0.sport == .running }
    let stated = (kept.isEmpty ? legs.filter { $0.sport == .unstated } : kept).map(\.start).min()
    guard let stated, stated.isFinite else { return first }
    guard let first else { return stated }
    // A stated start after the running began, or a day before it, is not believed.
    return stated <= first && first - stated <= 86_400 ? stated : first
  }

  /// The running in it: the samples of its running legs, and its time and distance, the
  /// watch's own where it states them for every running leg. A file that states no sport is
  /// read whole; one whose legs are all another sport is refused by name, for a bike ride's
  /// pedalling, doubled, reads as 160-190 "spm".
  public func running(name: String) throws(ImportError) -> (samples: [ActivitySample], totals: ActivityTotals) {
    guard !legs.isEmpty else {
      try Self.plausiblyRunning(samples, name: name)
      return (samples, ActivityTotals.make(samples))
    }
    var chosen = legs.filter { $0.sport == .running }
    if chosen.isEmpty {
      chosen = legs.filter { $0.sport == .unstated }
      if !chosen.isEmpty {
        try Self.plausiblyRunning(
          samples.filter { s in chosen.contains { s.time >= $0.start && s.time <= $0.end } }, name: name)
      }
    }
    guard !chosen.isEmpty else {
      var names: [String] = []
      for leg in legs {
        if case .other(let sport) = leg.sport, !names.contains(sport) { names.append(sport) }
      }
      throw .notARun(name, sports: names)
    }
    guard chosen.count < legs.count else { return (samples, totals(chosen, samples)) }
    let kept = samples.filter { s in chosen.contains { s.time >= $0.start && s.time <= $0.end } }
    return (kept, totals(chosen, kept))
  }

  /// A file that states no sport is a run only if its steps could be a runner's: where the
  /// median step (speed over cadence, per leg doubled) of its samples with cadence and speed is
  /// longer than `StepOrStride.plausibleStep` under both readings, it is a ride (a Strava GPX
  /// ride at 30 km/h and 85 rpm "steps" 2.9 m) and is refused. Without speeds it cannot tell.
  static func plausiblyRunning(_ samples: [ActivitySample], name: String) throws(ImportError) {
    var steps: [Double] = []
    var speeds: [Double] = []
    for sample in samples {
      guard let spm = sample.spm, let speed = sample.metersPerSecond, spm.isFinite, speed.isFinite,
        (CadenceReport.runningSPM...CadenceReport.highestSPM).contains(spm),
        (CadenceReport.runningSpeed...CadenceReport.fastestSpeed).contains(speed)
      else { continue }
      steps.append(speed / (spm / 60))
      speeds.append(speed)
    }
    // Too few to say (under a minute of one-second samples): read as a run, as before.
    guard steps.count >= 60 else { return }
    steps.sort()
    speeds.sort()
    let step = steps[steps.count / 2]
    guard step > StepOrStride.plausibleStep.upperBound else { return }
    throw .notRunLike(name, stepMeters: step, kmh: speeds[speeds.count / 2] * 3.6)
  }

  /// Whether the file names a sport for any of its legs.
  public var statesASport: Bool { legs.contains { $0.sport != .unstated } }

  /// The samples recorded during `leg`.
  public func samples(in leg: ActivityLeg) -> [ActivitySample] {
    samples.filter { $0.time >= leg.start && $0.time <= leg.end }
  }

  /// A multisport file leg by leg, for the report: "legs: running 38:15 2.2 km (kept),
  /// transition 5:35 (left out), ..."; nil for a file of one leg or none.
  public var legsLine: String? { legsLine(cadence: { _ in nil }) }

  /// The same, with each kept leg's own cadence where `cadence` gives one ("running 38:15
  /// 2.2 km 186.3 spm (kept)").
  public func legsLine(cadence: (ActivityLeg) -> Double?) -> String? {
    guard legs.count > 1 else { return nil }
    let running = legs.contains { $0.sport == .running }
    let parts = legs.map { leg -> String in
      let name: String
      switch leg.sport {
      case .running: name = "running"
      case .other(let sport): name = sport
      case .unstated: name = "no sport stated"
      }
      let kept = leg.sport == .running || (!running && leg.sport == .unstated)
      var text = name + " " + clock(leg.timerSeconds ?? (leg.end - leg.start))
      if let meters = leg.meters, meters.isFinite, meters >= 50 { text += " " + format(meters / 1000, 1) + " km" }
      if kept, let spm = cadence(leg), spm.isFinite { text += " " + format(spm, 1) + " spm" }
      return text + (kept ? " (kept)" : " (left out)")
    }
    return "legs: " + parts.joined(separator: ", ")
  }

  /// The legs' own timer and distance where every leg gives a believable one, else what the
  /// samples show.
  private func totals(_ chosen: [ActivityLeg], _ samples: [ActivitySample]) -> ActivityTotals {
    let measured = ActivityTotals.make(samples)
    func sum(_ values: [Double?], limit: Double) -> Double? {
      var total = 0.0
      for value in values {
        guard let value, value.isFinite, value >= 0 else { return nil }
        total += value
      }
      return total > 0 && total <= limit ? total : nil
    }
    return ActivityTotals(
      seconds: sum(chosen.map(\.timerSeconds), limit: 86_400) ?? measured.seconds,
      meters: sum(chosen.map(\.meters), limit: 200_000) ?? measured.meters)
  }
}

public enum ImportError: Error, Equatable, Sendable, CustomStringConvertible {
  case unknownFormat(String)
  case tooLarge(String, bytes: Int)
  case malformed(String, reason: String)
  case noCadence(String)
  /// Every leg of the file is another sport (named as the file names them).
  case notARun(String, sports: [String])
  /// The file states no sport, and its steps are not a runner's (median step and speed).
  case notRunLike(String, stepMeters: Double, kmh: Double)

  public var description: String {
    switch self {
    case .unknownFormat(let f): "'\(f)' is not a TCX, GPX or FIT file (by its name and content)"
    case .tooLarge(let f, let bytes):
      "'\(f)' is \(bytes / 1_048_576) MB; activity files this large are not read (limit 64 MB)"
    case .malformed(let f, let reason): "'\(f)' could not be read: \(reason)"
    case .noCadence(let f): "'\(f)' has no running cadence in it (no cadence samples while running)"
    case .notARun(let f, let sports):
      "'\(f)' is \(sports.isEmpty ? "not a run" : sports.joined(separator: " and ")) by what the file says, not a run"
    case .notRunLike(let f, let step, let kmh):
      "'\(f)' states no sport, and is not a run by its speed and cadence: a median \"step\" of "
        + "\(format(step, 1)) m at \(format(kmh, 1)) km/h (a runner's is \(format(StepOrStride.plausibleStep.lowerBound, 1)) "
        + "to \(format(StepOrStride.plausibleStep.upperBound, 1)) m), as on a bike"
    }
  }
}

/// Watches and apps store running cadence per leg: strides (or "revolutions") per minute. A
/// cadence in steps per minute counts both feet, so it is twice that.
public let stepsPerStride = 2.0

/// How a file's cadence was read: per leg and doubled (what watches write), or already steps
/// per minute (some foot pods write steps).
public enum CadenceReading: Sendable, Equatable {
  case perLegDoubled
  case stepsAsRecorded

  /// The bounds the reading is decided by (`StepOrStride`, shared with live sensors).
  public static let plausibleStep = StepOrStride.plausibleStep
  public static let mostStridesPerMinute = StepOrStride.mostStridesPerMinute

  /// The reading a file's samples (as parsed: per leg, doubled) agree with. Each sample votes
  /// (`StepOrStride.vote`) with its per-leg figure and speed. Steps only where they win: a
  /// file that cannot tell is read as watches write.
  public static func decide(_ samples: [ActivitySample]) -> CadenceReading {
    var steps = 0
    var strides = 0
    for sample in samples {
      guard let spm = sample.spm, spm.isFinite, spm > 0 else { continue }
      switch StepOrStride.vote(raw: spm / stepsPerStride, metersPerSecond: sample.metersPerSecond) {
      case .steps?: steps += 1
      case .strides?: strides += 1
      case nil: break
      }
    }
    return steps > strides ? .stepsAsRecorded : .perLegDoubled
  }

  /// `samples` in steps per minute under this reading.
  public func apply(_ samples: [ActivitySample]) -> [ActivitySample] {
    guard self == .stepsAsRecorded else { return samples }
    return samples.map { sample in
      var sample = sample
      sample.spm = sample.spm.map { $0 / stepsPerStride }
      return sample
    }
  }
}

public enum ActivityFile {
  public static let maximumBytes = 64 * 1_048_576

  /// Reads a TCX, GPX or FIT file (by content, then by extension).
  public static func read(path: String) throws(ImportError) -> [ActivitySample] {
    try readActivity(path: path).samples
  }

  /// Reads a TCX, GPX or FIT file with the legs it states.
  public static func readActivity(path: String) throws(ImportError) -> Activity {
    let name = (path as NSString).lastPathComponent
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
      let size = attributes[.size] as? Int
    else { throw .malformed(name, reason: "no such file") }
    guard size <= maximumBytes else { throw .tooLarge(name, bytes: size) }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .malformed(name, reason: "cannot be read")
    }
    return try parseActivity(data, name: name)
  }

  public static func parse(_ data: Data, name: String) throws(ImportError) -> [ActivitySample] {
    try parseActivity(data, name: name).samples
  }

  public static func parseActivity(_ data: Data, name: String) throws(ImportError) -> Activity {
    if data.count >= 12, data.count > 11,
      data[data.startIndex + 8..<data.startIndex + 12].elementsEqual(Array(".FIT".utf8))
    {
      return try FITParser(data: data, name: name).activity()
    }
    let head = String(decoding: data.prefix(2_048), as: UTF8.self).lowercased()
    if head.contains("<trainingcenterdatabase") {
      return try XMLActivityParser.parse(data, name: name, format: .tcx)
    }
    if head.contains("<gpx") { return try XMLActivityParser.parse(data, name: name, format: .gpx) }
    let ext = (name as NSString).pathExtension.lowercased()
    switch ext {
    case "tcx": return try XMLActivityParser.parse(data, name: name, format: .tcx)
    case "gpx": return try XMLActivityParser.parse(data, name: name, format: .gpx)
    case "fit": throw .malformed(name, reason: "not a FIT file (no .FIT header)")
    default: throw .unknownFormat(name)
    }
  }
}

/// Cadence while running, overall and per speed band.
public struct CadenceReport: Sendable, Equatable, Encodable {
  public struct Band: Sendable, Equatable, Encodable {
    /// Centre in km/h (bands are 1 km/h wide: 10 is 9.5 to 10.5).
    public var kmh: Int
    public var spm: Double
    public var minutes: Double
  }

  public var spm: Double
  public var runningMinutes: Double
  public var bands: [Band]
  public var samplesUsed: Int
  public var samplesLeftOut: Int
  /// Of those left out, samples above `highestSPM`: no runner's cadence (said, never dropped
  /// silently).
  public var samplesTooHigh = 0

  /// [product choice] Under this much running a file's cadence is not stored as a measurement
  /// (a few minutes of a long "generic" activity, an accidental start): the run is stored, and
  /// its time and distance count, but the plan is not moved by it.
  public static let shortestMeasuredMinutes = 5.0

  /// Above this a sample is not a runner's cadence (a sprinter's is about 240).
  public static let highestSPM = 260.0

  /// [product choice] A speed band holding under this share of the running time (a GPS or
  /// sensor spike, a few seconds) is not printed; `--json` keeps every band.
  public static let smallestPrintedBandShare = 0.01

  /// The bands worth printing, and how many were too small to.
  public var printedBands: (shown: [Band], hidden: Int) {
    let shown = bands.filter { $0.minutes >= runningMinutes * Self.smallestPrintedBandShare }
    return (shown, bands.count - shown.count)
  }

  /// Below this a sample is walking or standing, not running: most people walk under 130 spm
  /// and run over 140.
  public static let runningSPM = 140.0
  /// ... and slower than this (1.5 m/s = 5.4 km/h) is walking whatever the cadence.
  public static let runningSpeed = 1.5
  /// Faster than this (15 m/s = 54 km/h) no runner goes: such a speed is a broken sample and is
  /// left out, as is a time that is not a finite number.
  public static let fastestSpeed = 15.0
  /// Gaps longer than this between samples are pauses, not running time, unless the
  /// distance counter shows running through them (below).
  public static let longestGapSeconds = 10.0
  /// [product choice] Watches that record "smart" (a point every 1-28 s) leave longer gaps
  /// while running: a gap up to this long counts whole where the distance counter moved through
  /// it at running speed (for the cadence) or at `movingSpeed` (for the time moving).
  public static let longestMovingGapSeconds = 60.0
  /// [product choice] Under this mean speed over a gap, a distance counter is GPS drift at a
  /// stop, not moving.
  public static let movingSpeed = 0.5

  /// How long sample `a` stands for until `b`: the gap up to `longestGapSeconds`; a longer gap
  /// (up to `longestMovingGapSeconds`) whole where both carry the distance counter and it moved
  /// at `speed` or faster; else `longestGapSeconds` (for the cadence) or nothing (`pause`).
  static func span(_ a: ActivitySample, _ b: ActivitySample, speed: Double, pause: Double?) -> Double {
    let gap = b.time - a.time
    guard gap > 0 else { return 0 }
    guard gap > longestGapSeconds else { return gap }
    if gap <= longestMovingGapSeconds, let from = a.distanceMeters, let to = b.distanceMeters, from.isFinite,
      to.isFinite, (to - from) / gap >= speed, (to - from) / gap <= fastestSpeed
    {
      return gap
    }
    return pause ?? longestGapSeconds
  }

  /// Time-weighted: each sample stands for the time until the next one (up to 10 s, or a
  /// longer gap run through: `span`).
  public static func make(_ samples: [ActivitySample]) -> CadenceReport? {
    let ordered = samples.filter { s in
      s.time.isFinite && (s.metersPerSecond.map { $0.isFinite && (0...fastestSpeed).contains($0) } ?? true)
    }.sorted { $0.time < $1.time }
    var total = 0.0
    var weighted = 0.0
    var used = 0
    var bands: [Int: (spmSeconds: Double, seconds: Double)] = [:]
    var tooHigh = 0
    for (i, s) in ordered.enumerated() {
      if let spm = s.spm, spm > highestSPM { tooHigh += 1 }
      guard let spm = s.spm, spm >= runningSPM, spm <= highestSPM else { continue }
      if let v = s.metersPerSecond, v < runningSpeed { continue }
      let dt =
        i + 1 < ordered.count ? span(s, ordered[i + 1], speed: runningSpeed, pause: nil) : 1
      guard dt > 0 else { continue }
      used += 1
      total += dt
      weighted += spm * dt
      if let v = s.metersPerSecond {
        let band = Int((v * 3.6).rounded())
        bands[band, default: (0, 0)].spmSeconds += spm * dt
        bands[band, default: (0, 0)].seconds += dt
      }
    }
    guard total > 0 else { return nil }
    return CadenceReport(
      spm: weighted / total, runningMinutes: total / 60,
      bands: bands.sorted { $0.key < $1.key }.map { kmh, band in
        Band(kmh: kmh, spm: band.spmSeconds / band.seconds, minutes: band.seconds / 60)
      },
      samplesUsed: used, samplesLeftOut: ordered.count - used, samplesTooHigh: tooHigh)
  }
}

/// How long and how far an activity went, for storing it as a run, where the file gives no
/// totals of its own: time moving (gaps over `CadenceReport.longestGapSeconds` are pauses,
/// unless the distance counter moved through them) and distance (the file's distance counter,
/// else speed over time). Hostile numbers (not finite, negative, faster than a runner, a
/// counter over 1,000 km) are left out; a distance over 200 km (what `cadence log` takes) or
/// a time over 24 h is not believed and given as nil.
public struct ActivityTotals: Sendable, Equatable {
  public var seconds: Double?
  public var meters: Double?

  public static func make(_ samples: [ActivitySample]) -> ActivityTotals {
    let ordered = samples.filter { $0.time.isFinite }.sorted { $0.time < $1.time }
    var seconds = 0.0
    var integrated = 0.0
    var integratedAny = false
    for (a, b) in zip(ordered, ordered.dropFirst()) {
      let gap = CadenceReport.span(a, b, speed: CadenceReport.movingSpeed, pause: 0)
      guard gap > 0 else { continue }
      seconds += gap
      if let v = a.metersPerSecond, v.isFinite, (0...CadenceReport.fastestSpeed).contains(v) {
        integrated += v * gap
        integratedAny = true
      }
    }
    let counter = ordered.compactMap(\.distanceMeters).filter { $0.isFinite && (0...1_000_000).contains($0) }
    var meters: Double? = nil
    if let first = counter.first, let last = counter.last, counter.count >= 2, last > first {
      meters = last - first
    } else if integratedAny && integrated > 0 {
      meters = integrated
    }
    return ActivityTotals(
      seconds: seconds > 0 && seconds <= 86_400 ? seconds : nil,
      meters: meters.flatMap { $0 <= 200_000 ? $0 : nil })
  }
}
