import CadenceCore
import ClickEngine

/// What a run shows: the live screen (redrawn in place, once a tick), the plain lines written
/// off a terminal, and the summary.
extension LiveRun {
  /// The line a run starts with (the screen below it shows the keys).
  public func begin(_ header: String) {
    output.line(header)
  }

  private var clicking: Bool {
    guard let phase = timeline.phase(at: heard) else { return false }
    return phase.kind == .block || (phase.kind == .warmUp && timeline.spec.warmUpSPM != nil)
  }

  /// "170 spm", or "no click" where the phase plays none (a silent warm-up, the cool-down).
  var cadenceText: String { clicking ? "\(Cadence.format(cadence)) spm" : "no click" }

  /// The keys this run reacts to.
  var keysHelp: String {
    var help = "keys: ↑↓ ±1  PgUp/PgDn ±5  space pause"
    if timeline.phases.count > 1 { help += "  n next phase" }
    if !cues.isEmpty { help += "  c next cue" }
    return help + "  q quit"
  }

  /// The live screen: status, cue (with cues), heard cadence (with `--listen`), keys.
  func draw(_ now: Int64) {
    let onBeat = lastClickFrame >= 0 && now >= lastClickFrame && now - lastClickFrame < Int64(sampleRate * 0.15)
    let beat = paused ? "‖" : (onBeat ? "●" : "○")
    var status = " \(beat) \(cadenceText)  \(clock(Double(now) / sampleRate))"
    if !timeline.isOpenEnded {
      let total = max(1, timeline.totalFrames)
      let width = 24
      let filled = Int(Double(width) * Double(min(now, total)) / Double(total))
      let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
      let phase = timeline.phase(at: now)
      status =
        " \((phase?.kind.rawValue ?? "done").uppercased()) " + status
        + " / \(clock(Double(total) / sampleRate))  [\(bar)]  \(clock(Double(max(0, total - now)) / sampleRate)) left"
      if let phase { status += "  (\(clock(Double(max(0, phase.end - now)) / sampleRate)) of this phase)" }
    }
    status += "  \(clicksHeard) clicks" + (paused ? "  paused" : "")
    var lines = [status]
    if !cues.isEmpty { lines.append(" cue: \(cueText)") }
    if let hearing {
      lines.append(" heard: " + heardText(hearing))
    }
    var help = " " + keysHelp
    if let speed = setup.speed {
      let step = setup.units.stepLength(meters: speed.stepLength(atSPM: cadence))
      help = " step \(step) at \(setup.units.speed(speed)) ·" + help
    }
    lines.append(help)
    var out = screenLines > 0 ? "\u{1B}[\(screenLines)F" : ""
    for line in lines { out += "\u{1B}[2K" + line + "\n" }
    screenLines = lines.count
    output.screen(out)
  }

  func clearScreen() {
    guard screenLines > 0 else { return }
    var out = "\u{1B}[\(screenLines)F"
    for _ in 0..<screenLines { out += "\u{1B}[2K\n" }
    out += "\u{1B}[\(screenLines)F"
    output.screen(out)
    screenLines = 0
  }

  /// Off a terminal, one line a minute: "2:00  170 spm, 340 clicks, 18:00 left".
  func printMinuteLineIfDue(_ now: Int64) {
    guard now >= nextPlainMinute else { return }
    nextPlainMinute = (now / Int64(sampleRate * 60) + 1) * Int64(sampleRate * 60)
    var line = "\(clock(Double(now) / sampleRate))  \(cadenceText), \(clicksHeard) clicks"
    if !timeline.isOpenEnded { line += ", \(clock(Double(max(0, timeline.totalFrames - now)) / sampleRate)) left" }
    output.line(line)
  }

  /// "164 spm, target 170: quicker, shorter steps".
  public func heardAdvice(_ spm: Double) -> String {
    guard timeline.phase(at: heard)?.kind == .block else { return "\(format(spm, 0)) spm" }
    let diff = spm - cadence
    let advice =
      abs(diff) <= 1.5 ? "at the target" : diff < 0 ? "quicker, shorter steps" : "a little slower: settle into the beat"
    return "\(format(spm, 0)) spm, target \(Cadence.format(cadence)): \(advice)"
  }

  /// The screen's line: the cadence and the timing against the click, or why there is none.
  func heardText(_ hearing: Hearing) -> String {
    switch hearing.current {
    case nil: return "listening for steady footfalls..."
    case .unsure(let why): return "no cadence: \(why.description)"
    case .cadence(let spm):
      let timing = hearing.timing.map {
        "; footfalls " + BeatTiming(offsetMs: $0.meanMs).describe(offsetMs: $0.meanMs, spreadMs: $0.spreadMs)
      }
      return heardAdvice(spm) + (timing ?? "")
    }
  }

