import CadenceCore

/// A foot pod's cadence over a stretch of running, settled from many packets: never one packet.
/// Packets that cannot be a runner's cadence are counted and left out: a cadence of 0 or 255
/// (a sensor's "none"), one sent while walking or standing, and a jump of more than
/// `largestJump` from the packet before. Whether the sensor counts steps or strides is decided
/// by the packets' own speeds (`StepOrStride.vote`), or given.
public struct SensedCadence: Sendable {
  /// [product choice] A cadence that moves more than this (steps per minute) from one packet
  /// to the next (about a second) is a glitch, not a runner.
  public static let largestJump = 60.0
  /// [product choice] At least this many packets make a settled cadence (a sensor sends about
  /// one a second).
  public static let fewestPackets = 5

  /// The reading the runner gave (config or option); nil: decided from the packets.
  public var given: StepOrStride?
  private(set) var raws: [Double] = []
  private(set) var steps = 0
  private(set) var strides = 0
  /// Packets left out, by why.
  public private(set) var notRunning = 0
  public private(set) var noCadence = 0
  public private(set) var jumps = 0
  public private(set) var unreadable = 0
  private var last: Double?
  /// [product choice] The most packets kept: ten hours at one a second.
  public static let mostPackets = 36_000

  public init(given: StepOrStride? = nil) { self.given = given }

  /// One notification's bytes.
  public mutating func add(packet bytes: [UInt8]) {
    guard let packet = RSCMeasurement.parse(bytes) else {
      unreadable += 1
      return
    }
    add(packet)
  }

  public mutating func add(_ packet: RSCMeasurement) {
    guard packet.raw > 0 && packet.raw < 255 else {
      noCadence += 1
      return
    }
    guard packet.running, packet.metersPerSecond > 0 else {
      notRunning += 1
      return
    }
    let raw = Double(packet.raw)
    // In steps per minute: a per-foot figure moves half as far for the same jump.
    let perStep = (given ?? (raw > StepOrStride.mostStridesPerMinute ? .steps : .strides)).stepsPerMinute(1)
    if let last, abs(raw - last) * perStep > Self.largestJump {
      // A glitch is left out; the same new level three packets running is the runner (or the
      // belt) changing, and is kept.
      if let first = pending.first, abs(raw - first) * perStep > Self.largestJump { pending.removeAll() }
      pending.append(raw)
      guard pending.count >= Self.packetsThatConfirm else {
        jumps += 1
        return
      }
      jumps -= pending.count - 1
      let confirmed = pending
      pending.removeAll()
      self.last = raw
      for value in confirmed.prefix(Self.mostPackets - raws.count) { keep(value, packet.metersPerSecond) }
      return
    }
    pending.removeAll()
    last = raw
    keep(raw, packet.metersPerSecond)
  }

  /// [product choice] A new level held this many packets running is taken as real.
  public static let packetsThatConfirm = 3
  private var pending: [Double] = []

  private mutating func keep(_ raw: Double, _ metersPerSecond: Double) {
    guard raws.count < Self.mostPackets else { return }
    raws.append(raw)
    switch StepOrStride.vote(raw: raw, metersPerSecond: metersPerSecond) {
    case .steps?: steps += 1
    case .strides?: strides += 1
    case nil: break
    }
  }

  /// How the packets were read: the runner's choice, else the packets' votes; with no vote
  /// (no speed), strides, as most foot pods send ([product choice]).
  public var reading: StepOrStride { given ?? (steps > strides ? .steps : .strides) }

  /// Whether the reading was decided by the packets' speeds.
  public var readingFromSpeed: Bool { given == nil && steps != strides }

  /// The settled cadence in steps per minute: the median of the packets kept, once there are
  /// `fewestPackets`; nil before.
  public var stepsPerMinute: Double? {
    guard raws.count >= Self.fewestPackets else { return nil }
    let sorted = raws.sorted()
    let middle = sorted.count / 2
    let median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    return reading.stepsPerMinute(median)
  }

  /// The raw median as sent, for saying how it was read ("raw 85 per foot -> 170 spm").
  public var rawMedian: Double? {
    stepsPerMinute.map { reading == .steps ? $0 : $0 / 2 }
  }

  public var packetsKept: Int { raws.count }
}
