import Foundation
import GRDB
import Testing

@Suite struct ImportCommandTests {
  /// Six minutes (or `running` seconds) of TCX at 10 km/h and 84 strides per minute, then a
  /// minute's walk.
  func tcx(_ dir: URL, running: Int = 360, name: String = "morning") throws -> String {
    let f = ISO8601DateFormatter()
    var xml =
      "<?xml version=\"1.0\"?>\n<TrainingCenterDatabase xmlns:ns3=\"x\"><Activities><Activity Sport=\"Running\"><Lap><Track>\n"
    for s in 0..<(running + 60) {
      let time = f.string(from: Date(timeIntervalSince1970: 1_767_258_000 + Double(s)))
      let (cad, speed) = s < running ? (84, 2.7778) : (55, 1.3)
      xml +=
        "<Trackpoint><Time>\(time)</Time><Extensions><ns3:TPX><ns3:Speed>\(speed)</ns3:Speed><ns3:RunCadence>\(cad)</ns3:RunCadence></ns3:TPX></Extensions></Trackpoint>\n"
    }
    xml += "</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n"
    let path = dir.appendingPathComponent(name + ".tcx").path
    try xml.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test func aWatchFileBecomesAMeasurement() throws {
    let r = Runner("import")
    let file = try tcx(r.dir)
    let result = try r.run(["import", file], at: "2026-01-02T08:00:00Z")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout == """
        morning.tcx (2026-01-01): 6.0 min running, cadence 168.0 spm (the watch's 84.0 per leg, doubled)
          10 km/h: 168.0 spm over 6.0 min
          left out: 60 samples of walking, standing or no cadence

        """)
    // No plan yet, but the measurement is there: a bare plan makes it from the import.
    let plan = try r.run(["plan"], at: "2026-01-02T08:00:00Z", stdin: nil)
    #expect(plan.status == 0, "\(plan.stderr)")
    #expect(plan.stdout.hasPrefix("Made your plan from your latest measured cadence, 168 spm"))
    #expect(
      try r.run(["plan", "--goal", "175", "--new"], at: "2026-01-02T09:00:00Z").stdout.contains(
        "Cadence plan: 168 -> 175 spm"))
  }

  /// Under 5 minutes of running (a product choice) is stored as a run, whose time and
  /// distance count, but not as a measurement: no plan is made or moved by it. Imported again,
  /// it is recognised by its run and skipped.
  @Test func aShortRunIsNotAMeasurement() throws {
    let r = Runner("import-short")
    let file = try tcx(r.dir, running: 240, name: "short")
    let result = try r.run(["import", file], at: "2026-01-02T08:00:00Z")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout == """
        short.tcx (2026-01-01): 4.0 min running, cadence 168.0 spm (the watch's 84.0 per leg, doubled)
          10 km/h: 168.0 spm over 4.0 min
          left out: 60 samples of walking, standing or no cadence
          under 5 min of running: stored as a run, not as a measurement of your cadence

        """)
    let rows = try DatabaseQueue(path: r.db).read { db in
      (
        try Int.fetchOne(db, sql: "SELECT count(*) FROM measurement"),
        try Row.fetchAll(db, sql: "SELECT source, measuredSPM, durationSeconds FROM run")
      )
    }
    #expect(rows.0 == 0)
    #expect(rows.1.count == 1)
    #expect(rows.1.first?["source"] == "import")
    #expect(rows.1.first?["measuredSPM"] == nil as Double?)
    #expect(rows.1.first?["durationSeconds"] == 299.0)
    let plan = try r.run(["plan"], at: "2026-01-02T08:00:00Z", stdin: nil)
    #expect(plan.status == 64)
    #expect(plan.stderr.hasPrefix("cadence: error: there is no cadence plan yet, and no measured cadence"))
    let again = try r.run(["import", "--json", file], at: "2026-01-03T08:00:00Z")
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stderr == "short.tcx (2026-01-01T09:00:00Z): already imported; skipped\n")
  }

  /// A file that names no sport and has no speed cannot be told from a ride: read as a run,
  /// and said.
  @Test func noSportAndNoSpeedIsSaid() throws {
    let r = Runner("import-unsure")
    let path = r.dir.appendingPathComponent("trainer.tcx").path
    var xml = "<TrainingCenterDatabase><Activities><Activity Sport=\"Other\"><Lap><Track>"
    for s in 0..<360 {
      let time = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: 1_767_258_000 + Double(s)))
      xml += "<Trackpoint><Time>\(time)</Time><Cadence>84</Cadence></Trackpoint>"
    }
    try (xml + "</Track></Lap></Activity></Activities></TrainingCenterDatabase>").write(
      toFile: path, atomically: true, encoding: .utf8)
    let result = try r.run(["import", path], at: "2026-01-02T08:00:00Z")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout == """
        trainer.tcx (2026-01-01): 6.0 min running, cadence 168.0 spm (the watch's 84.0 per leg, doubled)
          no sport and no speed in the file: read as a run (a ride cannot be told apart)

        """)
  }

  @Test func oneBadFileStoresNothing() throws {
    let r = Runner("import-bad")
    let good = try tcx(r.dir)
    let cut = r.dir.appendingPathComponent("cut.gpx").path
    try "<gpx><trk><trkseg><trkpt lat=\"1\" lon=\"2\"><time>2026-01-01T09:00:00Z</time>".write(
      toFile: cut, atomically: true, encoding: .utf8)
    let result = try r.run(["import", good, cut], at: "2026-01-02T08:00:00Z")
    #expect(result.status == 65)
    #expect(
      result.stderr
        == "cadence: error: 'cut.gpx' could not be read: bad XML at line 1: truncated XML: it ends inside <trkpt>; nothing was stored\n  try: export the activity again as TCX, GPX or FIT\n"
    )
    let missing = try r.run(["import", r.dir.appendingPathComponent("nope.fit").path], at: "2026-01-02T08:00:00Z")
    #expect(missing.status == 65)
    #expect(
      missing.stderr.hasPrefix("cadence: error: 'nope.fit' could not be read: no such file; nothing was stored\n"))
    let none = try r.run(["plan", "--goal", "175"], at: "2026-01-02T09:00:00Z")
    #expect(none.stderr.hasPrefix("cadence: error: cadence does not know your cadence yet"))
  }

  /// `cadence import a b c | true`: the reader is gone before the first line (SIGPIPE at the
  /// first write); all three files were stored, in one transaction, before anything is said.
  @Test func aReaderThatGoesAwayLeavesNothingHalfStored() throws {
    let r = Runner("import-pipe")
    let one = try tcx(r.dir)
    var files: [String] = []
    for (day, name) in ["a", "b", "c"].enumerated() {
      // Three runs on three days (the same run twice would be a duplicate).
      let path = r.dir.appendingPathComponent("\(name).tcx").path
      let text = try String(contentsOfFile: one, encoding: .utf8)
      try text.replacingOccurrences(of: "2026-01-01T", with: "2026-01-0\(day + 1)T").write(
        toFile: path, atomically: true, encoding: .utf8)
      files.append(path)
    }
    let result = try cadence(
      ["-c", "\"$0\" import \"$@\" --db \"$DB\" | true", cadenceBinary] + files,
      environment: ["DB": r.db, "TZ": "UTC"], executable: "/bin/bash")
    #expect(result.stdout == "")
    let stored = try DatabaseQueue(path: r.db).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM measurement") }
    #expect(stored == 3)
  }

  /// A watch file becomes a run too (its time and distance count for the weekly load, not for a
  /// rung); importing it again is recognised and skipped; a file dated after now stores nothing.
  @Test func importedRunsDuplicatesAndFutureFiles() throws {
    let r = Runner("import-runs")
    let file = try tcx(r.dir)
    let twice = try r.run(["import", file, file], at: "2026-01-02T08:00:00Z")
    #expect(twice.status == 0, "\(twice.stderr)")
    #expect(twice.stdout.hasSuffix("morning.tcx (2026-01-01T09:00:00Z): already imported; skipped\n"))
    let again = try r.run(["import", file], at: "2026-01-03T08:00:00Z")
    #expect(again.stdout == "morning.tcx (2026-01-01T09:00:00Z): already imported; skipped\n")
    let json = try r.run(["history", "--json"], at: "2026-01-03T08:00:00Z")
    let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
    #expect(rows.count == 1)
    // 6:59 moving (419 one-second gaps); 360 s at 2.7778 m/s and 59 s at 1.3 m/s: 1.08 km.
    #expect(rows[0]["source"] as? String == "import" && rows[0]["measuredSPM"] as? Double == 168)
    #expect(rows[0]["minutes"] as? Double == 7 && rows[0]["distanceKm"] as? Double == 1.08, "\(rows[0])")
    #expect(rows[0]["effort"] is NSNull && rows[0]["notes"] as? String == "morning.tcx")
    let measurements = try r.run(["history", "--measurements"], at: "2026-01-03T08:00:00Z")
    #expect(measurements.stdout.split(separator: "\n").count == 2)  // the header and one

    let early = Runner("import-future")
    let future = try early.run(["import", try tcx(early.dir)], at: "2025-12-31T08:00:00Z")
    #expect(future.status == 65)
    #expect(
      future.stderr
        == "cadence: error: 'morning.tcx' is dated 2026-01-01T09:00:00Z, outside 2000-01-01 to now; nothing was stored\n  try: check the watch's clock, or export the activity again\n"
    )
    #expect(!FileManager.default.fileExists(atPath: early.db))
  }
}

