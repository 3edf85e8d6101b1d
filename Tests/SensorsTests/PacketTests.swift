import CadenceCore
import Testing

@testable import Sensors

/// The Bluetooth SIG's layouts, byte for byte.
@Suite struct RSCMeasurementTests {
  /// The vector: running, 4.00 m/s, 170, 1234.5 m.
  @Test func theReferenceVector() {
    #expect(
      RSCMeasurement.parse([0x06, 0x00, 0x04, 0xAA, 0x39, 0x30, 0x00, 0x00])
        == RSCMeasurement(metersPerSecond: 4, raw: 170, strideLength: nil, totalDistance: 1234.5, running: true))
  }

  /// Every combination of the three flags, each with its fields, and each one byte short.
  @Test(arguments: 0..<8)
  func everyFlagCombination(flags: Int) {
    var bytes: [UInt8] = [UInt8(flags), 0x80, 0x03, 88]  // 3.5 m/s, 88
    if flags & 1 != 0 { bytes += [0x7D, 0x00] }  // 125 cm
    if flags & 2 != 0 { bytes += [0x10, 0x27, 0x00, 0x00] }  // 10000 dm
    let packet = RSCMeasurement.parse(bytes)
    #expect(
      packet
        == RSCMeasurement(
          metersPerSecond: 3.5, raw: 88, strideLength: flags & 1 != 0 ? 1.25 : nil,
          totalDistance: flags & 2 != 0 ? 1000 : nil, running: flags & 4 != 0))
    #expect(RSCMeasurement.parse(Array(bytes.dropLast())) == nil)
  }

  @Test func shortPackets() {
    for length in 0..<4 { #expect(RSCMeasurement.parse(Array([0x04, 0x00, 0x04, 0xAA].prefix(length))) == nil) }
    #expect(RSCMeasurement.parse([0x04, 0x00, 0x04, 0xAA])?.raw == 170)
  }

  /// A uint32 distance at its top: 429,496,729.5 m.
  @Test func theLargestDistance() {
    #expect(RSCMeasurement.parse([0x02, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF])?.totalDistance == 429_496_729.5)
  }
}

@Suite struct TreadmillDataTests {
  /// Speed 10.00 km/h, total distance 0x012345 m (74,565 m: the uint24), elapsed 600 s.
  @Test func speedDistanceAndTime() {
    let packet = TreadmillData.parse([0x04, 0x04, 0xE8, 0x03, 0x45, 0x23, 0x01, 0x58, 0x02])
    #expect(packet == TreadmillData(metersPerSecond: 1000 / 100 / 3.6, totalDistance: 74_565, elapsedSeconds: 600))
  }

  /// Bit 0 set ("More Data"): no speed field; the distance follows the flags at once.
  @Test func moreDataMeansNoSpeed() {
    #expect(
      TreadmillData.parse([0x05, 0x00, 0x10, 0x00, 0x00])
        == TreadmillData(metersPerSecond: nil, totalDistance: 16, elapsedSeconds: nil))
  }

  /// Every field present (bits 1-12): the elapsed time is found after all the others.
  @Test func everyFieldPresent() {
    var bytes: [UInt8] = [0xFE, 0x1F]
    bytes += [0xE8, 0x03]  // speed 10 km/h
    bytes += [0, 0]  // average speed
    bytes += [0x64, 0, 0]  // distance 100 m
    bytes += [0, 0, 0, 0]  // inclination, ramp angle
    bytes += [0, 0, 0, 0]  // elevation gains
    bytes += [0]  // instantaneous pace
    bytes += [0]  // average pace
    bytes += [0, 0, 0, 0, 0]  // energy
    bytes += [0]  // heart rate
    bytes += [0]  // MET
    bytes += [0x3C, 0]  // elapsed 60 s
    bytes += [0, 0]  // remaining
    bytes += [0, 0, 0, 0]  // force, power
    #expect(
      TreadmillData.parse(bytes) == TreadmillData(metersPerSecond: 10 / 3.6, totalDistance: 100, elapsedSeconds: 60))
    for cut in 2..<bytes.count { #expect(TreadmillData.parse(Array(bytes.prefix(cut))) == nil, "cut at \(cut)") }
  }

  @Test func reservedBitsAndShortFlags() {
    #expect(TreadmillData.parse([0x00, 0x20, 0xE8, 0x03]) == nil)
    #expect(TreadmillData.parse([0x00]) == nil)
    #expect(TreadmillData.parse([]) == nil)
  }
}

