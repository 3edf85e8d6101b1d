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

/// One Treadmill Data packet as the sensor thread passes it on: when it came, the belt's speed
/// and total distance where the packet had them (negative where not), `unreadable` for one the
/// parser refused.
public struct BeltPacket: BitwiseCopyable, Sendable {
  public var seconds: Double
  public var metersPerSecond: Double
  public var totalMeters: Double
  public var unreadable: Bool

  public init(seconds: Double, data: TreadmillData?) {
    self.seconds = seconds
    metersPerSecond = data?.metersPerSecond ?? -1
    totalMeters = data?.totalDistance ?? -1
    unreadable = data == nil
  }
}

/// The foot-pod side of a run: packets from the sensor thread (through a lock-free ring, never
/// the playback thread), the cadence sensed now (settled over the last `windowSeconds`, never
/// one packet), and each minute's, with the pod's speed. The reading (steps or strides) is the
/// one the run's packets decide, or the runner's.
public final class Sensing {
  public let packets: SPSCRing<PodPacket>
  /// A treadmill's packets, from its own sensor thread.
  public let belt: SPSCRing<BeltPacket>
  public let name: String
  /// The treadmill's address, once one is read.
  public var treadmillName: String?
  /// [product choice] No treadmill's belt runs faster than this (30 km/h); a faster figure is
  /// a broken packet.
  public static let fastestBelt = 30 / 3.6
  private var beltSpeeds: [Double] = []
  /// The belt's total distance at the start of the minute in progress, and last read.
  private var beltMinuteStart: Double?
  private var beltLast: Double?
  /// The distance the belt ran during the run (a counter that went back is added to, not
  /// subtracted from).
  public private(set) var beltMeters: Double?
  /// The belt's speed in its last packet that had one, m/s.
  public private(set) var beltSpeed: Double?
  /// Treadmill packets left out: unreadable, or a speed no belt runs at.
  public private(set) var beltRefused = 0
  /// [product choice] A foot pod that sends nothing for this long has gone quiet (a lost link,
  /// a flat battery): pods send 1-4 packets a second.
  public static let quietSeconds = 5.0
  /// When the pod's last packet came (run seconds).
  private var lastPod: Double?
  /// The stretches the pod sent nothing, in run seconds; the last one open while it still does.
  public private(set) var podGaps: [(from: Double, to: Double?)] = []
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
    belt = SPSCRing(capacity: capacity)
    minute = SensedCadence(given: given)
    whole = SensedCadence(given: given)
  }

  /// Takes the packets that came; `runSeconds(at:)` places a packet's arrival in the run
  /// (paused time left out by the caller's clock). Reports each minute completed.
  public func update(now: Double, runSeconds: (Double) -> Double, _ minuteDone: (HeardMinute) -> Void) {
    // The pod's and the treadmill's packets, in the order they came.
    var came: [(at: Double, pod: PodPacket?, belt: BeltPacket?)] = []
    while let packet = packets.pop() { came.append((runSeconds(packet.seconds), packet, nil)) }
    while let packet = belt.pop() { came.append((runSeconds(packet.seconds), nil, packet)) }
    came.sort { $0.at < $1.at }
    for (at, pod, beltPacket) in came {
      let index = max(0, Int(at / 60))
      while index > minuteIndex { closeMinute(minuteDone) }
      if let beltPacket { take(beltPacket) }
      guard let packet = pod else { continue }
      notePod(at: at)
      guard let measurement = packet.measurement else {
        minute.add(packet: [])
        continue
      }
      minute.add(measurement)
      whole.add(measurement)
      if measurement.running && measurement.metersPerSecond > 0 { minuteSpeeds.append(measurement.metersPerSecond) }
      recent.append((at, measurement))
    }
    if let last = lastPod, now - last > Self.quietSeconds, podGaps.last.map({ $0.to != nil }) ?? true {
      podGaps.append((last, nil))
    }
    recent.removeAll { now - $0.seconds > Self.windowSeconds }
    var window = SensedCadence(given: given ?? (whole.packetsKept >= SensedCadence.fewestPackets ? whole.reading : nil))
    for (_, packet) in recent { window.add(packet) }
    current = window.stepsPerMinute
    let nowIndex = max(0, Int(now / 60))
    while nowIndex > minuteIndex { closeMinute(minuteDone) }
  }

  /// A pod packet at `at`: a stretch it was quiet for ends here.
  private func notePod(at: Double) {
    if let open = podGaps.indices.last, podGaps[open].to == nil {
      podGaps[open].to = at
    } else if let last = lastPod, at - last > Self.quietSeconds {
      podGaps.append((last, at))
    }
    lastPod = max(lastPod ?? at, at)
  }

  /// Since when the pod has sent nothing, while it still does.
  public var quietSince: Double? { podGaps.last.flatMap { $0.to == nil ? $0.from : nil } }

  /// A treadmill packet: its speed towards the minute's, its distance towards the run's.
  private func take(_ packet: BeltPacket) {
    guard !packet.unreadable, packet.metersPerSecond <= Self.fastestBelt, packet.metersPerSecond.isFinite,
      packet.totalMeters.isFinite
    else {
      beltRefused += 1
      return
    }
    if packet.metersPerSecond >= 0 {
      beltSpeed = packet.metersPerSecond
      if packet.metersPerSecond > 0 { beltSpeeds.append(packet.metersPerSecond) }
    }
    guard packet.totalMeters >= 0 else { return }
    let total = packet.totalMeters
    if let last = beltLast {
      if total >= last {
        beltMeters = (beltMeters ?? 0) + (total - last)
      } else {
        // The counter went back (the treadmill was reset): the run and the minute go on from
        // its new value, keeping what the minute had run before.
        let minuteSoFar = last - (beltMinuteStart ?? last)
        beltMinuteStart = total - minuteSoFar
      }
    } else {
      beltMeters = beltMeters ?? 0
      beltMinuteStart = total
    }
    beltLast = total
  }

  /// The minute in progress at the end, if it holds a settled cadence.
  public func finish(_ minuteDone: (HeardMinute) -> Void) { closeMinute(minuteDone) }

  private func closeMinute(_ minuteDone: (HeardMinute) -> Void) {
    var settled = minute
    if given == nil && whole.packetsKept >= SensedCadence.fewestPackets { settled.given = whole.reading }
    // The minute's distance: the belt's counter now against where it stood as the minute began.
    let meters = beltLast.flatMap { last in beltMinuteStart.map { max(0, last - $0) } }
    if let spm = settled.stepsPerMinute {
      let speeds = beltSpeeds.isEmpty ? minuteSpeeds : beltSpeeds
      let speed = speeds.isEmpty ? nil : speeds.reduce(0, +) / Double(speeds.count)
      let entry = HeardMinute(
        minute: minuteIndex, spm: (spm * 10).rounded() / 10, source: "sensor",
        metersPerSecond: speed.map { ($0 * 100).rounded() / 100 }, meters: meters.map { ($0 * 10).rounded() / 10 })
      perMinute.append(entry)
      minuteDone(entry)
    }
    minuteIndex += 1
    minute = SensedCadence(given: given)
    minuteSpeeds = []
    beltSpeeds = []
    beltMinuteStart = beltLast
  }
}
