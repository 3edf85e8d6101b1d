import Foundation
import GRDB
import Testing

@Suite struct ImportCommandTests {
  /// Two minutes of TCX at 10 km/h and 84 strides per minute, then a minute's walk.
  func tcx(_ dir: URL) throws -> String {
    let f = ISO8601DateFormatter()
    var xml =
      "<?xml version=\"1.0\"?>\n<TrainingCenterDatabase xmlns:ns3=\"x\"><Activities><Activity Sport=\"Running\"><Lap><Track>\n"
    for s in 0..<180 {
      let time = f.string(from: Date(timeIntervalSince1970: 1_767_258_000 + Double(s)))
      let (cad, speed) = s < 120 ? (84, 2.7778) : (55, 1.3)
      xml +=
        "<Trackpoint><Time>\(time)</Time><Extensions><ns3:TPX><ns3:Speed>\(speed)</ns3:Speed><ns3:RunCadence>\(cad)</ns3:RunCadence></ns3:TPX></Extensions></Trackpoint>\n"
    }
    xml += "</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n"
    let path = dir.appendingPathComponent("morning.tcx").path
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
        morning.tcx (2026-01-01): 2.0 min running, cadence 168.0 spm (the watch's 84.0 per leg, doubled)
          10 km/h: 168.0 spm over 2.0 min
          left out: 60 samples of walking, standing or no cadence

        """)
    let plan = try r.run(["plan"], at: "2026-01-02T08:00:00Z", stdin: nil)
    #expect(plan.status == 64)  // no plan yet, but the measurement is there:
    #expect(
      try r.run(["plan", "--goal", "175"], at: "2026-01-02T09:00:00Z").stdout.hasPrefix("Cadence plan: 168 -> 175 spm"))
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
    for name in ["a", "b", "c"] {
      let path = r.dir.appendingPathComponent("\(name).tcx").path
      try FileManager.default.copyItem(atPath: one, toPath: path)
      files.append(path)
    }
    let result = try cadence(
      ["-c", "\"$0\" import \"$@\" --db \"$DB\" | true", cadenceBinary] + files,
      environment: ["DB": r.db, "TZ": "UTC"], executable: "/bin/bash")
    #expect(result.stdout == "")
    let stored = try DatabaseQueue(path: r.db).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM measurement") }
    #expect(stored == 3)
  }
}
