import AudioFile
import AudioTestSupport
import Foundation
import Testing

@testable import cadence

@Suite struct HelpTests {
  @Test func rootHelp() throws {
    let result = try cadence(["--help"])
    #expect(result.status == 0)
    #expect(
      result.stdout == """
        OVERVIEW: A cadence metronome and running-form coach for the treadmill.

        Cadence is steps per minute, both feet counted. The running articles cadence is
        built on set a goal band of 170 to 190; work towards it in small steps (160,
        then 165, then 170) with a click to follow.

        USAGE: cadence <subcommand>

        OPTIONS:
          --version               Show the version.
          -h, --help              Show help information.

        SUBCOMMANDS:
          play                    Play a click at a cadence through ALSA until stopped.
          session                 Run today's coached treadmill session: warm-up,
                                  cadence block, cool-down, form cues.
          render                  Write a click track or a whole session to a sound
                                  file, for any player.
          plan                    Plan the climb from your cadence to your goal in
                                  small steps, and show where you are.
          log                     Record a run done without cadence (a watch, another
                                  app), with its check-in.
          checkin                 Add the check-in to a run stored without one
                                  (skipped, stopped early, imported), or change one.
          warn                    Report a warning sign now, with or without a run:
                                  your plan pauses and you get the advice.
          measure                 Record your measured cadence (count your steps for a
                                  minute, read your watch, or a foot pod).
          history                 Show your runs and measurements, export them, or
                                  remove a mistake.
          tap                     Measure your cadence by tapping a key on every step
                                  while you run.
          listen                  Hear your footfalls on the treadmill through a
                                  microphone and measure your cadence.
          import                  Read runs from a watch or app (TCX, GPX, FIT) and
                                  store your cadence while running.
          today                   Say what to run today, and what it takes for the next
                                  rung.
          week                    This week's runs, time and distance against last
                                  week's, with the 10% line.
          shoes                   Your running shoes: the distance on each pair, and
                                  which one runs are stored with.
          sensors                 Scan for Bluetooth foot pods and treadmills (through
                                  BlueZ), and choose the ones runs read.
          devices                 List the ALSA playback devices that --device accepts.
          cues                    List the form cues a session coaches with, and what
                                  the articles say of each.

          See 'cadence help <subcommand>' for detailed help.

        """)
  }

  @Test func playHelpNamesEveryOptionAndTheKeys() throws {
    let result = try cadence(["play", "--help"])
    #expect(result.status == 0)
    for line in [
      "USAGE: cadence play [<options>] <cadence>",
      "  --log                   Save the run to your history, with a check-in",
      "  <cadence>               Cadence in steps per minute, 100 to 240 (e.g. 170 or",
      "  --every <1|2|4>         Click on every step (1), every 2nd step, one foot",
      "  --device <name>         ALSA PCM to play through, see `cadence devices`",
      "keys change it live: up/down or +/- by 1 spm, PageUp/PageDown (or",
    ] {
      #expect(result.stdout.contains(line + "\n"), "\(line)")
    }
  }
}

