import CadenceCore
import ClickEngine

/// What a run shows: the live screen (redrawn in place, once a tick), the plain lines written
/// off a terminal, and the summary.
extension LiveRun {
  /// The line a run starts with (the screen below it shows the keys).
  public func begin(_ header: String) {
    output.line(header)
  }

  /// Whether the phase playing now clicks: the tempo keys and pause act only then.
  var clicking: Bool {
    guard let phase = timeline.phase(at: heard) else { return false }
    return phase.kind == .block || (phase.kind == .warmUp && timeline.spec.warmUpSPM != nil)
  }

  /// "170 spm", or "no click" where the phase plays none (a silent warm-up, the cool-down).
  var cadenceText: String { clicking ? "\(Cadence.format(cadence)) spm" : "no click" }

  /// The keys this run reacts to now, most important first in `priority` (q and pause are
  /// kept longest when the line must be fitted).
  var keyFields: [Field] {
    var fields: [Field] = []
    if clicking {
      fields.append(Field("↑↓ ±1", priority: 3))
      fields.append(Field("PgUp/PgDn ±5", priority: 5))
      fields.append(Field("space pause", priority: 1))
    }
    if timeline.phases.count > 1, let phase = timeline.phase(at: heard), phase != timeline.phases.last {
      fields.append(Field("n next phase", priority: 2))
    }
    if !cues.isEmpty { fields.append(Field("c next cue", priority: 4)) }
    fields.append(Field("q quit", priority: 0))
    return fields
  }

  /// "keys: ↑↓ ±1  PgUp/PgDn ±5  space pause  q quit", as many keys as fit.
  func keysHelp(width: Int?) -> String {
    "keys: " + Field.fit(keyFields, width: width.map { $0 - 6 })
  }

  /// A live screen is drawn (a terminal, and not `--screen plain`); else plain lines.
  var showsScreen: Bool { setup.interactive && setup.screen != .plain }

  /// The live screen: the full-screen view where it is asked for and fits, else the line view.
  func draw(_ now: Int64) {
    let width = setup.columns().flatMap { $0 > 0 ? $0 : nil }
    let height = setup.rows().flatMap { $0 > 0 ? $0 : nil }
    if setup.screen == .big, let width, let height,
      let frame = BigScreen.frame(bigState(now), columns: width, rows: height)
    {
      paint(frame, columns: width, rows: height)
      return
    }
    let lines = lineView(now, width: width)
    if fullScreen, let width, let height {
      // The window shrank below the full-screen view: the line view, at the top.
      paint(lines.prefix(height).map { BigScreen.pad($0, width - 1) }, columns: width, rows: height)
      return
    }
    var out = screenLines > 0 ? "\u{1B}[\(screenLines)F" : ""
    for line in lines { out += "\u{1B}[2K" + line + "\n" }
    screenLines = lines.count
    output.screen(out)
  }

  /// The cue line is drawn: with form cues, and with the quiet coach (what it did, and why).
  var showsCues: Bool { !cues.isEmpty || quietCoach != nil }

  /// What the full-screen view shows at `now`.
  func bigState(_ now: Int64) -> BigScreenState {
    let onBeat = lastClickFrame >= 0 && now >= lastClickFrame && now - lastClickFrame < Int64(sampleRate * 0.15)
    var heardNow: (spm: String, word: String)?
    let heard = hearing.flatMap { hearing -> Double? in
      if case .cadence(let spm)? = hearing.current { return spm }
      return nil
    }
    if let spm = heard ?? sensing?.current {
      let diff = spm - cadence
      let word = abs(diff) <= 1.5 ? "on the beat" : diff < 0 ? "low: quicker steps" : "high: settle in"
      heardNow = (format(spm, 0), (heard != nil ? "heard: " : "sensed: ") + word)
    }
    let phase = timeline.phase(at: now)
    let time: Int64
    let label: String
    if timeline.isOpenEnded {
      time = now
      label = "played"
    } else {
      time = max(0, (phase?.end ?? now) - now)
      label = "left in this phase"
    }
    let word: String
    switch phase?.kind {
    case _ where timeline.isOpenEnded: word = "PLAY"
    case .warmUp?: word = "WARM"
    case .block?: word = "BLOCK"
    case .coolDown?: word = "COOL"
    case nil: word = "DONE"
    }
    return BigScreenState(
      phase: timeline.isOpenEnded ? "PLAYING" : (phase?.kind.rawValue ?? "done").uppercased(), phaseWord: word,
      target: clicking ? Cadence.format(cadence) : nil, heard: heardNow, onBeat: onBeat && !paused, paused: paused,
      soundLost: gaps.last.map { $0.to == nil } ?? false, time: clock(Double(time) / sampleRate), timeLabel: label,
      progress: timeline.isOpenEnded
        ? nil : Double(min(now, timeline.totalFrames)) / Double(max(1, timeline.totalFrames)),
      cue: showsCues ? cueText : nil, keys: keyFields)
  }

