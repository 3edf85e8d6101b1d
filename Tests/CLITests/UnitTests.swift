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
      try cadence(
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
    #expect(imported.stdout.contains("\n  6.2 mph: 168.0 spm over 2.0 min\n"), "\(imported.stdout)")

    // Stored and exported in metric, whatever is shown.
    let csv = try run(["history", "--csv"], at: "2026-01-02T12:00:00Z").stdout
    #expect(csv.contains(",log,160,,30.0,4.83,"), "\(csv)")
  }
}
