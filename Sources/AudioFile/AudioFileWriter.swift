import CSndFile
import Glibc

/// File formats `cadence render` writes, chosen by the output's extension (or `--format`).
/// WAV and FLAC are lossless 16-bit; Ogg Vorbis and MP3 (libsndfile 1.1 and later, built with
/// LAME, as Debian 12's is) are lossy, for phones and MP3 players.
public enum OutputFileFormat: String, Sendable, CaseIterable {
  case wav
  case flac
  case ogg
  case mp3

  public init?(path: String) {
    guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
    self.init(rawValue: path[path.index(after: dot)...].lowercased())
  }

  /// "16-bit WAV", "Ogg Vorbis"...
  public var name: String {
    switch self {
    case .wav: "16-bit WAV"
    case .flac: "16-bit FLAC"
    case .ogg: "Ogg Vorbis"
    case .mp3: "MP3"
    }
  }

  public var isLossless: Bool { self == .wav || self == .flac }

  /// The rates MPEG audio has (libsndfile's format check does not say so; its open does).
  public static let mp3Rates: Set<Int> = [8_000, 11_025, 12_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000]

  /// Whether this libsndfile writes the format at `sampleRate` (MP3 at its rates only).
  public func canWrite(sampleRate: Int) -> Bool {
    if self == .mp3 && !Self.mp3Rates.contains(sampleRate) { return false }
    var info = SF_INFO()
    info.samplerate = Int32(clamping: sampleRate)
    info.channels = 1
    info.format = sndfileFormat(frames: nil)
    return sf_format_check(&info) != 0
  }

  /// A WAV's sizes are 32-bit: one of more than 4 GiB of samples is written as RF64 (the
  /// EBU's 64-bit WAV, which libsndfile, ffmpeg and sox read) instead of wrapping around.
  public static func needsRF64(frames: Int64) -> Bool {
    frames > (Int64(UInt32.max) - 1_024) / 2
  }

  func sndfileFormat(frames: Int64?) -> Int32 {
    switch self {
    case .wav:
      Int32((frames.map(Self.needsRF64) ?? false ? SF_FORMAT_RF64 : SF_FORMAT_WAV) | SF_FORMAT_PCM_16)
    case .flac: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16)
    case .ogg: Int32(SF_FORMAT_OGG | SF_FORMAT_VORBIS)
    case .mp3: Int32(SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III)
    }
  }
}

/// A 16-bit mono file being written; closed by `finish()` or, failing that, in `deinit`.
public final class AudioFileWriter {
  public let path: String
  public let format: OutputFileFormat
  private var file: OpaquePointer?
  /// Frames handed to the encoder, to check a compressed file against when it is read back.
  private var framesWritten: Int64 = 0
  /// Written to a named file (not a pipe): it can be read back.
  private let named: Bool
  private var scratch: UnsafeMutableBufferPointer<Int16>

  /// Bytes of a WAV header with no chunk but "fmt " and "data": what goes before the samples
  /// on a pipe.
  static let pipeWAVHeaderBytes = 44
  /// Set when WAV samples go to a pipe as raw 16-bit data after a header written here.
  private let rawWAV: Bool

  /// `frames`: how many will be written, when known: a WAV that long becomes RF64.
  public init(path: String, format: OutputFileFormat, sampleRate: Int, frames: Int64? = nil) throws(AudioFileError) {
    var info = SF_INFO()
    info.samplerate = Int32(sampleRate)
    info.channels = 1
    info.format = format.sndfileFormat(frames: frames)
    guard let file = sf_open(path, Int32(SFM_WRITE), &info) else {
      throw .cannotCreate(path: path, reason: String(cString: sf_strerror(nil)))
    }
    self.path = path
    self.format = format
    self.file = file
    rawWAV = false
    named = true
    scratch = .allocate(capacity: 8192)
  }

  /// Writes to an open descriptor that may be a pipe (`cadence render -o -`). FLAC, Ogg and
  /// MP3 stream as they are. libsndfile cannot write a WAV to a pipe (its sizes are fixed at
  /// the end), so for a WAV the length must be known: the 44-byte header is written here with
  /// the sizes of `frames` 16-bit mono samples, then the samples through libsndfile as raw
  /// little-endian 16-bit data. A WAV on a pipe holds at most 4 GiB of samples.
  public init(descriptor: Int32, name: String, format: OutputFileFormat, sampleRate: Int, frames: Int64)
    throws(AudioFileError)
  {
    var info = SF_INFO()
    info.samplerate = Int32(sampleRate)
    info.channels = 1
    // A regular file (`-o - > track.wav`) can be seeked: libsndfile writes the WAV itself.
    let pipe = lseek(descriptor, 0, SEEK_CUR) < 0
    if format == .wav && pipe {
      guard !OutputFileFormat.needsRF64(frames: frames) else {
        throw .cannotCreate(path: name, reason: "a WAV on a pipe holds at most 4 GiB of samples; use FLAC")
      }
      let header = wavHeader(frames: frames, sampleRate: sampleRate)
      let written = header.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
      guard written == header.count else {
        throw .writeFailed(path: name, reason: String(cString: strerror(errno)))
      }
      info.format = Int32(SF_FORMAT_RAW | SF_FORMAT_PCM_16 | SF_ENDIAN_LITTLE)
    } else {
      info.format = format.sndfileFormat(frames: pipe ? nil : frames)
    }
    guard let file = sf_open_fd(descriptor, Int32(SFM_WRITE), &info, 0) else {
      throw .cannotCreate(path: name, reason: String(cString: sf_strerror(nil)))
    }
    path = name
    self.format = format
    self.file = file
    rawWAV = format == .wav && pipe
    named = false
    scratch = .allocate(capacity: 8192)
  }

