import AudioFile
import Foundation
import Testing

/// Files that once blocked cadence forever or made it allocate what a header claimed: each is
/// refused at once, by what it is and declares, with the file named.
@Suite(.timeLimit(.minutes(1))) struct HostileFileTests {
  /// A WAV header for 16-bit PCM that declares `dataBytes` of audio, followed by `frames`
  /// real frames of silence.
  func wav(rate: UInt32, channels: UInt16, dataBytes: UInt32, frames: Int) -> Data {
    var d = Data()
    func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
    func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
    d.append(contentsOf: Array("RIFF".utf8))
    u32(36 &+ dataBytes)
    d.append(contentsOf: Array("WAVEfmt ".utf8))
    u32(16)
    u16(1)
    u16(channels)
    u32(rate)
    u32(rate * UInt32(channels) * 2)
    u16(channels * 2)
    u16(16)
    d.append(contentsOf: Array("data".utf8))
    u32(dataBytes)
    d.append(Data(count: frames * Int(channels) * 2))
    return d
  }

  func play(_ r: Runner, sound: String) throws -> RunResult {
    try r.run(["play", "170", "--minutes", "0.001", "--device", "null", "--sound", sound], at: "2026-01-02T08:00:00Z")
  }

  /// Writes `data` as a sound file and expects `play` to refuse it, exit 65, for `reason`.
  func expectRefused(_ data: Data, sparseTo length: off_t? = nil, name: String, reason: String) throws {
    let r = Runner(name)
    let path = r.dir.appendingPathComponent("\(name).wav").path
    try data.write(to: URL(fileURLWithPath: path))
    if let length { #expect(truncate(path, length) == 0) }
    let result = try play(r, sound: path)
    #expect(result.status == 65)
    #expect(
      result.stderr.hasPrefix("cadence: error: cannot read sound file '\(path)': \(reason)\n"), "\(result.stderr)")
  }

  @Test func aFIFOAsTheSoundIsRefusedNotWaitedOn() throws {
    let r = Runner("fifo-sound")
    let fifo = r.dir.appendingPathComponent("click.wav").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let result = try play(r, sound: fifo)
    #expect(result.status == 65)
    #expect(
      result.stderr == """
        cadence: error: cannot read sound file '\(fifo)': not a regular file (a folder, FIFO or device)
          try: check that the file is a WAV, FLAC or OGG file that a player can open

        """)
  }

  @Test func aFIFOAsTheHistoryIsRefusedNotWaitedOn() throws {
    let r = Runner("fifo-db")
    let fifo = r.dir.appendingPathComponent("history.sqlite").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let result = try cadence(["history", "--db", fifo])
    #expect(result.status == 74)
    #expect(
      result.stderr.hasPrefix(
        "cadence: error: cannot open the history database '\(fifo)': it is not a regular file (a folder, FIFO or device)\n"
      ), "\(result.stderr)")
  }

  @Test func aSampleRateOfOneHertzIsRefused() throws {
    try expectRefused(
      wav(rate: 1, channels: 1, dataBytes: 1_200, frames: 600), name: "one-hertz",
      reason: "its sample rate, 1 Hz, is outside 8000-384000 Hz")
  }

  /// A sparse file: a 44-byte header claiming 10 minutes at 384 kHz in 8 channels, and holes
  /// to that length (3.7 GB on paper, nothing on disk; 7.4 GB once decoded to float).
  @Test func aHeaderThatClaimsGigabytesIsRefusedBeforeAnyAllocation() throws {
    let bytes: UInt32 = 3_686_400_000
    try expectRefused(
      wav(rate: 384_000, channels: 8, dataBytes: bytes, frames: 0), sparseTo: off_t(44) + off_t(bytes),
      name: "huge-header", reason: "longer than 10 seconds; a click or cue should be short")
  }

  /// Standard input with no end of line: one 3 MB line of tap times (it took 9.6 s, quadratic)
  /// and /dev/zero (it never ended). Each ends at the 1 MiB line limit with a clear error.
  @Test func endlessLinesOnStandardInputEndWithAnError() throws {
    let r = Runner("endless-stdin")
    let big = r.dir.appendingPathComponent("one-line.txt").path
    try String(repeating: "0.35 ", count: 600_000).write(toFile: big, atomically: true, encoding: .utf8)
    for file in [big, "/dev/zero"] {
      let result = try cadence(["tap", "--db", r.db], environment: ["TZ": "UTC"], stdinFile: file)
      #expect(result.status == 65, "\(file): \(result.stderr)")
      #expect(
        result.stderr.hasPrefix("cadence: error: line 1 of the tap times is longer than 1 MiB; nothing was stored\n"),
        "\(file): \(result.stderr)")
    }
    let stored = FileManager.default.fileExists(atPath: r.db) ? try r.runCount() : 0
    #expect(stored == 0)
  }

  /// The check-in after `play --log` with /dev/zero or endless bad answers on standard input:
  /// the run is stored without a check-in, and the process ends.
  @Test func endlessInputAtTheCheckInSkipsIt() throws {
    let r = Runner("endless-checkin")
    let nonsense = r.dir.appendingPathComponent("nonsense.txt").path
    try String(repeating: "perhaps\n", count: 1_000).write(toFile: nonsense, atomically: true, encoding: .utf8)
    for file in ["/dev/zero", nonsense] {
      let result = try cadence(
        ["play", "170", "--minutes", "0.001", "--device", "null", "--log", "--db", r.db],
        environment: ["TZ": "UTC", "CADENCE_NOW": "2026-01-02T08:00:00Z"], stdinFile: file)
      #expect(result.status == 0, "\(file): \(result.stderr)")
      #expect(result.stdout.contains(", no check-in\n"), "\(file): \(result.stdout)")
      if file == nonsense {
        #expect(result.stderr.contains("no answer cadence could read after 5 tries: the check-in is skipped\n"))
      }
    }
    #expect(try r.runCount() == 2)
  }

  /// Outputs: a replaced file is said to be replaced; a write that fails (the file-size limit,
  /// as a full disk would) leaves the old file as it was and nothing beside it; a FIFO, a
  /// folder and a device are never replaced by a regular file.
  @Test func outputsNeverLoseAnExistingFile() throws {
    let dir = scratchDirectory("outputs")
    let out = dir.appendingPathComponent("track.wav").path
    try Data("keep me".utf8).write(to: URL(fileURLWithPath: out))
    let replaced = try cadence(["render", "170", "--minutes", "0.05", "-o", out])
    #expect(
      replaced.stdout
        == "wrote \(out) (replacing the file that was there): 0:03 of clicks at 170 spm, 9 clicks, 48000 Hz 16-bit mono\n"
    )
    #expect(try readMonoAudio(path: out).samples.count == 144_000)
    let good = try Data(contentsOf: URL(fileURLWithPath: out))

    // 10 minutes is 57 MB; a 1 MB file-size limit fails the write part way (SIGXFSZ ignored,
    // so write(2) returns EFBIG as on a full disk).
    let limited = try cadence(
      ["-c", "trap '' XFSZ; ulimit -f 1024; exec \"$0\" render 170 --minutes 10 -o \"$1\"", cadenceBinary, out],
      executable: "/bin/bash")
    #expect(limited.status == 73)
    #expect(limited.stderr.hasPrefix("cadence: error: writing '\(out)' failed: "), "\(limited.stderr)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == good)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["track.wav"])  // no temporary left

    let fifo = dir.appendingPathComponent("pipe.wav").path
    #expect(mkfifo(fifo, 0o644) == 0)
    let toFifo = try cadence(["render", "170", "--minutes", "0.05", "-o", fifo])
    #expect(toFifo.status == 73)
    #expect(
      toFifo.stderr
        == "cadence: error: '\(fifo)' is not a regular file (a FIFO, socket or block device); nothing was written to it\n  try: name a new file, or a regular file to replace\n"
    )
    let toFolder = try cadence(["history", "--svg", dir.path, "--db", dir.appendingPathComponent("h.sqlite").path])
    #expect(
      toFolder.status == 73
        && toFolder.stderr.hasPrefix("cadence: error: '\(dir.path)' is a folder; name a file in it\n"))
    let toFull = try cadence(["history", "--svg", "/dev/full", "--db", dir.appendingPathComponent("h.sqlite").path])
    #expect(
      toFull.status == 73
        && toFull.stderr.hasPrefix("cadence: error: cannot create '/dev/full': No space left on device\n"))
    var status = stat()
    #expect(stat("/dev/full", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR)
    // A link to a file: the file is replaced and the link stays a link; a replaced file keeps
    // its mode.
    let real = dir.appendingPathComponent("real.wav").path
    let link = dir.appendingPathComponent("link.wav").path
    try Data("old".utf8).write(to: URL(fileURLWithPath: real))
    #expect(chmod(real, 0o640) == 0 && symlink(real, link) == 0)
    let viaLink = try cadence(["render", "170", "--minutes", "0.05", "-o", link])
    #expect(viaLink.status == 0, "\(viaLink.stderr)")
    var linkStatus = stat()
    #expect(lstat(link, &linkStatus) == 0 && linkStatus.st_mode & S_IFMT == S_IFLNK)
    #expect(try readMonoAudio(path: real).samples.count == 144_000)
    var realStatus = stat()
    #expect(stat(real, &realStatus) == 0 && realStatus.st_mode & 0o777 == 0o640)
    let svg = dir.appendingPathComponent("chart.svg").path
    _ = try cadence(["history", "--svg", svg, "--db", dir.appendingPathComponent("h.sqlite").path])
    let again = try cadence(["history", "--svg", svg, "--db", dir.appendingPathComponent("h.sqlite").path])
    #expect(again.stderr == "wrote \(svg) (replacing the file that was there)\n")
  }
}
