import CadenceCore
import ClickEngine
import Sensors

/// One foot-pod packet as the sensor thread passes it on: when it came (seconds on the run's
/// monotonic clock) and its RSC fields; `unreadable` for a packet the parser refused.
public struct PodPacket: BitwiseCopyable, Sendable {
  public var seconds: Double
  public var raw: Int
  public var metersPerSecond: Double
  public var running: Bool
  public var unreadable: Bool

  public init(seconds: Double, measurement: RSCMeasurement?) {
    self.seconds = seconds
    raw = measurement?.raw ?? 0
    metersPerSecond = measurement?.metersPerSecond ?? 0
    running = measurement?.running ?? false
    unreadable = measurement == nil
  }

  var measurement: RSCMeasurement? {
    unreadable ? nil : RSCMeasurement(metersPerSecond: metersPerSecond, raw: raw, running: running)
  }
}

/// The foot-pod side of a run: packets from the sensor thread (through a lock-free ring, never
/// the playback thread), the cadence sensed now (settled over the last `windowSeconds`, never
/// one packet), and each minute's, with the pod's speed. The reading (steps or strides) is the
/// one the run's packets decide, or the runner's.
public final class Sensing {
  public let packets: SPSCRing<PodPacket>
  public let name: String
  private let given: StepOrStride?
  /// [product choice] The cadence shown is settled over this many seconds of packets.
  public static let windowSeconds = 10.0
  private var recent: [(seconds: Double, packet: RSCMeasurement)] = []
  private var minute: SensedCadence
  private var minuteIndex = 0
  private var minuteSpeeds: [Double] = []
  private var whole: SensedCadence
  public private(set) var perMinute: [HeardMinute] = []
  /// The cadence sensed over the last window, in steps per minute; nil until settled.
  public private(set) var current: Double?

  /// The clock the sensor thread stamps packets with, and the run reads to place them.
  public let clock: @Sendable () -> Double

  public init(
    name: String, given: StepOrStride? = nil, capacity: Int = 1024,
    clock: @escaping @Sendable () -> Double = { MonotonicClock().now() }
  ) {
    self.clock = clock
    self.name = name
    self.given = given
    packets = SPSCRing(capacity: capacity)
    minute = SensedCadence(given: given)
    whole = SensedCadence(given: given)
  }

  /// Takes the packets that came; `runSeconds(at:)` places a packet's arrival in the run
  /// (paused time left out by the caller's clock). Reports each minute completed.
  public func update(now: Double, runSeconds: (Double) -> Double, _ minuteDone: (HeardMinute) -> Void) {
    while let packet = packets.pop() {
      let at = runSeconds(packet.seconds)
      let index = max(0, Int(at / 60))
      while index > minuteIndex { closeMinute(minuteDone) }
      guard let measurement = packet.measurement else {
        minute.add(packet: [])
        continue
      }
      minute.add(measurement)
      whole.add(measurement)
      if measurement.running && measurement.metersPerSecond > 0 { minuteSpeeds.append(measurement.metersPerSecond) }
      recent.append((at, measurement))
    }
    recent.removeAll { now - $0.seconds > Self.windowSeconds }
    var window = SensedCadence(given: given ?? (whole.packetsKept >= SensedCadence.fewestPackets ? whole.reading : nil))
    for (_, packet) in recent { window.add(packet) }
    current = window.stepsPerMinute
    let nowIndex = max(0, Int(now / 60))
    while nowIndex > minuteIndex { closeMinute(minuteDone) }
  }

  /// The minute in progress at the end, if it holds a settled cadence.
  public func finish(_ minuteDone: (HeardMinute) -> Void) { closeMinute(minuteDone) }

  private func closeMinute(_ minuteDone: (HeardMinute) -> Void) {
    var settled = minute
    if given == nil && whole.packetsKept >= SensedCadence.fewestPackets { settled.given = whole.reading }
    if let spm = settled.stepsPerMinute {
      let speed = minuteSpeeds.isEmpty ? nil : minuteSpeeds.reduce(0, +) / Double(minuteSpeeds.count)
      let entry = HeardMinute(
        minute: minuteIndex, spm: (spm * 10).rounded() / 10, source: "sensor",
        metersPerSecond: speed.map { ($0 * 100).rounded() / 100 })
      perMinute.append(entry)
      minuteDone(entry)
    }
    minuteIndex += 1
    minute = SensedCadence(given: given)
    minuteSpeeds = []
  }
}