  /// A minute's heard cadence (and timing), as a line off a terminal.
  func heardLine(_ entry: HeardMinute) {
    guard !setup.interactive else { return }
    let timing = entry.timing.map { "; footfalls \($0)" } ?? ""
    output.line("\(clock(Double(entry.minute + 1) * 60))  heard \(heardAdvice(entry.spm))\(timing)")
  }

  /// The run in a runner's words: how long it played (of how long), at which cadence or phase
  /// by phase, the clicks, a stop before the end, the time paused, the stretches without sound
  /// (merged into one statement), what was heard. "played 20:00 of 20:00 at 170 spm, 3400 clicks".
  public func summaryLine(_ outcome: RunOutcome) -> String {
    let of = plannedEnd.map { " of \(clock(Double($0) / sampleRate))" } ?? ""
    var text = "played \(clock(outcome.seconds))\(of)"
    if timeline.phases.count > 1 {
      text += " (\(playedDescription(outcome)))"
    } else if let range = outcome.cadenceRange {
      text +=
        range.lowerBound == range.upperBound
        ? " at \(Cadence.format(range.lowerBound)) spm"
        : " at \(Cadence.format(range.lowerBound)) to \(Cadence.format(range.upperBound)) spm"
    }
    text += ", \(outcome.clicks) clicks" + (outcome.stoppedEarly ? " (stopped early)" : "")
    if outcome.pausedFrames > 0 { text += "; paused \(clock(Double(outcome.pausedFrames) / sampleRate))" }
    if let gaps = gapsText(outcome.gaps) { text += "; " + gaps }
    if let heard = outcome.measuredSPM { text += "; heard \(format(heard, 1)) spm on average" }
    return text
  }

  /// What an engineer asks after a run (--verbose): frames and xruns.
  public func deviceLine(_ outcome: RunOutcome) -> String {
    "cadence: \(outcome.framesPlayed) frames played, \(outcome.xruns) xruns"
  }

  /// The stretches without sound in one statement: "no sound from 0:05 to 0:09 (the device was
  /// lost and opened again)", "no sound for 0:20 in all between 0:05 and 3:10 (the device was
  /// lost 4 times and opened again)", and a device that did not come back.
  private func gapsText(_ gaps: [SoundGap]) -> String? {
    guard let first = gaps.first, let last = gaps.last else { return nil }
    let from = clock(Double(first.from) / sampleRate)
    let back = gaps.filter { $0.to != nil }
    let silent = back.reduce(Int64(0)) { $0 + (($1.to ?? $1.from) - $1.from) }
    var parts: [String] = []
    if back.count == 1, let to = back[0].to {
      parts.append(
        "no sound from \(clock(Double(back[0].from) / sampleRate)) to \(clock(Double(to) / sampleRate)) "
          + "(the device was lost and opened again)")
    } else if back.count > 1, let end = back.last?.to {
      parts.append(
        "no sound for \(clock(Double(silent) / sampleRate)) in all between \(from) and "
          + "\(clock(Double(end) / sampleRate)) (the device was lost \(back.count) times and opened again)")
    }
    if last.to == nil {
      parts.append("sound lost at \(clock(Double(last.from) / sampleRate)), the device did not come back")
    }
    return parts.joined(separator: "; ")
  }

  /// What was played, phase by phase, for the history: "warm-up 5:00, cadence block 20:00 at
  /// 170 spm (continuous), cool-down 5:00".
  public func playedDescription(_ outcome: RunOutcome) -> String {
    let parts = timeline.phases.compactMap { phase -> String? in
      let played = min(outcome.framesPlayed, phase.end) - phase.start
      guard played > 0 else { return nil }
      var text = "\(phase.kind.rawValue) \(clock(Double(played) / sampleRate))"
      if phase.kind == .block { text += " at \(Cadence.format(timeline.spec.blockSPM)) spm (\(styleName))" }
      return text
    }
    return parts.isEmpty ? "stopped before it began" : parts.joined(separator: ", ")
  }

  private var styleName: String {
    var name: String
    switch timeline.spec.style {
    case .continuous: name = "continuous"
    case .ramp(let from, let minutes): name = "ramp from \(Cadence.format(from)) over \(format(minutes, 1)) min"
    case .intervals(let on, let off): name = "intervals \(format(on, 1))/\(format(off, 1)) min"
    }
    if timeline.spec.fade { name += ", fading" }
    return name
  }
}

/// "5:00 warm-up, 20:00 at 170 spm, 5:00 cool-down".
public func describe(_ timeline: SessionTimeline) -> String {
  timeline.phases.map { phase in
    let length = clock(Double(phase.end - phase.start) / timeline.sampleRate)
    return phase.kind == .block
      ? "\(length) at \(Cadence.format(timeline.spec.blockSPM)) spm" : "\(length) \(phase.kind.rawValue)"
  }.joined(separator: ", ")
}