@Suite struct UsageErrorTests {
  /// Every bad input: exit 64 (EX_USAGE), a message naming the problem, nothing written.
  @Test(arguments: [
    (
      ["play", "300"],
      "cadence: error: The value '300' is invalid for '<cadence>': a cadence must be from 100 to 240 steps per minute; got 300"
    ),
    (
      ["play", "99.9"],
      "cadence: error: The value '99.9' is invalid for '<cadence>': a cadence must be from 100 to 240 steps per minute; got 99.9"
    ),
    (
      ["play", "abc"],
      "cadence: error: The value 'abc' is invalid for '<cadence>': a cadence is a number of steps per minute from 100 to 240, like 170 or 173.5"
    ),
    (
      ["play", "nan"],
      "cadence: error: The value 'nan' is invalid for '<cadence>': a cadence is a number of steps per minute from 100 to 240, like 170 or 173.5"
    ),
    (["play", "170", "--every", "3"], "cadence: error: --every must be 1 (every step), 2 (one foot) or 4; got 3"),
    (
      ["session", "--cadence", "170", "--milestones", "halfway,soon"],
      "cadence: error: --milestones takes phases, halfway, left and intervals, comma-separated, or none; got 'soon'"
    ),
    (["play", "170", "--volume", "101"], "cadence: error: --volume must be a percentage from 0 to 100; got 101.0"),
    (["play", "170", "--latency", "1"], "cadence: error: --latency must be from 2 to 500 milliseconds; got 1.0"),
    (["play", "170", "--minutes", "0"], "cadence: error: --minutes must be more than 0 and at most 600; got 0.0"),
    (
      ["play", "170", "--ramp-to", "250"],
      "cadence: error: The value '250' is invalid for '--ramp-to <spm>': a cadence must be from 100 to 240 steps per minute; got 250"
    ),
    (["play", "170", "--ramp-minutes", "3"], "cadence: error: --ramp-minutes needs --ramp-to SPM"),
    (
      ["play", "170", "--accent", "65"],
      "cadence: error: --accent must be a whole number of clicks from 0 (no accent) to 64; got 65"
    ),
    (
      ["render", "170", "--minutes", "1", "-o", "track.aiff"],
      "cadence: error: cannot tell the format of 'track.aiff' from its name; end it in .wav, .flac, .ogg or .mp3, or pass --format"
    ),
    (
      ["render", "170", "--minutes", "1", "-o", "track.mp3", "--rate", "96000"],
      "cadence: error: this libsndfile cannot write MP3 at 96000 Hz; MP3 takes 8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100 or 48000 Hz"
    ),
    (
      ["render", "170", "--minutes", "1", "-o", "track.mp3", "--format", "flac"],
      "cadence: error: --format flac does not match the name 'track.mp3'; drop one of them"
    ),
    (
      ["render", "session", "--cadence", "170", "-o", "s.ogg", "--intervals", "3"],
      "cadence: error: --intervals must be ON/OFF minutes, each from 0.01 to 60, like 3/2; got '3'"
    ),
    (["render", "170", "--minutes", "1"], "cadence: error: Missing expected argument '--output <file>'"),
    (
      ["history", "--db", "-"],
      "cadence: error: --db - would be a file named '-', not standard input or output; give a path, like ./history.sqlite"
    ),
    (
      ["log", "--minutes", "5", "--db", "runs/"],
      "cadence: error: --db 'runs/' names a folder; give a file in it, like runs/history.sqlite"
    ),
    (["plan", "--db", "."], "cadence: error: --db '.' names a folder; give a file in it, like ./history.sqlite"),
    (["sesion"], "cadence: error: unknown command 'sesion'; did you mean 'session'?"),
    (
      ["xyz"],
      "cadence: error: unknown command 'xyz'\n  try: cadence --help lists the commands (play, session, render, plan, "
        + "log, checkin, warn, measure, history, tap, listen, import, today, week, shoes, sensors, devices, cues)"
    ),
    (
      ["play", "--cadence", "170"],
      "cadence: error: play takes the cadence as a number, like cadence play 170 (not --cadence)"
    ),
    (
      ["session", "170"],
      "cadence: error: session takes its cadence as --cadence 170 (by default your plan's current rung)\n"
        + "  try: cadence session --cadence 170"
    ),
    (["play", "170", "--minutes", "-5"], "cadence: error: --minutes must be more than 0 and at most 600; got -5.0"),
    (
      ["log", "--minutes", "5", "--distance", "0km"],
      "cadence: error: --distance must be more than 0 and at most 200 km, like 5km, 3.1mi or 800m; got '0km'"
    ),
    (
      ["render", "170", "--minutes", "1", "-o", "t.wav", "--rate", "1000"],
      "cadence: error: --rate must be from 8000 to 192000 Hz; got 1000"
    ),
  ])
  func rejected(arguments: [String], message: String) throws {
    let result = try cadence(arguments)
    #expect(result.status == 64)
    #expect(result.stderr.hasPrefix(message + "\n"), "\(result.stderr)")
    #expect(result.stdout.isEmpty)
  }
}

/// A history named by a one-character relative path (it used to kill every command that wrote,
/// in Foundation's path handling) is made in the working folder.
@Suite struct RelativeHistoryTests {
  @Test func aOneLetterHistoryInTheWorkingFolder() throws {
    let dir = scratchDirectory("db-one-letter")
    let (status, stderr) = try runShell(
      "cd '\(dir.path)' && exec '\(cadenceBinary)' log --minutes 5 --db a", environment: ["TZ": "UTC"])
    #expect(status == 0, "\(stderr)")
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("a").path))
  }
}

