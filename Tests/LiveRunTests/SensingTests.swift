import CadenceCore
import LiveRun
import Sensors
import Testing

/// The foot-pod side of a run, offline: packets stamped on a scripted clock become each
/// minute's settled cadence and the pod's speed, and the cadence shown is the last window's.
@Suite struct SensingTests {
  func packet(_ seconds: Double, raw: Int, running: Bool = true) -> PodPacket {
    PodPacket(seconds: seconds, measurement: RSCMeasurement(metersPerSecond: 3.5, raw: raw, running: running))
  }

  @Test func minutesAndTheWindowFromPackets() {
    let sensing = Sensing(name: "pod", clock: { 0 })
    var minutes: [HeardMinute] = []
    #expect(sensing.current == nil)
    for i in 0..<240 { _ = sensing.packets.push(packet(Double(i) * 0.25, raw: 85)) }
    for i in 240..<480 { _ = sensing.packets.push(packet(Double(i) * 0.25, raw: i % 50 == 0 ? 0 : 88)) }
    sensing.update(now: 119.9, runSeconds: { $0 }) { minutes.append($0) }
    #expect(minutes == [HeardMinute(minute: 0, spm: 170, source: "sensor", metersPerSecond: 3.5)])
    #expect(sensing.current == 176)
    sensing.finish { minutes.append($0) }
    #expect(minutes.last == HeardMinute(minute: 1, spm: 176, source: "sensor", metersPerSecond: 3.5))
  }

  /// Walking packets and silence give no cadence: nothing is shown or stored for that minute.
  @Test func noSettledCadenceNoMinute() {
    let sensing = Sensing(name: "pod", clock: { 0 })
    var minutes: [HeardMinute] = []
    for i in 0..<200 { _ = sensing.packets.push(packet(Double(i) * 0.25, raw: 60, running: false)) }
    sensing.update(now: 61, runSeconds: { $0 }) { minutes.append($0) }
    #expect(minutes.isEmpty && sensing.current == nil)
  }
}
