import AudioTestSupport
import CadenceCore
import ClickEngine
import Sensors
import Testing

@testable import LiveRun

@Suite struct QuietCoachTests {
  /// The coach alone: held for 30 s, quiet; out of the band, back with a cue (at most one per
  /// 20 s); a pause or no settled cadence brings the click back without a cue.
  @Test func itDecidesByTheBandTheSettlingAndTheRateLimit() {
    var coach = QuietCoach(band: 3)
    #expect(coach.update(now: 0, target: 170, live: 171, active: true) == [])
    #expect(coach.update(now: 29.9, target: 170, live: 167, active: true) == [])
    #expect(coach.update(now: 30, target: 170, live: 173, active: true) == [.silence])
    #expect(coach.update(now: 40, target: 170, live: 172, active: true) == [])
    #expect(coach.update(now: 41, target: 170, live: 173.5, active: true) == [.restore, .cue(.tooFast)])
    #expect(coach.update(now: 60.9, target: 170, live: 176, active: true) == [])
    #expect(coach.update(now: 61, target: 170, live: 164, active: true) == [.cue(.tooSlow)])
    #expect(coach.update(now: 62, target: 170, live: 170, active: true) == [])
    #expect(coach.update(now: 92, target: 170, live: 170, active: true) == [.silence])
    #expect(coach.update(now: 93, target: 170, live: 170, active: false) == [.restore])
    #expect(coach.update(now: 94, target: 170, live: 170, active: true) == [])
    #expect(coach.update(now: 124, target: 170, live: nil, active: true) == [])
    #expect(coach.update(now: 154, target: 170, live: 170, active: true) == [])
    #expect(coach.update(now: 184, target: 170, live: 170, active: true) == [.silence])
    #expect(coach.update(now: 185, target: 170, live: nil, active: true) == [.restore])
  }

  @Test func tonesAreTwoForSlowAndThreeForFast() {
    let slow = QuietCoach.tones(.tooSlow, sampleRate: 48_000)
    let fast = QuietCoach.tones(.tooFast, sampleRate: 48_000)
    #expect(slow.count == 2 * 2_400 + 1_920 && fast.count == 3 * 2_400 + 2 * 1_920)
    #expect(fast.frames[0] != 0 && fast.frames[2_400] == 0 && fast.frames[4_320] != 0)
    #expect(QuietCoach.toneStarts(.tooFast, sampleRate: 48_000) == [0, 4_320, 8_640])
  }

  /// A 3-minute `play` at 170 spm with a foot pod at 170 spm, then 176 from 1:00 to 2:00, then
  /// 170 again, and the quiet coach's band of 3 spm. Every click is a beat of the one 170-spm
  /// grid from frame 0; the beats missing are exactly those from the first silence to the return
  /// and from the second silence to the end; each cue's tones start 10 ms after a click.
  @Test func silencesAndReturnsLandOnBeatsOfTheGrid() throws {
    let rate = 48_000.0
    let output = RecordedOutput()
    let timeline = SessionTimeline(.untilStopped(spm: 170, gain: 1, every: 1, accentEvery: 0), sampleRate: rate)
    let setup = RunSetup(timeline: timeline, interactive: false, frameLimit: Int64(180 * rate))
    let run = LiveRun(setup, sound: impulseSound(), output: output)
    run.coachQuietly(band: 3)
    let sensing = Sensing(name: "pod", clock: { 0 })
    run.sensing = sensing
    // A packet at every tick (10 a second), placed at the tick that takes it.
    let result = playOffline(run) { frame in
      let seconds = Double(frame) / rate
      let raw = seconds >= 60 && seconds < 120 ? 88 : 85
      _ = sensing.packets.push(
        PodPacket(seconds: 0, measurement: RSCMeasurement(metersPerSecond: 3, raw: raw, running: true)))
      return false
    }
    let tally = try #require(result.outcome.quiet)
    // Quiet from about 0:30 (30 s after the cadence settled), back at about 1:05 (the 10 s window
    // turned to 176), quiet again about 30 s after it turned back, to the end.
    #expect(tally.silences.count == 2)
    let first = tally.silences[0]
    let second = tally.silences[1]
    let back = try #require(first.to)
    #expect(first.from > Int64(30 * rate) && first.from < Int64(31.5 * rate), "\(first.from)")
    #expect(back > Int64(60 * rate) && back < Int64(70 * rate), "\(back)")
    #expect(second.from > back + Int64(30 * rate) && second.from < Int64(160 * rate) && second.to == nil)
    // Out of the band from the return until the window turned back: a cue at most every 20 s.
    #expect(tally.cues.map(\.drift) == [.tooFast, .tooFast, .tooFast])
    // (Decided 20 s apart or more; each placed on the beat after its decision, a beat at most.)
    #expect(
      zip(tally.cues.dropFirst(), tally.cues).allSatisfy { $0.frame - $1.frame > Int64(20 * rate) - 16_942 })

