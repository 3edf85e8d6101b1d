import ALSA
import Glibc
import Synchronization

/// How waiting for a device ended.
enum DeviceWait: Equatable {
  case ready
  case stopRequested
  /// A negative errno from the device (an xrun, say): the caller recovers or gives up.
  case failed(Int32)
}

/// Waits until `device` has room for (or holds) `needed` frames, without spinning on any
/// plugin, and counts every wake-up in `wakeups`.
///
/// The device's own count of frames (`available`) decides, never a descriptor alone: a poll
/// that wakes without that many frames is not trusted again at once. Instead the thread
/// sleeps on the stop descriptor for the time the device needs to free the missing frames
/// (at least a quarter period), then asks the device again. So a plugin whose descriptor
/// stays readable while it is full (PipeWire 0.3.65's) costs a few wake-ups a period, not a
/// busy loop at real-time priority. Does not allocate; playback and capture threads only.
func waitForFrames<Device: PCMOutput>(
  _ needed: Int, on device: Device, configuration: PCMConfiguration, stopFD: Int32, wakeups: borrowing Atomic<Int>
) -> DeviceWait {
  var trustDescriptor = true
  var polled = false
  while true {
    let available = device.available()
    if available < 0 { return .failed(Int32(truncatingIfNeeded: available)) }
    if available >= needed { return .ready }
    // Woken by the descriptor, yet still short: it cannot be trusted until time has passed.
    if polled { trustDescriptor = false }
    polled = false
    wakeups.add(1, ordering: .relaxed)
    if trustDescriptor {
      switch device.wait(stopFD: stopFD, timeoutMilliseconds: 1000) {
      case .stopRequested: return .stopRequested
      case .failed(let code): return .failed(code)
      case .timedOut: continue
      case .writable, .notReady: polled = true
      }
    } else {
      let missing = needed - max(0, available)
      let rate = max(1, configuration.sampleRate)
      let floor = max(1, configuration.periodFrames * 1000 / rate / 4)
      let milliseconds = Int32(clamping: max(floor, (missing * 1000 + rate - 1) / rate))
      var stop = pollfd(fd: stopFD, events: Int16(POLLIN), revents: 0)
      if poll(&stop, 1, milliseconds) > 0 { return .stopRequested }
      trustDescriptor = true
    }
  }
}
