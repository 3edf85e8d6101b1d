import ArgumentParser
import CadenceCore
import Coach
import Foundation
import Glibc
import History
import LiveRun

struct Tap: ContextCommand {
  static let configuration = CommandConfiguration(
    commandName: "tap",
    abstract: "Measure your cadence by tapping a key on every step while you run.",
    discussion: """
      Run at your usual treadmill speed and tap any key on every step (or, with --foot, on every \
      step of one foot) for about 20-30 seconds; q stops early. Off a terminal, give the tap \
      times in seconds on standard input, one or more per line. The result is stored as a \
      measurement (the default --current of `cadence plan`).
      """)

  @Flag(help: "The taps mark every step of one foot: each counts two steps.")
  var foot = false

  @Option(
    help: ArgumentHelp("How long to tap, 10 to 120 seconds (default 25).", valueName: "seconds"), transform: decimal)
  var seconds: Double = 25

  @Flag(help: "Print what was stored as JSON (for scripts): the measurement, the tap analysis, the plan.")
  var json = false

  @OptionGroup var storage: StorageOptions

  func validate() throws {
    guard seconds.isFinite, (10...120).contains(seconds) else {
      throw ValidationError("--seconds must be from 10 to 120; got \(seconds)")
    }
  }

  func run(in context: CommandContext) throws {
    let speak = context.speaker(json: json)
    let ledger = try context.ledger(storage)
    let times = context.inputIsTerminal ? liveTaps(in: context) : try readTimes(in: context)
    let result: TapAnalysis.Result
    do {
      result = try TapAnalysis.analyze(times, perFoot: foot)
    } catch {
      throw UserError(
        message: Self.explain(error) + "; nothing was stored", hint: "tap steadily on every step for 20-30 seconds",
        code: .dataError)
    }
    let summary = Self.describe(result, perFoot: foot)
    let recorded = try ledger.record([
      MeasurementRecord(date: ledger.now, spm: (result.spm * 10).rounded() / 10, method: "tap", details: summary)
    ])
    for line in [summary] + [recorded.nextLine] { speak(line) }
    if json {
      context.say(Coach.json(RecordedJSON(measurements: recorded.rows, details: result, plan: recorded.after)))
    }
  }

  static func describe(_ r: TapAnalysis.Result, perFoot: Bool) -> String {
    var text =
      "cadence \(format(r.spm, 1)) spm (95% interval \(format(r.low, 1))-\(format(r.high, 1))) from \(r.steps) steps over \(format(r.seconds, 1)) s"
    var notes: [String] = []
    if r.missedTaps > 0 {
      notes.append("\(r.missedTaps) missed tap\(r.missedTaps == 1 ? "" : "s") filled in (an interval twice the usual)")
    }
    if r.doubleTaps > 0 {
      notes.append("\(r.doubleTaps) double tap\(r.doubleTaps == 1 ? "" : "s") dropped (too close to the one before)")
    }
    if r.outliers > 0 { notes.append("\(r.outliers) interval\(r.outliers == 1 ? "" : "s") discarded as out of rhythm") }
    if perFoot { notes.append("one foot tapped: each tap counts two steps") }
    if !notes.isEmpty { text += "; " + notes.joined(separator: "; ") }
    return text
  }

  static func explain(_ failure: TapAnalysis.Failure) -> String {
    switch failure {
    case .tooFewTaps(let n):
      "too few taps to measure: \(n) good intervals, at least \(TapAnalysis.minimumIntervals) are needed"
    case .irregular(let p): "the taps are too irregular to be a running rhythm (they vary by \(p)%)"
    case .tooManyDiscarded(let d, let of): "\(d) of \(of) taps were out of rhythm"
    case .outOfRange(let spm): "the taps give \(format(spm, 0)) spm, outside 100-240"
    }
  }

  /// Tap times from standard input: seconds, separated by spaces or lines.
  private func readTimes(in context: CommandContext) throws -> [Double] {
    var times: [Double] = []
    var line = 0
    while let text = context.input.next() {
      line += 1
      if line > 1_000_000 {
        throw UserError(
          message: "more than 1000000 lines of tap times; nothing was stored", hint: "20-30 seconds of taps is enough",
          code: .dataError)
      }
      for token in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }) {
        // Seconds from any origin, epoch seconds (`date +%s.%N`) included: ±1e10 keeps every
        // difference exact to the microsecond, and the analysis takes only step-sized gaps.
        guard let t = parseDecimal(token), abs(t) <= 1e10 else {
          throw UserError(
            message:
              "line \(line) of the tap times: '\(token)' is not a time in seconds within ±1e10; nothing was stored",
            hint: "give seconds like 0.35, in order", code: .dataError)
        }
        if let last = times.last, t < last {
          throw UserError(
            message: "line \(line) of the tap times: \(token) comes before \(format(last, 3)); nothing was stored",
            hint: "give the times in order", code: .dataError)
        }
        times.append(t)
        if times.count > 100_000 {
          throw UserError(
            message: "more than 100000 tap times; nothing was stored", hint: "20-30 seconds of taps is enough",
            code: .dataError)
        }
      }
    }
    if context.input.overlong {
      throw UserError(
        message: "line \(line + 1) of the tap times is longer than 1 MiB; nothing was stored",
        hint: "give one time per line, or at most 100000 times in all", code: .dataError)
    }
    return times
  }

  /// Taps on the terminal: any key but q, timed on arrival.
  private func liveTaps(in context: CommandContext) -> [Double] {
    context.say(
      "Run at your usual speed, then tap any key on every \(foot ? "step of one foot" : "step") for \(format(seconds, 0)) seconds (q stops)."
    )
    StopSignals.install()
    let terminal = RawTerminal()
    defer { terminal?.restore() }
    let clock = context.clock
    var times: [Double] = []
    var byte = [UInt8](repeating: 0, count: 16)
    while true {
      if let first = times.first, clock.now() - first >= seconds { break }
      let woken = waitForWork(keys: true, timeout: 0.1)
      if woken.stop { break }
      guard woken.keys else { continue }
      let t = clock.now()
      guard let typed = readKeys(&byte), typed.first != UInt8(ascii: "q") else { break }
      times.append(t)
      context.errors.write("\r\u{1B}[2K \(times.count) taps, \(format(t - times[0], 1)) s")
    }
    context.errors.write("\r\u{1B}[2K")
    return times
  }
}
