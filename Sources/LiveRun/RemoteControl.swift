import CadenceCore
import Glibc

/// What a remote (the desktop's media controls, a headset's buttons through MPRIS) asks of a
/// run: the same things the keys do.
public enum RemoteCommand: Equatable, Sendable {
  case playPause, play, pause, next, stop
}

/// What a remote shows of the run.
public struct RemoteState: Equatable, Sendable {
  public enum Status: String, Sendable { case playing = "Playing", paused = "Paused", stopped = "Stopped" }
  public var status: Status
  /// "170 spm · cadence block · 12:30 left".
  public var title: String
  /// The run's shape: "5:00 warm-up, 20:00 at 170 spm, 5:00 cool-down", or "cadence play".
  public var album: String
  /// The planned length in microseconds; 0 for a run with no planned end.
  public var lengthMicroseconds: Int64
  public var positionMicroseconds: Int64
  public var canGoNext: Bool

  public init(
    status: Status, title: String, album: String, lengthMicroseconds: Int64, positionMicroseconds: Int64,
    canGoNext: Bool
  ) {
    self.status = status
    self.title = title
    self.album = album
    self.lengthMicroseconds = lengthMicroseconds
    self.positionMicroseconds = positionMicroseconds
    self.canGoNext = canGoNext
  }
}

/// A remote the control loop polls beside the keys: its descriptor wakes the loop, `receive`
/// returns what it asked for, and `show` is given the run's state once a tick.
public protocol RemoteControl: AnyObject {
  /// The descriptor and the poll events to wait for now.
  var pollRequest: pollfd { get }
  func receive() -> [RemoteCommand]
  func show(_ state: RemoteState)
}

extension LiveRun {
  /// A remote's command, as the key that does the same: play/pause is space (Play only when
  /// paused, Pause only when playing), Next is `n`, Stop is `q`.
  public func handle(_ command: RemoteCommand) -> Reaction {
    switch command {
    case .playPause: return handle(.space)
    case .play: return paused ? handle(.space) : .carryOn
    case .pause: return paused ? .carryOn : handle(.space)
    case .next: return timeline.phases.count > 1 ? handle(.character("n")) : .carryOn
    case .stop: return handle(.quit)
    }
  }

  /// The run as a remote shows it now.
  public var remoteState: RemoteState {
    let now = heard
    var parts = [cadenceText]
    if !timeline.isOpenEnded {
      parts.append(timeline.phase(at: now)?.kind.rawValue ?? "done")
      parts.append("\(clock(Double(max(0, timeline.totalFrames - now)) / sampleRate)) left")
    } else if let end = plannedEnd {
      parts.append("\(clock(Double(max(0, end - now)) / sampleRate)) left")
    } else {
      parts.append(clock(Double(now) / sampleRate))
    }
    let length = plannedEnd.map { Int64((Double($0) / sampleRate * 1e6).rounded()) } ?? 0
    return RemoteState(
      status: paused ? .paused : .playing, title: parts.joined(separator: " · "),
      album: timeline.isOpenEnded ? "cadence play" : describe(timeline), lengthMicroseconds: length,
      positionMicroseconds: Int64((Double(now) / sampleRate * 1e6).rounded()), canGoNext: timeline.phases.count > 1)
  }
}
