import AudioFile
import AudioTestSupport
import CadenceCore
import ClickEngine
import Foundation
import Sounds
import Testing

@testable import Settings
@testable import cadence

/// A history, a `file` PCM and an impulse click for each session test.
struct SessionRig {
  let runner: Runner
  var raw: String { runner.dir.appendingPathComponent("out.raw").path }
  var click: String { runner.dir.appendingPathComponent("impulse.wav").path }
  var environment: [String: String]

  init(_ name: String) throws {
    runner = Runner(name)
    let conf = runner.dir.appendingPathComponent("asound.conf")
    try "pcm.cadencetest { type file slave.pcm \"null\" file \"\(runner.dir.path)/out.raw\" format \"raw\" }\n"
      .write(to: conf, atomically: true, encoding: .utf8)
    let writer = try AudioFileWriter(
      path: runner.dir.appendingPathComponent("impulse.wav").path, format: .wav, sampleRate: 48_000)
    try [Float(1), 0.5].withUnsafeBufferPointer { try writer.write($0) }
    try writer.finish()
    environment = [
      "TZ": "UTC", "ALSA_CONFIG_PATH": "/usr/share/alsa/alsa.conf:\(conf.path)",
      "XDG_CONFIG_HOME": runner.dir.path, "CADENCE_NOW": "2026-01-01T09:00:00Z",
    ]
  }

  func session(_ arguments: [String], stdin: String? = "5\n1\ny\nn\nn\nn\nn\nn\n4km\n", extra: [String: String] = [:])
    throws -> RunResult
  {
    try cadence(
      ["session", "--device", "cadencetest", "--sound", click, "--volume", "100", "--db", runner.db] + arguments,
      environment: environment.merging(extra) { $1 }, stdin: stdin)
  }

  func played() throws -> [Float] {
    try Data(contentsOf: URL(fileURLWithPath: raw)).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
  }
}

