import Coach
import Foundation
import History
import Testing

@testable import Activities

@Suite struct ActivityParsingTests {
  /// Every format gives the same report: per-leg cadence doubled, walking left out, bands.
  func check(_ samples: [ActivitySample], fractional: Double = 0) throws {
    #expect(samples.count == 1_020)
    #expect(samples.first?.time == t0)
    let report = try #require(CadenceReport.make(samples))
    // 600 s at 170 (+2 * fraction) and 300 s at 176: 172 spm over 15 minutes.
    #expect(abs(report.spm - (172 + 2 * fractional)) < 1e-6)
    #expect(abs(report.runningMinutes - 15) < 1e-9)
    #expect(report.samplesUsed == 900 && report.samplesLeftOut == 120)
    #expect(report.bands.map(\.kmh) == [10, 12])
    #expect(report.bands.last.map { abs($0.spm - (176 + 2 * fractional)) < 1e-6 } == true)
  }

  @Test func tcxRunCadenceIsPerLeg() throws {
    try check(try ActivityFile.parse(tcx(), name: "run.tcx"))
  }

  @Test func gpxCadenceIsPerLegAndSpeedComesFromPositions() throws {
    let samples = try ActivityFile.parse(gpx(), name: "run.gpx")
    #expect(samples[0].spm == 170 && samples[0].metersPerSecond == nil)
    #expect(abs(samples[10].metersPerSecond! - 10 / 3.6) < 0.01)
    let report = try #require(CadenceReport.make(samples))
    #expect(abs(report.spm - 172) < 0.05)
    #expect(report.samplesLeftOut == 120)  // the walk
    #expect(report.bands.map(\.kmh) == [10, 12])
  }

  @Test func fitRecordsWithFractionalCadenceAndCompressedTimestamps() throws {
    let samples = try ActivityFile.parse(fit(), name: "run.fit")
    #expect(samples.map(\.time) == runPlan.map { t0 + $0.0 })
    #expect(samples[0].spm == 171)  // (85 + 64/128) * 2
    try check(samples, fractional: 0.5)
  }

  @Test func damagedFilesAreClearErrors() throws {
    let good = fit()
    #expect(
      throws: ImportError.malformed(
        "cut.fit",
        reason:
          "truncated: the header promises \(good.count - 16) bytes of records, the file has \(good.count / 2 - 14)")
    ) {
      try ActivityFile.parse(good.prefix(good.count / 2), name: "cut.fit")
    }
    var flipped = [UInt8](good)
    flipped[500] ^= 0x40
    #expect(throws: ImportError.malformed("bad.fit", reason: "checksum mismatch (the file is damaged)")) {
      try ActivityFile.parse(Data(flipped), name: "bad.fit")
    }
    #expect(throws: ImportError.malformed("cut.gpx", reason: "bad XML at line 1: truncated XML: it ends inside <trk>"))
    {
      try ActivityFile.parse(Data("<gpx><trk><trkpt lat=\"1\"/>".utf8), name: "cut.gpx")
    }
    #expect(throws: ImportError.unknownFormat("notes.txt")) {
      try ActivityFile.parse(Data("hello".utf8), name: "notes.txt")
    }
    #expect(CadenceReport.make([ActivitySample(time: 0, spm: 110, metersPerSecond: 1.2)]) == nil)
  }

  @Test func hugeFilesAreNotRead() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("huge-\(getpid()).fit").path
    FileManager.default.createFile(atPath: path, contents: nil)
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.truncate(atOffset: UInt64(ActivityFile.maximumBytes + 1))  // sparse
    try handle.close()
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(throws: ImportError.tooLarge((path as NSString).lastPathComponent, bytes: ActivityFile.maximumBytes + 1)) {
      try ActivityFile.read(path: path)
    }
  }
}

/// Mutation fuzzing with a fixed seed: flipped bytes, cuts, splices and random runs of each
/// format must give samples or an ImportError, never a crash or a hang.
@Suite struct ActivityFuzzTests {
  struct LCG {
    var state: UInt64
    mutating func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 33
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
  }

