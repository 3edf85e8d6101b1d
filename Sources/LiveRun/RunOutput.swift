import CadenceCore
import ClickEngine
import Glibc
import Playback

/// Where a run's words go: plain lines (off a terminal, and the header) and the live screen's
/// raw text. Injected, so that a test reads exactly what a runner would.
public protocol RunOutput: AnyObject {
  /// One line; the newline is added.
  func line(_ text: String)
  /// Terminal text as is (escape sequences included, no newline added).
  func screen(_ text: String)
}

/// Where playback is: what the listener hears now and how far ahead a change must be made.
/// The player is one; an offline render in a test is another.
public protocol PlaybackPosition: AnyObject {
  /// The frame the listener hears now (written minus the device's delay).
  var framesHeard: Int64 { get }
  /// The device's period: a change is made at least two periods past what is rendered.
  var periodFrames: Int { get }
  /// Ends playback after `frame` frames (a phase cut short brings the end forward).
  func endAt(_ frame: Int64)
  /// Moves the end to `frame`, later or sooner (a pause moves the rest of the workout later;
  /// `Int64.max` while it holds).
  func moveEnd(to frame: Int64)
  /// The frame heard against the monotonic clock (nil where there is no device).
  var playbackClock: FrameClock? { get }
}

extension PlaybackPosition {
  public var playbackClock: FrameClock? { nil }
}

/// How a run shows itself on a terminal: the full-screen view with block digits (where the
/// terminal is large enough, else the line view), the line view, or plain lines.
public enum ScreenMode: String, Sendable, CaseIterable {
  case big, line, plain
}

/// What a run plays and shows.
public struct RunSetup {
  public var timeline: SessionTimeline
  /// Seconds between form cues; nil for no cues at all (`cadence play`).
  public var cueEverySeconds: Double?
  public var speed: Speed?
  /// How the speed and the step length are shown (km/h and m, or mph and ft: the runner's choice).
  public var units: UnitSystem
  /// Spoken cues and milestones, by their spoken text (`FormCue.spoken`); kept alive by the
  /// run while the engine may play them.
  public var clips: [String: Sample]
  /// The milestones spoken besides the cues (with clips only).
  public var milestones: Set<Milestone> = Set(Milestone.allCases)
  /// `--offset`: frames the device plays later than it reports.
  public var offsetFrames: Int64
  /// A live screen and keys (a terminal) or plain lines.
  public var interactive: Bool
  /// Where an open-ended timeline stops (`cadence play --minutes`); nil: until stopped.
  public var frameLimit: Int64?
  /// The terminal's width in columns, read at every draw (a window can be resized); nil when
  /// unknown: the lines are then not fitted.
  public var columns: () -> Int? = { nil }
  /// The terminal's height in rows, read at every draw; nil when unknown (no full-screen view).
  public var rows: () -> Int? = { nil }
  /// The view on a terminal (`--screen`).
  public var screen: ScreenMode = .line

  public init(
    timeline: SessionTimeline, cueEverySeconds: Double? = nil, speed: Speed? = nil,
    units: UnitSystem = .metric, clips: [String: Sample] = [:],
    offsetFrames: Int64 = 0, interactive: Bool, frameLimit: Int64? = nil
  ) {
    self.frameLimit = frameLimit
    self.timeline = timeline
    self.cueEverySeconds = cueEverySeconds
    self.speed = speed
    self.units = units
    self.clips = clips
    self.offsetFrames = offsetFrames
    self.interactive = interactive
  }
}

/// How a run ended: what was played and heard, for the summary and the history.
public struct RunOutcome: Sendable {
  public var framesPlayed: Int64
  public var sampleRate: Double
  /// Clicks the listener heard (those still queued when playback stopped are not counted).
  public var clicks: Int
  public var xruns: Int
  /// The cadence at the end: the last step's, or where the runner's keys left it.
  public var finalSPM: Double
  /// What the quiet coach did (`--quiet-coach`).
  public var quiet: QuietTally? = nil
  /// The distance a treadmill's belt ran during the run, m (`--sensor` with a treadmill).
  public var beltMeters: Double? = nil
  /// The stretches the foot pod sent nothing (seconds of the run; `to` nil when it never came
  /// back).
  public var podGaps: [(from: Double, to: Double?)] = []
  /// The planned end was not reached (a key, a signal, a lost device).
  public var stoppedEarly: Bool
  /// The runner's cadence heard in each minute (`--listen`).
  public var heardPerMinute: [HeardMinute]
  /// Stretches without sound (a device lost, and found again or not).
  public var gaps: [SoundGap] = []
  /// Frames the click was paused for (space, a headset's pause).
  public var pausedFrames: Int64 = 0
  /// The slowest and fastest cadence a click heard was played at (nil: no click was heard).
  public var cadenceRange: ClosedRange<Double>?

  public var seconds: Double { Double(framesPlayed) / sampleRate }
  /// Time running: the run's length less its pauses (what is stored as the run's time).
  public var runSeconds: Double { Double(max(0, framesPlayed - pausedFrames)) / sampleRate }
  public var pausedSeconds: Double { Double(pausedFrames) / sampleRate }
  /// The belt's mean speed over the time run, m/s; nil without a treadmill's distance.
  public var beltSpeed: Double? {
    guard let beltMeters, beltMeters > 0, runSeconds > 0 else { return nil }
    return beltMeters / runSeconds
  }

  /// The average of the minutes heard, to a tenth; nil without `--listen`.
  public var measuredSPM: Double? {
    guard !heardPerMinute.isEmpty else { return nil }
    return ((heardPerMinute.map(\.spm).reduce(0, +) / Double(heardPerMinute.count)) * 10).rounded() / 10
  }
}