@Suite struct SessionCommandTests {
  @Test func aSessionPlaysItsTimelineExactlyAndIsSaved() throws {
    let rig = try SessionRig("session-exact")
    try rig.runner.run(["plan", "--current", "165", "--speed", "10km/h"], at: "2026-01-01T08:00:00Z")
    // The last run was at 160: the block announces the change.
    try rig.runner.run(["log", "--cadence", "160", "--minutes", "20"], at: "2026-01-01T08:30:00Z")
    let result = try rig.session([
      "--warmup", "0.25", "--warmup-spm", "150", "--minutes", "1", "--cooldown", "0.25", "--cue-every", "0.5",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    // The oracle: the same session compiled by the (separately tested) timeline.
    let spec = SessionSpec(
      warmUpMinutes: 0.25, warmUpSPM: 150, blockMinutes: 1, blockSPM: 165, coolDownMinutes: 0.25, gain: 1)
    let timeline = SessionTimeline(spec, sampleRate: 48_000)
    let warm = TempoSegment(origin: 0, spm: 150, sampleRate: 48_000)
    let block = timeline.blockSegment
    let start = timeline.phases[1].start
    let expected = (0..<38).map { Int(warm.frame(ofBeat: $0)) } + (0..<165).map { Int(block.frame(ofBeat: $0)) }
    let audio = try rig.played()
    #expect(audio.count == Int(timeline.totalFrames))
    #expect(onsets(audio) == expected)
    // The click file's full scale is 32767/32768; the warm-up click plays at half the level.
    #expect(abs(audio[0] - 0.35) < 1e-4 && abs(audio[Int(start)] - 0.7) < 1e-4)
    #expect(result.stdout.contains("session: 0:15 warm-up, 1:00 at 165 spm, 0:15 cool-down on 'cadencetest'"))
    // Without the once-a-minute progress lines (their moment depends on scheduling):
    let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasSuffix(" left") }
    #expect(
      lines.joined(separator: "\n").contains(
        """
        0:00  warm-up (0:15)
        0:00  cue: Warm up: walk or jog slowly for 15 seconds (the articles advise 5-10 minutes).
        0:15  cadence block (1:00)
        0:15  cue: Quicker, shorter steps: 165 now.
        0:45  cue: Land on your midfoot, not your heel.
        1:15  cool-down (0:15)
        1:15  cue: Cool down: walk easy for 15 seconds.

        """))
    #expect(
      result.stdout.contains(
        "played 1:30 of 1:30 (warm-up 0:15, cadence block 1:00 at 165 spm (continuous), cool-down 0:15), 203 clicks\n"))
    #expect(result.stdout.contains("After the run: gentle stretches (knee-to-chest, cat-cow)"))
    let csv = try cadence(["history", "--csv", "--db", rig.runner.db], environment: ["TZ": "UTC"])
    #expect(
      csv.stdout.hasSuffix(
        ",2026-01-01T09:00:00Z,session,165,,1.5,,4.00,10.0,true,false,5,1,,\"warm-up 0:15, cadence block 1:00 at 165 spm (continuous), cool-down 0:15\"\n"
      ))
  }

  @Test func intervalsAndFadesThroughTheDevice() throws {
    let rig = try SessionRig("session-intervals")
    let result = try rig.session(
      ["--cadence", "180", "--warmup", "0", "--minutes", "2", "--intervals", "0.5/0.5", "--cooldown", "0"], stdin: nil)
    #expect(result.status == 0, "\(result.stderr)")
    let grid = TempoSegment(origin: 0, spm: 180, sampleRate: 48_000)
    // 0.5 min on (90 steps), 0.5 off, 0.5 on, 0.5 off.
    let expected = (Array(0..<90) + Array(180..<270)).map { Int(grid.frame(ofBeat: Int64($0))) }
    #expect(onsets(try rig.played()) == expected)
    #expect(result.stdout.contains("logged run on 2026-01-01, 180 spm, 2:00, no check-in\n"))
  }

  @Test func badSessionOptionsStoreNothing() throws {
    let rig = try SessionRig("session-bad")
    for (arguments, message) in [
      (
        ["--cadence", "170", "--intervals", "3-2"],
        "cadence: error: --intervals must be ON/OFF minutes, each from 0.01 to 60, like 3/2; got '3-2'"
      ),
      (
        ["--cadence", "170", "--intervals", "3/2", "--fade"],
        "cadence: error: --intervals does not combine with --ramp or --fade: pick one way to run the block"
      ),
      (
        ["--cadence", "170", "--minutes", "10", "--ramp", "12"],
        "cadence: error: --ramp must be more than 0 and at most the block's --minutes (10.0); got 12.0"
      ),
      (["--cadence", "170", "--ramp-from", "160"], "cadence: error: --ramp-from needs --ramp MINUTES"),
      (["--cadence", "170", "--warmup", "45"], "cadence: error: --warmup must be from 0 to 30 minutes; got 45.0"),
    ] {
      let result = try rig.session(arguments, stdin: nil)
      #expect(result.status == 64, "\(arguments)")
      #expect(result.stderr.hasPrefix(message + "\n"), "\(result.stderr)")
    }
    let noCadence = try rig.session([], stdin: nil)
    #expect(noCadence.status == 64)
    #expect(noCadence.stderr.hasPrefix("cadence: error: no cadence for the block\n"))
    #expect(try rig.runner.runCount() == 0)
  }

  @Test func aPausedPlanRefusesASession() throws {
    let rig = try SessionRig("session-paused")
    try rig.runner.run(["plan", "--current", "160"], at: "2026-01-01T08:00:00Z")
    try rig.runner.run(
      ["log", "--effort", "3", "--pain", "2", "--warning", "bladder-bowel"], at: "2026-01-01T08:30:00Z")
    let result = try rig.session([], stdin: nil)
    #expect(result.status == 64)
    #expect(result.stderr.contains("your plan is paused after a warning sign"))
    #expect(result.stderr.contains("Loss of bladder or bowel control needs immediate medical attention."))
    #expect(try rig.runner.runCount() == 1)
  }

  /// Stopped by SIGTERM 4 s into a 300-minute session. The device must keep time (an
  /// unpaced `null` PCM renders the whole session in about a second), so it plays through a
  /// private PipeWire server.
  @Test(.timeLimit(.minutes(1)))
  func anInterruptedSessionIsSavedWithWhatWasPlayed() throws {
    let rig = try SessionRig("session-interrupted")
    guard let server = try SoundServer.start(.pipeWire, in: rig.runner.dir) else { return }
    defer { server.stop() }
    // The rig's config path would hide the system's, which routes `default` to PipeWire.
    var environment = rig.environment.merging(server.environment) { $1 }
    environment["ALSA_CONFIG_PATH"] = nil
    let result = try cadence(
      [
        "session", "--cadence", "170", "--warmup", "0", "--minutes", "300", "--cooldown", "0", "--db", rig.runner.db,
      ],
      environment: environment, stdin: ""
    ) { process in
      usleep(4_000_000)
      process.terminate()
    }
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains(" (stopped early)\n"))
    let json = try cadence(["history", "--json", "--db", rig.runner.db], environment: ["TZ": "UTC"])
    let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
    #expect(rows.count == 1)
    #expect(rows[0]["interrupted"] as? Bool == true && rows[0]["source"] as? String == "session")
    // About 3.5 s heard (start-up and the server's delay take the rest), stored to 0.1 minute.
    #expect(rows[0]["minutes"] as? Double == 0.1, "\(rows[0])")
    #expect((rows[0]["notes"] as? String)?.hasPrefix("cadence block ") == true)
  }

  @Test func spokenCuesAddSoundBetweenClicksAndMoveNone() throws {
    let rig = try SessionRig("session-voice")
    let arguments = ["--cadence", "170", "--warmup", "0", "--minutes", "0.5", "--cooldown", "0", "--cue-every", "60"]
    #expect(try rig.session(arguments, stdin: nil).status == 0)
    let plain = try rig.played()
    let voiced = try rig.session(arguments + ["--voice"], stdin: nil)
    #expect(voiced.status == 0, "\(voiced.stderr)")
    let withVoice = try rig.played()
    #expect(withVoice.count == plain.count)
    let residual = zip(withVoice, plain).map { $0 - $1 }
    let firstVoice = try #require(residual.firstIndex { $0 != 0 })
    // The cadence-change cue at the block's start is spoken from just after the first click.
    #expect(firstVoice >= 2 && firstVoice < 48_000)
    #expect(residual[0] == 0 && residual[1] == 0)  // the first click itself is untouched
    // The clicks are on the exact grid (the engine test proves voice moves no step event).
    let grid = TempoSegment(origin: 0, spm: 170, sampleRate: 48_000)
    #expect(onsets(plain) == (0..<85).map { Int(grid.frame(ofBeat: $0)) })
  }

  @Test func voiceWithoutEspeakIsAClearError() throws {
    let rig = try SessionRig("session-no-espeak")
    let result = try rig.session(
      ["--cadence", "170", "--voice"], stdin: nil, extra: ["CADENCE_ESPEAK_LIBRARY": "/nonexistent/libespeak-ng.so.1"])
    #expect(result.status == 69)
    #expect(
      result.stderr.hasPrefix(
        "cadence: error: --voice needs espeak-ng, which could not be loaded: /nonexistent/libespeak-ng.so.1: cannot open shared object file: No such file or directory\n  try: install it (sudo apt-get install espeak-ng), or run without --voice\n"
      ))
    #expect(try rig.runner.runCount() == 0)
  }

  /// The config's voice = true without espeak-ng: the session plays with the cues on screen,
  /// says so once, and is saved (only a typed --voice is refused).
  @Test func aConfiguredVoiceWithoutEspeakPlaysWithAWarning() throws {
    let rig = try SessionRig("session-config-voice")
    let folder = rig.runner.dir.appendingPathComponent("cadence")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try "voice = true\n".write(to: folder.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
    let result = try rig.session(
      ["--cadence", "170", "--warmup", "0", "--minutes", "0.05", "--cooldown", "0"],
      extra: ["CADENCE_ESPEAK_LIBRARY": "/nonexistent/libespeak-ng.so.1"])
    #expect(result.status == 0, "\(result.stderr)")
    let warning =
      "cadence: warning: the config's voice = true needs espeak-ng, which could not be loaded; the cues are shown, "
      + "not spoken (install it: sudo apt-get install espeak-ng; or set voice = false in "
      + "\(folder.path)/config.toml)\n"
    #expect(result.stderr.components(separatedBy: warning).count == 2, "\(result.stderr)")
    #expect(try rig.runner.runCount() == 1)
  }

  @Test func theCueCatalogAsJSON() throws {
    let result = try cadence(["cues", "--json"])
    let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: String]])
    #expect(
      rows.map { $0["id"] } == [
        "shorter-stride", "midfoot", "upright", "no-forward-lean", "no-back-arch", "quick-light",
      ])
    #expect(rows[1]["line"] == "Land on your midfoot, not your heel.")
    #expect(rows[1]["why"] == "Landing on the heel is one of the common form mistakes.")
  }

  @Test func theCueCatalog() throws {
    let result = try cadence(["cues"])
    // Every "why" is what an article says (domain.md), with no claimed mechanism.
    #expect(
      result.stdout == """
        shorter-stride
          Shorter stride: let your foot land under your body.
          why: Overstriding increases impact forces on the lumbar spine; proper form decreases the stress on knees, hips, ankles and the lower back.
        midfoot
          Land on your midfoot, not your heel.
          why: Landing on the heel is one of the common form mistakes.
        upright
          Run tall: upright posture, don't slouch.
          why: Slouching is one of the common form mistakes.
        no-forward-lean
          No leaning forward from the waist.
          why: Excessive leaning increases impact forces on the lumbar spine.
        no-back-arch
          Don't arch your lower back: brace your abs.
          why: Excessive lumbar extension (an exaggerated curve) loads the lower back.
        quick-light
          Quick, light steps.
          why: Reducing the time each foot spends on the ground helps avoid injuries.

        """)
  }
}