  /// Writes the rows of a full-screen frame that changed since the last (all of them after a
  /// resize), entering the alternate screen with the cursor hidden the first time.
  func paint(_ rows: [String], columns: Int, rows height: Int) {
    var out = ""
    if !fullScreen {
      out += "\u{1B}[?1049h\u{1B}[?25l"
      fullScreen = true
      drawnRows = []
    }
    if drawnSize != (columns, height) {
      out += "\u{1B}[H\u{1B}[2J"
      drawnRows = []
      drawnSize = (columns, height)
    }
    for (index, row) in rows.enumerated() where index >= drawnRows.count || drawnRows[index] != row {
      out += "\u{1B}[\(index + 1);1H" + row
    }
    if drawnRows.count > rows.count {
      for index in rows.count..<drawnRows.count { out += "\u{1B}[\(index + 1);1H\u{1B}[2K" }
    }
    drawnRows = rows
    if !out.isEmpty { output.screen(out) }
  }

  /// The line view: status, cue (with cues), heard cadence (with `--listen`), keys; each line
  /// fitted to the terminal's width (fields dropped by priority, never wrapped).
  func lineView(_ now: Int64, width: Int?) -> [String] {
    // Every line starts with a space, and the last column stays empty (a terminal that wraps
    // there would scroll the screen): two columns less for the fields.
    let room = width.map { $0 - 2 }
    let onBeat = lastClickFrame >= 0 && now >= lastClickFrame && now - lastClickFrame < Int64(sampleRate * 0.15)
    let beat = paused ? "‖" : (onBeat ? "●" : "○")
    var fields = [Field("\(beat) \(cadenceText)", priority: 0)]
    if timeline.isOpenEnded {
      fields.append(Field(clock(Double(now) / sampleRate), priority: 2))
    } else {
      let total = max(1, timeline.totalFrames)
      let barWidth = 24
      let filled = Int(Double(barWidth) * Double(min(now, total)) / Double(total))
      let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled)
      let phase = timeline.phase(at: now)
      fields.insert(Field((phase?.kind.rawValue ?? "done").uppercased(), priority: 3), at: 0)
      fields.append(Field("\(clock(Double(now) / sampleRate)) / \(clock(Double(total) / sampleRate))", priority: 7))
      fields.append(Field("[\(bar)]", priority: 6))
      fields.append(Field("\(clock(Double(max(0, total - now)) / sampleRate)) left", priority: 4))
      if let phase {
        fields.append(Field("(\(clock(Double(max(0, phase.end - now)) / sampleRate)) of this phase)", priority: 2))
      }
    }
    fields.append(Field("\(clicksHeard) clicks", priority: 8))
    if paused { fields.append(Field("paused", priority: 1)) }
    var lines = [" " + Field.fit(fields, width: room)]
    if showsCues { lines.append(" " + Field.cut("cue: \(cueText)", to: room)) }
    if let hearing {
      lines.append(" " + Field.cut("heard: " + heardText(hearing), to: room))
    }
    if let sensing {
      lines.append(" " + Field.cut("sensed: " + sensedText(sensing), to: room))
    }
    var help: [Field] = []
    // The step at the belt's speed where a treadmill is read, else at the speed given.
    if let speed = sensing?.beltSpeed.flatMap({ $0 > 0 ? Speed(metersPerSecond: $0) : nil }) ?? setup.speed {
      let step = setup.units.stepLength(meters: speed.stepLength(atSPM: cadence))
      help.append(Field("step \(step) at \(setup.units.speed(speed)) ·", priority: 1))
    }
    let keys = keysHelp(width: room)
    help.append(Field(keys, priority: 0))
    lines.append(" " + Field.fit(help, width: room, separator: " "))
    return lines
  }

  /// Takes the live screen away: the full-screen view leaves the alternate screen and shows
  /// the cursor again (what was on the terminal before comes back); the line view is erased.
  func clearScreen() {
    if fullScreen {
      output.screen("\u{1B}[?25h\u{1B}[?1049l")
      fullScreen = false
      drawnRows = []
      drawnSize = (0, 0)
      return
    }
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

  /// The sensors' line: the cadence sensed and what to do (or that it is not settled yet), and
  /// a treadmill's belt speed.
  func sensedText(_ sensing: Sensing) -> String {
    let belt =
      sensing.beltSpeed.map { speed in
        " (belt \(setup.units.speed(Speed(metersPerSecond: speed)))"
          + (sensing.beltMeters.map { ", \(setup.units.distance(meters: $0))" } ?? "") + ")"
      } ?? ""
    if let since = sensing.quietSince {
      return "nothing from \(sensing.name) since \(clock(since)) (the run goes on)\(belt)"
    }
    guard let spm = sensing.current else {
      return sensing.treadmillName == sensing.name
        ? "belt \(sensing.beltSpeed.map { setup.units.speed(Speed(metersPerSecond: $0)) } ?? "-")"
        : "waiting for steady packets from \(sensing.name)...\(belt)"
    }
    return heardAdvice(spm) + belt
  }

  /// A minute's sensed cadence (and the pod's speed), as a line off a terminal.
  func sensedLine(_ entry: HeardMinute) {
    guard !setup.interactive else { return }
    let speed = entry.metersPerSecond.map { " at \(setup.units.speed(Speed(metersPerSecond: $0)))" } ?? ""
    output.line("\(clock(Double(entry.minute + 1) * 60))  sensed \(heardAdvice(entry.spm))\(speed)")
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
    if let heard = outcome.measuredSPM {
      let sensed = outcome.heardPerMinute.allSatisfy { $0.source == "sensor" }
      text += "; \(sensed ? "sensed" : "heard") \(format(heard, 1)) spm on average"
    }
    if let quiet = outcome.quiet { text += "; " + quietText(quiet, end: outcome.framesPlayed) }
    for gap in outcome.podGaps {
      text +=
        gap.to.map { "; the foot pod sent nothing from \(clock(gap.from)) to \(clock($0))" }
        ?? "; the foot pod sent nothing from \(clock(gap.from)) on"
    }
    if let meters = outcome.beltMeters, let speed = outcome.beltSpeed {
      text +=
        "; the treadmill's belt ran \(setup.units.distance(meters: meters)) at "
        + setup.units.speed(Speed(metersPerSecond: speed))
    }
    return text
  }

  /// "the quiet coach held the click back for 2:10 in 2 stretches, with 3 cues (2 quicker, 1
  /// slower)", or that the band was never held long enough.
  func quietText(_ quiet: QuietTally, end: Int64) -> String {
    let stretches = quiet.silences.count
    var text =
      stretches == 0
      ? "the quiet coach kept the click (the \(Cadence.format(quiet.band)) spm band was not held for "
        + "\(format(QuietCoach.settleSeconds, 0)) s)"
      : "the quiet coach held the click back for \(clock(Double(quiet.silentFrames(upTo: end)) / sampleRate)) in "
        + "\(stretches) stretch\(stretches == 1 ? "" : "es")"
    if !quiet.cues.isEmpty {
      let quicker = quiet.cues.filter { $0.drift == .tooSlow }.count
      text +=
        ", with \(quiet.cues.count) cue\(quiet.cues.count == 1 ? "" : "s") (\(quicker) quicker, "
        + "\(quiet.cues.count - quicker) slower)"
    }
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

/// A piece of a screen line: its text and how long it stays when the line must be fitted
/// (0 stays longest).
struct Field {
  var text: String
  var priority: Int

  init(_ text: String, priority: Int) {
    self.text = text
    self.priority = priority
  }

  /// Columns the text takes: cadence's screen text holds no wide characters.
  static func columns(_ text: String) -> Int { text.unicodeScalars.count }

  /// The fields joined by `separator`, in their order, the least important dropped until the
  /// line fits `width` (nil: no limit); the last one left is cut to fit.
  static func fit(_ fields: [Field], width: Int?, separator: String = "  ") -> String {
    var kept = fields
    func line() -> String { kept.map(\.text).joined(separator: separator) }
    guard let width else { return line() }
    while kept.count > 1 && columns(line()) > width {
      if let worst = kept.indices.max(by: { kept[$0].priority < kept[$1].priority }) { kept.remove(at: worst) }
    }
    return cut(line(), to: width)
  }

  /// `text` cut to `width` columns, with "…" where it was cut.
  static func cut(_ text: String, to width: Int?) -> String {
    guard let width, columns(text) > width else { return text }
    guard width > 1 else { return width == 1 ? "…" : "" }
    var scalars = String.UnicodeScalarView()
    scalars.append(contentsOf: text.unicodeScalars.prefix(width - 1))
    return String(scalars) + "…"
  }
}
