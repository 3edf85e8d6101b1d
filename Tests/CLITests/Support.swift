import AudioTestSupport
import Coach
import Foundation
import Synchronization

@testable import cadence

/// What a run of the `cadence` binary printed and how it exited.
struct RunResult {
  var status: Int32
  var stdout: String
  var stderr: String
  var seconds: Double
}

/// The `cadence` executable built beside this test binary.
let cadenceBinary: String = {
  let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
  var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
  // The test bundle may sit in a subfolder of the build folder.
  for _ in 0..<3 {
    let candidate = dir.appendingPathComponent("cadence").path
    if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    dir.deleteLastPathComponent()
  }
  return "cadence"
}()

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

/// A home of the test run's own, empty, that every process a test starts gets as HOME and as its
/// XDG base folders: no test reads or writes the developer's own config, history or sounds.
let isolatedHome: String = {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cadence-cli-\(getpid())-home")
  try? FileManager.default.removeItem(at: dir)
  try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  return dir.path
}()

/// A runtime folder (XDG_RUNTIME_DIR) of one started process's own: tests run in parallel, and
/// the one-run lock, the session bus and sound servers live there. A test that wants two
/// processes to share one (the lock) passes its own.
func freshRuntimeDirectory() -> String {
  let n = runtimeCounter.add(1, ordering: .relaxed).newValue
  let dir = isolatedHome + "/run/\(n)"
  try? FileManager.default.createDirectory(
    atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
  return dir
}

private let runtimeCounter = Atomic<Int>(0)

/// This process's environment with HOME, the XDG base folders and a fresh runtime folder moved
/// under `isolatedHome`, the session and system buses pointed where none runs, and `environment` added last (a test that sets its own
/// XDG_CONFIG_HOME keeps it). Every process a test starts gets it.
func testEnvironment(_ environment: [String: String] = [:]) -> [String: String] {
  let home = isolatedHome
  let runtime = freshRuntimeDirectory()
  let isolated = [
    "HOME": home, "XDG_CONFIG_HOME": home + "/.config", "XDG_DATA_HOME": home + "/.local/share",
    "XDG_STATE_HOME": home + "/.local/state", "XDG_CACHE_HOME": home + "/.cache",
    "XDG_RUNTIME_DIR": runtime,
    // No bus of the developer's: a test that wants one starts its own and names it.
    "DBUS_SESSION_BUS_ADDRESS": "unix:path=\(runtime)/bus",
    "DBUS_SYSTEM_BUS_ADDRESS": "unix:path=\(runtime)/system-bus",
  ]
  return ProcessInfo.processInfo.environment.merging(isolated) { $1 }.merging(environment) { $1 }
}

/// Runs `cadence` with `arguments`, no standard input, and `environment` added to the test
/// environment (`testEnvironment`); `afterStart` may signal the process.
@discardableResult
func cadence(
  _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil, stdinFile: String? = nil,
  executable: String = cadenceBinary, afterStart: ((Process) -> Void)? = nil
) throws -> RunResult {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  process.environment = testEnvironment(environment)
  let out = Pipe()
  let err = Pipe()
  process.standardOutput = out
  process.standardError = err
  let input = Pipe()
  process.standardInput =
    try stdinFile.map { try FileHandle(forReadingFrom: URL(fileURLWithPath: $0)) }
    ?? (stdin == nil ? FileHandle.nullDevice : input)
  let start = Date()
  try process.run()
  if let stdin {
    input.fileHandleForWriting.write(Data(stdin.utf8))
    try input.fileHandleForWriting.close()
  }
  afterStart?(process)
  let outData = out.fileHandleForReading.readDataToEndOfFile()
  let errData = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return RunResult(
    status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
    stderr: String(decoding: errData, as: UTF8.self), seconds: Date().timeIntervalSince(start))
}

func scratchDirectory(_ name: String) -> URL {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cadence-cli-\(getpid())-\(name)")
  try? FileManager.default.removeItem(at: dir)
  try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  return dir
}

/// Ideal grid frames below `limit` (the engine's rule, in exact integer arithmetic), for a
/// cadence given in tenths of a step per minute.
func gridFrames(tenths: Int64, rate: Int64, below limit: Int64, every: Int64 = 1) -> [Int] {
  var frames: [Int] = []
  var k: Int64 = 0
  while true {
    let f = (2 * k * rate * 600 + tenths) / (2 * tenths)
    if f >= limit { return frames }
    if k % every == 0 { frames.append(Int(f)) }
    k += 1
  }
}

/// The keyboard and screen of a pseudo-terminal while its command runs.
final class TerminalSession: @unchecked Sendable {
  private let keys: FileHandle
  private let lock = NSLock()
  private var shown = Data()
  /// When the command exited.
  var exitedAt = Date.distantFuture

  init(keys: FileHandle) { self.keys = keys }

  /// Types `data` as keys.
  func write(_ data: Data) { keys.write(data) }

  func append(_ data: Data) { lock.withLock { shown.append(data) } }

  var screen: String { lock.withLock { String(decoding: shown, as: UTF8.self) } }

  /// Waits until the screen shows `text` or `seconds` pass; says which.
  @discardableResult func waitFor(_ text: String, seconds: Double = 20) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if screen.contains(text) { return true }
      usleep(20_000)
    }
    return screen.contains(text)
  }
}

