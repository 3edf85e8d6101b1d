import Foundation
import Testing

@testable import cadence

/// `history --json` and `--csv` as a script reads them: the JSON valid against
/// docs/history.schema.json with every key present (null where not known), and the CSV the same
/// fields under the same names, checked by Python's jsonschema and csv modules, not by cadence.
@Suite struct ScriptOutputTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  func check(_ json: String, _ csv: String, in dir: URL) throws -> String {
    let jsonFile = dir.appendingPathComponent("out.json")
    let csvFile = dir.appendingPathComponent("out.csv")
    try json.write(to: jsonFile, atomically: true, encoding: .utf8)
    try csv.write(to: csvFile, atomically: true, encoding: .utf8)
    let result = try cadence(
      [
        Self.root.appendingPathComponent("Tests/Support/Scripts/check-history-output.py").path,
        Self.root.appendingPathComponent("docs/history.schema.json").path, jsonFile.path, csvFile.path,
      ], executable: "/usr/bin/python3")
    return result.stdout + result.stderr
  }

  @Test func jsonAndCSVAgreeAndFollowTheSchema() throws {
    let dir = scratchDirectory("script-output")
    let db = dir.appendingPathComponent("h.sqlite").path
    func run(_ arguments: [String], at now: String) throws -> RunResult {
      try inProcess(arguments + ["--db", db], environment: ["CADENCE_NOW": now])
    }
    #expect(try run(["plan", "--current", "160", "--baseline-pain", "0"], at: "2026-03-01T08:00:00Z").status == 0)
    #expect(
      try run(
        [
          "log", "--minutes", "30", "--distance", "5km", "--speed", "10km/h", "--effort", "5", "--pain", "0", "--notes",
          "hot, \"humid\"",
        ], at: "2026-03-02T08:00:00Z"
      ).status == 0)
    #expect(try run(["log", "--minutes", "20", "--missed-target", "--new"], at: "2026-03-03T08:00:00Z").status == 0)
    #expect(try run(["measure", "163"], at: "2026-03-03T09:00:00Z").status == 0)
    #expect(try run(["warn", "walking-pain"], at: "2026-03-04T08:00:00Z").status == 0)

    let json = try run(["history", "--json"], at: "2026-03-05T08:00:00Z")
    let csv = try run(["history", "--csv"], at: "2026-03-05T08:00:00Z")
    #expect(json.status == 0 && csv.status == 0)
    let checked = try check(json.stdout, csv.stdout, in: dir)
    #expect(checked == "ok\n", "\(checked)")
    #expect(
      csv.stdout
        == "id,date,source,targetSPM,measuredSPM,minutes,pausedMinutes,distanceKm,speedKmh,completedAtTarget,interrupted,"
        + "effort,backPain,warningSigns,notes\n"
        + "1,2026-03-02T08:00:00Z,log,160,,30.0,,5.00,10.0,true,false,5,0,,\"hot, \"\"humid\"\"\"\n"
        + "2,2026-03-03T08:00:00Z,log,160,,20.0,,,,false,false,,,,\n")
    // The second run: every key there, null where not known.
    #expect(json.stdout.contains("\"effort\" : null"))
    #expect(json.stdout.contains("\"measuredSPM\" : null"))
    #expect(!json.stdout.contains("walking-pain"))

    let reports = try run(["history", "--reports", "--json"], at: "2026-03-05T08:00:00Z")
    let reportsCSV = try run(["history", "--reports", "--csv"], at: "2026-03-05T08:00:00Z")
    #expect(try check(reports.stdout, reportsCSV.stdout, in: dir) == "ok\n")
    #expect(reportsCSV.stdout.hasSuffix("\n3,2026-03-04T08:00:00Z,report,,,,,,,false,false,,,walking-pain,\n"))
    let table = try run(["history"], at: "2026-03-05T08:00:00Z")
    #expect(table.stdout.hasSuffix("1 warning-sign report (not runs): cadence history --reports\n"), "\(table.stdout)")

    let measurements = try run(["history", "--measurements", "--json"], at: "2026-03-05T08:00:00Z")
    let measurementsCSV = try run(["history", "--measurements", "--csv"], at: "2026-03-05T08:00:00Z")
    #expect(try check(measurements.stdout, measurementsCSV.stdout, in: dir) == "ok\n")
    #expect(measurementsCSV.stdout == "id,date,spm,method,details\n1,2026-03-03T09:00:00Z,163,manual,\n")
  }
}
