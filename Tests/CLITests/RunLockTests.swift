import Foundation
import Testing

/// One run at a time per user: a second `play` or `session` is refused with who is playing,
/// `--force` plays anyway, and the lock is free again once the first run ends or dies.
@Suite struct RunLockTests {
  @Test(.timeLimit(.minutes(1))) func aSecondRunIsRefusedUntilTheFirstEndsOrDies() throws {
    let dir = scratchDirectory("run-lock")
    let runtime = dir.appendingPathComponent("run").path
    let fifo = dir.appendingPathComponent("device.fifo").path
    #expect(mkfifo(fifo, 0o600) == 0)
    // A device nobody reads from: the first run holds the lock while it waits on it.
    let conf = dir.appendingPathComponent("asound.conf")
    try "pcm.stuck { type file slave.pcm \"null\" file \"\(fifo)\" format \"raw\" }\n".write(
      to: conf, atomically: true, encoding: .utf8)
    let shared = [
      "XDG_RUNTIME_DIR": runtime, "TZ": "UTC", "ALSA_CONFIG_PATH": "/usr/share/alsa/alsa.conf:\(conf.path)",
    ]
    let first = Process()
    first.executableURL = URL(fileURLWithPath: cadenceBinary)
    first.arguments = ["play", "170", "--minutes", "1", "--device", "stuck"]
    first.environment = testEnvironment(shared.merging(["CADENCE_NOW": "2026-03-01T08:00:00Z"]) { $1 })
    first.standardInput = FileHandle.nullDevice
    first.standardOutput = FileHandle.nullDevice
    first.standardError = FileHandle.nullDevice
    try first.run()
    defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
    let lock = runtime + "/cadence/run.lock"
    let pid = first.processIdentifier
    var written = ""
    for _ in 0..<200 where !written.contains("command play") {
      usleep(50_000)
      written = (try? String(contentsOfFile: lock, encoding: .utf8)) ?? ""
    }
    #expect(written == "pid \(pid)\nsince 1772352000\ncommand play\n")

    let later = shared.merging(["CADENCE_NOW": "2026-03-01T08:05:00Z"]) { $1 }
    let refused = try cadence(["play", "170", "--minutes", "0.01", "--device", "null"], environment: later)
    #expect(refused.status == 75)
    #expect(
      refused.stderr
        == "cadence: error: another cadence run is playing: cadence play, pid \(pid), since 2026-03-01T08:00:00Z (5 min ago)\n"
        + "  try: stop it first (q in its terminal, or kill \(pid)), or add --force to play anyway\n")
    let db = dir.appendingPathComponent("h.sqlite").path
    let session = try cadence(
      [
        "session", "--cadence", "170", "--warmup", "0", "--minutes", "0.01", "--cooldown", "0", "--device", "null",
        "--db", db,
      ], environment: later)
    #expect(session.status == 75 && session.stderr.hasPrefix("cadence: error: another cadence run is playing"))
    let forced = try cadence(["play", "170", "--minutes", "0.01", "--device", "null", "--force"], environment: later)
    #expect(forced.status == 0, "\(forced.stderr)")

    // The first run dies: its lock goes with it.
    kill(pid, SIGKILL)
    first.waitUntilExit()
    let after = try cadence(["play", "170", "--minutes", "0.01", "--device", "null"], environment: later)
    #expect(after.status == 0, "\(after.stderr)")
    // And a run that ended lets the next one play.
    let next = try cadence(["play", "170", "--minutes", "0.01", "--device", "null"], environment: later)
    #expect(next.status == 0, "\(next.stderr)")
  }
}
