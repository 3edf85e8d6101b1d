import AudioFile
import AudioTestSupport
import Foundation
import Testing

/// cadence through the sound servers runners really have: PipeWire (ALSA `default` through
/// pipewire-alsa), PipeWire's PulseAudio server through the `pulse` plugin, and a real
/// PulseAudio daemon. Each server is private and headless (Tests/Support/SoundServers), records
/// its null sink, and is stopped by PID. No mocks: the same binaries a desktop runs.
@Suite(.serialized) struct SoundServerTests {
  /// 20 s at 170 spm: steps k = 0...56 fall inside, so 57 clicks.
  static let seconds = 20.0
  static let clicks = 57

  @Test(.timeLimit(.minutes(3)))
  func pipeWireThroughDefault() throws {
    try playThrough(.pipeWire, device: "default")
  }

  @Test(.timeLimit(.minutes(3)))
  func pipeWireThroughThePulsePlugin() throws {
    try playThrough(.pipeWire, device: "pulse")
  }

  @Test(.timeLimit(.minutes(3)))
  func aRealPulseAudioDaemon() throws {
    try playThrough(.pulseAudio, device: "pulse")
  }

  /// A key press on a pseudo-terminal (util-linux `script`) while playing through PipeWire at
  /// its default 85 ms buffer: up raises 170 to 171 spm. In the recording the clicks keep the
  /// 170 grid up to one beat, and from it the 171 grid, anchored on that beat: the change lands
  /// on a beat, the first one not yet queued, with no click lost, doubled or shifted.
  @Test(.timeLimit(.minutes(2)))
  func aLiveTempoChangeThroughPipeWireLandsOnABeat() throws {
    let dir = scratchDirectory("server-pipewire-live")
    guard let server = try SoundServer.start(.pipeWire, in: dir) else { return }
    defer { server.stop() }
    let click = try impulseClick(in: dir)
    let recorder = try server.record(to: dir.appendingPathComponent("live.wav").path)
    let (status, screen) = try onPseudoTerminal(
      [cadenceBinary, "play", "170", "--minutes", "0.15", "--sound", click, "--verbose"],
      environment: server.environment
    ) { keys in
      usleep(4_000_000)
      keys.write(Data("\u{1B}[A".utf8))  // up: 171 spm
    }
    recorder.stop()
    #expect(status == 0, "\(screen)")
    #expect(screen.contains(" 171 spm "), "\(screen)")
    #expect(screen.contains("played 0:09 of 0:09 at 170 to 171 spm, "), "\(screen)")
    #expect(screen.contains("cadence: 432000 frames played, 0 xruns"), "\(screen)")

    let found = onsets(try recorder.samples(), threshold: 0.05, gap: 2_400)
    let before = gridFrames(tenths: 1700, rate: 48_000, below: 48_000 * 10)
    let after = gridFrames(tenths: 1710, rate: 48_000, below: 48_000 * 10)
    guard let first = found.first,
      let change = found.indices.dropFirst().first(where: { abs(found[$0] - first - before[$0]) > 1 })
    else {
      Issue.record("no tempo change in the recording: \(found.count) clicks")
      return
    }
    // The key went in 4 s after launch: at 170 spm (2.8 clicks a second) and with start-up and
    // the 85 ms buffer, the first beat not yet queued is click 11, 12 or 13.
    #expect((11...13).contains(change), "the change came at click \(change)")
    let anchor = found[change - 1]
    let deviations = found[change...].enumerated().map {
      abs(found[change + $0.offset] - anchor - after[$0.offset + 1])
    }
    #expect(deviations.allSatisfy { $0 <= 1 }, "after the change, the 171 grid from the last 170 click: \(deviations)")
    // 0.15 min = 9 s: every click arrived, none doubled.
    let expected = change + after.prefix { anchor - first + $0 < 432_000 }.count - 1
    #expect(found.count == expected, "\(found.count) clicks, expected \(expected)")
  }

