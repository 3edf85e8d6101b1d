import ALSA

/// How a playback run ended.
public struct PlaybackSummary: Sendable, Equatable {
  /// Frames rendered and handed to the device.
  public var framesWritten: Int64
  /// Frames the listener heard: written minus what was still queued when playback stopped.
  public var framesPlayed: Int64
  public var xruns: Int
  /// Times the playback thread woke to wait for the device (each poll it made).
  public var wakeups: Int = 0
  /// Set when playback stopped because the device failed.
  public var error: ALSAError?

  public init(framesWritten: Int64, framesPlayed: Int64, xruns: Int, wakeups: Int = 0, error: ALSAError? = nil) {
    self.framesWritten = framesWritten
    self.framesPlayed = framesPlayed
    self.xruns = xruns
    self.wakeups = wakeups
    self.error = error
  }
}

/// Whether the playback thread got real-time scheduling.
public enum RealtimeStatus: Sendable, Equatable {
  case fifo(priority: Int32)
  case normal(reason: String)
}
