import ArgumentParser
import CadenceCore
import Coach
import Foundation
import History
import Sensors

struct Measure: ContextCommand {
  static let configuration = CommandConfiguration(
    commandName: "measure",
    abstract: "Record your measured cadence (count your steps for a minute, read your watch, or a foot pod).",
    discussion: """
      With --sensor, run at your usual speed while a Bluetooth foot pod is read for --seconds \
      (default 60): its cadence is settled over the whole time (never one packet), whether it \
      counts steps or strides is decided from its own speed (or given with --counts), and \
      packets that cannot be a runner's (walking, 0, 255, a jump of more than 60 spm) are \
      left out and counted.
      """)

  @Argument(
    help: ArgumentHelp("Your cadence in steps per minute, 100 to 240.", valueName: "cadence"), transform: cadenceValue)
  var cadence: Cadence?

  @Option(
    help: ArgumentHelp("Measure from this foot pod (an address cadence sensors lists).", valueName: "address"),
    completion: Completions.sensorAddress)
  var sensor: String?

  @Option(
    help: ArgumentHelp("How long to read the foot pod, 10 to 600 seconds (default 60).", valueName: "seconds"),
    transform: decimal)
  var seconds: Double = 60

  @Option(
    help: ArgumentHelp(
      "What the foot pod counts when its speed cannot tell: steps or strides (one foot).", valueName: "steps|strides"))
  var counts: String?

  @Option(help: ArgumentHelp("When: 2026-11-20 or 2026-11-20T07:30 (default: now).", valueName: "date"))
  var date: String?

  @Flag(help: "Print what was stored as JSON (for scripts), with the plan as it now stands.")
  var json = false

  @OptionGroup var storage: StorageOptions

  func validate() throws {
    try validateDate(date)
    if (cadence == nil) == (sensor == nil) {
      throw ValidationError("give your cadence (cadence measure 165) or a foot pod (--sensor ADDRESS), one of them")
    }
    guard seconds.isFinite, (10...600).contains(seconds) else {
      throw ValidationError("--seconds must be from 10 to 600; got \(seconds)")
    }
    if let counts, counts != "steps" && counts != "strides" {
      throw ValidationError("--counts must be steps or strides; got '\(counts)'")
    }
  }

  func run(in context: CommandContext) throws {
    let when = try context.recordedDate(date)
    let speak = context.speaker(json: json)
    let measurement: MeasurementRecord
    var lines: [String]
    if let sensor {
      (measurement, lines) = try measure(sensor, at: when, in: context)
    } else {
      let spm = cadence?.spm ?? 0
      measurement = MeasurementRecord(date: when, spm: spm, method: "manual")
      lines = ["measured \(Cadence.format(spm)) spm on \(dayString(when))"]
    }
    let recorded = try context.ledger(storage).record([measurement])
    for line in lines + [recorded.nextLine] { speak(line) }
    if json {
      context.say(Coach.json(RecordedJSON<String>(measurements: recorded.rows, details: nil, plan: recorded.after)))
    }
  }

  /// Reads the foot pod for `seconds`; the measurement and how it was read.
  private func measure(_ asked: String, at when: Date, in context: CommandContext) throws -> (
    MeasurementRecord, [String]
  ) {
    context.note("cadence: reading \(asked) for \(Int(seconds)) s: run at your usual speed")
    var sensed = SensedCadence(given: counts.map { $0 == "steps" ? .steps : .strides })
    let (losses, address) = try SensorWords.using { () throws(SensorError) in
      try BlueZ().listen(address: asked, seconds: seconds, into: &sensed)
    }
    guard let spm = sensed.stepsPerMinute, let raw = sensed.rawMedian else {
      throw UserError(
        message: "\(address) sent \(sensed.packetsKept) packets of running cadence in \(Int(seconds)) s; "
          + "at least \(SensedCadence.fewestPackets) are needed (left out: \(leftOut(sensed)))",
        hint: "run at your usual speed for the whole time, with the pod on your shoe", code: .dataError)
    }
    guard Cadence.playable.contains(spm) else {
      throw UserError(
        message: "\(address) gave \(Cadence.format(spm)) spm, outside 100-240: not a running cadence",
        hint: "if it counts the other way, give --counts \(sensed.reading == .steps ? "strides" : "steps")",
        code: .dataError)
    }
    let how =
      sensed.reading == .steps
      ? "raw \(Cadence.format(raw)) steps" : "raw \(Cadence.format(raw)) per foot -> \(Cadence.format(spm)) spm"
    let why =
      counts != nil ? "as --counts says" : sensed.readingFromSpeed ? "by the pod's speed" : "the pods' usual way"
    var lines = [
      "measured \(Cadence.format(spm)) spm on \(dayString(when)) from \(address): \(how) (\(why)), "
        + "\(sensed.packetsKept) packets"
    ]
    let left = leftOut(sensed)
    if left != "none" { lines.append("Left out: \(left).") }
    if losses > 0 { lines.append("The pod's link was lost \(losses) time\(losses == 1 ? "" : "s") and came back.") }
    let record = MeasurementRecord(
      date: when, spm: spm, method: "sensor", details: "\(address): \(how), \(sensed.packetsKept) packets")
    return (record, lines)
  }

  private func leftOut(_ sensed: SensedCadence) -> String {
    let parts = [
      (sensed.notRunning, "walking or standing"), (sensed.noCadence, "no cadence"), (sensed.jumps, "jumps"),
      (sensed.unreadable, "unreadable"),
    ].filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
    return parts.isEmpty ? "none" : parts.joined(separator: ", ")
  }
}