@Suite struct SoundSearchTests {
  /// An installed binary in /usr/local/bin: its share folder, then up to five folders up for a
  /// checkout's Sounds/ (never past the root, never a folder twice), then the XDG data folders.
  @Test func theSearchPathStopsAtTheRoot() {
    let dirs = SoundLibrary.searchPath(
      environment: ["HOME": "/home/r"], executableDirectory: "/usr/local/bin")
    #expect(
      dirs == [
        "/usr/local/bin/../share/cadence/sounds", "/usr/local/Sounds", "/usr/Sounds", "/Sounds",
        "/home/r/.local/share/cadence/sounds", "/usr/local/share/cadence/sounds", "/usr/share/cadence/sounds",
      ])
    #expect(!dirs.contains { $0.contains("//") })
  }
}

@Suite struct ConfigTests {
  @Test func aGoodFile() throws {
    let text = """
      # cadence defaults
      device = "plughw:1,0"
      latency = 20
      sound = 'beep'   # literal string
      volume = 65.5
      cue_interval = 3
      voice = true
      speed_unit = "mph"
      warmup_minutes = 8
      """
    #expect(
      try Config.parse(text, path: "c.toml")
        == Config(
          device: "plughw:1,0", latency: 20, sound: "beep", volume: 65.5, cueInterval: 3, voice: true, speedUnit: .mph,
          warmupMinutes: 8))
    #expect(try Config.parse("", path: "c.toml") == Config())
  }

  /// The sensors `cadence sensors use` remembers, and how one key is set in a file: its line
  /// replaced (a CRLF file keeps its line ends), or added at the end; every other line, comments
  /// and blank lines included, byte for byte.
  @Test func sensorKeysAndSettingOneKey() throws {
    let text = "# mine\nvolume = 50   # loud enough\n\nfoot_pod = \"AA:BB:CC:DD:EE:FF\"\n"
    #expect(
      try Config.parse(text + "treadmill = \"c0:ff:ee:00:18:26\"\nfoot_pod_counts = \"steps\"", path: "c.toml")
        == Config(volume: 50, footPod: "AA:BB:CC:DD:EE:FF", treadmill: "c0:ff:ee:00:18:26", footPodCounts: "steps"))
    #expect(
      Config.setting("foot_pod", to: "C0:FF:EE:00:18:14", in: text)
        == "# mine\nvolume = 50   # loud enough\n\nfoot_pod = \"C0:FF:EE:00:18:14\"\n")
    #expect(
      Config.setting("treadmill", to: "C0:FF:EE:00:18:26", in: text) == text + "treadmill = \"C0:FF:EE:00:18:26\"\n")
    #expect(
      Config.setting("treadmill", to: "C0:FF:EE:00:18:26", in: "volume = 5")
        == "volume = 5\ntreadmill = \"C0:FF:EE:00:18:26\"\n")
    #expect(Config.setting("foot_pod", to: nil, in: text) == "# mine\nvolume = 50   # loud enough\n\n")
    #expect(Config.setting("foot_pod", to: nil, in: "volume = 5\n") == "volume = 5\n")
    #expect(
      Config.setting("foot_pod", to: "C0:FF:EE:00:18:14", in: "volume = 5\r\n  foot_pod=\"AA:BB:CC:DD:EE:FF\"\r\n")
        == "volume = 5\r\nfoot_pod = \"C0:FF:EE:00:18:14\"\r\n")
    // A key in a comment is no setting of it.
    #expect(
      Config.setting("foot_pod", to: "C0:FF:EE:00:18:14", in: "# foot_pod = x\n")
        == "# foot_pod = x\nfoot_pod = \"C0:FF:EE:00:18:14\"\n")
  }

  /// A file saved on Windows (CRLF, a byte-order mark) reads as the same file does with LF.
  @Test func crlfAndAByteOrderMark() throws {
    let text =
      "\u{FEFF}# cadence defaults\r\nvolume = 50\r\n\r\nsound = \"beep\"\r\ndevice = \"caf\\u00e9 \\U0001F3C3\"\r\n"
    #expect(try Config.parse(text, path: "c.toml") == Config(device: "café 🏃", sound: "beep", volume: 50))
    #expect(
      throws: Config.ParseError(path: "c.toml", line: 3, message: "volume must be a percentage from 0 to 100; got 500")
    ) {
      try Config.parse("\u{FEFF}# c\r\nsound = \"beep\"\r\nvolume = 500\r\n", path: "c.toml")
    }
  }

  @Test(arguments: [
    ("volume = 120", "c.toml, line 1: volume must be a percentage from 0 to 100; got 120"),
    ("\n\nvolume = \"loud\"", "c.toml, line 3: volume must be a percentage from 0 to 100; got a string"),
    ("voice = yes", "c.toml, line 1: 'yes' is not a string (quote it), number or boolean"),
    ("voice = 1", "c.toml, line 1: voice must be true or false; got a number"),
    ("speed_unit = \"knots\"", "c.toml, line 1: speed_unit must be \"km/h\" or \"mph\""),
    ("volum = 50", "c.toml, line 1: unknown key 'volum'"),
    ("[player]", "c.toml, line 1: cadence's config has no tables; write plain key = value lines"),
    ("device = \"hw:0", "c.toml, line 1: a string is not closed"),
    ("latency = 10\nlatency = 20", "c.toml, line 2: 'latency' is set twice"),
    ("latency = 10 ms", "c.toml, line 1: unexpected text after the value: 'ms'"),
    ("device", "c.toml, line 1: expected key = value"),
    ("volume = 0x32", "c.toml, line 1: '0x32' is not a string (quote it), number or boolean"),
    (
      "foot_pod = \"C0:FF:EE\"",
      "c.toml, line 1: foot_pod must be a Bluetooth address in quotes, like \"C0:FF:EE:00:18:14\" (cadence sensors lists them)"
    ),
    ("foot_pod_counts = \"hops\"", "c.toml, line 1: foot_pod_counts must be \"steps\" or \"strides\""),
    ("latency = nan", "c.toml, line 1: 'nan' is not a string (quote it), number or boolean"),
    ("device = \"\\u12\"", "c.toml, line 1: \\u must be followed by 4 hex digits of a Unicode character"),
  ])
  func badValuesNameTheKeyAndLine(text: String, message: String) {
    #expect(
      throws: Config.ParseError(
        path: "c.toml", line: Int(message.split(separator: " ")[2].dropLast())!,
        message: String(message.split(separator: ": ", maxSplits: 1)[1]))
    ) {
      try Config.parse(text, path: "c.toml")
    }
  }

  @Test func theConfigFileSetsDefaultsAndABadOneStopsCleanly() throws {
    let dir = scratchDirectory("config")
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("cadence"), withIntermediateDirectories: true)
    let file = dir.appendingPathComponent("cadence/config.toml")
    let click = dir.appendingPathComponent("impulse.wav").path
    let writer = try AudioFileWriter(path: click, format: .wav, sampleRate: 48_000)
    try [Float(1)].withUnsafeBufferPointer { try writer.write($0) }
    try writer.finish()
    try "volume = 50\nsound = \"\(click)\"\n".write(to: file, atomically: true, encoding: .utf8)
    let out = dir.appendingPathComponent("t.wav").path
    let good = try cadence(
      ["render", "170", "--minutes", "0.1", "-o", out], environment: ["XDG_CONFIG_HOME": dir.path])
    #expect(good.status == 0, "\(good.stderr)")
    // The user sound plays its non-accent clicks at 0.7, times the config's 50% volume.
    #expect(abs(try readMonoAudio(path: out).samples[0] - 0.35) < 1e-4)
    try "volume = 50\nvoice = maybe\n".write(to: file, atomically: true, encoding: .utf8)
    let bad = try cadence(
      ["render", "170", "--minutes", "0.1", "-o", out + ".2.wav"], environment: ["XDG_CONFIG_HOME": dir.path])
    #expect(bad.status == 65)
    #expect(
      bad.stderr.hasPrefix(
        "cadence: error: bad config: \(file.path), line 2: 'maybe' is not a string (quote it), number or boolean\n"))
    #expect(!FileManager.default.fileExists(atPath: out + ".2.wav"))
  }
}

