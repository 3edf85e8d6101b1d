import Foundation
import GRDB
import Testing
import TreadmillSimulator

@Suite struct ListenCommandTests {
  /// A recording played into ALSA's capture path: a `file` PCM whose `infile` holds it.
  func rig(_ name: String, _ recording: TreadmillRecording) throws -> (Runner, [String: String]) {
    let r = Runner(name)
    let raw = r.dir.appendingPathComponent("in.raw")
    try recording.samples.withUnsafeBufferPointer { try Data(buffer: $0).write(to: raw) }
    let conf = r.dir.appendingPathComponent("asound.conf")
    try "pcm.treadmill { type file slave.pcm \"null\" infile \"\(raw.path)\" file \"/dev/null\" format \"raw\" }\n"
      .write(to: conf, atomically: true, encoding: .utf8)
    return (
      r,
      [
        "ALSA_CONFIG_PATH": "/usr/share/alsa/alsa.conf:\(conf.path)", "CADENCE_NOW": "2026-01-01T09:00:00Z",
        "TZ": "UTC",
      ]
    )
  }

  @Test func listeningThroughACapturePCMMeasuresTheCadence() throws {
    let recording = TreadmillRecording.make(parts: [.init(seconds: 40, spm: 166)], noise: 0.1, seed: 9)
    let (r, env) = try rig("listen", recording)
    let result = try cadence(["listen", "--input", "treadmill", "--seconds", "40", "--db", r.db], environment: env)
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(
      lines.last
        == "Stored in your history. Next: cadence plan makes your plan from it, then cadence session plays its first rung."
    )
    let last = try #require(lines.dropLast().last)
    #expect(last.hasPrefix("cadence 166.") || last.hasPrefix("cadence 165.9"), "\(last)")
    #expect(last.contains(" footfalls in 40.0 s on 'treadmill')"))
    #expect(result.stdout.contains("0:17  16"))  // estimates once 15 s of steady steps are heard
    let plan = try r.run(["plan", "--goal", "175"], at: "2026-01-01T10:00:00Z")
    #expect(plan.stdout.hasPrefix("Cadence plan: 166"))
  }

  @Test func onlyClicksAndBeltNoiseStoreNothing() throws {
    let recording = TreadmillRecording.make(parts: [.init(seconds: 30, spm: 0)], noise: 0.1, clickLevel: 1.0, seed: 9)
    let (r, env) = try rig("listen-none", recording)
    let result = try cadence(["listen", "--input", "treadmill", "--seconds", "30", "--db", r.db], environment: env)
    #expect(result.status == 65)
    #expect(
      result.stderr
        == "cadence: error: heard 0 footfalls in 30.0 s but no cadence to store: too few footfalls (0 in the last 15 s); nothing was stored\n  try: put the microphone closer to the deck, and listen for at least 20 seconds of running\n"
    )
  }

  /// The room of the report: a runner at 170 and music with a 128 bpm kick and a bass line as
  /// loud as the footfalls. The seconds it can tell the steps apart show 170; the end of the
  /// run cannot, so it says what it heard there and stores nothing.
  @Test func musicInTheRoomIsNotTakenForFootfalls() throws {
    var recording = TreadmillRecording.make(parts: [.init(seconds: 40, spm: 170)], noise: 0.1, jitter: 0.025, seed: 4)
    recording.addMusic(bpm: 128, level: 0.5, seed: 12)
    let (r, env) = try rig("listen-music", recording)
    let result = try cadence(["listen", "--input", "treadmill", "--seconds", "40", "--db", r.db], environment: env)
    #expect(result.status == 65)
    let shown = result.stdout.split(separator: "\n").filter { $0.hasSuffix(" spm") }.compactMap {
      Double($0.split(separator: " ").dropLast().last ?? "")
    }
    #expect(!shown.isEmpty && shown.allSatisfy { abs($0 - 170) <= 1 }, "\(result.stdout)")
    #expect(
      result.stdout.contains(
        "0:27  no cadence: a steady beat at 128 bpm that is not footfalls (music or the belt?), and too few footfalls beside it\n"
      ), "\(result.stdout)")
    #expect(
      result.stderr.hasSuffix(
        " but no cadence to store: a steady beat at 128 bpm that is not footfalls (music or the belt?), and too few footfalls beside it; nothing was stored\n  try: turn the music down or off, and put the microphone on or near the deck, away from the speakers\n"
      ), "\(result.stderr)")
    let stored = try DatabaseQueue(path: r.db).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM measurement") }
    #expect(stored == 0)
  }

  @Test func aMissingMicrophoneIsAClearError() throws {
    let r = Runner("listen-missing")
    let result = try cadence(["listen", "--input", "nosuchmic", "--db", r.db])
    #expect(result.status == 69)
    #expect(
      result.stderr.hasPrefix(
        "cadence: error: cannot open the ALSA capture device 'nosuchmic': No such file or directory (snd_pcm_open)\n"))
  }
}

@Suite struct SessionListenTests {
  @Test func aSessionHearsTheRunnerAndStoresEachMinute() throws {
    let r = Runner("session-listen")
    let recording = TreadmillRecording.make(parts: [.init(seconds: 120, spm: 167)], noise: 0.1, clickSPM: 170, seed: 4)
    let raw = r.dir.appendingPathComponent("in.raw")
    try recording.samples.withUnsafeBufferPointer { try Data(buffer: $0).write(to: raw) }
    let conf = r.dir.appendingPathComponent("asound.conf")
    try """
    pcm.treadmill { type file slave.pcm "null" infile "\(raw.path)" file "/dev/null" format "raw" }
    pcm.cadencetest { type file slave.pcm "null" file "\(r.dir.path)/out.raw" format "raw" }

    """.write(to: conf, atomically: true, encoding: .utf8)
    let env = [
      "ALSA_CONFIG_PATH": "/usr/share/alsa/alsa.conf:\(conf.path)", "CADENCE_NOW": "2026-01-01T09:00:00Z", "TZ": "UTC",
      "XDG_CONFIG_HOME": r.dir.path,
    ]
    let result = try cadence(
      [
        "session", "--cadence", "170", "--warmup", "0", "--minutes", "2", "--cooldown", "0", "--listen", "--input",
        "treadmill",
        "--device", "cadencetest", "--db", r.db,
      ], environment: env, stdin: "")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("1:00  heard 167 spm, target 170: quicker, shorter steps\n"), "\(result.stdout)")
    #expect(result.stdout.contains("2:00  heard 167 spm, target 170: quicker, shorter steps\n"))
    let json = try cadence(["history", "--json", "--db", r.db], environment: ["TZ": "UTC"])
    let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
    let heard = try #require(rows.first?["heard"] as? [[String: Any]]).compactMap { $0["spm"] as? Double }
    #expect(heard.count == 2 && heard.allSatisfy { abs($0 - 167) < 1 }, "\(heard)")
    #expect(abs((rows.first?["measuredSPM"] as? Double ?? 0) - 167) < 1)
  }
}
