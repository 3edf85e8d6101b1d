/// What the microphone heard in one minute of a run (`session --listen`): the runner's
/// cadence, and, where the click was playing and both streams ran in real time, the footfalls'
/// timing against it.
public struct HeardMinute: Equatable, Sendable, Codable {
  /// Minute of the run, from 0.
  public var minute: Int
  public var spm: Double
  /// Mean footfall minus click in milliseconds; negative is ahead of the click.
  public var offsetMs: Double?
  /// Standard deviation of footfall minus click in milliseconds.
  public var spreadMs: Double?
  /// Where the cadence came from: "microphone" (nil in rows stored before sensors) or "sensor"
  /// (a foot pod).
  public var source: String?
  /// The speed over the minute, m/s (sensor minutes only): a treadmill's belt where one was
  /// read, else the foot pod's own.
  public var metersPerSecond: Double?
  /// The distance the treadmill's belt ran in the minute, m (with a treadmill only).
  public var meters: Double?

  public init(
    minute: Int, spm: Double, offsetMs: Double? = nil, spreadMs: Double? = nil, source: String? = nil,
    metersPerSecond: Double? = nil, meters: Double? = nil
  ) {
    self.meters = meters
    self.minute = minute
    self.spm = spm
    self.offsetMs = offsetMs
    self.spreadMs = spreadMs
    self.source = source
    self.metersPerSecond = metersPerSecond
  }

  /// "on the beat (+8 ms, spread 14 ms)", "late (+52 ms, spread 20 ms)"; nil without timing.
  public var timing: String? {
    guard let offsetMs, let spreadMs else { return nil }
    return BeatTiming(offsetMs: offsetMs).describe(offsetMs: offsetMs, spreadMs: spreadMs)
  }
}

/// Where the footfalls land against the click.
public enum BeatTiming: String, Sendable {
  case onTheBeat = "on the beat"
  case early
  case late

  /// Footfalls this close to the click, on average, are on the beat (product choice: a few
  /// tens of milliseconds, which a runner cannot hear apart).
  public static let onTheBeatMs = 30.0

  public init(offsetMs: Double) {
    self = abs(offsetMs) <= Self.onTheBeatMs ? .onTheBeat : offsetMs < 0 ? .early : .late
  }

  public func describe(offsetMs: Double, spreadMs: Double) -> String {
    let ms = Int(offsetMs.rounded())
    return "\(rawValue) (\(ms > 0 ? "+" : "")\(ms) ms, spread \(Int(spreadMs.rounded())) ms)"
  }
}