  /// PipeWire and WirePlumber stopped 4 s into a 15 s run and started again 2 s later: the
  /// playback thread gives up on the dead stream (no spinning at real-time priority), cadence
  /// opens `default` again once the server is back and plays on; the run is saved with its full
  /// length and the summary says when there was no sound. (That the clicks resume on the beat
  /// grid, to the frame, is LiveRunTests' aDeviceFoundAgainResumesOnTheSameGrid.)
  @Test(.timeLimit(.minutes(2)))
  func aSoundServerThatGoesAwayMidRunIsFoundAgain() throws {
    let dir = scratchDirectory("server-pipewire-restart")
    guard let server = try SoundServer.start(.pipeWire, in: dir) else { return }
    defer { server.stop() }
    let db = dir.appendingPathComponent("h.sqlite").path
    let restarted = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var restart: (status: Int32, out: String, err: String)?
    Thread.detachNewThread {
      usleep(4_000_000)
      restart = try? SoundServer.runScript(["restart", server.dir.path, "2"], in: server.dir)
      restarted.signal()
    }
    let result = try timed(
      [cadenceBinary, "play", "170", "--minutes", "0.25", "--db", db, "--log"], environment: server.environment, in: dir
    )
    restarted.wait()
    #expect(restart?.status == 0, "\(restart?.err ?? "restart did not run")")
    #expect(result.run.status == 0, "\(result.run.stdout)\n\(result.run.stderr)")
    let lines = result.run.stdout.split(separator: "\n").map(String.init)
    #expect(lines.contains { $0.contains("  sound lost on 'default': ") }, "\(result.run.stdout)")
    #expect(lines.contains { $0.contains("  sound back on 'default', on the beat (") }, "\(result.run.stdout)")
    #expect(
      lines.contains { $0.hasPrefix("played 0:15 of 0:15 at 170 spm, ") && $0.contains("; no sound from 0:0") },
      "\(result.run.stdout)")
    // Debug build, 15 s, one reconnection: a spinning thread would use seconds.
    #expect(result.cpu < 1.5, "CPU \(result.cpu) s")
    let json = try cadence(["history", "--json", "--db", db])
    let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
    #expect(rows.count == 1, "\(json.stdout)")
    #expect(rows.first?["minutes"] as? Double == 0.3 && rows.first?["interrupted"] as? Bool == false, "\(json.stdout)")
  }

  /// Plays 20 s through `device` into the server, records the sink and asserts: every click,
  /// each on the grid to within a frame of the first, 0 xruns, about one wake-up a period, the
  /// server-sized buffer chosen by itself, and CPU within 2x of aplay streaming the same clicks
  /// (rendered by `cadence render`) through the same PCM with the same buffer.
  private func playThrough(_ kind: SoundServer.Kind, device: String) throws {
    let dir = scratchDirectory("server-\(kind.rawValue)-\(device)")
    guard let server = try SoundServer.start(kind, in: dir) else { return }
    defer { server.stop() }
    let click = try impulseClick(in: dir)
    // CPU is a release-build figure; the functional checks hold for both builds.
    let release = repositoryRoot.appendingPathComponent(".build/release/cadence").path
    guard FileManager.default.isExecutableFile(atPath: release) else {
      Issue.record("no release build at \(release): run `swift build -c release` first (README's test command does)")
      return
    }

    let recorder = try server.record(to: dir.appendingPathComponent("cadence.rec").path)
    let result = try timed(
      [release, "play", "170", "--minutes", "\(Self.seconds / 60)", "--device", device, "--sound", click, "--verbose"],
      environment: server.environment, in: dir)
    recorder.stop()

    #expect(result.run.status == 0, "\(result.run.stderr)")
    #expect(
      result.run.stdout.hasSuffix("played 0:20 of 0:20 at 170 spm, \(Self.clicks) clicks\n"), "\(result.run.stdout)")
    #expect(result.run.stderr.contains("cadence: 960000 frames played, 0 xruns\n"), "\(result.run.stderr)")
    // The buffer is the server's size, chosen without --latency.
    #expect(result.run.stderr.contains("period 1024 frames, buffer 4096 frames (85 ms)"), "\(result.run.stderr)")
    let wakeups = try #require(Self.wakeups(result.run.stderr), "\(result.run.stderr)")
    #expect(wakeups.periods == 937)
    #expect(Double(wakeups.count) <= 1.2 * Double(wakeups.periods), "no busy loop: \(wakeups)")

    // aplay streaming the same clicks through the same PCM, same buffer, recorded the same way.
    let track = dir.appendingPathComponent("track.wav").path
    let render = try cadence(["render", "170", "--minutes", "\(Self.seconds / 60)", "--sound", click, "-o", track])
    #expect(render.status == 0, "\(render.stderr)")
    let aplayRecorder = try server.record(to: dir.appendingPathComponent("aplay.rec").path)
    let aplay = try timed(
      ["/usr/bin/aplay", "-q", "-D", device, "--buffer-size=4096", "--period-size=1024", track],
      environment: server.environment, in: dir)
    aplayRecorder.stop()
    #expect(aplay.run.status == 0, "\(aplay.run.stderr)")

    // PulseAudio's monitor does not carry what the sink rewinds when a stream starts, so a
    // monitor recording lacks the first click of any stream: aplay's as well as cadence's
    // (README). On a sound card the rewind rewrites the hardware buffer and the click is heard.
    let lostAtStart = kind == .pulseAudio ? 1 : 0
    let grid = gridFrames(tenths: 1700, rate: 48_000, below: 960_000)
    for (who, rec) in [("cadence", recorder), ("aplay", aplayRecorder)] {
      let found = onsets(try rec.samples(), threshold: 0.05, gap: 2_400)
      #expect(found.count == Self.clicks - lostAtStart, "\(who): \(found.count) of \(Self.clicks) clicks arrived")
      if let first = found.first {
        let deviations = found.indices.map { abs(found[$0] - first - (grid[$0 + lostAtStart] - grid[lostAtStart])) }
        #expect(deviations.allSatisfy { $0 <= 1 }, "\(who): onsets on the grid within a frame: \(deviations)")
      }
    }
    // 10 ms is the resolution of the kernel's CPU accounting as `time` reports it.
    #expect(result.cpu <= 2 * aplay.cpu + 0.02, "CPU: cadence \(result.cpu) s, aplay \(aplay.cpu) s")
    print("\(kind.rawValue) via \(device): cadence \(result.cpu) s CPU, aplay \(aplay.cpu) s, \(wakeups)")
  }

  /// "woke 938 times for 937 periods".
  static func wakeups(_ text: String) -> (count: Int, periods: Int)? {
    guard let line = text.split(separator: "\n").first(where: { $0.contains("the playback thread woke") }) else {
      return nil
    }
    let words = line.split(separator: " ")
    guard let woke = words.firstIndex(of: "woke"), let periods = words.firstIndex(of: "periods"),
      let count = Int(words[woke + 1]), let n = Int(words[periods - 1])
    else { return nil }
    return (count, n)
  }
}

