import Foundation

/// The FIT binary format (Garmin's Flexible and Interoperable data Transfer): only what a
/// cadence needs. The `record` messages (global number 20) give timestamp, distance, speed
/// (also the older foot-pod watches' compressed speed and distance), cadence and fractional
/// cadence; the `session` messages (18) give each leg's sport, start, end and the watch's own
/// timer and distance. Every read is bounds-checked: the file is untrusted.
struct FITParser {
  let data: [UInt8]
  let name: String

  init(data: Data, name: String) {
    self.data = [UInt8](data)
    self.name = name
  }

  /// Seconds between 1970-01-01 and FIT's epoch, 1989-12-31 00:00 UTC.
  static let epoch = 631_065_600.0

  private struct Field {
    var number: UInt8
    var size: Int
    var baseType: UInt8
  }

  private struct Definition {
    var global: UInt16
    var bigEndian: Bool
    var fields: [Field]
    var developerBytes: Int
    var size: Int { fields.reduce(0) { $0 + $1.size } + developerBytes }
  }

  private func fail(_ reason: String) -> ImportError { .malformed(name, reason: reason) }

  func records() throws(ImportError) -> [ActivitySample] { try activity().samples }

  /// The records, and the sessions as legs.
  func activity() throws(ImportError) -> Activity {
    guard data.count >= 12 else { throw fail("truncated FIT header") }
    let headerSize = Int(data[0])
    guard headerSize == 12 || headerSize == 14, data.count >= headerSize else {
      throw fail("bad FIT header size \(headerSize)")
    }
    let dataSize = Int(UInt32(data[4]) | UInt32(data[5]) << 8 | UInt32(data[6]) << 16 | UInt32(data[7]) << 24)
    guard dataSize <= data.count - headerSize else {
      throw fail("truncated: the header promises \(dataSize) bytes of records, the file has \(data.count - headerSize)")
    }
    let end = headerSize + dataSize
    if data.count >= end + 2 {
      let stored = UInt16(data[end]) | UInt16(data[end + 1]) << 8
      if stored != 0 && stored != Self.crc(data[0..<end]) { throw fail("checksum mismatch (the file is damaged)") }
    }
    var definitions: [UInt8: Definition] = [:]
    var samples: [ActivitySample] = []
    var legs: [ActivityLeg] = []
    var compressed = CompressedDistance()
    var lastTimestamp: UInt32?
    var i = headerSize
    while i < end {
      let header = data[i]
      i += 1
      if header & 0x80 != 0 {
        // Compressed timestamp header: local type in bits 5-6, a 5-bit time offset.
        let local = (header >> 5) & 0x03
        guard let def = definitions[local] else { throw fail("a record uses an undefined message type") }
        guard i + def.size <= end else { throw fail("truncated record") }
        var timestamp: UInt32? = nil
        if let last = lastTimestamp {
          let offset = UInt32(header & 0x1F)
          var t = (last & ~0x1F) | offset
          if offset < last & 0x1F { t &+= 0x20 }
          timestamp = t
          lastTimestamp = t
        }
        if def.global == 20, var sample = decodeRecord(at: i, def, &compressed) {
          if sample.time == 0, let timestamp { sample.time = Self.epoch + Double(timestamp) }
          if sample.time > 0 { samples.append(sample) }
        } else if def.global == 18, legs.count < Self.maximumLegs, let leg = decodeSession(at: i, def) {
          legs.append(leg)
        }
        i += def.size
      } else if header & 0x40 != 0 {
        // Definition message.
        let local = header & 0x0F
        let hasDeveloperFields = header & 0x20 != 0
        guard i + 5 <= end else { throw fail("truncated definition") }
        let bigEndian = data[i + 1] == 1
        let global =
          bigEndian ? UInt16(data[i + 2]) << 8 | UInt16(data[i + 3]) : UInt16(data[i + 2]) | UInt16(data[i + 3]) << 8
        let count = Int(data[i + 4])
        i += 5
        guard i + count * 3 <= end else { throw fail("truncated definition") }
        var fields: [Field] = []
        for f in 0..<count {
          let size = Int(data[i + f * 3 + 1])
          guard size > 0 else { throw fail("a field of size 0") }
          fields.append(Field(number: data[i + f * 3], size: size, baseType: data[i + f * 3 + 2]))
        }
        i += count * 3
        var developerBytes = 0
        if hasDeveloperFields {
          guard i + 1 <= end else { throw fail("truncated definition") }
          let devCount = Int(data[i])
          i += 1
          guard i + devCount * 3 <= end else { throw fail("truncated definition") }
          for d in 0..<devCount { developerBytes += Int(data[i + d * 3 + 1]) }
          i += devCount * 3
        }
        definitions[local] = Definition(
          global: global, bigEndian: bigEndian, fields: fields, developerBytes: developerBytes)
      } else {
        // Data message.
        let local = header & 0x0F
        guard let def = definitions[local] else { throw fail("a record uses an undefined message type") }
        guard i + def.size <= end else { throw fail("truncated record") }
        if def.global == 20, let sample = decodeRecord(at: i, def, &compressed) {
          if let t = timestampField(at: i, def) { lastTimestamp = t }
          if sample.time > 0 { samples.append(sample) }
        } else {
          if let t = timestampField(at: i, def) { lastTimestamp = t }
          if def.global == 18, legs.count < Self.maximumLegs, let leg = decodeSession(at: i, def) { legs.append(leg) }
        }
        i += def.size
      }
      if samples.count > 2_000_000 { throw fail("more than 2000000 records") }
    }
    // FIT times under 0x10000000 count seconds from the device's power-on (its clock unset).
    let relative = !samples.isEmpty && samples.allSatisfy { $0.time < Self.epoch + Double(0x1000_0000) }
    return Activity(samples: samples, legs: legs, deviceRelativeTimes: relative)
  }

