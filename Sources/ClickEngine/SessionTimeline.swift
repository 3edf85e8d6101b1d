import CadenceCore

/// What a coached session plays: a warm-up, the cadence block, a cool-down.
public struct SessionSpec: Sendable, Equatable {
  public enum Style: Sendable, Equatable {
    case continuous
    /// From `fromSPM` to the block cadence over the block's first `minutes`.
    case ramp(fromSPM: Double, minutes: Double)
    /// `on` minutes with the click, `off` minutes without, repeated.
    case intervals(onMinutes: Double, offMinutes: Double)
  }

  public var warmUpMinutes: Double
  /// A soft click during the warm-up at this cadence; nil for none.
  public var warmUpSPM: Double?
  /// Nil: the block goes on until stopped (`cadence play`), with no cool-down, intervals or fade.
  public var blockMinutes: Double?
  public var blockSPM: Double
  public var style: Style
  /// The click thins out over the block: every step, every 2nd, every 4th, then silent stretches.
  public var fade: Bool
  public var coolDownMinutes: Double
  public var gain: Float
  public var every: Int
  public var accentEvery: Int
  /// The cadence of the runner's last run, if any: the block announces a change from it.
  public var previousSPM: Double?

  public init(
    warmUpMinutes: Double = 5, warmUpSPM: Double? = nil, blockMinutes: Double? = 20, blockSPM: Double,
    style: Style = .continuous, fade: Bool = false, coolDownMinutes: Double = 5, gain: Float = 0.8, every: Int = 1,
    accentEvery: Int = 0, previousSPM: Double? = nil
  ) {
    self.warmUpMinutes = warmUpMinutes
    self.warmUpSPM = warmUpSPM
    self.blockMinutes = blockMinutes
    self.blockSPM = blockSPM
    self.style = style
    self.fade = fade
    self.coolDownMinutes = coolDownMinutes
    self.gain = gain
    self.every = every
    self.accentEvery = accentEvery
    self.previousSPM = previousSPM
  }

  /// `cadence play`: the click from the first frame until stopped, ramping `from` the start
  /// cadence to `spm` over `rampMinutes` if they differ.
  public static func untilStopped(
    spm: Double, from: Double? = nil, rampMinutes: Double = 0, gain: Float, every: Int, accentEvery: Int
  ) -> SessionSpec {
    SessionSpec(
      warmUpMinutes: 0, blockMinutes: nil, blockSPM: spm,
      style: from.map { .ramp(fromSPM: $0, minutes: rampMinutes) } ?? .continuous, coolDownMinutes: 0, gain: gain,
      every: every, accentEvery: accentEvery)
  }

  /// The warm-up click's level relative to the block's: softer, as a warm-up should be.
  public static let warmUpGainRatio: Float = 0.5
  /// In the last quarter of a fading block: this long with the click, then as long without.
  public static let fadeStretchSeconds = 30.0
}

/// A session compiled to frames: phases and the engine commands that make them, every change
/// placed on a beat of the grid it leaves, so phase changes, ramps and fades land on beats.
public struct SessionTimeline: Sendable, Equatable {
  public enum Kind: String, Sendable, Equatable, CaseIterable {
    case warmUp = "warm-up"
    case block = "cadence block"
    case coolDown = "cool-down"
  }

  public struct Phase: Sendable, Equatable {
    public var kind: Kind
    public var start: Int64
    public var end: Int64
  }

  public struct Cue: Sendable, Equatable {
    public var frame: Int64
    public var cue: FormCue

    public init(frame: Int64, cue: FormCue) {
      self.frame = frame
      self.cue = cue
    }
  }

  public let spec: SessionSpec
  public let sampleRate: Double
  public let phases: [Phase]
  public let commands: [TimedCommand]
  /// The block's tempo law (beat 0 at the block's start).
  public let blockSegment: TempoSegment
  /// The initial engine settings (the warm-up's).
  public let initial: ClickSettings
  public let initiallyMuted: Bool

  /// `Int64.max` for a block that goes on until stopped.
  public var totalFrames: Int64 { phases.last?.end ?? 0 }
  public var isOpenEnded: Bool { spec.blockMinutes == nil }