/// A click whose first frame is its loudest, so that onsets are exact in a recording.
func impulseClick(in dir: URL) throws -> String {
  let click = dir.appendingPathComponent("impulse.wav").path
  let writer = try AudioFileWriter(path: click, format: .wav, sampleRate: 48_000)
  try [Float(1), 0.5].withUnsafeBufferPointer { try writer.write($0) }
  try writer.finish()
  return click
}

/// Runs a command under /usr/bin/time (Debian's `time`) and returns what it printed and the
/// CPU seconds (user + system) it used.
func timed(_ command: [String], environment: [String: String], in dir: URL) throws -> (run: RunResult, cpu: Double) {
  let cpuFile = dir.appendingPathComponent("cpu-\(UUID().uuidString).txt").path
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
  process.arguments = ["-f", "%U %S", "-o", cpuFile] + command
  process.environment = testEnvironment(environment)
  let out = Pipe()
  let err = Pipe()
  process.standardOutput = out
  process.standardError = err
  process.standardInput = FileHandle.nullDevice
  let start = Date()
  try process.run()
  let outData = out.fileHandleForReading.readDataToEndOfFile()
  let errData = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  let run = RunResult(
    status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
    stderr: String(decoding: errData, as: UTF8.self), seconds: Date().timeIntervalSince(start))
  let fields =
    (try? String(contentsOfFile: cpuFile, encoding: .utf8))?.split(separator: "\n").last?
    .split(separator: " ").compactMap { Double($0) } ?? []
  return (run, fields.reduce(0, +))
}

/// A private sound server started by Tests/Support/SoundServers/sound-servers.sh.
struct SoundServer {
  enum Kind: String {
    case pipeWire = "pipewire"
    case pulseAudio = "pulseaudio"
  }

  let kind: Kind
  let dir: URL
  let environment: [String: String]
  let sink: String

