import ArgumentParser
import AudioFile
import Coach
import Glibc
import Sounds

extension OutputFileFormat: ExpressibleByArgument {}

/// `-o FILE`, `--format`, `--rate`: where a render goes and as what. A file is written under a
/// temporary name and renamed when complete; `-o -` streams to standard output.
struct RenderOutputOptions: ParsableArguments {
  @Option(
    name: [.short, .customLong("output")],
    help: ArgumentHelp(
      "File to write: .wav or .flac (16-bit mono, lossless), .ogg (Ogg Vorbis) or .mp3; - for standard output.",
      valueName: "file"),
    completion: .file(extensions: ["wav", "flac", "ogg", "mp3"]))
  var output: String

  @Option(
    help: ArgumentHelp(
      "The format when the name does not say it (-o -): wav, flac, ogg or mp3 (default: from the name, else wav).",
      valueName: "format"))
  var format: OutputFileFormat?

  @Option(help: ArgumentHelp("Sample rate in Hz (8000 to 192000; MP3 takes 8000 to 48000).", valueName: "hz"))
  var rate = 48_000

  var toStandardOutput: Bool { output == "-" }

  /// --format, else the name's extension; WAV on standard output.
  var resolvedFormat: OutputFileFormat? { format ?? (toStandardOutput ? .wav : OutputFileFormat(path: output)) }

  func validate() throws {
    guard (8_000...192_000).contains(rate) else {
      throw ValidationError("--rate must be from 8000 to 192000 Hz; got \(rate)")
    }
    if let format, !toStandardOutput, let named = OutputFileFormat(path: output), named != format {
      throw ValidationError("--format \(format.rawValue) does not match the name '\(output)'; drop one of them")
    }
    guard let chosen = resolvedFormat else {
      throw ValidationError(
        "cannot tell the format of '\(output)' from its name; end it in .wav, .flac, .ogg or .mp3, or pass --format")
    }
    guard chosen.canWrite(sampleRate: rate) else {
      throw ValidationError(
        "this libsndfile cannot write \(chosen.name) at \(rate) Hz"
          + (chosen == .mp3 ? "; MP3 takes 8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100 or 48000 Hz" : ""))
    }
  }

  /// "48000 Hz 16-bit mono", "44100 Hz mono MP3".
  var description: String {
    let format = resolvedFormat ?? .wav
    return format.isLossless ? "\(rate) Hz 16-bit mono" : "\(rate) Hz mono \(format.name)"
  }

  /// A summary line: on standard output, or on standard error when the audio goes there.
  func say(in context: CommandContext, _ text: String) {
    if toStandardOutput { context.note(text) } else { context.say(text) }
  }

  /// Writes `frames` frames that `render` produces block by block. A file is written whole or
  /// not at all; returns whether it replaced one.
  func write(
    frames: Int64, in context: CommandContext,
    _ render: ((UnsafeBufferPointer<Float>) throws(AudioFileError) -> Void) throws(AudioFileError) -> Void
  ) throws(UserError) -> Bool {
    let format = resolvedFormat ?? .wav
    if toStandardOutput {
      guard !context.outputIsTerminal else {
        throw UserError(
          message: "standard output is a terminal, not a place for audio",
          hint: "redirect it (cadence render ... -o - > track.wav, or | a player), or name a file with -o",
          code: .usage)
      }
      let writer: AudioFileWriter
      do {
        writer = try AudioFileWriter(
          descriptor: 1, name: "standard output", format: format, sampleRate: rate, frames: frames)
        try render { (block) throws(AudioFileError) in try writer.write(block) }
        try writer.finish()
      } catch {
        throw UserError(
          message: "cannot write the audio to standard output: \(reason(error))",
          hint: "name a file with -o, or use --format flac for a long stream",
          code: .ioError)
      }
      return false
    }
    let target: OutputTarget
    do {
      target = try OutputTarget(output)
    } catch {
      throw UserError.output(error)
    }
    let writer: AudioFileWriter
    do {
      writer = try AudioFileWriter(path: target.writePath, format: format, sampleRate: rate, frames: frames)
    } catch {
      target.abandon()
      throw UserError.sound(.cannotCreate(path: output, reason: reason(error)))
    }
    do throws(AudioFileError) {
      try render { (block) throws(AudioFileError) in try writer.write(block) }
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
    return target.replacesFile
  }

  /// " (replacing the file that was there)", " (RF64: a WAV over 4 GiB)" as they apply.
  func notes(frames: Int64, replaced: Bool) -> (name: String, container: String) {
    let name = toStandardOutput ? "standard output" : output
    let rf64 = resolvedFormat == .wav && !toStandardOutput && OutputFileFormat.needsRF64(frames: frames)
    return (name + (replaced ? " (replacing the file that was there)" : ""), rf64 ? " (RF64: a WAV over 4 GiB)" : "")
  }
}

/// The reason inside a write error, without the path (the message names the output itself).
private func reason(_ error: AudioFileError) -> String {
  switch error {
  case .writeFailed(_, let reason), .cannotCreate(_, let reason), .cannotOpen(_, let reason): reason
  default: "\(error)"
  }
}
