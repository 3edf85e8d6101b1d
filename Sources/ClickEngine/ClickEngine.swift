import CadenceCore
import Synchronization

/// The click sound pair an engine plays: the normal click and its accent variant, both at the
/// engine's sample rate.
public struct ClickSound: Sendable {
  public let name: String
  public let normal: Sample
  public let accent: Sample

  public init(name: String, normal: Sample, accent: Sample) {
    self.name = name
    self.normal = normal
    self.accent = accent
  }
}

/// Initial state of an engine; everything here can also be changed live by command.
public struct ClickSettings: Sendable, Equatable {
  public var spm: Double
  public var every: Int = 1
  public var accentEvery: Int = 0
  public var gain: Float = 0.8

  public init(spm: Double, every: Int = 1, accentEvery: Int = 0, gain: Float = 0.8) {
    self.spm = spm
    self.every = every
    self.accentEvery = accentEvery
    self.gain = gain
  }
}

/// The sample-exact metronome: a beat clock, a fixed voice pool and a mixer.
///
/// One engine, any sink: the ALSA playback thread and the offline file renderer both call
/// `render`. The engine owns no thread and does no I/O.
///
/// Threads: `render` is called by one thread at a time (the render thread). Control talks to
/// it only through `commands` (control pushes, render pops) and `events` (render pushes,
/// control pops), plus the atomic `framesRendered`.
public final class ClickEngine: @unchecked Sendable {
  public static let voiceCount = 16

  public let sampleRate: Double
  public let sound: ClickSound
  /// Control to render thread.
  public let commands: SPSCRing<TimedCommand>
  /// Render thread to control; an event that finds the ring full is dropped and counted.
  public let events: SPSCRing<EngineEvent>

  private let renderedAtomic = Atomic<Int64>(0)
  private let cutoverFrame = Atomic<Int64>(Int64.max)
  private let cutoverGeneration = Atomic<UInt32>(0)
  private let droppedEventsAtomic = Atomic<Int>(0)
  private let scheduledUntilAtomic = Atomic<Int64>(Int64.max)

  // Render-thread state.
  private var clock: BeatClock
  private var frame: Int64 = 0
  private var step: Int64 = 0
  /// Step index from which `every` counts (the first step after a change clicks).
  private var everyFrom: Int64 = 0
  private var clicks: Int64 = 0
  private var every: Int
  private var accentEvery: Int
  private var gain: Float
  private var muted = false
  private let voices: UnsafeMutablePointer<Voice>

  public init(
    sampleRate: Double, sound: ClickSound, settings: ClickSettings,
    commandCapacity: Int = 256, eventCapacity: Int = 4096
  ) {
    precondition(sound.normal.sampleRate == sampleRate && sound.accent.sampleRate == sampleRate)
    self.sampleRate = sampleRate
    self.sound = sound
    clock = BeatClock(spm: settings.spm, sampleRate: sampleRate)
    every = max(1, settings.every)
    accentEvery = max(0, settings.accentEvery)
    gain = settings.gain
    commands = SPSCRing(capacity: commandCapacity)
    events = SPSCRing(capacity: eventCapacity)
    voices = .allocate(capacity: Self.voiceCount)
    voices.initialize(repeating: Voice(), count: Self.voiceCount)
  }

  deinit { voices.deallocate() }

  /// Frames rendered so far; safe to read from any thread.
  public var framesRendered: Int64 { renderedAtomic.load(ordering: .acquiring) }
  /// Events lost because the control side did not drain `events` in time.
  public var droppedEvents: Int { droppedEventsAtomic.load(ordering: .relaxed) }

  /// Every scheduled command due before this frame is in `commands`: a player renders no
  /// further (a schedule fed a bounded horizon ahead must not be outrun). `Int64.max` (the
  /// default) when the whole schedule is queued.
  public var scheduledUntil: Int64 { scheduledUntilAtomic.load(ordering: .acquiring) }

  /// Control side: says how far the commands pushed so far cover the schedule.
  public func markScheduled(until frame: Int64) {
    scheduledUntilAtomic.store(frame, ordering: .releasing)
  }

  /// Control side: replaces the schedule from `frame` on. Commands already queued with an older
  /// generation and due at or after `frame` will be dropped; push the new schedule with the
  /// returned generation. Choose `frame` at least two periods past `framesRendered`, so that no
  /// render in progress has passed it.
  public func cutover(from frame: Int64) -> UInt32 {
    let generation = cutoverGeneration.load(ordering: .relaxed) &+ 1
    cutoverFrame.store(frame, ordering: .relaxed)
    cutoverGeneration.store(generation, ordering: .releasing)
    return generation
  }

