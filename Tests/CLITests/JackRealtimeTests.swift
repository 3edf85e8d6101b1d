import AudioFile
import AudioTestSupport
import Foundation
import Testing

/// jackd, jack_rec and jack_lsp from Debian's jackd2; .ci/run installs them.
let jackTools = ["/usr/bin/jackd", "/usr/bin/jack_rec", "/usr/bin/jack_lsp"]
let jackAvailable = jackTools.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

/// Real-time playback: cadence plays through ALSA's `jack` plugin into a JACK server running
/// the dummy backend (which paces like a sound card), and jack_rec records what arrives.
@Suite(.serialized) struct JackRealtimeTests {
  @Test(
    .enabled(
      if: jackAvailable, "jackd2 is not installed (apt-get install jackd2 libasound2-plugins); .ci/run installs it"),
    .timeLimit(.minutes(2)))
  func twelveSecondsInRealTimeWithNoXrunAndExactOnsets() throws {
    let dir = scratchDirectory("jack")
    let jack = try JackRecording(name: "cadence-test-\(getpid())", seconds: 15, in: dir)
    defer { jack.stop() }
    let (env, recorder, recording) = (jack.environment, jack.recorder, jack.path)
    let click = dir.appendingPathComponent("impulse.wav").path
    let writer = try AudioFileWriter(path: click, format: .wav, sampleRate: 48_000)
    try [Float(1), 0.5].withUnsafeBufferPointer { try writer.write($0) }
    try writer.finish()

    let environment = env
    let result = try cadence(
      ["play", "170", "--minutes", "0.2", "--device", "cadencejack", "--sound", click, "--latency", "20", "--verbose"],
      environment: environment)
    #expect(result.status == 0, "\(result.stderr)")
    // 12 s of audio take about 12 s to play: paced by the (dummy) device, not faster.
    #expect(result.seconds > 11.5, "played in \(result.seconds) s")
    #expect(result.stdout.hasSuffix("played 0:12 of 0:12 at 170 spm, 34 clicks\n"), "\(result.stdout)")
    #expect(result.stderr.contains("cadence: 576000 frames played, 0 xruns\n"), "\(result.stderr)")

    recorder.waitUntilExit()
    let audio = try readMonoAudio(path: recording)
    let found = onsets(audio.samples)
    let grid = gridFrames(tenths: 1700, rate: 48_000, below: 576_000)
    #expect(found.count == grid.count, "every click arrived: \(found.count) of \(grid.count)")
    if let first = found.first {
      #expect(found.map { $0 - first } == grid, "onsets keep the exact grid: no dropout, no drift")
    }
  }

  /// `cadence session` on a pseudo-terminal (util-linux `script`), paced by JACK: the live
  /// screen, the n / c / up / q keys, then the check-in typed at the terminal.
  @Test(
    .enabled(
      if: jackAvailable && FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs jackd2 and script"),
    .timeLimit(.minutes(2)))
  func theSessionScreenOnAPseudoTerminal() throws {
    let dir = scratchDirectory("pty")
    let jack = try PacedDevice(name: "cadence-pty-\(getpid())", in: dir)
    defer { jack.stop() }
    let db = dir.appendingPathComponent("h.sqlite").path
    let command = [
      cadenceBinary, "session", "--cadence", "170", "--warmup", "0.1", "--warmup-spm", "150", "--minutes", "1",
      "--cooldown", "0.1", "--speed", "10km/h", "--device", "cadencejack", "--latency", "20", "--db", db,
    ]
    let environment = jack.environment.merging(["TZ": "UTC"]) { $1 }
    let (status, screen) = try onPseudoTerminal(command, environment: environment) { keys in
      keys.waitFor(" WARM-UP  ")
      keys.write(Data("n".utf8))  // warm-up -> cadence block
      keys.waitFor(" CADENCE BLOCK  ")
      usleep(1_500_000)
      keys.write(Data("c".utf8))
      usleep(500_000)
      keys.write(Data("\u{1B}[A".utf8))  // up: 171 spm
      keys.waitFor(" 171 spm")
      usleep(1_500_000)  // the bar shows progress
      keys.write(Data("q".utf8))
      keys.waitFor("Effort, 1 (very easy) to 10 (maximal)?")
      keys.write(Data("5\n1\ny\nn\n5km\n".utf8))
    }
    #expect(status == 0, "\(screen)")
    for text in [
      " WARM-UP  ", " 150 spm  0:0",
      " cue: Warm up: walk or jog slowly for 6 seconds (the articles advise 5-10 minutes).",
      " CADENCE BLOCK  ",
      " cue: Shorter stride: let your foot land under your body.", " step 0.98 m at 10.0 km/h",
      " cue: Quicker, shorter steps: 171 now.", "[█", "n next phase  c next cue  q quit",
      "(stopped early)", "Effort, 1 (very easy) to 10 (maximal)?",
      "logged run on ", "170 spm, 0:0", "5.00 km, effort 5/10, back pain 1/10",
    ] {
      #expect(screen.contains(text), "screen lacks \(text)")
    }
    #expect(!screen.contains("xruns (") || screen.contains(" 0 xruns"))
  }
}

/// JACK's dummy server with jack_rec recording `seconds` of what the ALSA PCM `cadencejack`
/// plays (a `plug` over a `jack` PCM wired to jack_rec), and the environment that reaches it.
struct JackRecording {
  let jackd: Process
  let recorder: Process
  /// JACK's server name and ALSA_CONFIG_PATH with the `cadencejack` PCM.
  let environment: [String: String]
  let path: String

