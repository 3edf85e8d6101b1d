import CadenceCore
import ClickEngine
import Sensors
import Testing

@testable import LiveRun

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

  /// A treadmill beside the pod: each minute's speed is the belt's, its distance the belt's
  /// counter over the minute; a counter that went back (a reset) is gone on from; unreadable
  /// packets and a speed no belt runs at (40 km/h) are left out and counted.
  @Test func aTreadmillGivesEachMinutesSpeedAndDistance() {
    let sensing = Sensing(name: "pod", clock: { 0 })
    var minutes: [HeardMinute] = []
    func belt(_ seconds: Double, kmh: Double?, meters: Double?) -> BeltPacket {
      BeltPacket(
        seconds: seconds,
        data: TreadmillData(metersPerSecond: kmh.map { $0 / 3.6 }, totalDistance: meters, elapsedSeconds: nil))
    }
    for i in 0..<480 { _ = sensing.packets.push(packet(Double(i) * 0.25, raw: 85)) }
    // 12.24 km/h = 3.4 m/s, from 1000 m on the counter; a reset to 0 at 90 s.
    for i in 0..<120 {
      let t = Double(i)
      let meters = t < 90 ? 1_000 + 3.4 * t : 3.4 * (t - 90)
      _ = sensing.belt.push(belt(t, kmh: 12.24, meters: meters))
    }
    _ = sensing.belt.push(BeltPacket(seconds: 30.5, data: nil))
    _ = sensing.belt.push(belt(31.5, kmh: 40, meters: 1_107))
    sensing.update(now: 119.9, runSeconds: { $0 }) { minutes.append($0) }
    sensing.finish { minutes.append($0) }
    #expect(minutes.map(\.spm) == [170, 170])
    #expect(minutes.map(\.metersPerSecond) == [3.4, 3.4])
    // Minute 0: 1000 to 1000 + 3.4 * 59; minute 1: to 1000 + 3.4 * 89, then 0 to 3.4 * 29.
    #expect(minutes.map(\.meters) == [200.6, 200.6])
    #expect(sensing.beltMeters.map { abs($0 - 3.4 * 118) < 1e-9 } == true)
    #expect(sensing.beltRefused == 2)
    #expect(sensing.beltSpeed == 3.4)
  }

  /// A pod that sends nothing for over 5 s has gone quiet: the stretch is kept (said at the end
  /// of the run), and one still open says since when.
  @Test func aPodThatGoesQuietIsNoted() {
    let sensing = Sensing(name: "pod", clock: { 0 })
    for i in 0..<120 { _ = sensing.packets.push(packet(Double(i) * 0.25, raw: 85)) }
    // 29.75 s, then nothing until 40 s (10 s: a stretch), then a 3 s pause (not one).
    for i in 160..<240 { _ = sensing.packets.push(packet(Double(i) * 0.25, raw: 85)) }
    for i in 252..<280 { _ = sensing.packets.push(packet(Double(i) * 0.25, raw: 85)) }
    sensing.update(now: 69.9, runSeconds: { $0 }) { _ in }
    #expect(sensing.podGaps.map(\.from) == [29.75] && sensing.podGaps.map(\.to) == [40])
    #expect(sensing.quietSince == nil)
    sensing.update(now: 76, runSeconds: { $0 }) { _ in }
    #expect(sensing.podGaps.map(\.from) == [29.75, 69.75] && sensing.podGaps.last?.to == nil)
    #expect(sensing.quietSince == 69.75)
    _ = sensing.packets.push(packet(80, raw: 85))
    sensing.update(now: 80.1, runSeconds: { $0 }) { _ in }
    #expect(sensing.podGaps.last?.to == 80 && sensing.quietSince == nil)
  }

  /// The line view with a pod and a treadmill: the sensed cadence with the belt's speed and the
  /// distance it ran, and the step length at the belt's speed (not the --speed given).
  @Test func theLineViewShowsTheBelt() {
    let rate = 48_000.0
    let spec = SessionSpec(warmUpMinutes: 0, blockMinutes: 5, blockSPM: 170, coolDownMinutes: 0, gain: 1)
    var setup = RunSetup(
      timeline: SessionTimeline(spec, sampleRate: rate), speed: .kmh(10), interactive: true)
    setup.columns = { 120 }
    let run = LiveRun(setup, sound: ClickSynth.sound(sampleRate: rate), output: NoOutput())
    let sensing = Sensing(name: "pod", clock: { 0 })
    run.sensing = sensing
    for i in 0..<40 { _ = sensing.packets.push(packet(Double(i) * 0.25, raw: 85)) }
    for i in 0..<10 {
      _ = sensing.belt.push(
        BeltPacket(
          seconds: Double(i),
          data: TreadmillData(metersPerSecond: 3.4, totalDistance: 100 + 3.4 * Double(i), elapsedSeconds: nil)))
    }
    run.tick()
    let lines = run.lineView(Int64(10 * rate), width: 120)
    #expect(lines.contains(" sensed: 170 spm, target 170: at the target (belt 12.2 km/h, 0.03 km)"), "\(lines)")
    #expect(lines.last?.hasPrefix(" step 1.20 m at 12.2 km/h ·") == true, "\(lines)")
  }
}

/// A run's words, dropped.
final class NoOutput: RunOutput {
  func line(_ text: String) {}
  func screen(_ text: String) {}
}