  public init(_ spec: SessionSpec, sampleRate rate: Double) {
    self.spec = spec
    sampleRate = rate
    func frames(_ minutes: Double) -> Int64 { Int64((minutes * 60 * rate).rounded()) }
    var commands: [TimedCommand] = []

    // Warm-up: a soft click at its own cadence, or a silent grid.
    let warmSPM = spec.warmUpSPM ?? spec.blockSPM
    let warm = TempoSegment(origin: 0, spm: warmSPM, sampleRate: rate)
    initial = ClickSettings(
      spm: warmSPM, every: 1, accentEvery: spec.accentEvery,
      gain: spec.warmUpSPM == nil ? spec.gain : spec.gain * SessionSpec.warmUpGainRatio)
    initiallyMuted = spec.warmUpSPM == nil
    let nominalBlock = frames(spec.warmUpMinutes)
    let blockStart = spec.warmUpSPM == nil ? nominalBlock : warm.frame(ofBeat: warm.firstBeat(atOrAfter: nominalBlock))

    // The block: a new grid from its first beat.
    let (from, rampFrames): (Double, Int64) =
      switch spec.style {
      case .ramp(let fromSPM, let minutes): (fromSPM, frames(minutes))
      default: (spec.blockSPM, 0)
      }
    let block = TempoSegment(
      origin: blockStart, from: from, to: spec.blockSPM, rampFrames: rampFrames, sampleRate: rate)
    blockSegment = block
    func snap(_ nominal: Int64) -> Int64 { block.frame(ofBeat: block.firstBeat(atOrAfter: nominal)) }
    commands += [
      TimedCommand(at: blockStart, .setMuted(false)),
      TimedCommand(at: blockStart, .setGain(spec.gain)),
      TimedCommand(at: blockStart, .setEvery(spec.every)),
      TimedCommand(at: blockStart, .startTempo(from: from, to: spec.blockSPM, frames: rampFrames)),
    ]
    let nominalEnd = spec.blockMinutes.map { blockStart + frames($0) } ?? Int64.max
    let blockEnd = spec.blockMinutes.map { $0 > 0 ? snap(nominalEnd) : blockStart } ?? Int64.max

    if case .intervals(let on, let off) = spec.style, on > 0, off > 0, blockEnd < Int64.max {
      // Nominal switch times from the block start in closed form, each snapped to a beat.
      var minutes = 0.0
      var clicking = true
      while true {
        minutes += clicking ? on : off
        let at = snap(blockStart + frames(minutes))
        if at >= blockEnd { break }
        clicking.toggle()
        commands.append(TimedCommand(at: at, .setMuted(!clicking)))
      }
    }
    if spec.fade && blockEnd > blockStart && blockEnd < Int64.max {
      let quarter = Double(nominalEnd - blockStart) / 4
      for (i, every) in [2, 4].enumerated() {
        commands.append(
          TimedCommand(at: snap(blockStart + Int64(quarter * Double(i + 1))), .setEvery(spec.every * every)))
      }
      // Last quarter: stretches with and without the click.
      let stretch = Int64(SessionSpec.fadeStretchSeconds * rate)
      var nominal = blockStart + Int64(quarter * 3) + stretch
      var silent = true
      while true {
        let at = snap(nominal)
        if at >= blockEnd { break }
        commands.append(TimedCommand(at: at, .setMuted(silent)))
        silent.toggle()
        nominal += stretch
      }
    }

    // Cool-down: no click.
    if blockEnd < Int64.max { commands.append(TimedCommand(at: blockEnd, .setMuted(true))) }
    let end = blockEnd < Int64.max ? blockEnd + frames(spec.coolDownMinutes) : blockEnd
    phases = [
      Phase(kind: .warmUp, start: 0, end: blockStart),
      Phase(kind: .block, start: blockStart, end: blockEnd),
      Phase(kind: .coolDown, start: blockEnd, end: end),
    ].filter { $0.end > $0.start || $0.kind == .block }
    // Stable by frame: commands at one frame keep the order they were made in.
    self.commands = commands.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(
      \.element)
  }

  /// Everything the engine is sent, in frame order: a silent warm-up's mute, then the commands.
  public var schedule: [TimedCommand] {
    (initiallyMuted ? [TimedCommand(at: 0, .setMuted(true))] : []) + commands
  }

  public func phase(at frame: Int64) -> Phase? {
    phases.last { $0.start <= frame && (frame < $0.end || $0.end == $0.start) } ?? phases.last
  }

  /// The cue schedule: the warm-up reminder; at the block's start the new cadence if it changed
  /// since the last run, else the stride cue; a rotating form cue every `interval` seconds; the
  /// thinning note; the cool-down.
  public func cues(everySeconds interval: Double) -> [Cue] {
    var cues: [Cue] = []
    if let warm = phases.first(where: { $0.kind == .warmUp }) {
      cues.append(Cue(frame: warm.start, cue: FormCues.warmUp(minutes: spec.warmUpMinutes)))
    }
    if let block = phases.first(where: { $0.kind == .block }), block.end > block.start {
      if let previous = spec.previousSPM, abs(previous - spec.blockSPM) >= 0.05 {
        cues.append(Cue(frame: block.start, cue: FormCues.cadenceChange(from: previous, to: spec.blockSPM)))
      } else {
        cues.append(Cue(frame: block.start, cue: FormCues.catalog[0]))
      }
      let step = Int64(interval * sampleRate)
      var at = block.start + step
      var index = 1  // the stride cue was just given
      while step > 0 && at < block.end && !isOpenEnded {
        cues.append(Cue(frame: at, cue: FormCues.catalog[index % FormCues.catalog.count]))
        index += 1
        at += step
      }
      if spec.fade, let thin = commands.first(where: { $0.command == .setEvery(spec.every * 2) }) {
        cues.append(Cue(frame: thin.at, cue: FormCues.thinning))
      }
    }
    if let cool = phases.first(where: { $0.kind == .coolDown }) {
      cues.append(Cue(frame: cool.start, cue: FormCues.coolDown(minutes: spec.coolDownMinutes)))
    }
    return cues.enumerated().sorted { ($0.element.frame, $0.offset) < ($1.element.frame, $1.offset) }.map(\.element)
  }

