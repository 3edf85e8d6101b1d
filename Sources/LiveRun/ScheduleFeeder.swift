import ClickEngine

/// Hands a run's schedule (the timeline's commands and the cue clips) to the engine a bounded
/// horizon ahead of what it has rendered, so that a session of any length and interval pattern
/// fits a small command ring: at most the commands due within `horizonFrames`, and never more
/// than the ring holds (the rest wait for the next `feed`, nothing is dropped). The engine is
/// told how far the pushed commands reach, so that a device faster than real time (a file)
/// cannot outrun the schedule.
public struct ScheduleFeeder {
  /// Commands not yet pushed, in frame order (stable: commands at one frame keep their order).
  private var pending: [TimedCommand] = []
  private var next = 0
  public let horizonFrames: Int64
  public private(set) var generation: UInt32 = 0

  public init(horizonFrames: Int64) {
    self.horizonFrames = horizonFrames
  }

  /// Replaces what is still to be pushed by the commands of `schedule` due at or after `frame`,
  /// stamped with `generation` (from `ClickEngine.cutover`).
  public mutating func replace(with schedule: [TimedCommand], from frame: Int64, generation: UInt32) {
    self.generation = generation
    pending = schedule.enumerated().filter { $0.element.at >= frame }
      .sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
      .map { entry in
        var command = entry.element
        command.generation = generation
        return command
      }
    next = 0
  }

  /// Pushes the commands due before `engine.framesRendered + horizonFrames`, as far as the
  /// ring has room; returns how many it pushed.
  @discardableResult
  public mutating func feed(_ engine: ClickEngine) -> Int {
    let horizon = engine.framesRendered + horizonFrames
    var pushed = 0
    while next < pending.count && pending[next].at < horizon {
      guard engine.commands.push(pending[next]) else { break }
      next += 1
      pushed += 1
    }
    if next == pending.count && next > 0 {
      pending.removeAll(keepingCapacity: true)
      next = 0
    }
    engine.markScheduled(until: next < pending.count ? pending[next].at : Int64.max)
    return pushed
  }

  /// Commands still waiting to be pushed.
  public var waiting: Int { pending.count - next }
}