@Suite struct RenderCommandTests {
  @Test func wavOnsetsAtExactlyTheGridFrames() throws {
    let dir = scratchDirectory("render-wav")
    // A click whose first frame is full scale makes its onset the first non-zero frame.
    let clickPath = dir.appendingPathComponent("impulse.wav").path
    let writer = try AudioFileWriter(path: clickPath, format: .wav, sampleRate: 48_000)
    try [Float(1), 0.5, 0.25].withUnsafeBufferPointer { try writer.write($0) }
    try writer.finish()

    let out = dir.appendingPathComponent("track.wav").path
    let result = try cadence(["render", "173.5", "--minutes", "2", "-o", out, "--sound", clickPath, "--accent", "4"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "wrote \(out): 2:00 of clicks at 173.5 spm, 347 clicks, 48000 Hz 16-bit mono\n")
    let audio = try readMonoAudio(path: out)
    #expect(audio.samples.count == 48_000 * 120)
    let expected = gridFrames(tenths: 1735, rate: 48_000, below: 48_000 * 120)
    #expect(onsets(audio.samples) == expected)
    // Accents (every 4th click) play the file as is; other clicks at 0.7 and 80 % volume.
    #expect(abs(audio.samples[expected[0]] - 0.8) < 1e-4)
    #expect(abs(audio.samples[expected[1]] - 0.56) < 1e-4)
  }

  @Test func flacWithEveryOtherStepAndARamp() throws {
    let dir = scratchDirectory("render-flac")
    let out = dir.appendingPathComponent("ramp.flac").path
    let result = try cadence([
      "render", "160", "--minutes", "1", "-o", out, "--every", "2", "--ramp-to", "170", "--ramp-minutes", "1", "--rate",
      "44100",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    // (160 + 170) / 2 = 165 steps in the minute, beat 165 at exactly 60 s: 83 clicks at every 2nd.
    #expect(
      result.stdout == "wrote \(out): 1:00 of clicks at 160 spm ramping to 170, 83 clicks, 44100 Hz 16-bit mono\n")
    let audio = try readMonoAudio(path: out)
    #expect(audio.sampleRate == 44_100 && audio.samples.count == 44_100 * 60)
  }

  @Test func fallsBackToASynthesizedClickAndSaysSoOnce() throws {
    let dir = scratchDirectory("fallback")
    let out = dir.appendingPathComponent("t.wav").path
    let result = try cadence(
      ["render", "170", "--minutes", "0.1", "-o", out], environment: ["CADENCE_SOUNDS_DIR": dir.path])
    #expect(result.status == 0)
    #expect(
      result.stderr
        == "cadence: the built-in sounds were not found (looked in \(dir.path)); using a synthesized click. Set CADENCE_SOUNDS_DIR to the Sounds folder to use them.\n"
    )
    #expect(try readMonoAudio(path: out).samples.contains { $0 != 0 })
  }

  @Test func findsTheBuiltInSoundsFromTheBuildFolder() throws {
    let dir = scratchDirectory("builtin")
    let out = dir.appendingPathComponent("t.wav").path
    let result = try cadence(["render", "170", "--minutes", "0.05", "-o", out, "--sound", "hihat"])
    #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
  }

  @Test func badSoundFilesNameTheFileAndWriteNothing() throws {
    let dir = scratchDirectory("bad-sounds")
    let out = dir.appendingPathComponent("t.wav").path
    let junk = dir.appendingPathComponent("junk.wav").path
    try Data("not audio".utf8).write(to: URL(fileURLWithPath: junk))
    let silent = dir.appendingPathComponent("silent.wav").path
    let writer = try AudioFileWriter(path: silent, format: .wav, sampleRate: 48_000)
    try [Float](repeating: 0, count: 100).withUnsafeBufferPointer { try writer.write($0) }
    try writer.finish()
    let cases: [(String, Int32, String)] = [
      (
        dir.appendingPathComponent("missing.wav").path, 66,
        "cannot read sound file '\(dir.path)/missing.wav': no such file"
      ),
      (junk, 65, "cannot read sound file '\(junk)': Format not recognised."),
      (silent, 65, "sound file '\(silent)' holds no audio"),
      ("cowbell", 64, "unknown sound 'cowbell'"),
    ]
    for (sound, code, message) in cases {
      let result = try cadence(["render", "170", "--minutes", "1", "-o", out, "--sound", sound])
      #expect(result.status == code, "\(sound)")
      #expect(result.stderr.hasPrefix("cadence: error: \(message)\n  try: "), "\(result.stderr)")
      #expect(!FileManager.default.fileExists(atPath: out))
    }
  }

  @Test func anUnwritableOutputIsAClearError() throws {
    let result = try cadence(["render", "170", "--minutes", "1", "-o", "/nonexistent-dir/t.wav"])
    #expect(result.status == 73)
    #expect(
      result.stderr
        == "cadence: error: cannot create '/nonexistent-dir/t.wav': No such file or directory\n  try: check the folder exists, is writable and has space\n"
    )
  }
}

