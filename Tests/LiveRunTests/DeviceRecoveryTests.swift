import ALSA
import AudioTestSupport
import ClickEngine
import Glibc
import LiveRun
import Playback
import Testing

/// A device that takes every frame at once (no pacing), keeps what it was given, and fails
/// with ENODEV once it has taken `failAfter` frames, as a pulled-out USB headset does.
final class VanishingDevice: PCMOutput {
  var configuration: PCMConfiguration? = PCMConfiguration(
    sampleRate: 48_000, channels: 1, format: .float32, periodFrames: 480, bufferFrames: 1_920)
  private(set) var received: [Float] = []
  private(set) var retired = false
  let failAfter: Int

  init(failAfter: Int = .max) { self.failAfter = failAfter }

  func write(_ bytes: UnsafeRawPointer, frames: Int) -> Int {
    let n = min(frames, failAfter - received.count)
    guard n > 0 else { return Int(-ENODEV) }
    received += UnsafeBufferPointer(start: bytes.assumingMemoryBound(to: Float.self), count: n)
    return n
  }
  func available() -> Int { 1_920 }
  func recover(from code: Int32) throws(ALSAError) {}
  func wait(stopFD: Int32, timeoutMilliseconds: Int32) -> PCM.Wake { .writable }
  func delay() -> Int { 0 }
  func drain() {}
  func drop() {}
  func retire() { retired = true }
}

/// Time as the test says: each try to open the device moves it on by `step`.
final class SteppedClock: RunClock {
  var time = 0.0
  var slept = 0.0
  func now() -> Double { time }
  func sleep(_ seconds: Double) {
    time += seconds
    slept += seconds
  }
}

/// A scripted device that `open` gives, or is not there (nil: ENODEV, as a pulled USB headset);
/// its player runs at normal priority.
func scripted(
  _ name: String, open: @escaping () -> VanishingDevice?, retire: @escaping (VanishingDevice) -> Void = { _ in }
) -> PlaybackDevice<VanishingDevice> {
  PlaybackDevice(
    name: name,
    open: { () throws(DeviceFailure) in
      guard let device = open() else { throw DeviceFailure(.open, ALSAError(code: -ENODEV, function: "snd_pcm_open")) }
      return device
    }, retire: retire, realtimePriority: nil)
}

/// Plays `run` on `device` through a real player thread and the control loop, with
/// `reconnection` for when the device goes away.
func playLosing(
  _ run: LiveRun, on device: VanishingDevice, _ reconnection: Reconnection<VanishingDevice>
) throws -> (outcome: RunOutcome, summary: PlaybackSummary, stoppedBy: Int32?) {
  let player = try Player(engine: run.engine, output: device, frameLimit: run.plannedEnd)
  run.attach(player)
  try player.start(realtimePriority: nil)
  return runControlLoop(run, player: player, reconnection: reconnection)
}

