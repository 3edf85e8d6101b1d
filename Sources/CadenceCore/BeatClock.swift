/// Where the next step falls, and how tempo changes move it.
///
/// Pure value state, driven by the render thread: no allocation, no locks. Every method runs
/// in constant time.
public struct BeatClock: Sendable, Equatable, BitwiseCopyable {
  public private(set) var segment: TempoSegment
  /// Index, within `segment`, of the next beat to sound.
  public private(set) var nextBeat: Int64
  /// Frame of the most recent beat, if one has sounded.
  public private(set) var lastBeatFrame: Int64?
  public private(set) var isPaused = false
  /// While paused: the tempo that resuming will play.
  private var heldSPM: Double = 0

  /// A clock whose first beat sounds at `start`.
  public init(spm: Double, sampleRate: Double, start: Int64 = 0) {
    segment = TempoSegment(origin: start, spm: spm, sampleRate: sampleRate)
    nextBeat = 0
  }

  /// A clock that plays `segment` from beat `firstBeat` on.
  public init(segment: TempoSegment, firstBeat: Int64 = 0) {
    self.segment = segment
    nextBeat = firstBeat
  }

  /// Frame of the next beat, or nil while paused.
  public var nextBeatFrame: Int64? { isPaused ? nil : segment.frame(ofBeat: nextBeat) }

  /// The tempo that the next beat is played at.
  public var currentSPM: Double {
    segment.spm(atOffset: segment.offset(ofBeat: nextBeat))
  }

  /// Marks the next beat as sounded and returns its frame.
  public mutating func advance() -> Int64 {
    let frame = segment.frame(ofBeat: nextBeat)
    lastBeatFrame = frame
    nextBeat += 1
    return frame
  }

  /// Changes tempo at frame `now`: the next beat follows the last one by the new interval,
  /// or sounds at `now` if that moment has already passed.
  public mutating func setTempo(_ spm: Double, at now: Int64) {
    if isPaused {
      heldSPM = spm
      return
    }
    let rate = segment.sampleRate
    rebase(at: now) { origin in TempoSegment(origin: origin, spm: spm, sampleRate: rate) }
  }

  /// Ramps linearly from the tempo in effect to `spm` over `frames`, measured from the last
  /// beat (the ramp's beat 0), then holds `spm`.
  public mutating func ramp(to spm: Double, overFrames frames: Int64, at now: Int64) {
    if isPaused {
      heldSPM = spm
      return
    }
    let from = tempoAtLastBeat
    let rate = segment.sampleRate
    rebase(at: now) { origin in
      TempoSegment(origin: origin, from: from, to: spm, rampFrames: frames, sampleRate: rate)
    }
  }

  /// Starts a new grid at `now`: its beat 0 sounds at `now`, then `from` ramps to `to` over
  /// `rampFrames` (0: steady). Sessions place it on a beat of the old grid, so the change is
  /// seamless and lands on a beat boundary.
  public mutating func start(at now: Int64, from: Double, to: Double, rampFrames: Int64) {
    segment = TempoSegment(origin: now, from: from, to: to, rampFrames: rampFrames, sampleRate: segment.sampleRate)
    nextBeat = 0
    lastBeatFrame = nil
    isPaused = false
  }

  public mutating func pause() {
    guard !isPaused else { return }
    heldSPM = tempoAtLastBeat
    isPaused = true
  }

  /// Resumes at the tempo in effect when paused (or set since); the first beat sounds at `now`.
  public mutating func resume(at now: Int64) {
    guard isPaused else { return }
    isPaused = false
    segment = TempoSegment(origin: now, spm: heldSPM, sampleRate: segment.sampleRate)
    nextBeat = 0
    lastBeatFrame = nil
  }

  private var tempoAtLastBeat: Double {
    guard let last = lastBeatFrame else { return segment.startSPM }
    return segment.spm(atOffset: Double(last - segment.origin))
  }

  private mutating func rebase(at now: Int64, _ make: (Int64) -> TempoSegment) {
    guard let last = lastBeatFrame else {
      // Nothing has sounded yet: keep the pending first beat where it is.
      segment = make(segment.frame(ofBeat: nextBeat))
      nextBeat = 0
      return
    }
    let anchored = make(last)
    if anchored.frame(ofBeat: 1) >= now {
      segment = anchored
      nextBeat = 1
    } else {
      segment = make(now)
      nextBeat = 0
    }
  }
}