    let grid = TempoSegment(origin: 0, spm: 170, sampleRate: rate)
    let beats = (0..<grid.firstBeat(atOrAfter: Int64(180 * rate))).map { grid.frame(ofBeat: $0) }
    func quiet(_ frame: Int64) -> Bool {
      (frame >= first.from && frame < back) || frame >= second.from
    }
    let clicks = beats.filter { !quiet($0) }
    var tones: [Int64] = []
    for cue in tally.cues {
      // 10 ms after the 3-frame click of the first beat at or after the return's change frame.
      let beat = grid.frame(ofBeat: grid.firstBeat(atOrAfter: cue.frame - 3 - 480))
      #expect(cue.frame == beat + 3 + 480)
      #expect(!quiet(beat))
      tones += QuietCoach.toneStarts(cue.drift, sampleRate: rate).map { cue.frame + $0 }
    }
    #expect(result.onsets == (clicks + tones).sorted())
    #expect(result.starved == 0)
    // The beats on either side of each silence: the last click before it and the first after it
    // are neighbours on the grid around the missing run.
    let lastBefore = try #require(clicks.last { $0 < first.from })
    let firstAfter = try #require(clicks.first { $0 >= back })
    #expect(
      grid.firstBeat(atOrAfter: firstAfter) - grid.firstBeat(atOrAfter: lastBefore) - 1
        == Int64(beats.filter { $0 >= first.from && $0 < back }.count))
    #expect(
      output.lines.contains {
        $0.hasSuffix("quiet coach: Holding 170 spm: the click goes quiet, and comes back if you drift past 3 spm.")
      })
    #expect(output.lines.contains { $0.hasSuffix("quiet coach: 176 spm: a little slower.") }, "\(output.lines)")
    let summary = run.summaryLine(result.outcome)
    #expect(summary.contains("; the quiet coach held the click back for "), "\(summary)")
    #expect(summary.hasSuffix("in 2 stretches, with 3 cues (0 quicker, 3 slower)"), "\(summary)")
  }

  /// Quiet to the end of a session's block: the cool-down that follows stays without a click
  /// (the coach's return would land after the block; the timeline's mute there stands), and the
  /// quiet stretch is counted to the block's end.
  @Test func aQuietStretchToTheBlocksEndLeavesTheCoolDownSilent() throws {
    let rate = 48_000.0
    let spec = SessionSpec(warmUpMinutes: 0, blockMinutes: 1, blockSPM: 170, coolDownMinutes: 0.5, gain: 1)
    let setup = RunSetup(timeline: SessionTimeline(spec, sampleRate: rate), interactive: false)
    let run = LiveRun(setup, sound: impulseSound(), output: RecordedOutput())
    run.coachQuietly(band: 3)
    let sensing = Sensing(name: "pod", clock: { 0 })
    run.sensing = sensing
    let result = playOffline(run) { _ in
      _ = sensing.packets.push(
        PodPacket(seconds: 0, measurement: RSCMeasurement(metersPerSecond: 3, raw: 85, running: true)))
      return false
    }
    let blockEnd = try #require(run.timeline.phases.first { $0.kind == .block }?.end)
    #expect(result.outcome.framesPlayed == Int64(90 * rate))
    let tally = try #require(result.outcome.quiet)
    #expect(tally.silences.count == 1)
    let quiet = try #require(tally.silences.first)
    #expect(quiet.from > Int64(30 * rate) && quiet.from < Int64(31.5 * rate))
    #expect(quiet.to == blockEnd)
    let grid = TempoSegment(origin: 0, spm: 170, sampleRate: rate)
    let beats = (0..<grid.firstBeat(atOrAfter: quiet.from)).map { grid.frame(ofBeat: $0) }
    #expect(result.onsets == beats)
  }

  /// On a terminal, a `play` with the quiet coach (no form cues) shows what the coach did on the
  /// cue line, fitted to the width: at 80 columns cut, at 200 whole; no line is wider.
  @Test(arguments: [80, 200])
  func theCoachsWordsFitTheLineView(columns: Int) throws {
    let rate = 48_000.0
    let timeline = SessionTimeline(.untilStopped(spm: 170, gain: 1, every: 1, accentEvery: 0), sampleRate: rate)
    var setup = RunSetup(timeline: timeline, interactive: true, frameLimit: Int64(40 * rate))
    setup.columns = { columns }
    let run = LiveRun(setup, sound: impulseSound(), output: RecordedOutput())
    run.coachQuietly(band: 3)
    let sensing = Sensing(name: "pod", clock: { 0 })
    run.sensing = sensing
    _ = playOffline(run) { _ in
      _ = sensing.packets.push(
        PodPacket(seconds: 0, measurement: RSCMeasurement(metersPerSecond: 3, raw: 85, running: true)))
      return false
    }
    let lines = run.lineView(Int64(39 * rate), width: columns)
    for line in lines { #expect(line.unicodeScalars.count <= columns, "\(line)") }
    let words = " cue: Holding 170 spm: the click goes quiet, and comes back if you drift past 3 spm."
    let cue = try #require(lines.first { $0.hasPrefix(" cue: ") }, "\(lines)")
    #expect(columns == 200 ? cue == words : words.hasPrefix(String(cue.dropLast())), "\(cue)")
  }
}