@Suite struct RenderSessionTests {
  static let arguments = [
    "--cadence", "170", "--warmup", "0.25", "--warmup-spm", "150", "--minutes", "0.5", "--cooldown", "0.25",
    "--cue-every", "0.25",
  ]
  /// 150 spm for 15 s (38 steps) and 170 for 30 s (85).
  static let clicks = 38 + 85

  /// `render session` writes what `session` plays, spoken cues included: the same session on the
  /// file PCM and rendered to WAV and FLAC has the same samples (to 16-bit rounding), also
  /// through standard output into a pipe and into a file; Ogg Vorbis and MP3 hold every click.
  @Test func aRenderedSessionHoldsWhatTheSessionPlays() throws {
    let rig = try SessionRig("render-session")
    let voiced = Self.arguments + ["--voice"]
    let session = try rig.session(voiced, stdin: nil)
    #expect(session.status == 0, "\(session.stderr)")
    #expect(
      session.stdout.contains(
        "played 1:00 of 1:00 (warm-up 0:15, cadence block 0:30 at 170 spm (continuous), cool-down 0:15), "
          + "\(Self.clicks) clicks\n"))
    let played = try rig.played()
    let common = ["--sound", rig.click, "--volume", "100"]
    for format in ["wav", "flac"] {
      let path = rig.runner.dir.appendingPathComponent("session.\(format)").path
      let result = try cadence(["render", "session"] + voiced + common + ["-o", path], environment: rig.environment)
      #expect(result.status == 0, "\(result.stderr)")
      #expect(
        result.stdout
          == "wrote \(path): 0:15 warm-up, 0:30 at 170 spm, 0:15 cool-down (1:00), \(Self.clicks) clicks, "
          + "spoken cues, 48000 Hz 16-bit mono\n")
      let file = try readMonoAudio(path: path).samples
      #expect(file.count == played.count)
      let worst = zip(file, played).map { abs($0 - $1) }.max() ?? 1
      // Half a 16-bit step of rounding, plus libsndfile reading samples as n / 32768 where they
      // were written as x * 32767: under two steps in all.
      #expect(worst <= 2.0 / 32_767, "largest difference \(worst): more than 16-bit rounding")
      // The same through standard output, into a pipe and into a file.
      let piped = rig.runner.dir.appendingPathComponent("piped.\(format)").path
      let quoted = (["render", "session"] + voiced + common).map { "'\($0)'" }.joined(separator: " ")
      for redirect in ["| cat >", ">"] {
        let shell = try runShell(
          "'\(cadenceBinary)' \(quoted) -o - --format \(format) \(redirect) '\(piped)'", environment: rig.environment)
        #expect(shell.status == 0, "\(shell.stderr)")
        #expect(shell.stderr.hasPrefix("wrote standard output: 0:15 warm-up"), "\(shell.stderr)")
        // A FLAC streamed into a pipe has no length in its header (nothing can go back to write
        // it): sox decodes it as any player would.
        let decoded = rig.runner.dir.appendingPathComponent("decoded.wav").path
        #expect(try runShell("sox '\(piped)' '\(decoded)'", environment: [:]).status == 0)
        #expect(try readMonoAudio(path: decoded).samples == file, "\(format) \(redirect)")
      }
    }
    for format in ["ogg", "mp3"] {
      let path = rig.runner.dir.appendingPathComponent("session.\(format)").path
      let result = try cadence(
        ["render", "session"] + Self.arguments + common + ["-o", path], environment: rig.environment)
      #expect(result.status == 0, "\(result.stderr)")
      #expect(result.stdout.hasSuffix(format == "ogg" ? "48000 Hz mono Ogg Vorbis\n" : "48000 Hz mono MP3\n"))
      // Lossy: no sample is exact, but every click is there, the warm-up's at half level too.
      let decoded = try readMonoAudio(path: path).samples
      #expect(onsets(decoded, threshold: 0.15, gap: 4_800).count == Self.clicks, "\(format)")
    }
  }
}

