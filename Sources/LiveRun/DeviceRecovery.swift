import ALSA
import CadenceCore
import ClickEngine
import Glibc
import Playback

/// How a run gets its device back after losing it (a sound server that stopped, a USB headset
/// pulled out): the device is opened again every `retrySeconds` for up to `giveUpSeconds`, as
/// at the start of the run; when it opens, playback resumes there on the run's beat grid, as
/// if the clicks had gone on.
public struct Reconnection<Output: PCMOutput> {
  /// The device, opened and started as at the start of the run.
  public var device: PlaybackDevice<Output>
  public var clock: RunClock
  public var retrySeconds: Double
  public var giveUpSeconds: Double

  /// Half a second between tries: a sound server back or a headset plugged in is heard within
  /// that. A minute in all [product choice]: long enough to restart a sound server or find a
  /// cable, short enough that a run left alone does not wait silently for ever.
  public init(
    device: PlaybackDevice<Output>, clock: RunClock = MonotonicClock(), retrySeconds: Double = 0.5,
    giveUpSeconds: Double = 60
  ) {
    self.device = device
    self.clock = clock
    self.retrySeconds = retrySeconds
    self.giveUpSeconds = giveUpSeconds
  }
}

/// A stretch of the run without sound: from the frame last heard to the frame playback resumed
/// on (nil: it never came back).
public struct SoundGap: Sendable, Equatable {
  public var from: Int64
  public var to: Int64?
  public var reason: String

  public init(from: Int64, to: Int64?, reason: String) {
    self.from = from
    self.to = to
    self.reason = reason
  }
}

extension LiveRun {
  /// The device failed after the runner heard up to `frame`: clicks queued past it were never
  /// heard. Says so, with what happens next.
  func soundLost(at frame: Int64, reason: String, device: String, giveUpSeconds: Double) {
    dropQueuedClicks(from: frame)
    gaps.append(SoundGap(from: frame, to: nil, reason: reason))
    // The full-screen view says it big ("NO SOUND") and stays up; the summary says the rest.
    if fullScreen {
      draw(frame)
      return
    }
    if setup.interactive { clearScreen() }
    output.line(
      "\(CadenceCore.clock(Double(frame) / sampleRate))  sound lost on '\(device)': \(reason). "
        + "Trying to open it again for up to \(CadenceCore.clock(giveUpSeconds)); the run goes on and is saved"
        + (setup.interactive ? " (q ends it)." : "."))
  }

  /// Renders silently up to `frame`, following the schedule as playback would have (tempo
  /// changes, phases), without counting the clicks no one heard. The player must be stopped:
  /// the control thread renders here.
  func skipSilently(to frame: Int64) {
    var scratch = [Float](repeating: 0, count: 4_096)
    while engine.framesRendered < frame {
      _ = scratch.withUnsafeMutableBufferPointer { renderScheduled($0, until: frame) }
      discardEvents()
    }
  }

  /// Playback resumed at `frame`, on the grid.
  func soundBack(at frame: Int64, device: String) {
    guard let last = gaps.indices.last else { return }
    gaps[last].to = frame
    let silent = Double(frame - gaps[last].from) / sampleRate
    if fullScreen {
      draw(frame)
      return
    }
    if setup.interactive { clearScreen() }
    output.line(
      "\(CadenceCore.clock(Double(frame) / sampleRate))  sound back on '\(device)', on the beat (\(CadenceCore.clock(silent)) without sound)"
    )
  }

  /// The device did not come back in time.
  func soundGone(device: String) {
    guard let gap = gaps.last else { return }
    output.line(
      "\(CadenceCore.clock(Double(gap.from) / sampleRate))  '\(device)' did not come back; the run ends where the sound stopped"
    )
  }
}

/// What the control loop does while the device is away.
enum Recovery<Output: PCMOutput> {
  case back(Player<Output>)
  case stopped(signal: Int32?)
  case gaveUp
}

/// Tries to open the device again until it comes back, time runs out, the run's planned end
/// passes, a stop signal arrives or `q` is pressed. On success the engine is moved silently to
/// the frame the grid has reached, so the first click after the gap falls where it would have
/// if the sound had never stopped, and a new player starts there.
func recover<Output: PCMOutput>(
  _ run: LiveRun, lostAt: Int64, frameLimit: Int64?, reconnection: Reconnection<Output>, decoder: inout KeyDecoder
) -> Recovery<Output> {
  let clock = reconnection.clock
  let start = clock.now()
  var keys = run.setup.interactive
  var input = [UInt8](repeating: 0, count: 64)
  func gridFrame() -> Int64 {
    let elapsed = max(0, clock.now() - start)
    return lostAt + Int64((elapsed * run.sampleRate).rounded(.down))
  }
  while true {
    if clock.now() - start >= reconnection.giveUpSeconds { return .gaveUp }
    if let end = frameLimit, gridFrame() >= end { return .gaveUp }
    let device = reconnection.device
    if let output = try? device.open() {
      guard output.configuration.map({ Double($0.sampleRate) == run.sampleRate }) ?? false else {
        device.retire(output)
        return .gaveUp
      }
      // What was rendered before the loss is never rendered again: if the grid has not got
      // that far yet, wait for it.
      let rendered = run.engine.framesRendered
      if gridFrame() < rendered { clock.sleep(Double(rendered - gridFrame()) / run.sampleRate) }
      let target = max(rendered, gridFrame())
      if let end = frameLimit, target >= end {
        device.retire(output)
        return .gaveUp
      }
      run.skipSilently(to: target)
      guard let player = try? device.startPlayer(engine: run.engine, on: output, frameLimit: frameLimit) else {
        device.retire(output)
        return .gaveUp
      }
      run.attach(player)
      run.soundBack(at: target, device: device.name)
      return .back(player)
    }
    let woken = waitForWork(keys: keys, timeout: reconnection.retrySeconds)
    if woken.stop { return .stopped(signal: StopSignals.drain().first) }
    if woken.keys {
      if let typed = readKeys(&input) {
        if decoder.feed(typed).contains(.quit) { return .stopped(signal: nil) }
      } else {
        keys = false
      }
    }
  }
}
