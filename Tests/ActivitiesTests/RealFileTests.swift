import CadenceCore
import Foundation
import Testing

@testable import Activities

/// Real files written by watches and bike computers (python-fitparse's test files, see
/// Files/README.md), held to what fitparse, an independent parser, reads in them
/// (Files/truth.json, made by Files/truth.py).
@Suite struct RealFileTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Files")

  struct Truth: Decodable {
    var sessions: [String]
    var running: Bool
    var records: Int
    var timerSeconds: Double?
    var meters: Double?
    var spm: Double?
    var runningMinutes: Double?
    /// Each kept session's own cadence, for a file of several sessions.
    var legSPM: [Double]
  }

  static let truth: [String: Truth] = {
    guard let data = try? Data(contentsOf: folder.appendingPathComponent("truth.json")),
      let truth = try? JSONDecoder().decode([String: Truth].self, from: data)
    else { return [:] }
    return truth
  }()

  static func activity(_ name: String) throws -> Activity {
    try ActivityFile.readActivity(path: folder.appendingPathComponent(name + ".fit").path)
  }

  @Test func theTruthIsThere() {
    #expect(Self.truth.count == 7)
  }

  /// Runs, a multisport file's run legs: the same records, cadence and the watch's own totals.
  @Test(arguments: ["garmin-fenix-5-run", "activity-small-fenix2-run", "activity-large-fenxi2-multisport"])
  func runsAgreeWithFitparse(name: String) throws {
    let truth = try #require(Self.truth[name])
    let activity = try Self.activity(name)
    #expect(activity.legs.count == truth.sessions.count)
    let (samples, totals) = try activity.running(name: name + ".fit")
    #expect(samples.count == truth.records)
    #expect(
      totals.seconds.map { abs($0 - (truth.timerSeconds ?? -1)) < 0.001 } == true,
      "\(String(describing: totals.seconds))")
    #expect(totals.meters.map { abs($0 - (truth.meters ?? -1)) < 0.01 } == true, "\(String(describing: totals.meters))")
    let report = try #require(CadenceReport.make(samples))
    #expect(abs(report.spm - (truth.spm ?? 0)) < 0.001, "\(report.spm)")
    #expect(abs(report.runningMinutes - (truth.runningMinutes ?? 0)) < 0.001, "\(report.runningMinutes)")
  }

  /// A multisport file's run legs, each with its own cadence from its own records, as the
  /// report's legs line gives it.
  @Test func eachRunLegHasItsOwnCadence() throws {
    let name = "activity-large-fenxi2-multisport"
    let truth = try #require(Self.truth[name])
    let activity = try Self.activity(name)
    let kept = activity.legs.filter { $0.sport == .running }
    #expect(kept.count == truth.legSPM.count && kept.count == 2)
    for (leg, spm) in zip(kept, truth.legSPM) {
      let report = try #require(CadenceReport.make(activity.samples(in: leg)))
      #expect(abs(report.spm - spm) < 0.001, "\(report.spm)")
    }
    let line = activity.legsLine { CadenceReport.make(activity.samples(in: $0))?.spm }
    #expect(line?.contains("running 38:14 2.2 km 161.1 spm (kept)") == true)
    #expect(line?.contains("running 1:52:44 12.7 km 167.9 spm (kept)") == true)
    #expect(line?.contains("cycling 53:31 28.9 km (left out)") == true)
  }

  /// Rides and walks say what they are, and are refused by that name: an Edge road ride and an
  /// indoor trainer's pedalling, doubled, read as 140-168 "spm" of running.
  @Test(arguments: [
    ("garmin-fenix-5-bike", "'garmin-fenix-5-bike.fit' is cycling by what the file says, not a run"),
    ("garmin-edge-820-bike", "'garmin-edge-820-bike.fit' is cycling by what the file says, not a run"),
    (
      "sample-activity-indoor-trainer",
      "'sample-activity-indoor-trainer.fit' is cycling by what the file says, not a run"
    ),
    ("garmin-fenix-5-walk", "'garmin-fenix-5-walk.fit' is walking by what the file says, not a run"),
  ])
  func otherSportsAreRefused(name: String, message: String) throws {
    #expect(Self.truth[name]?.running == false)
    let activity = try Self.activity(name)
    #expect(throws: ImportError.self) { try activity.running(name: name + ".fit") }
    do {
      _ = try activity.running(name: name + ".fit")
    } catch {
      #expect(error.description == message)
    }
  }

  /// Record field 8, compressed speed and distance (a Forerunner-era foot pod), decoded as
  /// fitparse decodes it (its own CSV of the records).
  @Test func compressedSpeedAndDistance() throws {
    let csv = try String(
      contentsOf: Self.folder.appendingPathComponent("compressed-speed-distance-records.csv"), encoding: .utf8)
    let rows = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    // The file's first record holds a timestamp alone; fitparse's CSV leaves it out.
    let all = try Self.activity("compressed-speed-distance").samples
    let samples = all.filter { $0.metersPerSecond != nil || $0.distanceMeters != nil || $0.spm != nil }
    #expect(all.count == samples.count + 1)
    #expect(samples.count == rows.count)
    for (sample, row) in zip(samples, rows) {
      #expect(sample.time == FITParser.epoch + (Double(row[0]) ?? -1))
      #expect(sample.metersPerSecond == Double(row[2]), "\(row)")
      #expect(sample.distanceMeters == Double(row[3]), "\(row)")
      let cadence = Double(row[4]).map { $0 * 2 }
      #expect(sample.spm == (cadence == 0 ? nil : cadence), "\(row)")
    }
  }
}