  static let maximumLegs = ActivityLeg.maximumPerFile

  /// FIT's `sport` values by number (the SDK's profile), for the names cadence says.
  static let sportNames: [UInt64: String] = [
    0: "generic", 1: "running", 2: "cycling", 3: "transition", 4: "fitness equipment", 5: "swimming",
    6: "basketball", 7: "soccer", 8: "tennis", 9: "american football", 10: "training", 11: "walking",
    12: "cross-country skiing", 13: "alpine skiing", 14: "snowboarding", 15: "rowing", 16: "mountaineering",
    17: "hiking", 18: "multisport", 19: "paddling", 20: "flying", 21: "e-biking", 22: "motorcycling",
    23: "boating", 24: "driving", 25: "golf", 26: "hang gliding", 27: "horseback riding", 28: "hunting",
    29: "fishing", 30: "inline skating", 31: "rock climbing", 32: "sailing", 33: "ice skating",
    34: "sky diving", 35: "snowshoeing", 36: "snowmobiling", 37: "stand-up paddleboarding", 38: "surfing",
    39: "wakeboarding", 40: "water skiing", 41: "kayaking", 42: "rafting", 43: "windsurfing",
    44: "kitesurfing", 45: "tactical", 46: "jumpmaster", 47: "boxing", 48: "floor climbing",
  ]

  /// A `session` message as a leg: running for sport 1, and for fitness equipment whose
  /// sub-sport is a treadmill (1); unstated for generic (0) or no sport; else named.
  private func decodeSession(at start: Int, _ def: Definition) -> ActivityLeg? {
    var sport: UInt64?
    var subSport: UInt64?
    var begin: Double?
    var end: Double?
    var elapsed: Double?
    var timer: Double?
    var meters: Double?
    var offset = start
    for field in def.fields {
      let v = unsigned(offset, field.size, bigEndian: def.bigEndian)
      switch (field.number, field.size) {
      case (253, 4): if let v { end = Self.epoch + Double(v) }
      case (2, 4): if let v { begin = Self.epoch + Double(v) }
      case (7, 4): if let v { elapsed = Double(v) / 1000 }
      case (8, 4): if let v { timer = Double(v) / 1000 }
      case (9, 4): if let v { meters = Double(v) / 100 }
      case (5, 1): sport = v
      case (6, 1): subSport = v
      default: break
      }
      offset += field.size
    }
    guard let begin else { return nil }
    let finish = end ?? elapsed.map { begin + $0 } ?? begin
    let kind: Sport
    switch (sport, subSport) {
    case (1, _), (4, 1): kind = .running
    case (nil, _), (0, _): kind = .unstated
    case (let n?, _): kind = .other(Self.sportNames[n] ?? "sport \(n)")
    }
    return ActivityLeg(sport: kind, start: begin, end: max(begin, finish), timerSeconds: timer, meters: meters)
  }

