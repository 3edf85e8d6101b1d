import ALSA
import Glibc
import Playback

/// Runs `run` against a real player on the control thread: wakes on a stop signal, the player
/// ending, a key (on a terminal, in raw mode), the player waiting for the schedule, or every
/// 100 ms to tick; then stops the player, waits for it and returns how the run ended. The
/// signal that stopped it, if any, is in `stoppedBy`.
///
/// With a `reconnection`, a device that fails mid-run is opened again (see `recover`) and the
/// run goes on there on its beat grid; the summary then adds up every player's xruns and
/// wake-ups, and the outcome lists the stretches without sound.
///
/// A `remote` (MPRIS) is polled with the keys: its commands do what the keys do, and it is
/// shown the run's state every tick, and "Stopped" at the end.
public func runControlLoop<Output: PCMOutput>(
  _ run: LiveRun, player first: Player<Output>, reconnection: Reconnection<Output>? = nil,
  remote: RemoteControl? = nil
) -> (outcome: RunOutcome, summary: PlaybackSummary, stoppedBy: Int32?) {
  let interactive = run.setup.interactive
  let terminal = interactive ? RawTerminal() : nil
  defer { terminal?.restore() }
  var decoder = KeyDecoder()
  var player = first
  var earlier = (xruns: 0, wakeups: 0)
  defer {
    if let remote {
      var state = run.remoteState
      state.status = .stopped
      remote.show(state)
    }
  }
  // The remote shows the run from the start, not from the first tick.
  remote?.show(run.remoteState)
  while true {
    let signal = playUntilDone(run, player: player, decoder: &decoder, remote: remote)
    player.stop()
    var summary = player.wait()
    summary.xruns += earlier.xruns
    summary.wakeups += earlier.wakeups
    guard signal == .none, let error = summary.error, let reconnection else {
      return (run.finish(summary), summary, signal.flatMap { $0 })
    }
    let lostAt = min(player.framesHeard, summary.framesPlayed)
    if let end = player.frameLimit, lostAt >= end { return (run.finish(summary), summary, nil) }
    run.soundLost(
      at: lostAt, reason: error.description, device: reconnection.device.name,
      giveUpSeconds: reconnection.giveUpSeconds)
    reconnection.device.retire(player.output)
    let limit = player.frameLimit
    summary.framesPlayed = lostAt
    switch recover(run, lostAt: lostAt, frameLimit: limit, reconnection: reconnection, decoder: &decoder) {
    case .back(let next):
      earlier = (summary.xruns, summary.wakeups)
      player = next
    case .stopped(let signal):
      return (run.finish(summary), summary, signal)
    case .gaveUp:
      run.soundGone(device: reconnection.device.name)
      return (run.finish(summary), summary, nil)
    }
  }
}

/// Drives the run until the player ends (nil), a key stops it (`.some(nil)`) or a stop signal
/// arrives (`.some(signal)`).
private func playUntilDone<Output: PCMOutput>(
  _ run: LiveRun, player: Player<Output>, decoder: inout KeyDecoder, remote: RemoteControl?
) -> Int32?? {
  var extra = [
    pollfd(fd: player.finishedFD, events: Int16(POLLIN), revents: 0),
    pollfd(fd: player.starvedFD, events: Int16(POLLIN), revents: 0),
    pollfd(fd: -1, events: 0, revents: 0),
  ]
  var keys = run.setup.interactive
  var scratch = [UInt8](repeating: 0, count: 64)
  var input = [UInt8](repeating: 0, count: 64)
  while true {
    if let remote { extra[2] = remote.pollRequest }
    let woken = waitForWork(keys: keys, extra: &extra, timeout: 0.1)
    if woken.stop { return .some(StopSignals.drain().first) }
    if extra[0].revents != 0 { return .none }
    if woken.keys {
      if let typed = readKeys(&input) {
        for key in decoder.feed(typed) where run.handle(key) == .stop { return .some(nil) }
      } else {
        keys = false
      }
    }
    if extra[1].revents != 0 { _ = read(player.starvedFD, &scratch, scratch.count) }
    if let remote {
      for command in remote.receive() where run.handle(command) == .stop { return .some(nil) }
    }
    run.tick()
    remote?.show(run.remoteState)
    if run.pauseOutlasted { return .some(nil) }
  }
}

extension Player: PlaybackPosition {
  public var periodFrames: Int { configuration.periodFrames }
  public var playbackClock: FrameClock? { clock }
}
