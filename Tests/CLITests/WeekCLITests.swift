import Foundation
import Testing

@testable import cadence

/// `cadence week`: the two calendar weeks, the 10% line and the longest-run share, exact.
@Suite struct WeekCLITests {
  @Test func twoWeeksAndTheirRules() throws {
    let dir = scratchDirectory("week")
    let db = dir.appendingPathComponent("h.sqlite").path
    func run(_ arguments: [String], at now: String) throws -> RunResult {
      try inProcess(arguments + ["--db", db], environment: ["CADENCE_NOW": now])
    }
    for day in ["02", "04", "06"] {
      let logged = try run(
        ["log", "--minutes", "30", "--distance", "5km", "--effort", "5", "--pain", "0", "--new"],
        at: "2026-03-\(day)T08:00:00Z")
      #expect(logged.status == 0)
    }
    #expect(
      try run(
        ["log", "--minutes", "50", "--distance", "8km", "--effort", "5", "--pain", "1", "--new"],
        at: "2026-03-07T08:00:00Z"
      )
      .status == 0)
    #expect(
      try run(
        ["log", "--minutes", "40", "--distance", "7km", "--effort", "5", "--pain", "2"], at: "2026-03-09T08:00:00Z"
      )
      .status == 0)
    #expect(try run(["warn", "walking-pain"], at: "2026-03-10T08:00:00Z").status == 0)
    let week = try run(["week"], at: "2026-03-11T08:00:00Z")
    #expect(week.status == 0)
    #expect(
      week.stdout == """
                   from        runs  time     distance  longest  pain  
        this week  2026-03-09  1     40:00    7.0 km    7.0 km   2/10  WARNING: walking-pain
        last week  2026-03-02  4     2:20:00  23.0 km   8.0 km   1/10  
        10% rule: at most 25.3 km this week (last week 23.0 km + 10%); 18.3 km left.
        Last week's longest run, 8.0 km, was 35% of its 23.0 km; the articles advise at most 25%.

        """)
    let json = try run(["week", "--json"], at: "2026-03-11T08:00:00Z")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(object["tenPercentLineKm"] as? Double == 25.3)
    let last = try #require(object["lastWeek"] as? [String: Any])
    #expect(last["runs"] as? Int == 4 && last["distanceKm"] as? Double == 23 && last["longestKm"] as? Double == 8)

    // Three runs a week: the longest cannot be under 25%, and the words say so.
    let fresh = dir.appendingPathComponent("three.sqlite").path
    for day in ["02", "04", "06"] {
      _ = try inProcess(
        ["log", "--minutes", "30", "--distance", "5km", "--new", "--db", fresh],
        environment: ["CADENCE_NOW": "2026-03-\(day)T08:00:00Z"])
    }
    let three = try inProcess(["week", "--db", fresh], environment: ["CADENCE_NOW": "2026-03-09T08:00:00Z"])
    #expect(
      three.stdout.hasSuffix(
        "Last week's longest run, 5.0 km, was 33% of its 15.0 km; with 3 runs a week it cannot be under 25% "
          + "(the articles' most, which needs 4 or more runs a week).\n"), "\(three.stdout)")
    #expect(
      try inProcess(["week", "--db", dir.appendingPathComponent("none.sqlite").path]).stdout.contains(
        "10% rule: no distance last week, so no line for this week.\n"))
  }
}