@Suite struct PlayCommandTests {
  @Test(arguments: [
    ("nosuchpcm", "No such file or directory"),
    ("hw:99,0", "Invalid argument"),  // no card 99: not a format problem
  ])
  func missingDeviceNamesItAndWhatToTry(device: String, reason: String) throws {
    let result = try cadence(["play", "170", "--device", device])
    #expect(result.status == 69)
    #expect(
      result.stderr == """
        cadence: error: cannot open ALSA device '\(device)': there is no such device here (\(reason), snd_pcm_open)
          try: pick one of the PCMs `cadence devices` lists, or leave --device out for the default

        """)
  }

  /// No circular advice: a device named in the config is blamed on the config (file and key),
  /// and a default that does not answer is not told to "leave --device out".
  @Test func theAdviceFollowsWhereTheDeviceCameFrom() throws {
    let dir = scratchDirectory("play-device-source")
    let folder = dir.appendingPathComponent("cadence")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try "device = \"nosuchpcm\"\n".write(
      to: folder.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
    let configured = try cadence(["play", "170"], environment: ["XDG_CONFIG_HOME": dir.path])
    #expect(configured.status == 69)
    #expect(
      configured.stderr == """
        cadence: error: cannot open ALSA device 'nosuchpcm' (device = "nosuchpcm" in \(folder.path)/config.toml): there is no such device here (No such file or directory, snd_pcm_open)
          try: set device in that file to one of the PCMs `cadence devices` lists, or remove the line

        """)
    // This machine has no sound card, and the test's own runtime folder has no sound server:
    // the default PCM answers nothing (why, ALSA's configuration decides: the reason varies).
    let builtIn = try cadence(["play", "170", "--minutes", "0.01"])
    #expect(builtIn.status == 69)
    #expect(
      builtIn.stderr.hasPrefix(
        "cadence: error: cannot open ALSA device 'default' (the default, as no device was named): there is no such device here ("
      ), "\(builtIn.stderr)")
    #expect(
      builtIn.stderr.hasSuffix(
        "\n  try: this machine has no sound output cadence can reach: connect headphones or a sound card, or start PipeWire or PulseAudio; `cadence devices` lists what there is, and `cadence render` writes the clicks to a file\n"
      ), "\(builtIn.stderr)")
  }

  /// A sound named in the config that cannot be loaded is blamed on the config, not --sound.
  @Test func aConfiguredSoundIsBlamedOnTheConfig() throws {
    let dir = scratchDirectory("render-config-sound")
    let folder = dir.appendingPathComponent("cadence")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try "sound = \"kazoo\"\n".write(to: folder.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
    let out = dir.appendingPathComponent("t.wav").path
    let result = try inProcess(
      ["render", "170", "--minutes", "0.1", "-o", out], environment: ["XDG_CONFIG_HOME": dir.path])
    #expect(result.status == 64)
    #expect(
      result.stderr
        == "cadence: error: unknown sound 'kazoo' (sound = \"kazoo\" in \(folder.path)/config.toml)\n  try: set sound in that file to a built-in name (woodblock, beep, hihat) or a path to a WAV, FLAC or OGG file, or remove the line\n"
    )
    let typed = try inProcess(
      ["render", "170", "--minutes", "0.1", "--sound", "kazoo", "-o", out], environment: ["XDG_CONFIG_HOME": dir.path])
    #expect(typed.stderr.hasPrefix("cadence: error: unknown sound 'kazoo'\n  try: use one of "), "\(typed.stderr)")
  }

  @Test func theBytesThatPassThroughLibasoundCarryExactOnsets() throws {
    let dir = scratchDirectory("play-file")
    let raw = dir.appendingPathComponent("out.raw").path
    let conf = dir.appendingPathComponent("asound.conf")
    try """
    pcm.cadencetest { type file slave.pcm "null" file "\(raw)" format "raw" }
    pcm.cadencetest16 { type plug slave { pcm "cadencetest" format S16_LE channels 2 } }
    """.write(to: conf, atomically: true, encoding: .utf8)
    let env = ["ALSA_CONFIG_PATH": "/usr/share/alsa/alsa.conf:\(conf.path)"]
    let clickPath = dir.appendingPathComponent("impulse.wav").path
    let writer = try AudioFileWriter(path: clickPath, format: .wav, sampleRate: 48_000)
    try [Float(1), 0.5].withUnsafeBufferPointer { try writer.write($0) }
    try writer.finish()

    let result = try cadence(
      ["play", "170", "--minutes", "0.5", "--device", "cadencetest", "--sound", clickPath, "--verbose"],
      environment: env)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout == """
        playing 170 spm on 'cadencetest' (48000 Hz, FLOAT_LE, 1 ch, period 120 frames, buffer 480 frames (10 ms))
        played 0:30 of 0:30 at 170 spm, 85 clicks

        """)
    #expect(result.stderr.contains("cadence: 1440000 frames played, 0 xruns\n"), "\(result.stderr)")
    let floats = try Data(contentsOf: URL(fileURLWithPath: raw)).withUnsafeBytes {
      Array($0.bindMemory(to: Float.self))
    }
    #expect(floats.count == 1_440_000)
    #expect(onsets(floats) == gridFrames(tenths: 1700, rate: 48_000, below: 1_440_000))

    // Through a plug that converts to 16-bit stereo, with every 2nd step.
    let result16 = try cadence(
      ["play", "180", "--minutes", "0.25", "--device", "cadencetest16", "--sound", clickPath, "--every", "2"],
      environment: env)
    #expect(result16.status == 0, "\(result16.stderr)")
    let shorts = try Data(contentsOf: URL(fileURLWithPath: raw)).withUnsafeBytes {
      Array($0.bindMemory(to: Int16.self))
    }
    let left = stride(from: 0, to: shorts.count, by: 2).map { Float(shorts[$0]) }
    #expect(left.count == 720_000)
    #expect(onsets(left) == gridFrames(tenths: 1800, rate: 48_000, below: 720_000, every: 2))
  }

  @Test func sigtermStopsPlaybackCleanlyWithASummary() throws {
    let result = try cadence(["play", "170", "--device", "null"]) { process in
      usleep(500_000)
      process.terminate()  // SIGTERM
    }
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("playing 170 spm on 'null'"))
    let summary = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
    #expect(
      summary.hasPrefix("played ") && summary.contains(" at 170 spm, ") && summary.hasSuffix(" clicks"), "\(summary)")
  }
}

