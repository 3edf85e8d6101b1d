import Foundation
import GRDB
import Testing

@testable import cadence

/// The second hostile round: inputs from the environment, the clock and watch files that once
/// crashed cadence or made it spin. Each ends with a sysexits code (never a signal) and a word.
@Suite struct HostileInputTests {
  /// Locale names ICU cannot read crashed `log` and `plan` (SIGSEGV in ICU's default locale).
  /// cadence's words and dates are English and ISO 8601, so the locale is never read. Run as a
  /// process: the pin is made at the entry point.
  @Test(arguments: [
    ["LC_ALL": String(repeating: "a", count: 20)],
    ["LANG": "en_US." + String(repeating: "x", count: 200)],
    ["LC_ALL": "de_DE.ISO-8859-15@euro"],
    ["LC_MESSAGES": "tr_TR.UTF-8", "LANG": "ar_SA.UTF-8"],
  ])
  func aLocaleIsNeverTrusted(locale: [String: String]) throws {
    let r = Runner("hostile-locale-\(locale.values.sorted().joined().utf8.reduce(0) { $0 &* 31 &+ Int($1) })")
    var environment = locale
    environment["CADENCE_NOW"] = "2026-01-02T09:00:00Z"
    let logged = try cadence(["log", "--minutes", "5", "--db", r.db], environment: environment)
    #expect(logged.status == 0, "\(logged.stderr)")
    #expect(logged.stdout == "logged run on 2026-01-02, 5:00, no check-in\n")
    let plan = try cadence(["plan", "--current", "160", "--db", r.db], environment: environment)
    #expect(plan.status == 0, "\(plan.stderr)")
    #expect(plan.stdout.hasPrefix("Cadence plan: 160 -> 170 spm, made 2026-01-02\n"))
  }