/// Real watch files (Tests/ActivitiesTests/Files, from python-fitparse's test suite): rides
/// and walks are not stored as runs, and a multisport file stores its run legs only, with the
/// watch's own time and distance for them.
@Suite struct RealWatchFileImportTests {
  static let files = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("ActivitiesTests/Files")

  func file(_ name: String) -> String { Self.files.appendingPathComponent(name + ".fit").path }

  @Test func ridesAndWalksAreNotRuns() throws {
    let r = Runner("import-real-rides")
    let refused = try r.run(
      ["import", file("garmin-edge-820-bike"), file("sample-activity-indoor-trainer"), file("garmin-fenix-5-walk")],
      at: "2026-01-02T09:00:00Z")
    #expect(refused.status == 65)
    #expect(
      refused.stderr
        == "cadence: error: 'garmin-edge-820-bike.fit' is cycling by what the file says, not a run; 'sample-activity-indoor-trainer.fit' is cycling by what the file says, not a run; 'garmin-fenix-5-walk.fit' is walking by what the file says, not a run; nothing was stored\n  try: import runs only: cadence measures steps, and a ride's pedalling, doubled, is not a cadence\n"
    )
    #expect(!FileManager.default.fileExists(atPath: r.db))
    let mixed = try r.run(
      ["import", file("garmin-edge-820-bike"), file("garmin-fenix-5-run")], at: "2026-01-02T09:00:00Z")
    #expect(mixed.status == 0, "\(mixed.stderr)")
    #expect(
      mixed.stdout.hasPrefix(
        """
        'garmin-edge-820-bike.fit' is cycling by what the file says, not a run; skipped
        garmin-fenix-5-run.fit (2017-06-11): 0.8 min running, cadence 180.5 spm (the watch's 90.3 per leg, doubled)

        """))
    // The watch's own timer and distance: 56.887 s and 157.56 m.
    let rows = try DatabaseQueue(path: r.db).read {
      try Row.fetchAll($0, sql: "SELECT durationSeconds, distanceMeters FROM run")
    }
    #expect(rows.count == 1)
    #expect(rows.first?["durationSeconds"] == 56.887)
    #expect(rows.first?["distanceMeters"] == 157.56)
  }

  /// A Suunto TCX is stored at its `<Id>` (18:11:26), not at its first point 3 minutes later,
  /// with its 32 laps' own time and distance; a Polar run without `<Speed>` has speed bands; a
  /// Movescount GPX's `gpxdata:cadence` is read; Garmin Connect rides in TCX and GPX are refused.
  @Test func realXMLFiles() throws {
    let r = Runner("import-real-xml")
    func path(_ name: String) -> String { Self.files.appendingPathComponent(name).path }
    let rides = try r.run(
      ["import", path("garmin-connect-ride.tcx"), path("garmin-connect-road-ride.gpx")], at: "2026-01-02T09:00:00Z")
    #expect(rides.status == 65)
    #expect(
      rides.stderr.hasPrefix(
        "cadence: error: 'garmin-connect-ride.tcx' is biking by what the file says, not a run; 'garmin-connect-road-ride.gpx' is road biking by what the file says, not a run; nothing was stored\n"
      ))
    let runs = try r.run(
      [
        "import", path("suunto-spartan-run.tcx"), path("polar-v800-run.tcx"), path("suunto-movescount-run.gpx"),
        path("strava-zwift-ride.gpx"),
      ],
      at: "2026-01-02T09:00:00Z")
    #expect(runs.status == 0, "\(runs.stderr)")
    #expect(
      runs.stdout.hasPrefix(
        "'strava-zwift-ride.gpx' states no sport, and is not a run by its speed and cadence: a median \"step\" of 3.0 m at 27.9 km/h (a runner's is 0.5 to 1.8 m), as on a bike; skipped\n"
      ), "\(runs.stdout)")
    #expect(runs.stdout.contains("suunto-spartan-run.tcx (2017-05-09): 25.6 min running, cadence 171.7 spm"))
    #expect(runs.stdout.contains("polar-v800-run.tcx (2016-09-12): 24.8 min running, cadence 165.6 spm"))
    #expect(runs.stdout.contains("  10 km/h: 164.7 spm over 8.1 min\n"))
    #expect(runs.stdout.contains("suunto-movescount-run.gpx (2018-05-13): 72.0 min running, cadence 165.4 spm"))
    let rows = try DatabaseQueue(path: r.db).read {
      try Row.fetchAll($0, sql: "SELECT date, durationSeconds, distanceMeters, measuredSPM FROM run ORDER BY date")
    }
    #expect(
      rows.map { $0["date"] as String? } == [
        "2016-09-12 11:19:55.000", "2017-05-09 18:11:26.000", "2018-05-13 14:11:03.000",
      ])
    #expect(rows.map { $0["measuredSPM"] as Double? } == [165.6, 171.7, 165.4])
    #expect(rows[0]["durationSeconds"] == 1545.0)
    #expect((rows[0]["distanceMeters"] as Double?).map { abs($0 - 4156.7) < 0.01 } == true)
    #expect((rows[1]["durationSeconds"] as Double?).map { abs($0 - 1916.167) < 1e-6 } == true)
    #expect(rows[1]["distanceMeters"] == 5729.0)
  }

  /// A foot-pod watch whose clock was never set writes times from its power-on: no date, said so.
  @Test func deviceRelativeTimesAreRefusedByName() throws {
    let r = Runner("import-relative")
    let result = try r.run(["import", file("compressed-speed-distance")], at: "2026-01-02T09:00:00Z")
    #expect(result.status == 65)
    #expect(
      result.stderr
        == "cadence: error: 'compressed-speed-distance.fit' has no date: its times count from the watch's power-on (its clock was not set); nothing was stored\n  try: set the watch's time (or let it find GPS) and export the activity again, or log the run with cadence log --date\n"
    )
    #expect(!FileManager.default.fileExists(atPath: r.db))
  }

  /// A multisport race (run, transition, run, transition, ride after a generic first leg): only
  /// the two run legs, 2294.84 s + 6764.48 s and 2245.23 m + 12740.37 m by the watch.
  @Test func aMultisportFileStoresItsRunLegs() throws {
    let r = Runner("import-real-multisport")
    let result = try r.run(["import", file("activity-large-fenxi2-multisport")], at: "2026-01-02T09:00:00Z")
    #expect(result.status == 0, "\(result.stderr)")
    // Bands under 1% of the running time (0.74 min: the walk-in and GPS spikes) not printed.
    #expect(
      result.stdout.hasPrefix(
        """
        activity-large-fenxi2-multisport.fit (2015-08-29): 74.0 min running, cadence 167.7 spm (the watch's 83.9 per leg, doubled)
          6 km/h: 161.3 spm over 7.8 min
          7 km/h: 165.3 spm over 20.0 min
          8 km/h: 169.2 spm over 19.8 min
          9 km/h: 169.5 spm over 14.3 min
          10 km/h: 171.9 spm over 8.4 min
          11 km/h: 173.3 spm over 1.9 min
          12 km/h: 171.1 spm over 1.1 min
          (5 speed bands under 1% of the time not shown)
          left out: 4486 samples of walking, standing or no cadence
          legs: no sport stated 3:15:38 25.1 km (left out), transition 5:34 0.2 km (left out), running 38:14 2.2 km 161.1 spm (kept), transition 0:04 (left out), running 1:52:44 12.7 km 167.9 spm (kept), transition 4:29 0.6 km (left out), cycling 53:31 28.9 km (left out)

        """), "\(result.stdout)")
    let rows = try DatabaseQueue(path: r.db).read {
      try Row.fetchAll($0, sql: "SELECT durationSeconds, distanceMeters FROM run")
    }
    #expect(rows.count == 1)
    #expect((rows.first?["durationSeconds"] as Double?).map { abs($0 - 9059.32) < 1e-6 } == true)
    #expect((rows.first?["distanceMeters"] as Double?).map { abs($0 - 14985.6) < 1e-6 } == true)
  }
}

