import ArgumentParser
import AudioFile
import CadenceCore
import ClickEngine
import Coach
import Glibc
import LiveRun
import Settings
import Sounds

struct Render: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "render",
    abstract: "Write a click track to a WAV or FLAC file, for any player.",
    discussion: """
      The same engine as `cadence play`: the file holds exactly the clicks a device would play. \
      The file is written under a temporary name beside it and renamed when complete: a failed \
      write leaves an existing file as it was. Replacing a file says so. A WAV over 4 GiB is \
      written as RF64.
      """)

  @Argument(
    help: ArgumentHelp("Cadence in steps per minute, 100 to 240 (e.g. 170 or 173.5).", valueName: "cadence"),
    transform: cadenceValue)
  var cadence: Cadence

  @Option(
    help: ArgumentHelp("Minutes at the cadence: the length of the track, at most 600.", valueName: "minutes"),
    transform: decimal)
  var minutes: Double

  @Option(
    name: [.short, .customLong("output")],
    help: ArgumentHelp("File to write; .wav or .flac (16-bit mono).", valueName: "file"),
    completion: .file(extensions: ["wav", "flac"]))
  var output: String

  @Option(help: ArgumentHelp("Sample rate in Hz (8000 to 192000).", valueName: "hz"))
  var rate = 48_000

  @OptionGroup var click: ClickOptions
  @OptionGroup var ramp: RampOptions

  func validate() throws {
    try validateMinutes(minutes)
    guard (8_000...192_000).contains(rate) else {
      throw ValidationError("--rate must be from 8000 to 192000 Hz; got \(rate)")
    }
    guard OutputFileFormat(path: output) != nil else {
      throw ValidationError("cannot tell the format of '\(output)' from its name; end it in .wav or .flac")
    }
  }

  func run() throws {
    do throws(UserError) {
      try render()
    } catch {
      throw report(error)
    }
  }

  private func render() throws(UserError) {
    let start = cadence
    let sampleRate = Double(rate)
    let config = try Config.load()
    let sound = try SoundLibrary.load(click.soundName(config), sampleRate: sampleRate) {
      standardError.write($0 + "\n")
    }
    // The timeline `cadence play` follows, so the file holds what the device would play.
    let ramp = ramp.rampCadence()
    let timeline = SessionTimeline(
      .untilStopped(
        spm: ramp?.cadence.spm ?? start.spm, from: ramp.map { _ in start.spm }, rampMinutes: ramp?.minutes ?? 0,
        gain: click.gain(config), every: click.every, accentEvery: click.accent), sampleRate: sampleRate)
    let engine = ClickEngine(sampleRate: sampleRate, sound: sound, settings: timeline.initial)
    var feeder = ScheduleFeeder(horizonFrames: 65_536 * 2)
    feeder.replace(with: timeline.schedule, from: 0, generation: 0)
    feeder.feed(engine)
    let frames = Int64((minutes * 60 * sampleRate).rounded())
    let format = OutputFileFormat(path: output)!
    let target: OutputTarget
    let writer: AudioFileWriter
    do {
      target = try OutputTarget(output)
    } catch {
      throw UserError.output(error)
    }
    do {
      writer = try AudioFileWriter(path: target.writePath, format: format, sampleRate: rate, frames: frames)
    } catch {
      target.abandon()
      throw UserError.sound(.cannotCreate(path: output, reason: reason(error)))
    }
    var clicks = 0
    do throws(AudioFileError) {
      try renderOffline(engine, frames: frames, blockFrames: 65_536) { (block) throws(AudioFileError) in
        feeder.feed(engine)
        try writer.write(block)
        while let event = engine.events.pop() {
          if event.isAudibleStep { clicks += 1 }
        }
      }
      try writer.finish()
    } catch {
      // An existing file stays as it was; nothing half-written is left behind.
      target.abandon()
      throw UserError.sound(.writeFailed(path: output, reason: reason(error)))
    }
    do {
      try target.commit()
    } catch {
      throw UserError.output(error)
    }
    let container = format == .wav && OutputFileFormat.needsRF64(frames: frames) ? " (RF64: a WAV over 4 GiB)" : ""
    say(
      "wrote \(output)\(target.replacesFile ? " (replacing the file that was there)" : ""): \(clock(Double(frames) / sampleRate)) of clicks at \(start) spm\(ramp.map { " ramping to \($0.cadence)" } ?? ""), \(clicks) clicks, \(rate) Hz 16-bit mono\(container)"
    )
  }
}

/// The reason inside a write error, without the path (the message names the output itself).
private func reason(_ error: AudioFileError) -> String {
  switch error {
  case .writeFailed(_, let reason), .cannotCreate(_, let reason), .cannotOpen(_, let reason): reason
  default: "\(error)"
  }
}
