import ALSA
import Glibc
import Playback

/// Runs `run` against a real player on the control thread: wakes on a stop signal, the player
/// ending, a key (on a terminal, in raw mode), the player waiting for the schedule, or every
/// 100 ms to tick; then stops the player,
/// waits for it and returns how the run ended. The signal that stopped it, if any, is in
/// `stoppedBy`.
public func runControlLoop<Output: PCMOutput>(_ run: LiveRun, player: Player<Output>) -> (
  outcome: RunOutcome, summary: PlaybackSummary, stoppedBy: Int32?
) {
  let interactive = run.setup.interactive
  let terminal = interactive ? RawTerminal() : nil
  defer { terminal?.restore() }
  var decoder = KeyDecoder()
  var fds = [
    pollfd(fd: StopSignals.readFD, events: Int16(POLLIN), revents: 0),
    pollfd(fd: player.finishedFD, events: Int16(POLLIN), revents: 0),
    pollfd(fd: interactive ? 0 : -1, events: Int16(POLLIN), revents: 0),
    pollfd(fd: player.starvedFD, events: Int16(POLLIN), revents: 0),
  ]
  var scratch = [UInt8](repeating: 0, count: 64)
  var input = [UInt8](repeating: 0, count: 64)
  var signal: Int32? = nil
  loop: while true {
    _ = poll(&fds, nfds_t(fds.count), 100)
    if fds[0].revents != 0 {
      signal = StopSignals.drain().first
      break
    }
    if fds[1].revents != 0 { break }
    if fds[2].revents != 0 {
      let n = read(0, &input, input.count)
      if n <= 0 {
        fds[2].fd = -1
      } else {
        for key in decoder.feed(input[0..<n]) where run.handle(key) == .stop { break loop }
      }
    }
    if fds[3].revents != 0 { _ = read(player.starvedFD, &scratch, scratch.count) }
    run.tick()
  }
  player.stop()
  let summary = player.wait()
  return (run.finish(summary), summary, signal)
}

extension Player: PlaybackPosition {
  public var periodFrames: Int { configuration.periodFrames }
}