  @Test(arguments: [("run.fit", 0), ("run.tcx", 1), ("run.gpx", 2)])
  func mutatedFilesNeverCrash(name: String, kind: Int) {
    let seedFile = [fit(), tcx().prefix(6_000), gpx().prefix(6_000)][kind]
    var rng = LCG(state: 0xC0FFEE + UInt64(kind))
    var parsed = 0
    var refused = 0
    for _ in 0..<(kind == 0 ? 4_000 : 400) {
      var bytes = [UInt8](seedFile)
      for _ in 0..<(1 + rng.below(8)) {
        switch rng.below(4) {
        case 0: bytes[rng.below(bytes.count)] ^= UInt8(1 << rng.below(8))
        case 1: bytes = Array(bytes.prefix(rng.below(bytes.count + 1)))
        case 2: bytes[rng.below(bytes.count)] = UInt8(rng.below(256))
        default:
          let at = rng.below(bytes.count)
          bytes.insert(contentsOf: (0..<rng.below(16)).map { _ in UInt8(rng.below(256)) }, at: at)
        }
        if bytes.isEmpty { bytes = [0] }
      }
      do {
        _ = try ActivityFile.parse(Data(bytes), name: name)
        parsed += 1
      } catch {
        refused += 1
      }
    }
    #expect(parsed + refused == (kind == 0 ? 4_000 : 400))
    #expect(refused > 0)
  }

  /// The whole import path, in-process: mutated files (bytes, and numbers swapped for hostile
  /// ones: 1e19, -1e308, nan, huge exponents) through parsing, the cadence report, the totals
  /// and the ledger's store. Each either stores one measurement and one run with finite,
  /// in-range figures, or is refused; nothing crashes and the history stays sound.
  @Test(arguments: [("run.fit", 0), ("run.tcx", 1), ("run.gpx", 2)])
  func mutatedFilesThroughParseReportAndStore(name: String, kind: Int) throws {
    let seedFile = [fit(), tcx(), gpx()][kind]
    let hostile = ["1e19", "-1e308", "nan", "inf", "1e999", "-0", "0", "99999999999999999999", "4e-320"]
    var rng = LCG(state: 0xBADC0DE + UInt64(kind))
    let db = try AppDatabase.inMemory()
    let ledger = RunLedger(db: db, now: Date(timeIntervalSince1970: 1_800_000_000))
    var stored = 0
    for round in 0..<150 {
      var bytes = [UInt8](seedFile)
      for _ in 0..<(1 + rng.below(6)) {
        if kind != 0 && rng.below(2) == 0 {
          // Swap a run of digits for a hostile number.
          let at = rng.below(bytes.count)
          if let start = bytes[at...].firstIndex(where: { (48...57).contains($0) }) {
            let end = bytes[start...].firstIndex(where: { !(48...57).contains($0) && $0 != 46 }) ?? bytes.count
            bytes.replaceSubrange(start..<end, with: Array(hostile[rng.below(hostile.count)].utf8))
          }
        } else {
          bytes[rng.below(bytes.count)] = UInt8(rng.below(256))
        }
      }
      guard let samples = try? ActivityFile.parse(Data(bytes), name: name),
        let report = CadenceReport.make(samples), let first = samples.map(\.time).filter(\.isFinite).min()
      else { continue }
      // Shift each file to its own start so that none is a duplicate of another.
      let date = Date(timeIntervalSince1970: min(max(first, 946_684_800), 1_700_000_000) + Double(round))
      let totals = ActivityTotals.make(samples)
      _ = try ledger.record(imported: [
        ImportedActivity(
          name: name, date: date, spm: (report.spm * 10).rounded() / 10, description: name, totals: totals)
      ])
      stored += 1
      #expect(report.spm.isFinite && (100...400).contains(report.spm), "\(report.spm)")
      #expect(totals.seconds.map { $0.isFinite && $0 > 0 && $0 <= 86_400 } ?? true)
      #expect(totals.meters.map { $0.isFinite && $0 > 0 && $0 <= 200_000 } ?? true)
    }
    #expect(stored > 0)
    #expect(try db.runs().count == stored && db.measurements().count == stored)
    #expect(try db.integrityCheck() == "ok")
  }
}