/// Runs `command` on a pseudo-terminal (util-linux `script`), as a runner's terminal would, with
/// `environment` added; `type` types keys while it runs and may wait for text on the screen.
/// Returns the exit status and everything the terminal showed.
///
/// `script` runs the command through `$SHELL -c`; `exec` makes the shell become cadence, so that
/// Ctrl-C reaches cadence alone. Without it dash (Debian's /bin/sh, the shell when SHELL is
/// unset, as under CI) waits in the foreground, dies of the SIGINT cadence handles, and the
/// status is the shell's 130, not cadence's.
func onPseudoTerminal(
  _ command: [String], environment: [String: String], type: (TerminalSession) -> Void
) throws -> (status: Int32, screen: String) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
  process.arguments = ["-qfec", "exec " + command.joined(separator: " "), "/dev/null"]
  process.environment = testEnvironment(environment).merging(["TERM": "xterm"]) { $1 }
  let input = Pipe()
  let output = Pipe()
  process.standardInput = input
  process.standardOutput = output
  process.standardError = output
  let terminal = TerminalSession(keys: input.fileHandleForWriting)
  try process.run()
  let readerDone = DispatchSemaphore(value: 0)
  Thread.detachNewThread {
    while true {
      let chunk = output.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      terminal.append(chunk)
    }
    readerDone.signal()
  }
  type(terminal)
  process.waitUntilExit()
  terminal.exitedAt = Date()
  // EOF on the output may come late: a process another test spawned meanwhile can inherit the
  // pipe's write end and hold it open. What script wrote before it exited is in the pipe and
  // read at once; the wait for EOF is bounded.
  if readerDone.wait(timeout: .now() + 3) == .timedOut { usleep(200_000) }
  return (process.terminationStatus, terminal.screen)
}

/// Text a command wrote, kept for the test to read.
final class CapturedText: TextOutput, @unchecked Sendable {
  private let lock = NSLock()
  private var bytes = ""
  func write(_ text: String) { lock.withLock { bytes += text } }
  var text: String { lock.withLock { bytes } }
}

/// Answers typed ahead, line by line, as standard input would give them.
final class ScriptedLines: LineInput {
  private var lines: [String]
  private var last: String?
  var overlong = false
  var interruptFD: Int32 = -1

  init(_ text: String?) {
    var lines = (text ?? "").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    // A final newline ends the last line; it does not start another.
    if lines.last == "" { lines.removeLast() }
    self.lines = lines
  }

  func next() -> String? { lines.isEmpty ? nil : lines.removeFirst() }
}

/// The process's time zone pinned to UTC once, before any command runs in this process: a
/// time zone is process-wide, and every in-process test reads its dates in UTC.
private let pinnedTimeZone: Void = {
  setenv("TZ", "UTC", 1)
  tzset()
  NSTimeZone.resetSystemTimeZone()
}()

struct HarnessError: Error {
  var text: String
}

/// Runs `cadence` in this process, as `cadence(_:environment:stdin:)` runs the binary: a closed
/// context whose output and errors are captured, whose input is `stdin` (none: end of input at
/// once), whose clock is `CADENCE_NOW` from `environment`, and whose environment is the isolated
/// home plus `environment` and nothing else. It reaches no terminal and no sound device.
@discardableResult
func inProcess(
  _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
  configure: (inout CommandContext) -> Void = { _ in }
) throws -> RunResult {
  _ = pinnedTimeZone
  if let zone = environment["TZ"], zone != "UTC" {
    throw HarnessError(text: "in-process runs read dates in UTC; run the binary for TZ=\(zone)")
  }
  let home = isolatedHome
  var variables = [
    "HOME": home, "XDG_CONFIG_HOME": home + "/.config", "XDG_DATA_HOME": home + "/.local/share",
    "XDG_STATE_HOME": home + "/.local/state", "XDG_CACHE_HOME": home + "/.cache",
  ]
  variables.merge(environment) { $1 }
  var now = Date()
  if let pinned = variables[CommandContext.nowEnvironmentKey] {
    guard let date = parseDate(pinned) else { throw HarnessError(text: "CADENCE_NOW '\(pinned)' is not a date") }
    now = date
  }
  let output = CapturedText()
  let errors = CapturedText()
  var context = CommandContext(
    output: output, errors: errors, input: ScriptedLines(stdin), now: now, environment: variables,
    inputIsTerminal: false, outputIsTerminal: false,
    executableDirectory: URL(fileURLWithPath: cadenceBinary).deletingLastPathComponent().path)
  configure(&context)
  let start = Date()
  let status = CadenceCommand.execute(arguments, in: context)
  return RunResult(
    status: status, stdout: output.text, stderr: errors.text, seconds: Date().timeIntervalSince(start))
}