  static let script = repositoryRoot.appendingPathComponent("Tests/Support/SoundServers/sound-servers.sh").path

  /// Starts the server; nil (with the reason recorded as a skip message) only where its
  /// programs are not installed. In CI they are (scripts/setup-debian.sh), so there it runs.
  static func start(_ kind: Kind, in dir: URL) throws -> SoundServer? {
    let serverDir = dir.appendingPathComponent("server")
    try FileManager.default.createDirectory(at: serverDir, withIntermediateDirectories: true)
    let (status, text, problem) = try runScript([kind.rawValue, serverDir.path], in: serverDir)
    if status == 2 {
      if ProcessInfo.processInfo.environment["CI"] != nil {
        Issue.record("\(kind.rawValue) is not installed in CI: \(problem)")
      } else {
        print("skipped: \(problem) (scripts/setup-debian.sh installs it)")
      }
      return nil
    }
    guard status == 0 else {
      Issue.record("\(kind.rawValue) did not start: \(problem)")
      return nil
    }
    var environment: [String: String] = [:]
    for line in text.split(separator: "\n") {
      let parts = line.split(separator: "=", maxSplits: 1)
      if parts.count == 2 { environment[String(parts[0])] = String(parts[1]) }
    }
    return SoundServer(
      kind: kind, dir: serverDir, environment: environment, sink: environment["CADENCE_TEST_SINK"] ?? "")
  }

  func stop() {
    _ = try? Self.runScript(["stop", dir.path], in: dir)
  }

  /// Runs sound-servers.sh and waits for that process alone (posix_spawn + waitpid): the
  /// servers it leaves running must not keep the caller waiting, as Foundation's Process does
  /// when a child forks daemons. Output goes through files, so no pipe is held open by them.
  static func runScript(_ arguments: [String], in dir: URL) throws -> (status: Int32, out: String, err: String) {
    let outPath = dir.appendingPathComponent("script-\(UUID().uuidString).out").path
    let errPath = outPath + ".err"
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let argv = ["/bin/bash", script] + arguments
    var cArgs = argv.map { strdup($0) } + [nil]
    defer { cArgs.forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, "/bin/bash", &actions, nil, &cArgs, environ)
    guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    return (exit, out, err)
  }

  /// Records the sink, mono float at 48 kHz, until `stop()`: pw-record on PipeWire (the sink
  /// itself, stream.capture.sink), parec of the monitor on PulseAudio.
  func record(to path: String) throws -> Recorder {
    let process = Process()
    switch kind {
    case .pipeWire:
      process.executableURL = URL(fileURLWithPath: "/usr/bin/pw-record")
      process.arguments = [
        "--target", sink, "-P", "{ stream.capture.sink = true }", "--rate", "48000", "--channels", "1",
        "--format", "f32", path,
      ]
    case .pulseAudio:
      process.executableURL = URL(fileURLWithPath: "/usr/bin/parec")
      // Raw samples: parec cannot be asked to finish a WAV header when the test's blocked
      // signals are inherited, so it is killed and its raw output read as it stands.
      process.arguments = [
        "-d", "\(sink).monitor", "--rate=48000", "--channels=1", "--format=float32le", "--raw", "--latency-msec=20",
      ]
      FileManager.default.createFile(atPath: path, contents: nil)
      process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }
    process.environment = testEnvironment(environment)
    process.standardInput = FileHandle.nullDevice
    if kind == .pipeWire { process.standardOutput = FileHandle.nullDevice }
    process.standardError = FileHandle.nullDevice
    try process.run()
    // The recording stream connects before cadence starts.
    usleep(700_000)
    return Recorder(process: process, raw: kind == .pulseAudio, path: path)
  }

  struct Recorder {
    let process: Process
    let raw: Bool
    let path: String

    /// Stops recording: SIGINT lets pw-record finish its WAV header; parec's raw output needs
    /// none, so it is killed. Waits for it to exit.
    func stop() {
      usleep(500_000)  // the last click's tail reaches the sink
      if raw { kill(process.processIdentifier, SIGKILL) } else { process.interrupt() }
      process.waitUntilExit()
    }

    /// The recording as mono float samples.
    func samples() throws -> [Float] {
      if raw {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
      }
      return try readMonoAudio(path: path).samples
    }
  }
}
