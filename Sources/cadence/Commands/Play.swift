import ALSA
import ArgumentParser
import CadenceCore
import ClickEngine
import Foundation
import Glibc
import History
import Playback

struct DeviceOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "ALSA PCM to play through, see `cadence devices` (default: the config's device, else 'default').",
      valueName: "name"))
  var device: String?

  @Option(
    help: ArgumentHelp(
      "Output buffer in milliseconds, 2 to 500: lower reacts faster, higher survives a busy machine "
        + "(default: the config's latency, else chosen for the device: 10 on a sound card, 85 on PipeWire "
        + "or PulseAudio, about 20 on JACK; --verbose says which).", valueName: "ms"))
  var latency: Double?

  @Option(
    help: ArgumentHelp(
      "Extra delay in milliseconds, 0 to 1000, for a device that plays later than it reports (some Bluetooth "
        + "headphones): the screen's beat and the session's phases wait for it (default: the config's offset, else 0).",
      valueName: "ms"))
  var offset: Double?

  @Flag(
    help: "Say what the device agreed to, whether real-time priority was granted, and show libasound's own messages.")
  var verbose = false

  func validate() throws {
    if let latency, !(latency.isFinite && (2...500).contains(latency)) {
      throw ValidationError("--latency must be from 2 to 500 milliseconds; got \(latency)")
    }
    if let offset, !(offset.isFinite && (0...1000).contains(offset)) {
      throw ValidationError("--offset must be from 0 to 1000 milliseconds; got \(offset)")
    }
  }

  func name(_ config: Config) -> String { device ?? config.device ?? "default" }

  /// The extra delay, in frames at `sampleRate`.
  func offsetFrames(_ config: Config, sampleRate: Double) -> Int64 {
    Int64(((offset ?? config.offset ?? 0) / 1000 * sampleRate).rounded())
  }

  /// Opens and configures the device, with errors that name it and what to try.
  func open(_ config: Config) throws(CLIError) -> PCM {
    ALSAErrorOutput.silent = !verbose
    let device = name(config)
    let pcm: PCM
    do {
      pcm = try PCM(name: device)
    } catch {
      throw .device(device, error, doing: "open")
    }
    let choice = LatencyPolicy.choose(for: pcm.kind, milliseconds: latency ?? config.latency)
    if verbose { standardError.write("cadence: \(device): \(choice.reason)\n") }
    do {
      try pcm.configure(choice.request)
    } catch {
      throw .device(device, error, doing: "configure")
    }
    return pcm
  }
}

struct Play: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "play",
    abstract: "Play a click at a cadence through ALSA until stopped.",
    discussion: """
      On a terminal a status line shows the cadence, elapsed time and the beat, and keys \
      change it live: up/down or +/- by 1 spm, PageUp/PageDown (or shift+up/down) by 5, \
      space pauses and resumes, q quits. Ctrl-C also stops. A summary follows on exit.
      """)

  @Argument(help: ArgumentHelp("Cadence in steps per minute, 100 to 240 (e.g. 170 or 173.5).", valueName: "cadence"))
  var cadence: String

  @Option(
    help: ArgumentHelp("Stop after this many minutes (at most 600); default: until stopped.", valueName: "minutes"))
  var minutes: Double?

  @OptionGroup var click: ClickOptions
  @OptionGroup var ramp: RampOptions
  @OptionGroup var deviceOptions: DeviceOptions

  @Flag(
    help: "Save the run to your history, with a check-in (effort, back pain, warning signs) read from standard input.")
  var log = false

  @Flag(
    name: .customLong("despite-warning"),
    help: "Play although your plan is paused after a warning sign (the articles' advice is to stop running).")
  var despiteWarning = false

  @OptionGroup var storage: StorageOptions

  func validate() throws {
    _ = try parseCadence(cadence)
    try validateMinutes(minutes)
  }

  func run() throws {
    do {
      try play()
    } catch let error as CLIError {
      throw report(error)
    }
  }

  private func play() throws {
    let start = try parseCadence(cadence)
    let config = try Config.load()
    // Open the history first: a damaged database is reported before the run, not after it.
    // Without --log it is read only if it exists, to hear a warning sign that paused the plan.
    let db = log || FileManager.default.fileExists(atPath: storage.path) ? try storage.open() : nil
    if let db, let signs = try pausedFor(db) {
      if !despiteWarning {
        throw CLIError(
          message: "your plan is paused after a warning sign: stop running until a professional has cleared you\n"
            + warningAdvice(signs),
          hint: "once cleared: cadence plan resume (--despite-warning plays anyway, against that advice)", code: .usage)
      }
      say("Playing despite the warning sign you reported: the advice is to stop running and see a professional.")
    }
    let began = currentDate()
    let device = deviceOptions.name(config)
    let pcm = try deviceOptions.open(config)
    let sampleRate = Double(pcm.configuration!.sampleRate)
    let sound = try SoundLibrary.load(click.soundName(config), sampleRate: sampleRate) {
      standardError.write($0 + "\n")
    }
    let engine = ClickEngine(
      sampleRate: sampleRate, sound: sound,
      settings: ClickSettings(spm: start.spm, every: click.every, accentEvery: click.accent, gain: click.gain(config)))
    if let ramp = try ramp.ramp() {
      engine.commands.push(
        TimedCommand(at: 0, .ramp(to: ramp.cadence.spm, frames: Int64((ramp.minutes * 60 * sampleRate).rounded()))))
    }
    let limit = minutes.map { Int64(($0 * 60 * sampleRate).rounded()) }
    let player = try startPlayer(
      engine: engine, pcm: pcm, frameLimit: limit, device: device, verbose: deviceOptions.verbose, soundName: sound.name
    )
    let live = LiveControl(
      engine: engine, player: player, cadence: start.spm, interactive: isInteractive(),
      offsetFrames: deviceOptions.offsetFrames(config, sampleRate: sampleRate))
    let summary = live.run(header: "playing \(start) spm on '\(device)'")
    say(live.summaryLine(summary))
    if deviceOptions.verbose { standardError.write(wakeupLine(summary, player: player) + "\n") }
    if log, let db {
      try saveRun(
        db, began: began, summary: summary, sampleRate: sampleRate, finalSPM: live.cadence, startSPM: start.spm)
    }
    if let error = summary.error { throw CLIError.lostDevice(device, error) }
  }
}

