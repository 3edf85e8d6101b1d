import Glibc

/// What a wait found.
public struct Woken: Sendable, Equatable {
  /// A stop signal arrived: the stop pipe is readable.
  public var stop = false
  /// Standard input is readable, or has ended.
  public var keys = false

  public init(stop: Bool = false, keys: Bool = false) {
    self.stop = stop
    self.keys = keys
  }
}

/// The one wait of a run's control side (the control loop, a lost device's retries, taps,
/// listening, a question at the check-in): sleeps until a stop signal (a byte on `stopFD`),
/// standard input when `keys`, one of `extra` (each with its own events, the revents written
/// back), or `timeout` seconds (nil: no limit). A signal that interrupts a timed wait returns
/// with nothing found (callers loop); an unlimited wait starts again, and then finds the
/// signal's byte on the stop pipe. Never on the playback thread.
public func waitForWork(
  stopFD: Int32 = StopSignals.readFD, keys: Bool, extra: inout [pollfd], timeout seconds: Double?
) -> Woken {
  var fds = [
    pollfd(fd: stopFD, events: Int16(POLLIN), revents: 0),
    pollfd(fd: keys ? 0 : -1, events: Int16(POLLIN), revents: 0),
  ]
  fds += extra
  let timeout = seconds.map { Int32(clamping: Int(($0 * 1000).rounded(.up))) } ?? -1
  var ready = poll(&fds, nfds_t(fds.count), max(-1, timeout))
  while ready < 0 && errno == EINTR && timeout < 0 { ready = poll(&fds, nfds_t(fds.count), -1) }
  if ready < 0 && timeout < 0 {
    // Not an interruption (no memory, say): let the caller read and find out.
    return Woken(stop: false, keys: keys)
  }
  guard ready > 0 else {
    for i in extra.indices { extra[i].revents = 0 }
    return Woken()
  }
  for i in extra.indices { extra[i].revents = fds[i + 2].revents }
  return Woken(stop: stopFD >= 0 && fds[0].revents != 0, keys: keys && fds[1].revents != 0)
}

/// `waitForWork` with no descriptors of the caller's own.
public func waitForWork(stopFD: Int32 = StopSignals.readFD, keys: Bool, timeout seconds: Double?) -> Woken {
  var none: [pollfd] = []
  return waitForWork(stopFD: stopFD, keys: keys, extra: &none, timeout: seconds)
}

/// Reads what standard input holds now (keys, on a terminal in raw mode) into `buffer`; nil
/// when it has ended or failed.
public func readKeys(_ buffer: inout [UInt8]) -> ArraySlice<UInt8>? {
  let n = read(0, &buffer, buffer.count)
  return n > 0 ? buffer[0..<n] : nil
}