  /// Renders the next `out.count` frames of mono audio into `out`, overwriting it.
  ///
  /// Real-time contract: no allocation, no lock, no logging, no I/O, no await, no free, and
  /// time bounded by the period length plus the commands due in it. Proven by
  /// `RenderAllocationTests` (zero mallocs on the rendering thread) and the benchmark.
  public func render(_ out: UnsafeMutableBufferPointer<Float>) {
    guard let base = out.baseAddress, !out.isEmpty else { return }
    let count = out.count
    base.update(repeating: 0, count: count)
    let start = frame
    let end = start + Int64(count)
    let generation = cutoverGeneration.load(ordering: .acquiring)
    let cutFrame = cutoverFrame.load(ordering: .relaxed)
    var cursor = start
    while true {
      var limit = end
      if let due = commands.peek() {
        if due.generation < generation && due.at >= cutFrame {
          _ = commands.pop()  // replaced by a newer schedule
          continue
        }
        if due.at <= cursor {
          _ = commands.pop()
          apply(due.command, at: cursor, bufferStart: start)
          continue
        }
        limit = min(limit, due.at)
      }
      if let beat = clock.nextBeatFrame, beat < limit {
        cursor = max(beat, cursor)
        playStep(at: cursor, bufferStart: start)
        continue
      }
      if limit == end { break }
      cursor = limit
    }
    mix(into: base, count: count, bufferStart: start)
    frame = end
    renderedAtomic.store(end, ordering: .releasing)
  }

  private func apply(_ command: EngineCommand, at now: Int64, bufferStart: Int64) {
    switch command {
    case .setCadence(let spm): clock.setTempo(spm, at: now)
    case .ramp(let spm, let frames): clock.ramp(to: spm, overFrames: frames, at: now)
    case .startTempo(let from, let to, let frames): clock.start(at: now, from: from, to: to, rampFrames: frames)
    case .pause: clock.pause()
    case .resume: clock.resume(at: now)
    case .setEvery(let n):
      every = max(1, n)
      everyFrom = step
    case .setAccentEvery(let n): accentEvery = max(0, n)
    case .setMuted(let m): muted = m
    case .setGain(let g): gain = min(max(g, 0), 1)
    case .playClip(let samples, let clipGain, let tag):
      start(samples, gain: clipGain, at: now, bufferStart: bufferStart, tag: tag)
      report(EngineEvent(kind: .clipStarted, frame: now, step: Int64(tag), spm: clock.currentSPM))
    }
  }

  private func playStep(at onset: Int64, bufferStart: Int64) {
    let spm = clock.currentSPM
    _ = clock.advance()
    let index = step
    step += 1
    var kind = EngineEvent.Kind.silentStep
    if !muted && (index - everyFrom) % Int64(every) == 0 {
      let accented = accentEvery > 0 && clicks % Int64(accentEvery) == 0
      clicks += 1
      kind = accented ? .accent : .click
      let sample = accented ? sound.accent : sound.normal
      start(sample.frames, gain: gain, at: onset, bufferStart: bufferStart, tag: 0)
    }
    report(EngineEvent(kind: kind, frame: onset, step: index, spm: spm))
  }

  private func start(
    _ samples: UnsafeBufferPointer<Float>, gain: Float, at onset: Int64, bufferStart: Int64, tag: Int32
  ) {
    // A free voice, else steal the click that has played longest (clips are not stolen
    // while a click voice is available).
    var chosen = 0
    var oldest = Int.min
    for i in 0..<Self.voiceCount {
      if !voices[i].active { chosen = i; oldest = Int.max; break }
      if voices[i].tag == 0 && voices[i].position > oldest {
        oldest = voices[i].position
        chosen = i
      }
    }
    voices[chosen] = Voice(samples: samples, position: -Int(onset - bufferStart), gain: gain, tag: tag, active: true)
  }

  private func mix(into out: UnsafeMutablePointer<Float>, count: Int, bufferStart: Int64) {
    for i in 0..<Self.voiceCount where voices[i].active {
      let voice = voices[i]
      guard let source = voice.samples.baseAddress else {
        voices[i].active = false
        continue
      }
      let dst = max(0, -voice.position)
      let src = max(0, voice.position)
      let n = min(count - dst, voice.samples.count - src)
      if n > 0 {
        let g = voice.gain
        for j in 0..<n { out[dst + j] += source[src + j] * g }
      }
      let position = voice.position + count
      voices[i].position = position
      if position >= voice.samples.count {
        voices[i].active = false
        if voice.tag != 0 {
          let endFrame = bufferStart - Int64(voice.position) + Int64(voice.samples.count)
          report(EngineEvent(kind: .clipFinished, frame: endFrame, step: Int64(voice.tag), spm: clock.currentSPM))
        }
      }
    }
  }

  private func report(_ event: EngineEvent) {
    if !events.push(event) { droppedEventsAtomic.add(1, ordering: .relaxed) }
  }
}

/// One sound playing: `position` is the sample index at the start of the current buffer
/// (negative while the onset lies later in the buffer).
struct Voice: BitwiseCopyable {
  var samples = UnsafeBufferPointer<Float>(start: nil, count: 0)
  var position = 0
  var gain: Float = 0
  var tag: Int32 = 0
  var active = false
}
