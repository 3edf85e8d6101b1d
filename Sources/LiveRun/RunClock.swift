import Glibc

/// Seconds on a clock that never jumps, and a way to wait on it: injected, so that a test of a
/// lost device decides how long the device was away.
public protocol RunClock {
  func now() -> Double
  func sleep(_ seconds: Double)
}

/// CLOCK_MONOTONIC and nanosleep.
public struct MonotonicClock: RunClock {
  public init() {}

  public func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
  }

  public func sleep(_ seconds: Double) {
    guard seconds.isFinite, seconds > 0 else { return }
    var time = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
    var left = timespec()
    while nanosleep(&time, &left) < 0 && errno == EINTR { time = left }
  }
}
