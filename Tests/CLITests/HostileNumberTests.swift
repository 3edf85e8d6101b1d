import AudioTestSupport
import Foundation
import Testing

/// Numbers a runner (or a script) can type that once crashed cadence or never ended: each now
/// gets a message that names the value and the range, a sysexits code, and stores nothing.
@Suite struct HostileNumberTests {
  static let sysexits: Set<Int32> = [0, 64, 65, 66, 69, 73, 74]

  @Test(
    arguments: [
      (
        ["measure", "1e19"], 64,
        "cadence: error: The value '1e19' is invalid for '<cadence>': a cadence must be from 100 to 240 steps per minute; got 1e+19"
      ),
      (
        ["play", "1e308", "--device", "null"], 64,
        "cadence: error: The value '1e308' is invalid for '<cadence>': a cadence must be from 100 to 240 steps per minute; got 1e+308"
      ),
      (
        ["plan", "--current", "1e19"], 64,
        "cadence: error: The value '1e19' is invalid for '--current <spm>': a cadence must be from 100 to 240 steps per minute; got 1e+19"
      ),
      (
        ["session", "--cadence", "170", "--warmup-spm=-1e300"], 64,
        "cadence: error: The value '-1e300' is invalid for '--warmup-spm <spm>': a cadence must be from 100 to 240 steps per minute; got -1e+300"
      ),
      (
        ["plan", "--current", "160", "--step", "0.05"], 64,
        "cadence: error: --step must be from 1 to 5 spm (it can only make rungs smaller; 1 is the smallest, a product choice); got 0.05"
      ),
      (
        ["session", "--cadence", "170", "--intervals", "1e-300/1e-300"], 64,
        "cadence: error: --intervals must be ON/OFF minutes, each from 0.01 to 60, like 3/2; got '1e-300/1e-300'"
      ),
      (
        ["log", "--date", "99999-01-01", "--minutes", "30", "--effort", "5", "--pain", "0"], 64,
        "cadence: error: --date must be like 2026-11-20 or 2026-11-20T07:30; got '99999-01-01'"
      ),
      (
        ["log", "--date", "2026-01-03", "--minutes", "30", "--effort", "5", "--pain", "0"], 64,
        "cadence: error: --date must be from 2000-01-01 to now (2026-01-02T08:00:00Z): what you record has already happened; got '2026-01-03'"
      ),
      (
        ["measure", "165", "--date", "2026-01-02T09:00"], 64,
        "cadence: error: --date must be from 2000-01-01 to now (2026-01-02T08:00:00Z): what you record has already happened; got '2026-01-02T09:00'"
      ),
      (
        ["measure", "0xAA"], 64,
        "cadence: error: The value '0xAA' is invalid for '<cadence>': a cadence is a number of steps per minute from 100 to 240, like 170 or 173.5"
      ),
      (
        ["log", "--minutes", "0x1p4", "--effort", "5", "--pain", "0"], 64,
        "cadence: error: The value '0x1p4' is invalid for '--minutes <minutes>': '0x1p4' is not a decimal number, like 20 or 2.5"
      ),
      (
        ["log", "--minutes", "inf", "--effort", "5", "--pain", "0"], 64,
        "cadence: error: The value 'inf' is invalid for '--minutes <minutes>': 'inf' is not a decimal number, like 20 or 2.5"
      ),
      (
        ["measure", "165", "--date", "1999-12-31"], 64,
        "cadence: error: --date must be from 2000-01-01 to now (2026-01-02T08:00:00Z): what you record has already happened; got '1999-12-31'"
      ),
    ] as [([String], Int32, String)])
  func aHostileNumberIsAClearErrorAndStoresNothing(arguments: [String], status: Int32, message: String) throws {
    let r = Runner("hostile-\(arguments.joined(separator: "_").prefix(40))")
    let result = try r.run(arguments, at: "2026-01-02T08:00:00Z")
    #expect(result.status == status, "\(result.stderr)")
    #expect(result.stderr.hasPrefix(message + "\n"), "\(result.stderr)")
    let stored = FileManager.default.fileExists(atPath: r.db) ? try r.runCount() : 0
    #expect(stored == 0)
  }

