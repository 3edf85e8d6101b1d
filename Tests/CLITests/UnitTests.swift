import Foundation
import Testing

/// `speed_unit = "mph"` in the config: every speed, distance and step length a runner reads is
/// in miles, mph and feet; what is stored and exported stays metric.
@Suite struct MileUnitTests {
  @Test func theMileSettingShowsMilesEverywhere() throws {
    let r = Runner("units-mph")
    let config = r.dir.appendingPathComponent("cadence")
    try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
    try "speed_unit = \"mph\"\n".write(
      to: config.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
    func run(_ arguments: [String], at now: String) throws -> RunResult {
      // In-process: the config is found from the context's environment, not this process's.
      try inProcess(
        arguments + ["--db", r.db], environment: ["CADENCE_NOW": now, "TZ": "UTC", "XDG_CONFIG_HOME": r.dir.path])
    }
    let plan = try run(["plan", "--current", "160", "--speed", "6mph"], at: "2026-01-01T08:00:00Z")
    #expect(plan.status == 0, "\(plan.stderr)")
    #expect(plan.stdout.hasPrefix("Cadence plan: 160 -> 170 spm, made 2026-01-01 on a treadmill at 6.0 mph\n"))
    #expect(plan.stdout.contains("  1     160      3.3 ft  current  2026-01-01  0/6\n"), "\(plan.stdout)")
    #expect(
      plan.stdout.hasSuffix("At 6.0 mph, 160 spm is a 3.3 ft step: shorter strides, feet landing under the body.\n"))

    let log = try run(
      ["log", "--minutes", "30", "--distance", "3mi", "--effort", "5", "--pain", "0"], at: "2026-01-02T09:00:00Z")
    #expect(
      log.stdout.hasPrefix("logged run on 2026-01-02, 160 spm, 30:00, 3.00 mi, effort 5/10, back pain 0/10\n"),
      "\(log.stdout)")
    let table = try run(["history"], at: "2026-01-02T10:00:00Z").stdout
    #expect(table.hasPrefix("id  date        from  target  measured  time   mi   effort  pain  notes\n"), "\(table)")
    #expect(table.contains("1   2026-01-02  log   160     -         30:00  3.0  5       0"), "\(table)")
    let set = try run(["plan", "set", "--speed", "6.5mph"], at: "2026-01-02T10:00:00Z")
    #expect(set.stdout.contains("treadmill speed 6.0 mph -> 6.5 mph"), "\(set.stdout)")

    let file = try ImportCommandTests().tcx(r.dir)
    let imported = try run(["import", file], at: "2026-01-02T11:00:00Z")
    #expect(imported.stdout.contains("\n  6.2 mph: 168.0 spm over 6.0 min\n"), "\(imported.stdout)")

    // Stored and exported in metric, whatever is shown.
    let csv = try run(["history", "--csv"], at: "2026-01-02T12:00:00Z").stdout
    #expect(csv.contains(",log,160,,30.0,,4.83,"), "\(csv)")
  }
}

/// `--json` on the commands that record: what was stored, with ids, and the plan after.
@Suite struct RecordedJSONTests {
  func object(_ result: RunResult) throws -> [String: Any] {
    #expect(result.status == 0, "\(result.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
  }

  @Test func measureTapAndImportPrintWhatTheyStored() throws {
    let r = Runner("recorded-json")
    let measured = try object(try r.run(["measure", "158", "--json"], at: "2026-01-01T08:00:00Z"))
    let rows = try #require(measured["measurements"] as? [[String: Any]])
    #expect(rows.count == 1 && rows[0]["id"] as? Int == 1 && rows[0]["spm"] as? Double == 158)
    #expect(rows[0]["method"] as? String == "manual" && rows[0]["date"] as? String == "2026-01-01T08:00:00Z")
    #expect(measured["plan"] == nil && (measured["runs"] as? [Any])?.isEmpty == true)

    #expect(try r.run(["plan", "--current", "160"], at: "2026-01-01T08:30:00Z").status == 0)
    // 21 taps 0.36 s apart: 166.7 spm.
    let taps = (0...20).map { format(Double($0) * 0.36) }.joined(separator: "\n") + "\n"
    let tapped = try object(try r.run(["tap", "--json"], at: "2026-01-01T09:00:00Z", stdin: taps))
    let analysis = try #require(tapped["details"] as? [String: Any])
    #expect(analysis["steps"] as? Int == 20 && analysis["missedTaps"] as? Int == 0)
    #expect(abs((analysis["spm"] as? Double ?? 0) - 166.667) < 0.001)
    #expect((tapped["measurements"] as? [[String: Any]])?.first?["spm"] as? Double == 166.7)
    #expect((tapped["plan"] as? [String: Any])?["currentSPM"] as? Double == 160)

    let file = try ImportCommandTests().tcx(r.dir)
    let imported = try object(try r.run(["import", file, "--json"], at: "2026-01-02T08:00:00Z"))
    let reports = try #require(imported["details"] as? [[String: Any]])
    #expect(reports.count == 1 && reports[0]["file"] as? String == "morning.tcx")
    let report = try #require(reports[0]["report"] as? [String: Any])
    let bands = try #require(report["bands"] as? [[String: Any]])
    #expect(bands.count == 1 && bands[0]["kmh"] as? Int == 10 && bands[0]["spm"] as? Double == 168)
    #expect((imported["runs"] as? [[String: Any]])?.first?["source"] as? String == "import")
    #expect((imported["measurements"] as? [[String: Any]])?.first?["id"] as? Int == 3)
    // Again: skipped, nothing stored.
    let again = try object(try r.run(["import", file, "--json"], at: "2026-01-02T09:00:00Z"))
    #expect(again["skipped"] as? [String] == ["morning.tcx"] && (again["measurements"] as? [Any])?.isEmpty == true)
  }

  /// `log --json` prints the run stored; `warn --json` the report row, and the advice still
  /// shows, on standard error: a warning sign is always heard.
  @Test func logAndWarnPrintWhatTheyStoredAndTheAdviceStillShows() throws {
    let r = Runner("recorded-json-log")
    #expect(try r.run(["plan", "--current", "160"], at: "2026-01-01T08:00:00Z").status == 0)
    let logged = try object(
      try r.run(
        ["log", "--minutes", "30", "--distance", "5km", "--effort", "5", "--pain", "1", "--json"],
        at: "2026-01-02T09:00:00Z"))
    let run = try #require((logged["runs"] as? [[String: Any]])?.first)
    #expect(run["id"] as? Int == 1 && run["targetSPM"] as? Double == 160 && run["distanceKm"] as? Double == 5, "\(run)")
    let warned = try r.run(["warn", "leg-weakness", "--json"], at: "2026-01-02T10:00:00Z")
    #expect(warned.stderr.contains("\nSTOP: you reported a warning sign. Do not run through it.\n"), "\(warned.stderr)")
    let object = try object(warned)
    #expect((object["runs"] as? [[String: Any]])?.first?["source"] as? String == "report")
    let plan = try #require(object["plan"] as? [String: Any])
    #expect(plan["paused"] != nil, "\(plan)")
  }

  private func format(_ value: Double) -> String { String(format: "%.2f", value) }
}
