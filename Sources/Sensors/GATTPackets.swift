/// The Bluetooth SIG's running sensor packets, read byte for byte. A packet too short for the
/// fields its flags announce, or with a value the standard reserves, is refused (nil): it is
/// counted and ignored, never stored.

/// RSC Measurement (characteristic 0x2A53, Running Speed and Cadence service 0x1814).
public struct RSCMeasurement: Equatable, Sendable {
  /// Instantaneous speed, m/s (sent in 1/256 m/s).
  public var metersPerSecond: Double
  /// Instantaneous cadence as the sensor sent it, "per minute": steps or strides (see
  /// `StepOrStride`).
  public var raw: Int
  /// Stride length, m (sent in cm), when the sensor sends it.
  public var strideLength: Double?
  /// Total distance, m (sent in dm), when the sensor sends it.
  public var totalDistance: Double?
  /// Bit 2 of the flags: running (set) or walking.
  public var running: Bool

  public init(
    metersPerSecond: Double, raw: Int, strideLength: Double? = nil, totalDistance: Double? = nil, running: Bool
  ) {
    self.metersPerSecond = metersPerSecond
    self.raw = raw
    self.strideLength = strideLength
    self.totalDistance = totalDistance
    self.running = running
  }

  /// Flags: bit 0 stride length present, bit 1 total distance present, bit 2 running.
  public static func parse(_ bytes: [UInt8]) -> RSCMeasurement? {
    var reader = PacketReader(bytes)
    guard let flags = reader.uint8(), let speed = reader.uint16(), let cadence = reader.uint8() else { return nil }
    var packet = RSCMeasurement(
      metersPerSecond: Double(speed) / 256, raw: Int(cadence), strideLength: nil, totalDistance: nil,
      running: flags & 0x04 != 0)
    if flags & 0x01 != 0 {
      guard let stride = reader.uint16() else { return nil }
      packet.strideLength = Double(stride) / 100
    }
    if flags & 0x02 != 0 {
      guard let distance = reader.uint32() else { return nil }
      packet.totalDistance = Double(distance) / 10
    }
    return packet
  }
}

/// Treadmill Data (characteristic 0x2ACD, Fitness Machine service 0x1826): the fields a run
/// needs (speed, distance, elapsed time); the others are stepped over by their sizes.
public struct TreadmillData: Equatable, Sendable {
  /// Instantaneous speed, m/s (sent in 0.01 km/h); absent when flag bit 0 ("More Data") is
  /// set.
  public var metersPerSecond: Double?
  /// Total distance, m (uint24).
  public var totalDistance: Double?
  /// Elapsed time, s.
  public var elapsedSeconds: Int?

  public init(metersPerSecond: Double?, totalDistance: Double?, elapsedSeconds: Int?) {
    self.metersPerSecond = metersPerSecond
    self.totalDistance = totalDistance
    self.elapsedSeconds = elapsedSeconds
  }

  /// The flags' fields in order, with their sizes in bytes: bit 0 (clear) instantaneous speed
  /// 2; bit 1 average speed 2; bit 2 total distance 3; bit 3 inclination 2 and ramp angle 2;
  /// bit 4 positive and negative elevation gain 2 + 2; bit 5 instantaneous pace 1; bit 6
  /// average pace 1; bit 7 total, per-hour and per-minute energy 2 + 2 + 1; bit 8 heart rate 1;
  /// bit 9 metabolic equivalent 1; bit 10 elapsed time 2; bit 11 remaining time 2; bit 12 force
  /// on belt and power output 2 + 2. Bits 13-15 are reserved.
  public static func parse(_ bytes: [UInt8]) -> TreadmillData? {
    var reader = PacketReader(bytes)
    guard let flags = reader.uint16(), flags & 0xE000 == 0 else { return nil }
    var packet = TreadmillData(metersPerSecond: nil, totalDistance: nil, elapsedSeconds: nil)
    if flags & 0x0001 == 0 {
      guard let speed = reader.uint16() else { return nil }
      packet.metersPerSecond = Double(speed) / 100 / 3.6
    }
    let skipped: [(bit: UInt16, bytes: Int)] = [(1, 2)]
    for field in skipped where flags & (1 << field.bit) != 0 {
      guard reader.skip(field.bytes) else { return nil }
    }
    if flags & 0x0004 != 0 {
      guard let distance = reader.uint24() else { return nil }
      packet.totalDistance = Double(distance)
    }
    for field in [(3, 4), (4, 4), (5, 1), (6, 1), (7, 5), (8, 1), (9, 1)] where flags & (1 << UInt16(field.0)) != 0 {
      guard reader.skip(field.1) else { return nil }
    }
    if flags & 0x0400 != 0 {
      guard let elapsed = reader.uint16() else { return nil }
      packet.elapsedSeconds = Int(elapsed)
    }
    for field in [(11, 2), (12, 4)] where flags & (1 << UInt16(field.0)) != 0 {
      guard reader.skip(field.1) else { return nil }
    }
    return packet
  }
}

/// Little-endian fields from the front of a packet; nil once the packet is too short.
struct PacketReader {
  private let bytes: [UInt8]
  private var at = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  private mutating func take(_ count: Int) -> UInt32? {
    guard count <= bytes.count - at else { return nil }
    var value: UInt32 = 0
    for i in 0..<count { value |= UInt32(bytes[at + i]) << (8 * UInt32(i)) }
    at += count
    return value
  }

  mutating func uint8() -> UInt8? { take(1).map { UInt8($0) } }
  mutating func uint16() -> UInt16? { take(2).map { UInt16($0) } }
  mutating func uint24() -> UInt32? { take(3) }
  mutating func uint32() -> UInt32? { take(4) }
  mutating func skip(_ count: Int) -> Bool {
    guard count <= bytes.count - at else { return false }
    at += count
    return true
  }
}