/// The warning signs that paused the active plan, if it is paused.
func pausedFor(_ db: AppDatabase) throws(CLIError) -> Set<WarningSign>? {
  guard let plan = try history(db.activePlan()) else { return nil }
  return try PlanReport(plan: plan, db: db, now: currentDate()).status.pausedFor
}

extension CLIError {
  static func lostDevice(_ device: String, _ error: ALSAError) -> CLIError {
    CLIError(
      message: "playback on '\(device)' stopped: \(error)",
      hint: "check the device is still connected, or pick another with --device",
      code: .ioError)
  }
}

/// Makes the playback thread and starts it, saying (with --verbose) what the device agreed to
/// and whether real-time priority was granted.
func startPlayer(engine: ClickEngine, pcm: PCM, frameLimit: Int64?, device: String, verbose: Bool, soundName: String)
  throws(CLIError)
  -> Player<PCM>
{
  let player: Player<PCM>
  do {
    player = try Player(engine: engine, output: pcm, frameLimit: frameLimit)
  } catch {
    throw CLIError.device(device, error, doing: "start")
  }
  StopSignals.install()
  if verbose {
    standardError.write("cadence: \(device): \(player.configuration)\n")
    standardError.write("cadence: sound '\(soundName)', \(engine.sound.normal.count) frames\n")
  }
  do {
    try player.start()
  } catch {
    throw CLIError.device(device, error, doing: "start")
  }
  if verbose {
    switch player.realtime {
    case .fifo(let priority): standardError.write("cadence: playback thread runs SCHED_FIFO, priority \(priority)\n")
    case .normal(let reason):
      standardError.write(
        "cadence: playback thread runs without real-time priority (\(reason)); a busy machine may cause xruns, a larger --latency helps\n"
      )
    }
  }
  return player
}

/// "cadence: the playback thread woke 566 times for 282 periods (2.0 a period)": how often the
/// loop waited on the device, which a plugin that misreports readiness would inflate.
func wakeupLine(_ summary: PlaybackSummary, player: Player<PCM>) -> String {
  let periods = max(1, summary.framesWritten / Int64(max(1, player.configuration.periodFrames)))
  let ratio = Double(summary.wakeups) / Double(periods)
  return "cadence: the playback thread woke \(summary.wakeups) times for \(periods) periods "
    + "(\(format(ratio, 1)) a period)"
}

extension Play {
  /// Stores what was played (and the check-in, if the runner gives one).
  func saveRun(
    _ db: History.AppDatabase, began: Date, summary: PlaybackSummary, sampleRate: Double, finalSPM: Double,
    startSPM: Double
  ) throws(CLIError) {
    let seconds = Double(summary.framesPlayed) / sampleRate
    let planned = minutes.map { Int64(($0 * 60 * sampleRate).rounded()) }
    let interrupted = summary.error != nil || (planned.map { summary.framesPlayed < $0 } ?? false)
    let answers = CheckInPrompt().run()
    var run = RunRecord(
      date: began, source: .play, targetSPM: finalSPM, durationSeconds: seconds,
      completedAtTarget: answers?.completedAtTarget ?? !interrupted, interrupted: interrupted, effort: answers?.effort,
      backPain: answers?.backPain, warningSigns: answers?.warningSigns ?? [],
      notes: finalSPM != startSPM ? "started at \(Cadence.format(startSPM)) spm" : nil)
    run.distanceMeters = answers?.distanceMeters
    let plan = try history(db.activePlan())
    let before = try plan.map { (p) throws(CLIError) in try PlanReport(plan: p, db: db, now: currentDate()) }
    let previous = try history(db.runs()).last { $0.date < began }?.date
    _ = try history(db.addRun(run))
    say(describe(run))
    if !run.signs.isEmpty { say(warningAdvice(run.signs)) }
    if let plan {
      say(try planChange(from: before, to: PlanReport(plan: plan, db: db, now: currentDate()), previous: previous))
    }
  }
}