  /// A clock far in the future made date loops spin and stored dates SQLite could not read
  /// back; it is refused before anything is opened.
  @Test func aClockOutsideTheYearsIsRefused() throws {
    let far = Date(timeIntervalSince1970: 3_093_527_980_800)  // 99999-01-01
    #expect(throws: UserError.self) { try CommandContext.moment(environment: [:], clock: far) }
    do {
      _ = try CommandContext.moment(environment: [:], clock: far)
    } catch {
      #expect(error.message == "the clock reads a date outside the years 1970-2199, the dates cadence keeps")
      #expect(error.hint == "set the system clock right (timedatectl), then run cadence again")
      #expect(error.code == .usage)
    }
    let now = Date(timeIntervalSince1970: 1_767_258_000)
    #expect(try CommandContext.moment(environment: [:], clock: now) == now)
    #expect(
      try CommandContext.moment(environment: ["CADENCE_NOW": "2026-01-01T09:00:00Z"], clock: far) == now)
  }

  @Test(arguments: ["10000-01-01", "2200-01-01T00:00:00Z", "1969-12-31T23:59:59Z"])
  func aPinnedNowOutsideTheYearsIsRefused(text: String) throws {
    let r = Runner("hostile-now-\(text.prefix(4))")
    let result = try cadence(["plan", "--current", "160", "--db", r.db], environment: ["CADENCE_NOW": text])
    #expect(result.status == 64)
    #expect(
      result.stderr
        == "cadence: error: CADENCE_NOW='\(text)' is not a date and time cadence can read\n  try: set it like 2026-11-20T07:30:00Z or 2026-11-20T07:30 (years 1970-2199), or unset it to use the clock\n"
    )
    #expect(!FileManager.default.fileExists(atPath: r.db))
  }

  /// A TCX whose times carry a fraction of twenty nines killed `import` with SIGFPE: the times
  /// are read with their first nine digits, and the run is measured as any other.
  @Test func aTimeWithAHugeFractionImports() throws {
    let r = Runner("hostile-fraction")
    var xml = "<?xml version=\"1.0\"?>\n<TrainingCenterDatabase><Activities><Activity Sport=\"Running\"><Lap><Track>\n"
    for s in 0..<120 {
      let minute = s / 60, second = s % 60
      let time = String(format: "2026-01-01T09:%02d:%02d.99999999999999999999Z", minute, second)
      xml +=
        "<Trackpoint><Time>\(time)</Time><Extensions><TPX><Speed>2.7778</Speed><RunCadence>85</RunCadence></TPX></Extensions></Trackpoint>\n"
    }
    xml += "</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n"
    let file = r.dir.appendingPathComponent("fraction.tcx").path
    try xml.write(toFile: file, atomically: true, encoding: .utf8)
    let result = try r.run(["import", file], at: "2026-01-02T09:00:00Z")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout.hasPrefix("fraction.tcx (2026-01-01): 2.0 min running, cadence 170.0 spm"), "\(result.stdout)")
  }

  /// A config of 100 MB (one comment) made every command spin: a config file past 64 kB (here 1 MB) is
  /// refused unread, with its size and what to do; one just under the bound is read.
  @Test func anOversizedConfigIsRefusedUnread() throws {
    let r = Runner("hostile-config")
    let folder = r.dir.appendingPathComponent("config/cadence")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appendingPathComponent("config.toml")
    try ("#" + String(repeating: "x", count: 1_000_000) + "\n").write(to: file, atomically: false, encoding: .utf8)
    let environment = [
      "XDG_CONFIG_HOME": r.dir.appendingPathComponent("config").path, "CADENCE_NOW": "2026-01-02T09:00:00Z",
    ]
    let start = Date()
    let refused = try inProcess(["plan", "--current", "160", "--db", r.db], environment: environment)
    #expect(Date().timeIntervalSince(start) < 5)
    #expect(refused.status == 65)
    #expect(
      refused.stderr
        == "cadence: error: the config file '\(file.path)' is 1000002 bytes; cadence reads at most 65536\n  try: a config is a few key = value lines (keys: device, latency, offset, sound, volume, cue_interval, voice, speed_unit, warmup_minutes, screen, foot_pod, treadmill, foot_pod_counts); move that file away and write a new one\n"
    )
    #expect(!FileManager.default.fileExists(atPath: r.db))
    try ("#" + String(repeating: "x", count: 65_000) + "\nvolume = 50\n").write(
      to: file, atomically: false, encoding: .utf8)
    let read = try inProcess(["plan", "--current", "160", "--db", r.db], environment: environment)
    #expect(read.status == 0, "\(read.stderr)")
  }

  /// The argument parser's time grows with the square of the arguments (20,000 warning signs
  /// took 10 s): more than 4,096 are refused before parsing, with a way to batch watch files.
  @Test func argumentListsAreBounded() throws {
    let r = Runner("hostile-arguments")
    let signs = [String](repeating: "walking-pain", count: 20_000)
    let start = Date()
    let warned = try inProcess(["warn"] + signs + ["--db", r.db], environment: ["CADENCE_NOW": "2026-01-02T09:00:00Z"])
    #expect(Date().timeIntervalSince(start) < 2)
    #expect(warned.status == 64)
    #expect(
      warned.stderr
        == "cadence: error: 20003 arguments are more than cadence reads at once (4096)\n  try: cadence warn --help\n")
    let files = [String](repeating: "run.fit", count: 5000)
    let imported = try inProcess(
      ["import"] + files + ["--db", r.db], environment: ["CADENCE_NOW": "2026-01-02T09:00:00Z"])
    #expect(imported.status == 64)
    #expect(
      imported.stderr
        == "cadence: error: 5003 arguments are more than cadence reads at once (4096)\n  try: import the files in batches: find FOLDER -name '*.fit' -print0 | xargs -0 -n 1000 cadence import\n"
    )
    #expect(!FileManager.default.fileExists(atPath: r.db))
    let most = try inProcess(
      ["warn"] + [String](repeating: "walking-pain", count: 4093) + ["--db", r.db],
      environment: ["CADENCE_NOW": "2026-01-02T09:00:00Z"])
    #expect(most.status == 0, "\(most.stderr)")
  }

  /// Output to a full or closed standard output was lost with exit 0. Now, like coreutils, the
  /// command ends with exit 74 and says on standard error what it could not write; what it
  /// stored stays stored. With standard output closed, the history never takes its number.
  @Test(arguments: [">/dev/full", ">&-"])
  func aFailedStandardOutputIsAnError(redirection: String) throws {
    let r = Runner("hostile-stdout-\(redirection == ">&-" ? "closed" : "full")")
    let result = try cadence(
      ["-c", "exec \"$0\" \"$@\" \(redirection)", cadenceBinary, "measure", "170", "--db", r.db],
      environment: ["CADENCE_NOW": "2026-01-02T09:00:00Z"], executable: "/bin/sh")
    #expect(result.status == 74)
    let reason = redirection == ">&-" ? "Bad file descriptor" : "No space left on device"
    #expect(
      result.stderr == """
        cadence: error: could not write to standard output (\(reason)); it would have said:
        measured 170 spm on 2026-01-02
        Stored in your history. Next: cadence plan makes your plan from it, then cadence session plays its first rung.
          try: send the output where it can be written (a file on a disk with room, or an open pipe)

        """)
    let stored = try inProcess(["history", "--measurements", "--json", "--db", r.db], environment: ["TZ": "UTC"])
    #expect(stored.stdout.contains("\"spm\" : 170"), "\(stored.stdout)")
    let check = try inProcess(["history", "--json", "--db", r.db], environment: ["TZ": "UTC"])
    #expect(check.status == 0, "the history must still be a database: \(check.stderr)")
  }

  /// With --json, a failure is also one JSON object on standard output, so a script always
  /// reads JSON; the words stay on standard error.
  @Test func aJSONFailureIsJSON() throws {
    let r = Runner("hostile-json")
    let bad = try inProcess(["log", "--minutes", "-5", "--json", "--db", r.db])
    #expect(bad.status == 64)
    #expect(
      bad.stdout
        == #"{"code":64,"error":"--minutes must be more than 0 and at most 600; got -5.0","hint":"cadence log --help"}"#
        + "\n")
    #expect(
      bad.stderr
        == "cadence: error: --minutes must be more than 0 and at most 600; got -5.0\n  try: cadence log --help\n")
    let object = try JSONSerialization.jsonObject(with: Data(bad.stdout.utf8)) as? [String: Any]
    #expect(object?["code"] as? Int == 64)
    let plain = try inProcess(["log", "--minutes", "-5", "--db", r.db])
    #expect(plain.stdout == "")
  }

  /// A history whose index misses rows passes SQLite's quick_check, and was written to. The
  /// whole integrity check now refuses it before anything is written: byte for byte as it was,
  /// nothing beside it, and words that say how to recover it.
  @Test func aDamagedHistoryIsRefusedUntouched() throws {
    let r = Runner("hostile-damaged")
    try r.logRoutine([1, 2])
    try DatabaseQueue(path: r.db).writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA writable_schema = ON")
      try db.execute(
        sql: """
          UPDATE sqlite_master SET sql = 'CREATE INDEX "run_on_date" ON "run"("date") WHERE 0'
          WHERE name = 'run_on_date'
          """)
    }
    let before = try Data(contentsOf: URL(fileURLWithPath: r.db))
    for arguments in [["log", "--minutes", "10"], ["measure", "170"], ["plan", "--current", "160"], ["history"]] {
      let result = try r.run(arguments, at: "2026-01-03T09:00:00Z")
      #expect(result.status == 65, "\(arguments)")
      #expect(
        result.stderr
          == "cadence: error: the history '\(r.db)' is damaged (SQLite's integrity check: wrong # of entries in index run_on_date); it was left untouched\n  try: recover what it holds into a new file with sqlite3 '\(r.db)' .recover | sqlite3 recovered.sqlite and use --db recovered.sqlite, or start a fresh history with --db and a new path; keep the old file either way\n"
      )
      #expect(try Data(contentsOf: URL(fileURLWithPath: r.db)) == before)
      #expect(!FileManager.default.fileExists(atPath: r.db + "-wal"))
    }
  }

  /// Commands that only read leave a history byte for byte as it was (its header used to
  /// change on every open).
  @Test func readingChangesNoByte() throws {
    let r = Runner("hostile-read-only")
    try r.logRoutine([1, 2])
    #expect(try r.run(["plan", "--current", "160"], at: "2026-01-03T09:00:00Z").status == 0)
    let before = try Data(contentsOf: URL(fileURLWithPath: r.db))
    for arguments in [["history"], ["plan"], ["history", "--json"], ["history", "--csv"]] {
      let result = try r.run(arguments, at: "2026-01-03T09:00:00Z")
      #expect(result.status == 0, "\(arguments): \(result.stderr)")
      #expect(try Data(contentsOf: URL(fileURLWithPath: r.db)) == before, "\(arguments)")
    }
  }

  /// On a full disk (here a file-size limit: writes past 8 kB fail with EFBIG), rendering over
  /// an existing Ogg or MP3 changed it: libsndfile's MP3 encoder lost the failed write. Now the
  /// error is caught (and a compressed file is read back before it counts), the existing file
  /// stays byte for byte, and no temporary file is left.
  @Test(arguments: ["mp3", "ogg"])
  func aFailedCompressedWriteLeavesTheOldFile(format: String) throws {
    let r = Runner("hostile-full-\(format)")
    let file = r.dir.appendingPathComponent("clicks.\(format)").path
    let first = try inProcess(["render", "170", "--minutes", "0.5", "-o", file])
    #expect(first.status == 0, "\(first.stderr)")
    let before = try Data(contentsOf: URL(fileURLWithPath: file))
    let full = try cadence(
      [
        "-c", "trap '' XFSZ; ulimit -f 8; exec \"$0\" \"$@\"", cadenceBinary, "render", "170", "--minutes", "5", "-o",
        file,
      ],
      executable: "/bin/sh")
    #expect(full.status == 73)
    #expect(full.stderr.hasPrefix("cadence: error: writing '\(file)' failed: "), "\(full.stderr)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == before)
    #expect(try FileManager.default.contentsOfDirectory(atPath: r.dir.path).filter { $0.contains("cadence-") } == [])
  }

  /// The same on a real full filesystem (a 1 MB tmpfs filled to 8 kB): rendering over an
  /// existing Ogg or MP3 fails with words and leaves the old file byte for byte, with no
  /// temporary file beside it. Needs root to mount.
  @Test(.enabled(if: getuid() == 0, "mounting a small tmpfs needs root (CI runs as root)"), arguments: ["mp3", "ogg"])
  func aFullFilesystemLeavesTheOldFile(format: String) throws {
    let r = Runner("hostile-tmpfs-\(format)")
    let disk = r.dir.appendingPathComponent("disk").path
    try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
    let mount = try cadence(["-t", "tmpfs", "-o", "size=1m", "tmpfs", disk], executable: "/usr/bin/mount")
    #expect(mount.status == 0, "\(mount.stderr)")
    defer { _ = try? cadence([disk], executable: "/usr/bin/umount") }
    let file = disk + "/clicks.\(format)"
    #expect(try inProcess(["render", "170", "--minutes", "0.2", "-o", file]).status == 0)
    let before = try Data(contentsOf: URL(fileURLWithPath: file))
    var status = statvfs()
    #expect(statvfs(disk, &status) == 0)
    let free = Int(status.f_bavail) * Int(status.f_frsize)
    #expect(FileManager.default.createFile(atPath: disk + "/fill", contents: Data(count: max(0, free - 8192))))
    let full = try inProcess(["render", "170", "--minutes", "5", "-o", file])
    #expect(full.status == 73)
    #expect(full.stderr.hasPrefix("cadence: error: writing '\(file)' failed: "), "\(full.stderr)")
    #expect(full.stderr.contains("\n  try: check the folder exists, is writable and has space\n"), "\(full.stderr)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == before)
    #expect(try FileManager.default.contentsOfDirectory(atPath: disk).sorted() == ["clicks.\(format)", "fill"])
  }

  /// A dangling symbolic link given as the output is written through to its target and stays
  /// a link (it was replaced by a regular file); a looping one, or one into a folder that does
  /// not exist, is refused and left as it is.
  @Test func symbolicLinksStayLinks() throws {
    let r = Runner("hostile-links")
    let folder = r.dir.path
    let fm = FileManager.default
    try fm.createSymbolicLink(atPath: folder + "/now.wav", withDestinationPath: "later.wav")
    let through = try inProcess(["render", "170", "--minutes", "0.05", "-o", folder + "/now.wav"])
    #expect(through.status == 0, "\(through.stderr)")
    #expect(try fm.destinationOfSymbolicLink(atPath: folder + "/now.wav") == "later.wav")
    let written = try Data(contentsOf: URL(fileURLWithPath: folder + "/later.wav"))
    #expect(written.prefix(4) == Data("RIFF".utf8))
    try fm.createSymbolicLink(atPath: folder + "/a.svg", withDestinationPath: "b.svg")
    try fm.createSymbolicLink(atPath: folder + "/b.svg", withDestinationPath: "a.svg")
    let loop = try inProcess(["render", "170", "--minutes", "0.05", "--format", "wav", "-o", folder + "/a.svg"])
    #expect(loop.status == 73)
    #expect(
      loop.stderr
        == "cadence: error: cannot write '\(folder)/a.svg': it is a symbolic link that loops; the link was left as it is\n  try: fix or remove the link (ls -l '\(folder)/a.svg' shows where it points), or name another file\n"
    )
    #expect(try fm.destinationOfSymbolicLink(atPath: folder + "/a.svg") == "b.svg")
    try fm.createSymbolicLink(atPath: folder + "/gone.wav", withDestinationPath: "missing/x.wav")
    let gone = try inProcess(["render", "170", "--minutes", "0.05", "-o", folder + "/gone.wav"])
    #expect(gone.status == 73)
    #expect(
      gone.stderr.hasPrefix(
        "cadence: error: cannot write '\(folder)/gone.wav': it is a symbolic link to '\(folder)/missing/x.wav', whose folder does not exist"
      ), "\(gone.stderr)")
    #expect(try fm.destinationOfSymbolicLink(atPath: folder + "/gone.wav") == "missing/x.wav")
  }
}
