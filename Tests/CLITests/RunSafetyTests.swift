import Foundation
import History
import Testing

/// A run is stored before any question; a signal at a question ends it cleanly; a killed
/// process leaves a sound history.
@Suite(.serialized) struct RunSafetyTests {
  static let signals = ["ctrl-c", "SIGTERM", "SIGHUP"]

  /// `play --log` on the unpaced null PCM ends at once and asks the check-in on a terminal;
  /// a signal there: the run is in the history without a check-in, the process gone within 1 s.
  @Test(
    .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs util-linux script"),
    .timeLimit(.minutes(1)), arguments: signals)
  func aSignalAtTheCheckInKeepsTheRun(signal: String) throws {
    let dir = scratchDirectory("prompt-\(signal)")
    let db = dir.appendingPathComponent("h.sqlite").path
    let command = [cadenceBinary, "play", "170", "--minutes", "0.05", "--device", "null", "--log", "--db", db]
    var sent = Date()
    var terminal: TerminalSession?
    let (status, screen) = try onPseudoTerminal(command, environment: ["TZ": "UTC"]) { keys in
      terminal = keys
      keys.waitFor("Effort, 1 (very easy) to 10 (maximal)?")
      sent = Date()
      switch signal {
      case "ctrl-c": keys.write(Data([0x03]))
      default:
        let pid = try? pidOf("^\(cadenceBinary) play 170 .*\(db)")
        if let pid { kill(pid, signal == "SIGTERM" ? SIGTERM : SIGHUP) }
      }
    }
    let gone = terminal?.exitedAt ?? .distantFuture
    #expect(gone.timeIntervalSince(sent) < 1.0, "exited \(gone.timeIntervalSince(sent)) s after the signal")
    #expect(status == 0, "\(screen)")
    #expect(screen.contains("Effort, 1 (very easy) to 10 (maximal)?"), "\(screen)")
    #expect(screen.contains("logged run on ") && screen.contains(", 170 spm, 0:03, no check-in"), "\(screen)")
    let json = try cadence(["history", "--json", "--db", db], environment: ["TZ": "UTC"])
    let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
    #expect(rows.count == 1)
    #expect(rows.first?["source"] as? String == "play" && rows.first?["effort"] is NSNull, "\(rows)")
  }

  /// kill -9 at moments spread over a whole `session` (opening the history, playing, storing,
  /// the check-in): the database always opens and passes SQLite's integrity check, and holds
  /// at most one run per finished session.
  @Test(.timeLimit(.minutes(2))) func killNineNeverDamagesTheHistory() throws {
    let dir = scratchDirectory("kill9")
    let db = dir.appendingPathComponent("h.sqlite").path
    let arguments = [
      "session", "--cadence", "170", "--warmup", "0", "--minutes", "0.05", "--cooldown", "0", "--device", "null",
      "--db", db,
    ]
    var finished = 0
    for delay in stride(from: 0, through: 1_400_000, by: 100_000) {
      let result = try cadence(arguments, stdin: "5\n1\ny\nn\n4km\n") { process in
        usleep(useconds_t(delay))
        kill(process.processIdentifier, SIGKILL)
      }
      if result.status == 0 { finished += 1 }
      let history = try AppDatabase(path: db)
      #expect(try history.integrityCheck() == "ok")
      let runs = try history.runs().count
      #expect(runs <= 1 + delay / 100_000 && runs >= finished, "\(runs) runs after \(delay / 100_000 + 1) sessions")
    }
  }
}

@Suite struct ReadOnlyCommandTests {
  @Test func readingNeverCreatesTheHistoryFile() throws {
    let dir = scratchDirectory("read-only")
    let db = dir.appendingPathComponent("none/h.sqlite").path
    let history = try cadence(["history", "--db", db])
    #expect(history.status == 0 && history.stdout.hasPrefix("No runs yet."), "\(history.stderr)")
    #expect(try cadence(["history", "--json", "--db", db]).stdout == "[\n\n]\n")
    let plan = try cadence(["plan", "--db", db])
    #expect(
      plan.status == 64
        && plan.stderr.hasPrefix("cadence: error: there is no cadence plan yet, and no measured cadence"))
    #expect(try cadence(["plan", "resume", "--db", db]).status == 64)
    #expect(try cadence(["play", "170", "--minutes", "0.01", "--device", "null", "--db", db]).status == 0)
    #expect(!FileManager.default.fileExists(atPath: db))
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("none").path))
  }
}

/// The process whose command line matches `pattern` (pgrep -f).
func pidOf(_ pattern: String) throws -> pid_t? {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
  process.arguments = ["-f", pattern]
  let out = Pipe()
  process.standardOutput = out
  try process.run()
  let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  process.waitUntilExit()
  return text.split(separator: "\n").first.flatMap { pid_t($0) }
}