/// The control thread's loop while a player runs: wakes on a stop signal, the player ending,
/// a key (on a terminal, in raw mode) or every 100 ms to `tick`; then stops the player and
/// returns its summary.
func runControlLoop(player: Player<PCM>, interactive: Bool, onKey: (Key) -> LiveControl.Reaction, tick: () -> Void)
  -> PlaybackSummary
{
  let terminal = interactive ? RawTerminal() : nil
  defer { terminal?.restore() }
  var decoder = KeyDecoder()
  var fds = [
    pollfd(fd: StopSignals.readFD, events: Int16(POLLIN), revents: 0),
    pollfd(fd: player.finishedFD, events: Int16(POLLIN), revents: 0),
    pollfd(fd: interactive ? 0 : -1, events: Int16(POLLIN), revents: 0),
  ]
  var input = [UInt8](repeating: 0, count: 64)
  loop: while true {
    _ = poll(&fds, nfds_t(fds.count), 100)
    if fds[0].revents != 0 || fds[1].revents != 0 { break }
    if fds[2].revents != 0 {
      let n = read(0, &input, input.count)
      if n <= 0 {
        fds[2].fd = -1
      } else {
        for key in decoder.feed(input[0..<n]) where onKey(key) == .stop { break loop }
      }
    }
    tick()
  }
  player.stop()
  return player.wait()
}

/// The control side of live playback: keys, status line, stop requests, and the tally of
/// what was played. Runs on the main thread; talks to the render thread only through the
/// engine's rings.
final class LiveControl {
  let engine: ClickEngine
  let player: Player<PCM>
  let interactive: Bool
  private(set) var cadence: Double
  private(set) var paused = false
  private var clicks = 0
  /// Click frames not yet known to be heard: the device may drop them at stop.
  private var recentClicks: [Int64] = []
  private var lastClickFrame: Int64 = -1
  private var nextPlainLine: Int64
  private let offsetFrames: Int64

  init(engine: ClickEngine, player: Player<PCM>, cadence: Double, interactive: Bool, offsetFrames: Int64 = 0) {
    self.engine = engine
    self.player = player
    self.cadence = cadence
    self.interactive = interactive
    self.offsetFrames = offsetFrames
    nextPlainLine = Int64(engine.sampleRate * 60)
  }

  var sampleRate: Double { engine.sampleRate }

  /// The frame the listener hears now: what the device reports as played (its delay, a
  /// sound server's and a Bluetooth headset's included where reported), less `--offset`.
  private var heardFrames: Int64 { max(0, player.framesHeard - offsetFrames) }

  func run(header: String) -> PlaybackSummary {
    if interactive {
      say("\(header). keys: up/down ±1, PgUp/PgDn ±5, space pause, q quit")
    } else {
      say("\(header) (\(player.configuration))")
    }
    let summary = runControlLoop(player: player, interactive: interactive, onKey: { self.handle($0) }) {
      self.drainEvents()
      if self.interactive { self.drawStatus() } else { self.printPlainLineIfDue() }
    }
    drainEvents()
    if interactive { standardError.write("\r\u{1B}[2K") }
    clicks -= recentClicks.filter { $0 >= summary.framesPlayed }.count
    return summary
  }

  enum Reaction { case carryOn, stop }

  func handle(_ key: Key) -> Reaction {
    if let step = key.cadenceStep {
      if let next = nudged(cadence, by: step) {
        cadence = next
        engine.commands.push(TimedCommand(.setCadence(next)))
      }
      return .carryOn
    }
    switch key {
    case .space:
      paused.toggle()
      engine.commands.push(TimedCommand(paused ? .pause : .resume))
    case .quit: return .stop
    default: break
    }
    return .carryOn
  }

  private func drainEvents() {
    while let event = engine.events.pop() {
      guard event.isAudibleStep else { continue }
      clicks += 1
      lastClickFrame = event.frame
      recentClicks.append(event.frame)
    }
    let heard = heardFrames
    recentClicks.removeAll { $0 < heard }
  }

  private func drawStatus() {
    let heard = heardFrames
    let onBeat = lastClickFrame >= 0 && heard - lastClickFrame < Int64(sampleRate * 0.15) && heard >= lastClickFrame
    let beat = paused ? "‖" : (onBeat ? "●" : "○")
    let state = paused ? "  paused" : ""
    let line =
      "\r\u{1B}[2K \(beat) \(Cadence.format(cadence)) spm  \(clock(Double(heard) / sampleRate))  \(clicks) clicks\(state)"
    standardError.write(line)
  }

  private func printPlainLineIfDue() {
    let heard = heardFrames
    guard heard >= nextPlainLine else { return }
    nextPlainLine += Int64(sampleRate * 60)
    say("\(clock(Double(heard) / sampleRate))  \(Cadence.format(cadence)) spm  \(clicks) clicks")
  }

  func summaryLine(_ summary: PlaybackSummary) -> String {
    let seconds = Double(summary.framesPlayed) / sampleRate
    return "played \(clock(seconds)) (\(summary.framesPlayed) frames), \(clicks) clicks, \(summary.xruns) xruns"
  }
}