extension LiveRunTests {
  /// Lost at 2 s (96,000 frames heard), found again on the third try 2.25 s later: the second
  /// device starts at frame 204,000 of the run, and every click it plays is on the grid the
  /// first device played, to the frame; the clicks of the silent stretch are not counted.
  @Test func aDeviceFoundAgainResumesOnTheSameGrid() throws {
    let (run, output) = play(170, minutes: 0.2)
    let first = VanishingDevice(failAfter: 96_000)
    let second = VanishingDevice()
    let clock = SteppedClock()
    var tries = 0
    let reconnection = Reconnection(
      device: scripted(
        "usb-headset",
        open: {
          tries += 1
          clock.time += 0.75
          return tries < 3 ? nil : second
        }, retire: { $0.retire() }), clock: clock, retrySeconds: 0.001)
    let (outcome, summary, signal) = try playLosing(run, on: first, reconnection)

    let grid = reference(170, frames: 576_000, commands: [])
    #expect(onsets(first.received).map(Int64.init) == grid.filter { $0 < 96_000 })
    #expect(onsets(second.received).map { Int64($0) + 204_000 } == grid.filter { $0 >= 204_000 })
    #expect(first.received.count == 96_000 && second.received.count == 576_000 - 204_000)
    #expect(first.retired && !second.retired && tries == 3 && clock.slept == 0)
    #expect(signal == nil && summary.error == nil)
    #expect(outcome.framesPlayed == 576_000 && !outcome.stoppedEarly)
    #expect(outcome.clicks == grid.filter { $0 < 96_000 || $0 >= 204_000 }.count)
    #expect(outcome.gaps.map(\.from) == [96_000] && outcome.gaps.map(\.to) == [204_000])
    #expect(
      output.lines == [
        "0:02  sound lost on 'usb-headset': No such device (snd_pcm_writei). Trying to open it again for up to "
          + "1:00; the run goes on and is saved.",
        "0:04  sound back on 'usb-headset', on the beat (0:02 without sound)",
      ])
    #expect(
      run.summaryLine(outcome)
        == "played 0:12 of 0:12 at 170 spm, \(outcome.clicks) clicks; no sound from 0:02 to 0:04 "
        + "(the device was lost and opened again)")
  }

  /// Found again before the grid has reached what was rendered before the loss: the run waits
  /// for the grid (never plays a frame twice, never shifts the beat).
  @Test func aDeviceFoundAtOnceWaitsForTheGrid() throws {
    let (run, _) = play(170, minutes: 0.2)
    let first = VanishingDevice(failAfter: 96_000)
    let second = VanishingDevice()
    let clock = SteppedClock()
    let reconnection = Reconnection(device: scripted("d", open: { second }), clock: clock, retrySeconds: 0.001)
    let (outcome, _, _) = try playLosing(run, on: first, reconnection)
    // The failed write's period (480 frames) was rendered: the grid needs 10 ms to pass it.
    #expect(clock.slept == 480.0 / 48_000)
    let grid = reference(170, frames: 576_000, commands: [])
    #expect(onsets(second.received).map { Int64($0) + 96_480 } == grid.filter { $0 >= 96_480 })
    #expect(outcome.gaps == [SoundGap(from: 96_000, to: 96_480, reason: "No such device (snd_pcm_writei)")])
  }

  /// Never found again: after a minute of tries the run ends where the sound stopped, with the
  /// device's error, and says so.
  @Test func aDeviceThatNeverComesBackEndsTheRunWhereTheSoundStopped() throws {
    let (run, output) = play(170)
    let first = VanishingDevice(failAfter: 96_000)
    let clock = SteppedClock()
    var tries = 0
    let reconnection = Reconnection(
      device: scripted(
        "d",
        open: {
          tries += 1
          clock.time += 20
          return nil
        }), clock: clock, retrySeconds: 0.001)
    let (outcome, summary, _) = try playLosing(run, on: first, reconnection)
    #expect(tries == 3)
    #expect(summary.error?.code == -ENODEV && outcome.framesPlayed == 96_000 && outcome.stoppedEarly)
    #expect(outcome.gaps.map(\.to) == [nil])
    #expect(output.lines.last == "0:02  'd' did not come back; the run ends where the sound stopped")
    #expect(run.summaryLine(outcome).hasSuffix("; sound lost at 0:02, the device did not come back"))
  }

  /// One opener: the device found again is opened and started as at the start of the run, so
  /// --verbose says what it agreed to and at which priority the thread runs both times.
  @Test func aDeviceFoundAgainIsStartedAsAtTheStart() throws {
    let (run, _) = play(170, minutes: 0.2)
    var devices = [VanishingDevice(failAfter: 96_000), VanishingDevice()][...]
    var said: [String] = []
    var device = scripted("usb-headset", open: { devices.popFirst() })
    device.verbose = { said.append($0) }
    let player = try device.startPlayer(engine: run.engine, on: try device.open(), frameLimit: run.plannedEnd)
    run.attach(player)
    let (outcome, summary, _) = runControlLoop(
      run, player: player, reconnection: Reconnection(device: device, clock: SteppedClock(), retrySeconds: 0.001))
    #expect(summary.error == nil && outcome.gaps.count == 1 && outcome.gaps[0].to != nil)
    let agreed = said.filter { $0.hasPrefix("cadence: usb-headset: ") }
    #expect(agreed.count == 2 && agreed[0] == agreed[1], "\(said)")
    #expect(
      said.filter {
        $0 == "cadence: playback thread runs without real-time priority (real-time priority not requested); "
          + "a busy machine may cause xruns, a larger --latency helps"
      }.count == 2, "\(said)")
  }
}