/// Runs `command` through /bin/sh (pipes and redirections), with `environment` added.
func runShell(_ command: String, environment: [String: String]) throws -> (status: Int32, stderr: String) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/bin/sh")
  process.arguments = ["-c", command]
  process.environment = testEnvironment(environment)
  let err = Pipe()
  process.standardError = err
  process.standardOutput = FileHandle.nullDevice
  try process.run()
  let data = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

@Suite struct RunSummaryJSONTests {
  /// `session --json`: standard output is one JSON document (how it played, the row stored with
  /// its check-in, the plan after); the live lines, the advice and the check-in go to standard
  /// error. `play --json` without --log has no row.
  @Test func theRunAsJSON() throws {
    let rig = try SessionRig("session-json")
    try rig.runner.run(["plan", "--current", "165"], at: "2026-01-01T08:00:00Z")
    let result = try rig.session(["--warmup", "0", "--minutes", "0.1", "--cooldown", "0", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let played = try #require(object["played"] as? [String: Any])
    #expect(played["clicks"] as? Int == 17 && played["xruns"] as? Int == 0 && played["stoppedEarly"] as? Bool == false)
    #expect(played["frames"] as? Int == (try rig.played()).count)
    let run = try #require(object["run"] as? [String: Any])
    #expect(run["id"] as? Int == 1 && run["source"] as? String == "session" && run["targetSPM"] as? Double == 165)
    #expect(run["effort"] as? Int == 5 && run["backPain"] as? Int == 1, "\(run)")
    #expect((object["plan"] as? [String: Any])?["currentSPM"] as? Double == 165)
    #expect(result.stderr.contains("Check-in (Ctrl-D to skip):") && result.stderr.contains("After the run:"))
    #expect(result.stderr.contains("played 0:06 of 0:06 at 165 spm, 17 clicks\n"), "\(result.stderr)")

    let play = try cadence(
      ["play", "170", "--minutes", "0.05", "--device", "null", "--json"], environment: rig.environment)
    #expect(play.status == 0, "\(play.stderr)")
    let playObject = try #require(try JSONSerialization.jsonObject(with: Data(play.stdout.utf8)) as? [String: Any])
    #expect((playObject["played"] as? [String: Any])?["clicks"] as? Int == 9 && playObject["run"] == nil)
    #expect(play.stderr.hasSuffix("played 0:03 of 0:03 at 170 spm, 9 clicks\n"), "\(play.stderr)")
  }
}
