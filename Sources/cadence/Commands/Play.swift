import ALSA
import ArgumentParser
import CadenceCore
import ClickEngine
import Foundation
import Glibc
import History
import Playback

struct DeviceOptions: ParsableArguments {
  @Option(help: ArgumentHelp("ALSA PCM to play through (see `cadence devices`).", valueName: "name"))
  var device = "default"

  @Option(
    help: ArgumentHelp(
      "Output buffer in milliseconds (2 to 500); lower reacts faster, higher survives a busy machine.", valueName: "ms")
  )
  var latency: Double = 10

  @Flag(
    help: "Say what the device agreed to, whether real-time priority was granted, and show libasound's own messages.")
  var verbose = false

  func validate() throws {
    guard latency.isFinite, (2...500).contains(latency) else {
      throw ValidationError("--latency must be from 2 to 500 milliseconds; got \(latency)")
    }
  }

  /// Opens and configures the device, with errors that name it and what to try.
  func open() throws(CLIError) -> PCM {
    ALSAErrorOutput.silent = !verbose
    let pcm: PCM
    do {
      pcm = try PCM(name: device)
    } catch {
      throw .device(device, error, doing: "open")
    }
    var request = PCMRequest()
    request.latencyMicroseconds = Int(latency * 1000)
    do {
      try pcm.configure(request)
    } catch {
      throw .device(device, error, doing: "configure")
    }
    return pcm
  }
}

struct Play: ParsableCommand {
  static let configuration = CommandConfiguration(
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
  @OptionGroup var deviceOptions: DeviceOptions

  @Flag(
    help: "Save the run to your history, with a check-in (effort, back pain, warning signs) read from standard input.")
  var log = false

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
    // Open the history first: a damaged database is reported before the run, not after it.
    let db = log ? try storage.open() : nil
    let began = currentDate()
    let pcm = try deviceOptions.open()
    let config = pcm.configuration!
    let sampleRate = Double(config.sampleRate)
    let sound = try SoundLibrary.load(click.sound, sampleRate: sampleRate) { standardError.write($0 + "\n") }
    let engine = ClickEngine(
      sampleRate: sampleRate, sound: sound,
      settings: ClickSettings(spm: start.spm, every: click.every, accentEvery: click.accent, gain: click.gain))
    if let ramp = try click.ramp() {
      engine.commands.push(
        TimedCommand(at: 0, .ramp(to: ramp.cadence.spm, frames: Int64((ramp.minutes * 60 * sampleRate).rounded()))))
    }
    let limit = minutes.map { Int64(($0 * 60 * sampleRate).rounded()) }
    let player: Player<PCM>
    do {
      player = try Player(engine: engine, output: pcm, frameLimit: limit)
    } catch {
      throw CLIError.device(deviceOptions.device, error, doing: "start")
    }
    StopSignals.install()
    let live = LiveControl(engine: engine, player: player, cadence: start.spm, interactive: isInteractive())
    if deviceOptions.verbose {
      standardError.write("cadence: \(deviceOptions.device): \(config)\n")
      standardError.write("cadence: sound '\(sound.name)', \(sound.normal.count) frames\n")
    }
    do {
      try player.start()
    } catch {
      throw CLIError.device(deviceOptions.device, error, doing: "start")
    }
    if deviceOptions.verbose {
      switch player.realtime {
      case .fifo(let priority): standardError.write("cadence: playback thread runs SCHED_FIFO, priority \(priority)\n")
      case .normal(let reason):
        standardError.write(
          "cadence: playback thread runs without real-time priority (\(reason)); a busy machine may cause xruns, a larger --latency helps\n"
        )
      }
    }
    let summary = live.run(header: "playing \(start) spm on '\(deviceOptions.device)'")
    say(live.summaryLine(summary))
    if let db {
      try saveRun(
        db, began: began, summary: summary, sampleRate: sampleRate, finalSPM: live.cadence, startSPM: start.spm)
    }
    if let error = summary.error {
      throw CLIError(
        message: "playback on '\(deviceOptions.device)' stopped: \(error)",
        hint: "check the device is still connected, or pick another with --device",
        code: .ioError)
    }
  }
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

/// The control side of live playback: keys, status line, stop requests, and the tally of
/// what was played. Runs on the main thread; talks to the render thread only through the
/// engine's rings.
final class LiveControl {
  let engine: ClickEngine
  let player: Player<PCM>
  let interactive: Bool
  private(set) var cadence: Double
  private(set) var paused = false
  private var decoder = KeyDecoder()
  private var clicks = 0
  /// Click frames not yet known to be heard: the device may drop them at stop.
  private var recentClicks: [Int64] = []
  private var lastClickFrame: Int64 = -1
  private var nextPlainLine: Int64

  init(engine: ClickEngine, player: Player<PCM>, cadence: Double, interactive: Bool) {
    self.engine = engine
    self.player = player
    self.cadence = cadence
    self.interactive = interactive
    nextPlainLine = Int64(engine.sampleRate * 60)
  }

  var sampleRate: Double { engine.sampleRate }

  /// Frames the listener has heard by now, give or take the device buffer.
  private var heardFrames: Int64 {
    max(0, engine.framesRendered - Int64(player.configuration.bufferFrames))
  }

  func run(header: String) -> PlaybackSummary {
    let terminal = interactive ? RawTerminal() : nil
    defer { terminal?.restore() }
    if interactive {
      say("\(header). keys: up/down ±1, PgUp/PgDn ±5, space pause, q quit")
    } else {
      say("\(header) (\(player.configuration))")
    }
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
          for key in decoder.feed(input[0..<n]) where handle(key) == .stop { break loop }
        }
      }
      drainEvents()
      if interactive { drawStatus() } else { printPlainLineIfDue() }
    }
    player.stop()
    let summary = player.wait()
    drainEvents()
    if interactive { standardError.write("\r\u{1B}[2K") }
    clicks -= recentClicks.filter { $0 >= summary.framesPlayed }.count
    return summary
  }

  enum Reaction { case carryOn, stop }

  func handle(_ key: Key) -> Reaction {
    switch key {
    case .up: change(by: 1)
    case .down: change(by: -1)
    case .pageUp: change(by: 5)
    case .pageDown: change(by: -5)
    case .space:
      paused.toggle()
      engine.commands.push(TimedCommand(paused ? .pause : .resume))
    case .quit: return .stop
    case .character: break
    }
    return .carryOn
  }

  private func change(by delta: Double) {
    let next = min(max(cadence + delta, Cadence.playable.lowerBound), Cadence.playable.upperBound)
    guard next != cadence else { return }
    cadence = next
    engine.commands.push(TimedCommand(.setCadence(next)))
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