/// Real TCX and GPX files (Files/README.md) held to what lxml and gpxpy read in them
/// (Files/truth-xml.json, made by Files/truth-xml.py).
@Suite struct RealXMLFileTests {
  struct Truth: Decodable {
    var sports: [String?]
    var running: Bool
    var points: Int
    var start: Double?
    var firstPoint: Double?
    var timerSeconds: Double?
    var meters: Double?
    var spm: Double?
    var runningMinutes: Double?
    /// For a file that states no sport: the median step and speed its ride or run is told by.
    var medianStep: Double?
    var medianKmh: Double?
  }

  static let truth: [String: Truth] = {
    guard let data = try? Data(contentsOf: RealFileTests.folder.appendingPathComponent("truth-xml.json")),
      let truth = try? JSONDecoder().decode([String: Truth].self, from: data)
    else { return [:] }
    return truth
  }()

  static func activity(_ name: String) throws -> Activity {
    try ActivityFile.readActivity(path: RealFileTests.folder.appendingPathComponent(name).path)
  }

  @Test func theTruthIsThere() {
    #expect(Self.truth.count == 7)
  }

  /// A Polar run without `<Speed>` (speed from its distance counter), a Suunto run whose points
  /// start 3 minutes after its `<Id>`, and a Movescount GPX with `gpxdata:cadence`: the same
  /// points, start, the watch's lap totals and cadence.
  @Test(arguments: ["polar-v800-run.tcx", "suunto-spartan-run.tcx", "suunto-movescount-run.gpx", "strava-run.gpx"])
  func runsAgreeWithTheXMLParsers(name: String) throws {
    let truth = try #require(Self.truth[name])
    #expect(truth.running)
    let activity = try Self.activity(name)
    #expect(activity.legs.count == truth.sports.count)
    let (samples, totals) = try activity.running(name: name)
    #expect(samples.count == truth.points)
    #expect(activity.start(of: samples) == truth.start)
    if let timer = truth.timerSeconds {
      #expect(totals.seconds.map { abs($0 - timer) < 0.001 } == true, "\(String(describing: totals.seconds))")
    }
    if let meters = truth.meters {
      #expect(totals.meters.map { abs($0 - meters) < 0.01 } == true, "\(String(describing: totals.meters))")
    }
    #expect(CadenceReading.decide(samples) == .perLegDoubled)
    let report = try #require(CadenceReport.make(samples))
    #expect(abs(report.spm - (truth.spm ?? 0)) < 0.001, "\(report.spm)")
    #expect(abs(report.runningMinutes - (truth.runningMinutes ?? 0)) < 0.001, "\(report.runningMinutes)")
  }

  /// Without `<Speed>`, the Polar run still has its speed bands: every running sample has a speed.
  @Test func polarSpeedComesFromTheDistanceCounter() throws {
    let (samples, _) = try Self.activity("polar-v800-run.tcx").running(name: "polar-v800-run.tcx")
    let running = samples.filter { ($0.spm ?? 0) >= CadenceReport.runningSPM }
    #expect(!running.isEmpty && running.allSatisfy { $0.metersPerSecond != nil })
    let report = try #require(CadenceReport.make(samples))
    #expect(report.bands.count >= 5)
  }