  /// The spoken milestones of `kinds` (see `Milestone`), in frame order: the block's start, its
  /// halfway point, 5 and 1 minutes before its end, and an interval block's switches.
  public func milestones(_ kinds: Set<Milestone>) -> [Cue] {
    guard let block = phases.first(where: { $0.kind == .block }), block.end > block.start else { return [] }
    let why = "A spoken milestone (a product choice), to follow the session without looking."
    func cue(_ frame: Int64, _ id: String, _ line: String) -> Cue {
      Cue(frame: frame, cue: FormCue(id: "milestone-" + id, line: line, why: why))
    }
    var out: [Cue] = []
    if kinds.contains(.phases) {
      let spm = Cadence.format(spec.blockSPM)
      if case .ramp = spec.style {
        out.append(cue(block.start, "block", "Cadence block, ramping to \(spm)."))
      } else {
        out.append(cue(block.start, "block", "Cadence block, \(spm)."))
      }
    }
    if !isOpenEnded {
      let minute = Int64((60 * sampleRate).rounded())
      let length = block.end - block.start
      if kinds.contains(.halfway) && length >= 2 * minute {
        out.append(cue(block.start + length / 2, "halfway", "Halfway."))
      }
      if kinds.contains(.left) {
        if length >= 10 * minute { out.append(cue(block.end - 5 * minute, "five-left", "5 minutes left.")) }
        if length >= 2 * minute { out.append(cue(block.end - minute, "one-left", "1 minute left.")) }
      }
      if kinds.contains(.intervals), case .intervals = spec.style {
        for command in commands where command.at > block.start && command.at < block.end {
          guard case .setMuted(let muted) = command.command else { continue }
          out.append(
            muted
              ? cue(command.at, "click-off", "Click off: hold the cadence.") : cue(command.at, "click-on", "Click on."))
        }
      }
    }
    return out.enumerated().sorted { ($0.element.frame, $0.offset) < ($1.element.frame, $1.offset) }.map(\.element)
  }

  private init(
    spec: SessionSpec, sampleRate: Double, phases: [Phase], commands: [TimedCommand], blockSegment: TempoSegment,
    initial: ClickSettings, initiallyMuted: Bool
  ) {
    self.spec = spec
    self.sampleRate = sampleRate
    self.phases = phases
    self.commands = commands
    self.blockSegment = blockSegment
    self.initial = initial
    self.initiallyMuted = initiallyMuted
  }

  /// This session with everything from `frame` on played `delay` frames later: a pause that
  /// held the workout at `frame`. The phase holding `frame` grows by `delay`; later phases,
  /// the commands at or after `frame` and the block's grid move by it. So the phases keep
  /// their lengths at the click, and the intervals, fades and cues resume where they were.
  public func delayed(from frame: Int64, by delay: Int64) -> SessionTimeline {
    guard delay > 0 else { return self }
    func moved(_ f: Int64) -> Int64 { f == Int64.max ? f : f + delay }
    let phases = self.phases.map { phase -> Phase in
      var phase = phase
      if phase.start >= frame {
        phase.start = moved(phase.start)
        phase.end = moved(phase.end)
      } else if phase.end > frame {
        phase.end = moved(phase.end)
      }
      return phase
    }
    let commands = self.commands.map { $0.at >= frame ? TimedCommand(at: moved($0.at), $0.command) : $0 }
    var block = blockSegment
    block.origin = moved(block.origin)
    return SessionTimeline(
      spec: spec, sampleRate: sampleRate, phases: phases, commands: commands, blockSegment: block, initial: initial,
      initiallyMuted: initiallyMuted)
  }

  /// This session with the phase in effect at `frame` ended there (the `n` key): later phases
  /// keep their lengths and start at the first beat from `frame`. Nil in the last phase.
  public func endingPhase(at frame: Int64) -> SessionTimeline? {
    guard let current = phase(at: frame), current != phases.last else { return nil }
    var spec = self.spec
    let minutes = Double(frame - current.start) / (60 * sampleRate)
    switch current.kind {
    case .warmUp: spec.warmUpMinutes = minutes
    case .block: spec.blockMinutes = minutes
    case .coolDown: return nil
    }
    return SessionTimeline(spec, sampleRate: sampleRate)
  }
}