  /// An unsigned field value, or nil when the field holds FIT's "invalid" (all ones).
  private func unsigned(_ offset: Int, _ size: Int, bigEndian: Bool) -> UInt64? {
    guard size <= 8, offset + size <= data.count else { return nil }
    var value: UInt64 = 0
    for b in 0..<size {
      let byte = UInt64(data[offset + (bigEndian ? b : size - 1 - b)])
      value = value << 8 | byte
    }
    let invalid: UInt64 = size == 8 ? .max : (1 << UInt64(size * 8)) - 1
    return value == invalid ? nil : value
  }

  private func timestampField(at start: Int, _ def: Definition) -> UInt32? {
    var offset = start
    for field in def.fields {
      if field.number == 253 && field.size == 4 {
        return unsigned(offset, 4, bigEndian: def.bigEndian).map { UInt32($0) }
      }
      offset += field.size
    }
    return nil
  }

  /// Record field 8 (`compressed_speed_distance`, the Forerunner 60/70 era's foot pods): three
  /// bytes, a 12-bit speed in 1/100 m/s and a 12-bit distance in 1/16 m that rolls over at
  /// 256 m, summed here from record to record.
  struct CompressedDistance {
    var last: Int?
    var sixteenths = 0

    mutating func add(_ bytes: (UInt8, UInt8, UInt8)) -> (metersPerSecond: Double, meters: Double) {
      let speed = Int(bytes.0) | (Int(bytes.1) & 0x0F) << 8
      let raw = Int(bytes.1) >> 4 | Int(bytes.2) << 4
      if let last { sixteenths += (raw - last) & 0xFFF }
      last = raw
      return (Double(speed) / 100, Double(sixteenths) / 16)
    }
  }

  private func decodeRecord(at start: Int, _ def: Definition, _ compressed: inout CompressedDistance)
    -> ActivitySample?
  {
    var sample = ActivitySample(time: 0)
    var cadence: Double?
    var fraction = 0.0
    var offset = start
    for field in def.fields {
      let v = unsigned(offset, field.size, bigEndian: def.bigEndian)
      switch (field.number, field.size) {
      case (253, 4): if let v { sample.time = Self.epoch + Double(v) }
      case (5, 4): if let v { sample.distanceMeters = Double(v) / 100 }
      case (6, 2): if let v, sample.metersPerSecond == nil { sample.metersPerSecond = Double(v) / 1000 }
      case (73, 4): if let v { sample.metersPerSecond = Double(v) / 1000 }
      case (4, 1): if let v { cadence = Double(v) }
      case (53, 1): if let v { fraction = Double(v) / 128 }
      case (8, 3):
        if offset + 3 <= data.count, data[offset..<(offset + 3)].contains(where: { $0 != 0xFF }) {
          let (speed, meters) = compressed.add((data[offset], data[offset + 1], data[offset + 2]))
          if sample.metersPerSecond == nil { sample.metersPerSecond = speed }
          if sample.distanceMeters == nil { sample.distanceMeters = meters }
        }
      default: break
      }
      offset += field.size
    }
    // record.cadence is per leg (strides per minute) for running; fractional_cadence adds 1/128s.
    if let cadence, cadence > 0 { sample.spm = (cadence + fraction) * stepsPerStride }
    return sample
  }

  /// FIT's CRC-16 (the SDK's nibble table).
  static func crc(_ bytes: ArraySlice<UInt8>) -> UInt16 {
    let table: [UInt16] = [
      0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
      0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
    ]
    var crc: UInt16 = 0
    for byte in bytes {
      var tmp = table[Int(crc & 0xF)]
      crc = (crc >> 4) & 0x0FFF
      crc = crc ^ tmp ^ table[Int(byte & 0xF)]
      tmp = table[Int(crc & 0xF)]
      crc = (crc >> 4) & 0x0FFF
      crc = crc ^ tmp ^ table[Int((byte >> 4) & 0xF)]
    }
    return crc
  }
}
