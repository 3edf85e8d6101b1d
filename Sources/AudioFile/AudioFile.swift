import CSndFile
import Glibc

/// What went wrong with a sound file, naming the file.
public enum AudioFileError: Error, Equatable, Sendable, CustomStringConvertible {
  case cannotOpen(path: String, reason: String)
  case empty(path: String)
  case unsupportedExtension(path: String)
  case cannotCreate(path: String, reason: String)
  case writeFailed(path: String, reason: String)

  public var description: String {
    switch self {
    case .cannotOpen(let path, let reason): "cannot read sound file '\(path)': \(reason)"
    case .empty(let path): "sound file '\(path)' holds no audio"
    case .unsupportedExtension(let path):
      "cannot tell the format of '\(path)' from its name; end it in .wav or .flac"
    case .cannotCreate(let path, let reason): "cannot create '\(path)': \(reason)"
    case .writeFailed(let path, let reason): "writing '\(path)' failed: \(reason)"
    }
  }
}

/// Decoded audio, mixed down to mono.
public struct MonoAudio: Sendable, Equatable {
  public var samples: [Float]
  public var sampleRate: Double
}

/// Sample rates a sound file may declare: what sound cards and files really use.
public let readableSampleRates: ClosedRange<Int32> = 8_000...384_000
/// Channels a sound file may declare (7.1 surround at most).
public let readableChannels: ClosedRange<Int32> = 1...8

/// Reads any file libsndfile decodes (WAV, FLAC, OGG/Vorbis, ...), mixes it to mono and, if
/// asked, resamples it to `sampleRate`.
///
/// Bounded by what the file declares before anything is allocated: a regular file only (a
/// FIFO or device would block or never end), a sample rate of 8 to 384 kHz, 1 to 8 channels,
/// and at most `maxSeconds` of audio. The file is decoded, mixed and resampled in blocks of
/// 4,096 frames: memory follows the mono result, never the file's channels or rate.
public func readMonoAudio(path: String, maxSeconds: Double = 600, sampleRate target: Double? = nil)
  throws(AudioFileError) -> MonoAudio
{
  var status = stat()
  if stat(path, &status) == 0 && (status.st_mode & S_IFMT) != S_IFREG {
    throw .cannotOpen(path: path, reason: "not a regular file (a folder, FIFO or device)")
  }
  var info = SF_INFO()
  guard let file = sf_open(path, Int32(SFM_READ), &info) else {
    let reason = String(cString: sf_strerror(nil))
    throw .cannotOpen(path: path, reason: access(path, F_OK) == 0 ? reason : "no such file")
  }
  defer { sf_close(file) }
  guard readableSampleRates.contains(info.samplerate) else {
    throw .cannotOpen(path: path, reason: "its sample rate, \(info.samplerate) Hz, is outside 8000-384000 Hz")
  }
  guard readableChannels.contains(info.channels) else {
    throw .cannotOpen(path: path, reason: "it declares \(info.channels) channels; at most 8 are read")
  }
  let channels = Int(info.channels)
  guard info.frames > 0 else { throw .empty(path: path) }
  let seconds = Double(info.frames) / Double(info.samplerate)
  guard seconds <= maxSeconds else {
    let limit = maxSeconds >= 60 ? "\(Int(maxSeconds / 60)) minutes" : "\(Int(maxSeconds)) seconds"
    throw .cannotOpen(path: path, reason: "longer than \(limit); a click or cue should be short")
  }
  let sourceRate = Double(info.samplerate)
  func resampling<T>(_ body: () throws(ResamplingError) -> T) throws(AudioFileError) -> T {
    do {
      return try body()
    } catch {
      throw .cannotOpen(path: path, reason: error.reason)
    }
  }
  let resampler = try resampling { () throws(ResamplingError) -> StreamingResampler? in
    try target.flatMap { (rate) throws(ResamplingError) in
      rate == sourceRate ? nil : try StreamingResampler(from: sourceRate, to: rate)
    }
  }
  let block = 4_096
  var interleaved = [Float](repeating: 0, count: block * channels)
  var mono = [Float](repeating: 0, count: block)
  var out: [Float] = []
  out.reserveCapacity(Int((seconds * (target ?? sourceRate)).rounded(.up)) + 64)
  var total: sf_count_t = 0
  while total < info.frames {
    let read = interleaved.withUnsafeMutableBufferPointer { sf_readf_float(file, $0.baseAddress, sf_count_t(block)) }
    if read < 0 { throw .cannotOpen(path: path, reason: String(cString: sf_strerror(file))) }
    if read == 0 { break }
    total += read
    for frame in 0..<Int(read) {
      var sum: Float = 0
      for c in 0..<channels { sum += interleaved[frame * channels + c] }
      mono[frame] = sum / Float(channels)
    }
    if let resampler {
      try resampling { () throws(ResamplingError) in try resampler.process(mono[0..<Int(read)], last: false, into: &out)
      }
    } else {
      out.append(contentsOf: mono[0..<Int(read)])
    }
  }
  if total == 0 { throw .cannotOpen(path: path, reason: String(cString: sf_strerror(file))) }
  if let resampler {
    try resampling { () throws(ResamplingError) in try resampler.process([], last: true, into: &out) }
  }
  return MonoAudio(samples: out, sampleRate: target ?? sourceRate)
}