  /// A Strava GPX names its sport by a number cadence cannot read: a Zwift ride ("17") is told
  /// from a run ("9") by its steps, 2.95 m at 27.9 km/h against 0.94 m at 9.2 km/h.
  @Test func aRideThatStatesNoSportIsToldByItsSteps() throws {
    let ride = try #require(Self.truth["strava-zwift-ride.gpx"])
    let step = try #require(ride.medianStep)
    let kmh = try #require(ride.medianKmh)
    #expect(step > StepOrStride.plausibleStep.upperBound)
    let activity = try Self.activity("strava-zwift-ride.gpx")
    #expect(!activity.statesASport)
    do {
      _ = try activity.running(name: "strava-zwift-ride.gpx")
      Issue.record("a ride was read as a run")
    } catch .notRunLike(let name, let stepMeters, let speed) {
      #expect(name == "strava-zwift-ride.gpx")
      #expect(abs(stepMeters - step) < 0.001 && abs(speed - kmh) < 0.001, "\(stepMeters) \(speed)")
    } catch {
      Issue.record("\(error)")
    }
    #expect(
      ImportError.notRunLike("strava-zwift-ride.gpx", stepMeters: step, kmh: kmh).description
        == "'strava-zwift-ride.gpx' states no sport, and is not a run by its speed and cadence: a median \"step\" of 3.0 m at 27.9 km/h (a runner's is 0.5 to 1.8 m), as on a bike"
    )
    let run = try #require(Self.truth["strava-run.gpx"]?.medianStep)
    #expect(StepOrStride.plausibleStep.contains(run))
  }

  /// A real Garmin Connect ride in each XML format, pedalling cadence and all, is refused by the
  /// sport the file names.
  @Test(arguments: [
    ("garmin-connect-ride.tcx", "'garmin-connect-ride.tcx' is biking by what the file says, not a run"),
    ("garmin-connect-road-ride.gpx", "'garmin-connect-road-ride.gpx' is road biking by what the file says, not a run"),
  ])
  func ridesAreRefused(name: String, message: String) throws {
    #expect(Self.truth[name]?.running == false)
    let activity = try Self.activity(name)
    #expect(activity.samples.contains { $0.spm != nil })
    #expect(throws: ImportError.notARun(name, sports: [name.hasSuffix(".tcx") ? "biking" : "road biking"])) {
      try activity.running(name: name)
    }
    #expect(
      ImportError.notARun(name, sports: [name.hasSuffix(".tcx") ? "biking" : "road biking"]).description == message)
  }
}

/// TCX and GPX say their sport too: TCX in Activity's Sport, GPX in trk's type.
@Suite struct XMLSportTests {
  func tcx(_ activities: [(sport: String, start: Int, laps: [(seconds: Double, meters: Double)])]) -> Data {
    var xml = "<?xml version=\"1.0\"?>\n<TrainingCenterDatabase><Activities>\n"
    for activity in activities {
      xml += "<Activity Sport=\"\(activity.sport)\"><Id>x</Id>"
      var t = activity.start
      for lap in activity.laps {
        xml += "<Lap StartTime=\"x\"><TotalTimeSeconds>\(lap.seconds)</TotalTimeSeconds>"
        xml += "<DistanceMeters>\(lap.meters)</DistanceMeters><Track>"
        for _ in 0..<60 {
          let time = String(format: "2026-01-01T%02d:%02d:%02dZ", 9 + t / 3600, t / 60 % 60, t % 60)
          xml += "<Trackpoint><Time>\(time)</Time><DistanceMeters>1</DistanceMeters><Extensions><TPX><Speed>3</Speed>"
          xml += "<RunCadence>85</RunCadence></TPX></Extensions></Trackpoint>\n"
          t += 1
        }
        xml += "</Track></Lap>"
      }
      xml += "</Activity>\n"
    }
    return Data((xml + "</Activities></TrainingCenterDatabase>\n").utf8)
  }