@Suite struct DevicesCommandTests {
  @Test func listsThePlaybackPCMsWithTheirDescriptions() throws {
    let result = try cadence(["devices"])
    #expect(result.status == 0)
    // ALSA's own `null` PCM is always configured.
    #expect(result.stdout.contains("null\n    Discard all samples (playback) or generate zero samples (capture)\n"))
    // libasound2-plugins (installed by the test setup) configures its converters and mixers
    // as PCMs: they are not outputs and are not listed.
    let names = Set(result.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") }.map(String.init))
    #expect(names.isDisjoint(with: ["lavrate", "samplerate", "speexrate", "speex", "upmix", "vdownmix"]), "\(names)")
    #expect(names.contains("default"))
    let json = try cadence(["devices", "--json"])
    let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: String]])
    #expect(Set(rows.compactMap { $0["name"] }) == names)
    #expect(
      rows.first { $0["name"] == "null" }?["description"]
        == "Discard all samples (playback) or generate zero samples (capture)")
  }
}

/// Completion knows the warning signs: `cadence warn <Tab>` offers them.
@Suite struct WarnCompletionTests {
  @Test(arguments: ["bash", "zsh", "fish"])
  func theSignsComplete(shell: String) throws {
    let script = try inProcess(["--generate-completion-script", shell])
    #expect(script.status == 0)
    for sign in ["radiating-pain", "bladder-bowel", "leg-weakness", "walking-pain", "lasting-pain"] {
      #expect(script.stdout.contains(sign), "\(shell): \(sign)")
    }
  }
}
