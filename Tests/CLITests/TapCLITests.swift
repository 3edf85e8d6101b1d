import Foundation
import Testing

@Suite struct TapCommandTests {
  /// 60 taps at 166 spm with a seeded +/-10 ms wobble, one tap missed and one doubled.
  func tapTimes() -> String {
    var state: UInt64 = 7
    var times: [Double] = []
    for i in 0..<60 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      times.append(Double(i) * 60 / 166 + (Double(state >> 11) / Double(1 << 53) * 2 - 1) * 0.01)
    }
    times.remove(at: 40)
    times.insert(times[20] + 0.03, at: 21)
    return times.map { String(format: "%.4f", $0) }.joined(separator: "\n") + "\n"
  }

  /// Times from `date +%s.%N` (epoch seconds) measure the same as times from zero.
  @Test func epochSecondsAreTapTimesToo() throws {
    let r = Runner("tap-epoch")
    let epoch = tapTimes().split(separator: "\n").map { String(format: "%.4f", Double($0)! + 1_795_000_000) }
    let result = try r.run(["tap"], at: "2026-01-01T09:00:00Z", stdin: epoch.joined(separator: "\n") + "\n")
    #expect(result.status == 0, "\(result.stderr)")
    let relative = try r.run(["tap"], at: "2026-01-01T09:00:00Z", stdin: tapTimes())
    #expect(
      result.stdout.split(separator: "\n").first == relative.stdout.split(separator: "\n").first,
      "\(result.stdout) vs \(relative.stdout)")
  }

  @Test func tapTimesOnStandardInputBecomeAMeasurement() throws {
    let r = Runner("tap")
    try r.run(["plan", "--current", "160"], at: "2026-01-01T08:00:00Z")
    let result = try r.run(["tap"], at: "2026-01-01T09:00:00Z", stdin: tapTimes())
    #expect(result.status == 0, "\(result.stderr)")
    let first = try #require(result.stdout.split(separator: "\n").first.map(String.init))
    #expect(first.hasPrefix("cadence 166."))
    #expect(
      first.contains(
        " from 59 steps over 21.3 s; 1 missed tap filled in (an interval twice the usual); 1 double tap dropped (too close to the one before)"
      ))
    // The measurement is the default current cadence of a new plan.
    let plan = try r.run(["plan", "--goal", "175", "--new"], at: "2026-01-01T10:00:00Z")
    #expect(plan.stdout.contains("\nCadence plan: 166"))
  }

  @Test func badTapsStoreNothing() throws {
    let r = Runner("tap-bad")
    for (input, message) in [
      (
        "0.0 0.36 0.72\n",
        "cadence: error: too few taps to measure: 2 good intervals, at least 15 are needed; nothing was stored\n"
      ),
      (
        "0.1\n0.4\nsoon\n",
        "cadence: error: line 3 of the tap times: 'soon' is not a time in seconds within ±1e10; nothing was stored\n"
      ),
      ("0.5\n0.2\n", "cadence: error: line 2 of the tap times: 0.2 comes before 0.500; nothing was stored\n"),
    ] {
      let result = try r.run(["tap"], at: "2026-01-01T09:00:00Z", stdin: input)
      #expect(result.status == 65)
      #expect(result.stderr.hasPrefix(message), "\(result.stderr)")
    }
    let none = try r.run(["plan", "--goal", "175"], at: "2026-01-01T10:00:00Z")
    #expect(none.stderr.hasPrefix("cadence: error: cadence does not know your cadence yet"))
  }
}