  /// Tap times that overflow any sum of squares: a clear error, nothing stored.
  @Test func absurdTapTimesAreRefused() throws {
    let r = Runner("hostile-tap")
    let times = stride(from: 0.0, through: 6e201, by: 1e200).map { String($0) }.joined(separator: "\n")
    let result = try r.run(["tap"], at: "2026-01-02T08:00:00Z", stdin: times + "\n")
    #expect(result.status == 65, "\(result.stderr)")
    #expect(
      result.stderr.hasPrefix(
        "cadence: error: line 2 of the tap times: '1e+200' is not a time in seconds within ±1e10; nothing was stored\n"),
      "\(result.stderr)")
    // Times in range whose gaps are pauses, not steps: too few steps, nothing stored.
    let pauses = (0..<40).map { String($0 * 100) }.joined(separator: " ")
    let slow = try r.run(["tap"], at: "2026-01-02T08:00:00Z", stdin: pauses + "\n")
    #expect(slow.status == 65, "\(slow.stderr)")
    #expect(slow.stderr.contains("too few taps to measure: 0 good intervals"), "\(slow.stderr)")
    #expect(try r.runCount() == 0)
  }

  /// A watch file with an absurd speed: the samples with it are left out, the rest measured.
  @Test func anAbsurdSpeedInAWatchFileIsLeftOut() throws {
    let r = Runner("hostile-speed")
    let f = ISO8601DateFormatter()
    var xml =
      "<?xml version=\"1.0\"?>\n<TrainingCenterDatabase xmlns:ns3=\"x\"><Activities><Activity Sport=\"Running\"><Lap><Track>\n"
    for s in 0..<120 {
      let time = f.string(from: Date(timeIntervalSince1970: 1_767_258_000 + Double(s)))
      let speed = s % 2 == 0 ? "2.7778" : "1e19"
      xml +=
        "<Trackpoint><Time>\(time)</Time><Extensions><ns3:TPX><ns3:Speed>\(speed)</ns3:Speed><ns3:RunCadence>84</ns3:RunCadence></ns3:TPX></Extensions></Trackpoint>\n"
    }
    xml += "</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n"
    let path = r.dir.appendingPathComponent("broken-speed.tcx").path
    try xml.write(toFile: path, atomically: true, encoding: .utf8)
    let result = try r.run(["import", path], at: "2026-01-02T08:00:00Z")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("  10 km/h: 168.0 spm"), "\(result.stdout)")
    #expect(!result.stdout.contains("000000"), "no absurd speed band: \(result.stdout)")
  }

  /// Every numeric option fed seeded random doubles (NaN, infinities, subnormals, 1e308, and
  /// random bit patterns): cadence exits with success or a sysexits code, never a signal.
  @Test func randomDoublesNeverCrashAnyNumericOption() throws {
    var generator = SeededGenerator(seed: 20_261_122)
    let specials = [
      "nan", "-nan", "inf", "-inf", "1e308", "-1e308", "4.9e-324", "2.2250738585072014e-308", "0", "-0", "1e19",
      "9.3e18", "-9.3e18", "0x1p1023", "1e-300",
    ]
    var values = specials
    for _ in 0..<25 { values.append(String(Double(bitPattern: generator.next()))) }
    let r = Runner("hostile-random")
    let out = r.dir.appendingPathComponent("x.wav").path
    for value in values {
      for arguments in [
        ["measure", value],
        ["plan", "--current", value],
        ["plan", "--current", "160", "--step", value],
        ["plan", "--current", "160", "--goal", value],
        ["log", "--minutes", value, "--effort", "5", "--pain", "0"],
        ["render", value, "--minutes", "0.01", "-o", out],
        ["render", "170", "--minutes", value, "-o", out, "--rate", "8000"],
        ["play", "170", "--minutes", "0.001", "--device", "null", "--volume", value],
        ["session", "--cadence", "170", "--minutes", value, "--device", "null", "--warmup", "0", "--cooldown", "0"],
      ] {
        // The binary, not in-process: the oracle is that no input ends the process by a signal.
        let result = try cadence(
          arguments + ["--db", r.db], environment: ["CADENCE_NOW": "2026-01-02T08:00:00Z", "TZ": "UTC"], stdin: "")
        #expect(Self.sysexits.contains(result.status), "\(arguments): exit \(result.status) \(result.stderr)")
      }
    }
  }
}