@Suite struct SensedCadenceTests {
  func packet(raw: UInt8, speed: Double, running: Bool = true) -> [UInt8] {
    let units = UInt16(speed * 256)
    return [running ? 0x04 : 0x00, UInt8(units & 0xFF), UInt8(units >> 8), raw]
  }

  /// A pod that counts strides (85 at 3 m/s: a 1.06 m step as 170 spm, 2.1 m as 85) and one
  /// that counts steps (170 at 3 m/s) both give 170 spm, by their own speed.
  @Test func stepsOrStridesFromTheSpeed() {
    var strides = SensedCadence()
    var steps = SensedCadence()
    for _ in 0..<10 {
      strides.add(packet: packet(raw: 85, speed: 3))
      steps.add(packet: packet(raw: 170, speed: 3))
    }
    #expect(strides.stepsPerMinute == 170 && strides.reading == .strides && strides.readingFromSpeed)
    #expect(steps.stepsPerMinute == 170 && steps.reading == .steps && steps.readingFromSpeed)
  }

  /// Without a speed the runner's word decides; a figure over 130 per foot is steps anyway.
  @Test func withoutSpeed() {
    var given = SensedCadence(given: .steps)
    var unsaid = SensedCadence()
    for _ in 0..<6 {
      given.add(packet: packet(raw: 88, speed: 0.2))
      unsaid.add(packet: packet(raw: 88, speed: 0.2))
    }
    #expect(given.stepsPerMinute == 88)
    #expect(unsaid.stepsPerMinute == 176 && !unsaid.readingFromSpeed)
  }

  /// Garbage never becomes cadence: 0 and 255, walking, a 60-spm jump, short packets; and
  /// fewer than five packets settle nothing.
  @Test func garbageIsLeftOutAndCounted() {
    var sensed = SensedCadence()
    for _ in 0..<4 { sensed.add(packet: packet(raw: 85, speed: 3)) }
    #expect(sensed.stepsPerMinute == nil)
    sensed.add(packet: packet(raw: 0, speed: 3))
    sensed.add(packet: packet(raw: 255, speed: 3))
    sensed.add(packet: packet(raw: 60, speed: 1.2, running: false))
    sensed.add(packet: packet(raw: 120, speed: 3))
    sensed.add(packet: [0x04, 0x00])
    sensed.add(packet: packet(raw: 86, speed: 3))
    #expect(sensed.noCadence == 2 && sensed.notRunning == 1 && sensed.jumps == 1 && sensed.unreadable == 1)
    #expect(sensed.packetsKept == 5)
    sensed.add(packet: packet(raw: 86, speed: 3))
    #expect(sensed.stepsPerMinute == 170)
  }

  /// A new level held three packets running is kept (a runner speeding up), not a glitch.
  @Test func aNewLevelHeldIsKept() {
    var sensed = SensedCadence()
    for _ in 0..<5 { sensed.add(packet: packet(raw: 60, speed: 2)) }
    for _ in 0..<3 { sensed.add(packet: packet(raw: 92, speed: 3.4)) }
    #expect(sensed.jumps == 0 && sensed.packetsKept == 8)
    sensed.add(packet: packet(raw: 60, speed: 2))
    #expect(sensed.jumps == 1 && sensed.packetsKept == 8)
  }
}
