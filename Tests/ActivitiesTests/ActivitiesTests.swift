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
/// Where the file gives no totals: smart recording's long gaps, and the activity's own start.
@Suite struct GapAndStartTests {
  /// One sample every 20 s for 10 minutes with a distance counter moving at 3 m/s: all of it
  /// running (the counter moved at running speed through every gap). The same with the counter
  /// standing still for the last 5 minutes: a stop, counted as pauses in the time moving, and at
  /// 10 s a sample in the cadence (as before).
  @Test func smartRecordingGapsCountWhereTheCounterMoved() throws {
    func samples(standingFrom: Int) -> [ActivitySample] {
      (0...30).map { i in
        let t = Double(i * 20)
        let meters = 3 * min(t, Double(standingFrom))
        return ActivitySample(time: t0 + t, spm: 170, distanceMeters: meters)
      }
    }
    let moving = samples(standingFrom: 10_000)
    #expect(ActivityTotals.make(moving) == ActivityTotals(seconds: 600, meters: 1_800))
    let report = try #require(CadenceReport.make(moving))
    #expect(abs(report.runningMinutes - (600 + 1) / 60.0) < 1e-9)
    #expect(report.spm == 170)
    let stopped = samples(standingFrom: 300)
    #expect(ActivityTotals.make(stopped) == ActivityTotals(seconds: 300, meters: 900))
    // The cadence (no speed to leave the stop out by): 15 whole 20 s gaps while the counter
    // moved, 15 gaps of 10 s once it stood, and 1 s for the last sample.
    #expect(abs(try #require(CadenceReport.make(stopped)).runningMinutes - (15 * 20 + 15 * 10 + 1) / 60.0) < 1e-9)
    // Over 60 s a gap is a pause whatever the counter did.
    let sparse = (0...10).map { i in
      ActivitySample(time: t0 + Double(i * 90), spm: 170, metersPerSecond: 3, distanceMeters: Double(i * 270))
    }
    #expect(ActivityTotals.make(sparse).seconds == nil)
  }

  /// A TCX's `<Id>` is its start; without one, its first lap's StartTime; one after the first
  /// point, or over a day before it, is not believed.
  @Test(arguments: [
    ("<Id>2026-01-01T08:57:00Z</Id><Lap StartTime=\"2026-01-01T08:58:00Z\">", t0 - 180),
    ("<Id>not a time</Id><Lap StartTime=\"2026-01-01T08:58:00Z\">", t0 - 120),
    ("<Lap StartTime=\"2026-01-01T08:58:00Z\">", t0 - 120),
    ("<Id>2026-01-01T09:05:00Z</Id><Lap>", t0),
    ("<Id>2025-12-30T09:00:00Z</Id><Lap>", t0),
    ("<Lap>", t0),
  ])
  func theStartIsTheActivitysOwn(head: String, start: Double) throws {
    var xml = "<TrainingCenterDatabase><Activities><Activity Sport=\"Running\">\(head)<Track>"
    for s in 0..<400 {
      xml += "<Trackpoint><Time>\(iso(Double(s)))</Time><Extensions><TPX><Speed>3</Speed>"
      xml += "<RunCadence>85</RunCadence></TPX></Extensions></Trackpoint>"
    }
    xml += "</Track></Lap></Activity></Activities></TrainingCenterDatabase>"
    let activity = try ActivityFile.parseActivity(Data(xml.utf8), name: "run.tcx")
    let (samples, _) = try activity.running(name: "run.tcx")
    #expect(activity.start(of: samples) == start)
  }

  /// A FIT file whose times count from power-on says so (its dates would read as 1990).
  @Test func deviceRelativeTimesAreNamed() throws {
    let file = RealFileTests.folder.appendingPathComponent("compressed-speed-distance.fit").path
    #expect(try ActivityFile.readActivity(path: file).deviceRelativeTimes)
    #expect(try ActivityFile.parseActivity(fit(), name: "run.fit").deviceRelativeTimes == false)
  }
}

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
  /// and the ledger's store, the TCX's Id, lap start and lap totals included. Each either stores
  /// one run (and a measurement where it ran 5 minutes or more) with finite,
  /// in-range figures, or is refused; nothing crashes and the history stays sound.
  @Test(arguments: [("run.fit", 0), ("run.tcx", 1), ("run.gpx", 2)])
  func mutatedFilesThroughParseReportAndStore(name: String, kind: Int) throws {
    let seedFile = [fit(), tcx(), gpx()][kind]
    let hostile = ["1e19", "-1e308", "nan", "inf", "1e999", "-0", "0", "99999999999999999999", "4e-320"]
    var rng = LCG(state: 0xBADC0DE + UInt64(kind))
    let db = try AppDatabase.inMemory()
    let ledger = RunLedger(db: db, now: Date(timeIntervalSince1970: 1_800_000_000))
    var stored = 0
    var measurements = 0
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
      // As import reads a file: its legs and sport, the running in it with the watch's totals,
      // steps or strides, the report, its own start, and a measurement only over 5 minutes.
      guard let activity = try? ActivityFile.parseActivity(Data(bytes), name: name),
        let (parsed, totals) = try? activity.running(name: name)
      else { continue }
      let reading = CadenceReading.decide(parsed)
      let samples = reading.apply(parsed)
      guard let report = CadenceReport.make(samples), let first = activity.start(of: samples) else { continue }
      _ = activity.legsLine { CadenceReport.make(reading.apply(activity.samples(in: $0)))?.spm }
      // Shift each file to its own start so that none is a duplicate of another.
      let date = Date(timeIntervalSince1970: min(max(first, 946_684_800), 1_700_000_000) + Double(round))
      let measured = report.runningMinutes >= CadenceReport.shortestMeasuredMinutes
      _ = try ledger.record(imported: [
        ImportedActivity(
          name: name, date: date, spm: measured ? (report.spm * 10).rounded() / 10 : nil, description: name,
          totals: totals)
      ])
      stored += 1
      measurements += measured ? 1 : 0
      #expect(report.runningMinutes.isFinite && report.runningMinutes > 0)
      #expect(report.spm.isFinite && (100...400).contains(report.spm), "\(report.spm)")
      #expect(totals.seconds.map { $0.isFinite && $0 > 0 && $0 <= 86_400 } ?? true)
      #expect(totals.meters.map { $0.isFinite && $0 > 0 && $0 <= 200_000 } ?? true)
    }
    #expect(stored > 0)
    #expect(try db.runs().count == stored && db.measurements().count == measurements)
    #expect(try db.integrityCheck() == "ok")
  }
}