/// A foot pod that records steps per minute is stored as it recorded them, and the report says
/// which reading was used.
@Suite struct StepsFootPodImportTests {
  @Test func aStepsPodIsReadAsSteps() throws {
    let r = Runner("import-steps-pod")
    var xml = "<?xml version=\"1.0\"?>\n<TrainingCenterDatabase><Activities><Activity Sport=\"Running\"><Lap><Track>\n"
    for s in 0..<720 {
      let (cadence, speed) = s < 120 ? (118, 1.4) : (177, 3.0)
      let time = String(format: "2026-01-01T09:%02d:%02dZ", s / 60, s % 60)
      xml += "<Trackpoint><Time>\(time)</Time><Extensions><TPX><Speed>\(speed)</Speed>"
      xml += "<RunCadence>\(cadence)</RunCadence></TPX></Extensions></Trackpoint>\n"
    }
    xml += "</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n"
    let file = r.dir.appendingPathComponent("pod.tcx").path
    try xml.write(toFile: file, atomically: true, encoding: .utf8)
    let result = try r.run(["import", file], at: "2026-01-02T09:00:00Z")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout.hasPrefix(
        """
        pod.tcx (2026-01-01): 10.0 min running, cadence 177.0 spm (recorded as steps per minute, as foot pods can: its step lengths or per-leg figures say so)
          11 km/h: 177.0 spm over 10.0 min
          left out: 120 samples of walking, standing or no cadence

        """), "\(result.stdout)")
  }
}
