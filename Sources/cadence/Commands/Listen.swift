import ArgumentParser
import CadenceCore
import Coach
import Foundation
import Glibc
import History
import Listening
import LiveRun
import Playback

/// `--input NAME`: the capture PCM that hears the treadmill.
struct InputOptions: ParsableArguments {
  @Option(help: ArgumentHelp("ALSA capture PCM of the microphone (default: 'default').", valueName: "name"))
  var input = "default"

  /// A listener on the microphone for `seconds` of the run.
  func listener(seconds: Double) throws -> Listener {
    do {
      return try Microphone.listener(on: input, seconds: seconds)
    } catch {
      throw words(error)
    }
  }

  func start(_ listener: Listener) throws {
    do {
      try Microphone.start(listener)
    } catch {
      throw words(error)
    }
  }

  private func words(_ failure: DeviceFailure) -> UserError {
    switch failure.stage {
    case .open, .configure:
      UserError(
        message: "cannot open the ALSA capture device '\(input)': \(failure.error)",
        hint: "pick the microphone with --input NAME (arecord -L lists them)", code: .unavailable)
    case .start:
      UserError(
        message: "cannot listen on '\(input)': \(failure.error)", hint: "pick another --input", code: .unavailable)
    }
  }
}

struct Listen: ContextCommand {
  static let configuration = CommandConfiguration(
    commandName: "listen",
    abstract: "Hear your footfalls on the treadmill through a microphone and measure your cadence.",
    discussion: """
      Put the microphone near the treadmill deck, away from any speakers. cadence finds the \
      footfalls (low thumps), sets aside steady beats that are not a runner (music, a belt \
      seam, a metronome), shows your cadence every second once it has 15 seconds of steady \
      steps that agree with the seconds before, and stores the result as a measurement. When \
      it cannot tell your steps apart it says what it heard and stores nothing: a wrong \
      cadence would move your plan. Ctrl-C stops early.
      """)

  @Option(
    help: ArgumentHelp("How long to listen, 10 to 600 seconds (default 30).", valueName: "seconds"), transform: decimal)
  var seconds: Double = 30

  @Flag(help: "Print what was stored as JSON (for scripts), with the plan; the progress lines go to standard error.")
  var json = false

  @OptionGroup var inputOptions: InputOptions
  @OptionGroup var storage: StorageOptions

  func validate() throws {
    guard seconds.isFinite, (10...600).contains(seconds) else {
      throw ValidationError("--seconds must be from 10 to 600; got \(seconds)")
    }
  }

  func run(in context: CommandContext) throws {
    let speak = context.speaker(json: json)
    let ledger = try context.ledger(storage)
    let listener = try inputOptions.listener(seconds: seconds)
    let rate = Double(listener.configuration.sampleRate)
    StopSignals.install()
    try inputOptions.start(listener)
    speak("listening on '\(inputOptions.input)' for \(format(seconds, 0)) s: run as usual")
    var estimator = CadenceEstimator(sampleRate: rate)
    var steps = 0
    var nextLine = Int64(rate)
    var lastReason: String?
    func drain() {
      var frames: [Int64] = []
      while let f = listener.steps.pop() { frames.append(f) }
      steps += frames.count
      estimator.add(frames)
    }
    while !listener.isFinished {
      if waitForWork(keys: false, timeout: 0.2).stop { break }
      drain()
      let now = listener.framesCaptured
      while now >= nextLine {
        // Once a window is full: the cadence each second, or why there is none when that changes.
        if nextLine >= Int64(CadenceEstimator.windowSeconds * rate) {
          switch estimator.settled(at: nextLine) {
          case .cadence(let spm):
            speak("\(clock(Double(nextLine) / rate))  \(format(spm, 1)) spm")
            lastReason = nil
          case .unsure(let why) where why.description != lastReason:
            speak("\(clock(Double(nextLine) / rate))  no cadence: \(why.description)")
            lastReason = why.description
          case .unsure: break
          }
        }
        nextLine += Int64(rate)
      }
    }
    listener.stop()
    let failure = listener.wait()
    drain()
    let end = listener.framesCaptured
    let spm: Double
    switch estimator.settled(at: end) {
    case .cadence(let heard): spm = heard
    case .unsure(let why):
      throw UserError(
        message:
          "heard \(steps) footfalls in \(format(Double(end) / rate, 1)) s but no cadence to store: \(why.description); nothing was stored",
        hint: why.advice, code: .dataError)
    }
    let details = "\(steps) footfalls in \(format(Double(end) / rate, 1)) s on '\(inputOptions.input)'"
    let recorded = try ledger.record([
      MeasurementRecord(date: ledger.now, spm: (spm * 10).rounded() / 10, method: "listen", details: details)
    ])
    for line in ["cadence \(format(spm, 1)) spm (\(details))"] + [recorded.nextLine] {
      speak(line)
    }
    if json {
      context.say(Coach.json(RecordedJSON<String>(measurements: recorded.rows, details: nil, plan: recorded.after)))
    }
    if let failure { context.errors.write("cadence: listening stopped early: \(failure)\n") }
  }
}