  deinit {
    if let file { sf_close(file) }
    scratch.deallocate()
  }

  /// Converts to 16 bits (rounded, clipped) and appends.
  public func write(_ samples: UnsafeBufferPointer<Float>) throws(AudioFileError) {
    guard let file else { return }
    if scratch.count < samples.count {
      scratch.deallocate()
      scratch = .allocate(capacity: samples.count)
    }
    // The scratch buffer is allocated with a non-zero capacity: it always has a base address.
    // swift-format-ignore: NeverForceUnwrap
    convertToS16(samples, into: scratch.baseAddress!)
    // A 16-bit WAV holds little-endian samples as they are in memory here: write them in one
    // call, not through libsndfile's small internal buffer (a fraction of the system time).
    let ok: Bool
    if format == .wav && !rawWAV && Int16(littleEndian: 1) == 1 {
      let bytes = samples.count * 2
      ok = sf_write_raw(file, scratch.baseAddress, sf_count_t(bytes)) == bytes
    } else {
      ok = sf_write_short(file, scratch.baseAddress, sf_count_t(samples.count)) == samples.count
    }
    if !ok || sf_error(file) != 0 {
      throw .writeFailed(path: path, reason: String(cString: sf_strerror(file)))
    }
    framesWritten += Int64(samples.count)
  }

  public func finish() throws(AudioFileError) {
    guard let file else { return }
    self.file = nil
    if sf_close(file) != 0 { throw .writeFailed(path: path, reason: "closing the file failed") }
    try checkReadsBack()
  }

  /// An Ogg or MP3 file read back before it counts as written: libsndfile's MP3 encoder can
  /// lose a failed write (a full disk) and close without an error, leaving a short file that
  /// would replace the runner's. The file must open and hold at least the frames written less
  /// `encoderSlackFrames` (an encoder may pad or trim at the ends, never more).
  private func checkReadsBack() throws(AudioFileError) {
    guard named, !format.isLossless else { return }
    var info = SF_INFO()
    guard let reading = sf_open(path, Int32(SFM_READ), &info) else {
      throw .writeFailed(
        path: path, reason: "the written file cannot be read back (\(String(cString: sf_strerror(nil))))")
    }
    sf_close(reading)
    guard Int64(info.frames) >= framesWritten - Self.encoderSlackFrames else {
      throw .writeFailed(
        path: path, reason: "the written file holds \(info.frames) of \(framesWritten) frames (the disk may be full)")
    }
  }

  /// Frames an encoder may trim at the ends of a stream (MP3's frame of 1,152 and its delay).
  static let encoderSlackFrames: Int64 = 4_608
}

/// The canonical 44-byte header of a 16-bit mono PCM WAV holding `frames` samples.
func wavHeader(frames: Int64, sampleRate: Int) -> [UInt8] {
  let dataBytes = UInt32(clamping: frames * 2)
  var bytes: [UInt8] = []
  func text(_ s: String) { bytes += Array(s.utf8) }
  func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
  func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
  text("RIFF")
  u32(36 &+ dataBytes)
  text("WAVE")
  text("fmt ")
  u32(16)
  u16(1)  // PCM
  u16(1)  // mono
  u32(UInt32(sampleRate))
  u32(UInt32(sampleRate) * 2)  // bytes a second
  u16(2)  // bytes a frame
  u16(16)  // bits a sample
  text("data")
  u32(dataBytes)
  return bytes
}

/// Float (-1...1) to signed 16-bit: scaled by 32767, clipped, rounded to nearest (ties to even).
///
/// Branch-free so that it vectorizes: adding 1.5 * 2^23 to a float of magnitude below 2^22
/// leaves the rounded integer in the low mantissa bits (the FPU rounds to nearest even).
/// Rendering an hour of track spends most of its user time here.
@inlinable
public func convertToS16(_ source: UnsafeBufferPointer<Float>, into destination: UnsafeMutablePointer<Int16>) {
  let magic: Float = 12_582_912  // 1.5 * 2^23
  for i in 0..<source.count {
    let scaled = min(max(source[i] * 32767, -32768), 32767)
    let bits = Int32(bitPattern: (scaled + magic).bitPattern) &- 0x4B40_0000
    destination[i] = Int16(truncatingIfNeeded: bits)
  }
}