  init(name: String, seconds: Int, in dir: URL) throws {
    let (jackd, env) = try startJack(name: name, dir: dir)
    self.jackd = jackd
    path = dir.appendingPathComponent("recorded.wav").path
    recorder = try launch(
      "/usr/bin/jack_rec", ["-f", path, "-d", "\(seconds)", "-b", "16", "system:capture_1"], env: env,
      log: dir.appendingPathComponent("jack_rec.log"))
    try waitFor(port: "jackrec:input1", env: env)
    let conf = dir.appendingPathComponent("asound.conf")
    try "pcm.cadencejack { type plug slave { pcm { type jack playback_ports { 0 jackrec:input1 } } } }\n"
      .write(to: conf, atomically: true, encoding: .utf8)
    environment = env.merging(["ALSA_CONFIG_PATH": "/usr/share/alsa/alsa.conf:\(conf.path)"]) { $1 }
  }

  func stop() {
    if recorder.isRunning { recorder.terminate() }
    jackd.terminate()
    jackd.waitUntilExit()
  }
}

/// A JACK dummy server and the ALSA PCM `cadencejack` that plays into it (a `plug` over a
/// `jack` PCM wired to system:playback_1): a device paced like a sound card, for runs that
/// must take real time. The environment reaches both.
struct PacedDevice {
  let jackd: Process
  /// JACK's server name and ALSA_CONFIG_PATH with the `cadencejack` PCM.
  let environment: [String: String]

  init(name: String, in dir: URL) throws {
    let (jackd, env) = try startJack(name: name, dir: dir)
    self.jackd = jackd
    let conf = dir.appendingPathComponent("asound.conf")
    try "pcm.cadencejack { type plug slave { pcm { type jack playback_ports { 0 system:playback_1 } } } }\n"
      .write(to: conf, atomically: true, encoding: .utf8)
    environment = env.merging(["ALSA_CONFIG_PATH": "/usr/share/alsa/alsa.conf:\(conf.path)"]) { $1 }
  }

  func stop() {
    jackd.terminate()
    jackd.waitUntilExit()
  }
}

/// Starts a JACK server with the dummy backend (paced like a sound card, 48 kHz, 256-frame
/// periods) and waits for its ports. -S: synchronous mode, so a late client cannot lose a
/// period; -r: no real-time scheduling needed. The caller stops it by its Process.
func startJack(name: String, dir: URL) throws -> (Process, [String: String]) {
  let env = ["JACK_DEFAULT_SERVER": name, "JACK_NO_AUDIO_RESERVATION": "1"]
  let jackd = try launch(
    "/usr/bin/jackd", ["-S", "-r", "-n", name, "-d", "dummy", "-r", "48000", "-p", "256"], env: env,
    log: dir.appendingPathComponent("jackd.log"))
  try waitFor(port: "system:playback_1", env: env)
  return (jackd, env)
}

func launch(_ tool: String, _ arguments: [String], env: [String: String], log: URL) throws -> Process {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: tool)
  process.arguments = arguments
  process.environment = testEnvironment(env)
  FileManager.default.createFile(atPath: log.path, contents: nil)
  let handle = try FileHandle(forWritingTo: log)
  process.standardOutput = handle
  process.standardError = handle
  process.standardInput = FileHandle.nullDevice
  try process.run()
  return process
}

/// Polls jack_lsp until `port` exists (the server or client is up), for at most 10 s.
func waitFor(port: String, env: [String: String]) throws {
  for _ in 0..<100 {
    let lsp = Process()
    lsp.executableURL = URL(fileURLWithPath: "/usr/bin/jack_lsp")
    lsp.environment = testEnvironment(env)
    let out = Pipe()
    lsp.standardOutput = out
    lsp.standardError = FileHandle.nullDevice
    try lsp.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    lsp.waitUntilExit()
    if text.split(separator: "\n").contains(where: { $0 == port }) { return }
    usleep(100_000)
  }
  Issue.record("JACK port \(port) did not appear within 10 s")
}
