import Foundation
import GRDB
import Testing

/// `cadence shoes`: each run is stored with the default pair and its distance counts on it;
/// the run that takes a pair past 480 km (the articles: replace every 300-500 miles, about
/// 480-800 km) says so, as does the list.
@Suite struct ShoesCLITests {

  @Test func pairsTheirDistanceAndTheNotice() throws {
    let j = CheckInCLITests.Journey("shoes-journey")
    #expect(
      try j.run(["shoes"], at: "2026-03-01T08:00:00Z").stdout
        == "No shoes yet. Add the pair you run in: cadence shoes add NAME (--km for what it has run already)\n")
    let added = try j.run(["shoes", "add", "Pegasus 40", "--km", "470km"], at: "2026-03-01T08:00:00Z")
    #expect(added.status == 0, "\(added.stderr)")
    #expect(added.stdout == "Added 'Pegasus 40' with 470.00 km on it; runs are stored with it from now on.\n")
    let twice = try j.run(["shoes", "add", "pegasus 40"], at: "2026-03-01T08:00:00Z")
    #expect(twice.status == 64)
    #expect(
      twice.stderr
        == "cadence: error: there is a pair called 'pegasus 40' already\n  try: cadence shoes lists them; give the new one another name\n"
    )
    let trail = try j.run(["shoes", "add", "Trail"], at: "2026-03-01T08:00:00Z")
    #expect(trail.stdout == "Added 'Trail'; cadence shoes default 'Trail' to run in it.\n")

    // 5 km: 475 km, nothing said; 6 km more: past 480, said once, by that run.
    let first = try j.run(["log", "--minutes", "30", "--distance", "5km"], at: "2026-03-02T08:00:00Z")
    #expect(!first.stdout.contains("Your shoes"))
    let notice =
      "Your shoes 'Pegasus 40' have run 481 km: the articles advise replacing running shoes every 300-500 miles "
      + "(about 480-800 km); worn shoes lose shock absorption. A new pair: cadence shoes add NAME\n"
    let second = try j.run(["log", "--minutes", "40", "--distance", "6km"], at: "2026-03-03T08:00:00Z")
    #expect(second.stdout.hasSuffix(notice), "\(second.stdout)")
    let third = try j.run(["log", "--minutes", "20", "--distance", "3km"], at: "2026-03-04T08:00:00Z")
    #expect(!third.stdout.contains("Your shoes"))
    #expect(
      try j.run(["shoes"], at: "2026-03-05T08:00:00Z").stdout
        == "* Pegasus 40  484 km  since 2026-03-01\n  Trail  0 km  since 2026-03-01\n(* the pair runs are stored with)\n"
        + notice.replacingOccurrences(of: "481", with: "484"))
    let json = try j.run(["shoes", "--json"], at: "2026-03-05T08:00:00Z")
    let pairs = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
    #expect(pairs.map { $0["name"] as? String } == ["Pegasus 40", "Trail"])
    #expect(pairs.map { $0["km"] as? Double } == [484, 0])
    #expect(pairs.map { $0["replace"] as? Bool } == [true, false])

    // Another pair: the next run counts on it; the old one's distance stays.
    #expect(
      try j.run(["shoes", "default", "trail"], at: "2026-03-05T08:00:00Z").stdout
        == "Runs are stored with 'Trail' from now on.\n")
    _ = try j.run(["log", "--minutes", "30", "--distance", "5km"], at: "2026-03-06T08:00:00Z")
    let shoes = try DatabaseQueue(path: j.db).read {
      try Row.fetchAll($0, sql: "SELECT shoeId FROM run ORDER BY id").map { $0["shoeId"] as Int64? }
    }
    #expect(shoes == [1, 1, 1, 2])
    #expect(
      try j.run(["shoes", "retire", "Pegasus 40"], at: "2026-03-07T08:00:00Z").stdout
        == "Retired 'Pegasus 40'. Runs are stored with 'Trail'.\n")
    let unknown = try j.run(["shoes", "default", "Clouds"], at: "2026-03-07T08:00:00Z")
    #expect(unknown.status == 64)
    #expect(unknown.stderr.hasPrefix("cadence: error: there is no pair called 'Clouds' in use\n"))
    let bad = try j.run(["shoes", "add", "X", "--km", "6000km"], at: "2026-03-07T08:00:00Z")
    #expect(bad.status == 64)
    #expect(
      bad.stderr.hasPrefix(
        "cadence: error: --km must be a distance of more than 0 up to 5000 km, like 120km or 75mi; got '6000km'\n"))
  }
}
