import Foundation

@testable import Activities

let t0 = 1_767_258_000.0  // 2026-01-01T09:00:00Z

/// A run as (seconds from start, per-leg cadence, m/s): 10 min at 10 km/h and 85 strides/min,
/// 5 min at 12 km/h and 88, then 2 min walking at 5 km/h and 55, one sample a second.
let runPlan: [(Double, Double, Double)] =
  (0..<600).map { (Double($0), 85.0, 10 / 3.6) } + (600..<900).map { (Double($0), 88.0, 12 / 3.6) }
  + (900..<1020).map { (Double($0), 55.0, 5 / 3.6) }

func iso(_ seconds: Double) -> String {
  let f = ISO8601DateFormatter()
  return f.string(from: Date(timeIntervalSince1970: t0 + seconds))
}

func tcx() -> Data {
  var xml = """
    <?xml version="1.0" encoding="UTF-8"?>
    <TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">
    <Activities><Activity Sport="Running"><Id>2026-01-01T08:59:30Z</Id><Lap StartTime="2026-01-01T08:59:30Z"><TotalTimeSeconds>1020.5</TotalTimeSeconds><DistanceMeters>2834.5</DistanceMeters><Track>

    """
  for (t, cad, v) in runPlan {
    xml +=
      "<Trackpoint><Time>\(iso(t))</Time><DistanceMeters>\(v * t)</DistanceMeters>"
      + "<Extensions><ns3:TPX><ns3:Speed>\(v)</ns3:Speed><ns3:RunCadence>\(Int(cad))</ns3:RunCadence></ns3:TPX></Extensions></Trackpoint>\n"
  }
  xml += "</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n"
  return Data(xml.utf8)
}

func gpx() -> Data {
  var xml = """
    <?xml version="1.0" encoding="UTF-8"?>
    <gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1" xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
    <trk><trkseg>

    """
  var lat = 50.0
  for (t, cad, v) in runPlan {
    // Northwards: one degree of latitude is 111195 m on a 6371 km sphere.
    xml +=
      "<trkpt lat=\"\(lat)\" lon=\"8.0\"><time>\(iso(t))</time><extensions><gpxtpx:TrackPointExtension><gpxtpx:cad>\(Int(cad))</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions></trkpt>\n"
    lat += v / 111_194.93
  }
  xml += "</trkseg></trk></gpx>\n"
  return Data(xml.utf8)
}

/// A FIT file: a definition for `record` (timestamp, distance, speed, cadence, fractional
/// cadence), data messages, every 10th as a compressed-timestamp message, and the CRCs.
func fit(cadenceFraction: UInt8 = 64) -> Data {
  var body: [UInt8] = []
  func le(_ v: UInt64, _ n: Int) { for i in 0..<n { body.append(UInt8((v >> (8 * UInt64(i))) & 0xFF)) } }
  // Definition, local type 0: record (20) with 253/4/uint32, 5/4/uint32, 6/2/uint16, 4/1/uint8, 53/1/uint8.
  body += [0x40, 0, 0]
  le(20, 2)
  body += [5, 253, 4, 0x86, 5, 4, 0x86, 6, 2, 0x84, 4, 1, 0x02, 53, 1, 0x02]
  // Local type 1: the same without the timestamp, for compressed-timestamp headers.
  body += [0x41, 0, 0]
  le(20, 2)
  body += [4, 5, 4, 0x86, 6, 2, 0x84, 4, 1, 0x02, 53, 1, 0x02]
  let fitStart = UInt64(t0 - 631_065_600)
  for (t, cad, v) in runPlan {
    let ts = fitStart + UInt64(t)
    if Int(t) % 10 == 5 {
      body.append(0x80 | (1 << 5) | UInt8(ts & 0x1F))
    } else {
      body.append(0x00)
      le(ts, 4)
    }
    le(UInt64(v * t * 100), 4)
    le(UInt64((v * 1000).rounded()), 2)
    body.append(UInt8(cad))
    body.append(cadenceFraction)
  }
  var header: [UInt8] = [14, 0x20]
  header += [0x08, 0x08]  // profile version
  for i in 0..<4 { header.append(UInt8((body.count >> (8 * i)) & 0xFF)) }
  header += Array(".FIT".utf8)
  let headerCRC = FITParser.crc(header[...])
  header += [UInt8(headerCRC & 0xFF), UInt8(headerCRC >> 8)]
  var file = header + body
  let crc = FITParser.crc(file[...])
  file += [UInt8(crc & 0xFF), UInt8(crc >> 8)]
  return Data(file)
}
