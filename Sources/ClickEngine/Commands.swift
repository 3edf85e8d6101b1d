/// What the control side can ask of the render thread. Plain values only, so that a command
/// crosses the SPSC ring by copy, with nothing to retain or free on the render thread.
public enum EngineCommand: @unchecked Sendable, BitwiseCopyable, Equatable {
  /// New steady cadence; lands on the next beat (see `BeatClock.setTempo`).
  case setCadence(Double)
  /// Linear tempo ramp from the cadence in effect, over `frames`, from the last beat.
  case ramp(to: Double, frames: Int64)
  /// A new grid from this frame: beat 0 here, ramping `from` to `to` over `frames` (0: steady).
  case startTempo(from: Double, to: Double, frames: Int64)
  case pause
  case resume
  /// Click on every step (1), every 2nd step (one foot, 2) or every 4th (4), counted from the
  /// next step: the first step after the change always clicks.
  case setEvery(Int)
  /// Accent every n-th click; 0 for none.
  case setAccentEvery(Int)
  /// Steps go on but make no sound (fading sessions' silent stretches).
  case setMuted(Bool)
  /// Linear gain of the clicks, 0...1.
  case setGain(Float)
  /// Mixes a clip (a spoken cue, say) from the frame the command lands on. The caller keeps
  /// the memory alive until the engine reports `.clipFinished` with the same `tag`.
  case playClip(UnsafeBufferPointer<Float>, gain: Float, tag: Int32)

  public static func == (a: EngineCommand, b: EngineCommand) -> Bool {
    switch (a, b) {
    case (.setCadence(let x), .setCadence(let y)): x == y
    case (.ramp(let x, let f), .ramp(let y, let g)): x == y && f == g
    case (.startTempo(let a, let b, let f), .startTempo(let c, let d, let g)): a == c && b == d && f == g
    case (.pause, .pause), (.resume, .resume): true
    case (.setEvery(let x), .setEvery(let y)), (.setAccentEvery(let x), .setAccentEvery(let y)): x == y
    case (.setMuted(let x), .setMuted(let y)): x == y
    case (.setGain(let x), .setGain(let y)): x == y
    case (.playClip(let p, let g, let t), .playClip(let q, let h, let u)):
      p.baseAddress == q.baseAddress && p.count == q.count && g == h && t == u
    default: false
    }
  }
}

/// A command and the frame it takes effect on. Commands must be pushed in frame order;
/// `asSoonAsPossible` lands at the start of the next rendered period.
public struct TimedCommand: Sendable, BitwiseCopyable, Equatable {
  public static let asSoonAsPossible = Int64.min
  public var at: Int64
  public var command: EngineCommand
  /// Schedules are replaced by `ClickEngine.cutover`: a command of an older generation due at or
  /// after the cutover frame is dropped.
  public var generation: UInt32

  public init(at: Int64 = asSoonAsPossible, _ command: EngineCommand, generation: UInt32 = 0) {
    self.at = at
    self.command = command
    self.generation = generation
  }
}

/// What the render thread reports back, in frame order.
public struct EngineEvent: Sendable, BitwiseCopyable, Equatable {
  public enum Kind: UInt8, Sendable, BitwiseCopyable {
    /// A step that made no sound (`--every`, muted).
    case silentStep
    case click
    case accent
    case clipStarted
    case clipFinished
  }

  public var kind: Kind
  /// Frame of the onset (steps, clip start) or of the end (clip finished).
  public var frame: Int64
  /// Step index since the engine started, counting silent steps; the clip's tag for clips.
  public var step: Int64
  /// Cadence the step was played at.
  public var spm: Double

  public init(kind: Kind, frame: Int64, step: Int64, spm: Double) {
    self.kind = kind
    self.frame = frame
    self.step = step
    self.spm = spm
  }

  public var isAudibleStep: Bool { kind == .click || kind == .accent }
  public var isStep: Bool { kind == .silentStep || isAudibleStep }
}