  @Test func aTCXRideIsRefusedAndARunKeepsItsLapTotals() throws {
    let ride = try ActivityFile.parseActivity(tcx([("Biking", 0, [(60, 500)])]), name: "ride.tcx")
    #expect(ride.legs.map(\.sport) == [.other("biking")])
    #expect(throws: ImportError.notARun("ride.tcx", sports: ["biking"])) { try ride.running(name: "ride.tcx") }
    // A watch that records every few seconds: the laps' own 130 s, not the 118 s of samples.
    let run = try ActivityFile.parseActivity(tcx([("Running", 0, [(65, 200), (65, 210)])]), name: "run.tcx")
    let (samples, totals) = try run.running(name: "run.tcx")
    #expect(samples.count == 120)
    #expect(totals == ActivityTotals(seconds: 130, meters: 410))
  }

  @Test func aMultisportTCXKeepsItsRunLegs() throws {
    let file = tcx([("Running", 0, [(60, 250)]), ("Biking", 100, [(60, 900)]), ("Running", 200, [(60, 240)])])
    let activity = try ActivityFile.parseActivity(file, name: "duathlon.tcx")
    #expect(activity.legs.map(\.sport) == [.running, .other("biking"), .running])
    let (samples, totals) = try activity.running(name: "duathlon.tcx")
    #expect(samples.count == 120)
    #expect(samples.allSatisfy { $0.time < 1_767_258_000 + 100 || $0.time >= 1_767_258_000 + 200 })
    #expect(totals == ActivityTotals(seconds: 120, meters: 490))
  }

  @Test(arguments: [
    ("road_biking", Sport.other("road biking")), ("running", .running), ("trail_running", .running), ("9", .unstated),
    ("", .unstated),
  ])
  func aGPXTypeIsItsSport(type: String, sport: Sport) throws {
    var xml = "<gpx><trk><name>x</name><type>\(type)</type><trkseg>"
    for s in 0..<30 {
      xml += "<trkpt lat=\"50\" lon=\"8\"><time>2026-01-01T09:00:\(s < 10 ? "0" : "")\(s)Z</time></trkpt>"
    }
    xml += "</trkseg></trk></gpx>"
    let activity = try ActivityFile.parseActivity(Data(xml.utf8), name: "a.gpx")
    #expect(activity.legs.map(\.sport) == [sport])
    #expect(activity.legs.first?.start == 1_767_258_000)
    #expect(activity.legs.first?.end == 1_767_258_029)
  }
}

/// Steps or strides, by plausibility: a foot pod that records steps per minute is not doubled.
@Suite struct CadenceReadingTests {
  /// As parsed (per leg, doubled): `perLeg` figures at `speed` m/s, one a second.
  func samples(_ parts: [(count: Int, perLeg: Double, speed: Double)]) -> [ActivitySample] {
    var out: [ActivitySample] = []
    for part in parts {
      for _ in 0..<part.count {
        out.append(
          ActivitySample(time: 1_767_258_000 + Double(out.count), spm: part.perLeg * 2, metersPerSecond: part.speed))
      }
    }
    return out
  }

  @Test func aStepsFootPodIsNotDoubled() throws {
    // The issue's foot pod: walking at 118 and running at 176-178 "per leg", in steps.
    let pod = samples([(120, 118, 1.4), (600, 177, 3.0)])
    #expect(CadenceReading.decide(pod) == .stepsAsRecorded)
    let report = try #require(CadenceReport.make(CadenceReading.stepsAsRecorded.apply(pod)))
    #expect(report.spm == 177)
    #expect(report.samplesUsed == 600 && report.samplesLeftOut == 120)  // the walk left out
    #expect(report.samplesTooHigh == 0)
  }

  @Test func aWatchIsDoubledAsEver() {
    // 85 strides a minute at 10 km/h: 1.0 m steps doubled, 2.0 m as recorded.
    #expect(CadenceReading.decide(samples([(600, 85, 2.78)])) == .perLegDoubled)
    // No speed to judge by and per-leg figures a runner makes: as watches write.
    #expect(CadenceReading.decide(samples([(600, 88, .nan)])) == .perLegDoubled)
    // No speed, but per-leg figures no runner makes: steps.
    #expect(CadenceReading.decide(samples([(600, 172, .nan)])) == .stepsAsRecorded)
  }

  /// A sensor glitch over 260 spm is counted and said, never dropped silently.
  @Test func samplesOverTheRangeAreCounted() throws {
    let report = try #require(CadenceReport.make(samples([(100, 85, 2.78), (3, 200, 2.78)])))
    #expect(report.samplesTooHigh == 3)
    #expect(report.samplesLeftOut == 3)
  }
}
