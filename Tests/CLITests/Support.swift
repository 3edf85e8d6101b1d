import AudioTestSupport
import Foundation

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

/// Runs `cadence` with `arguments`, no standard input, and `environment` added to this
/// process's environment; `afterStart` may signal the process.
@discardableResult
func cadence(
  _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil, stdinFile: String? = nil,
  executable: String = cadenceBinary, afterStart: ((Process) -> Void)? = nil
) throws -> RunResult {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
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
  process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }.merging(["TERM": "xterm"]) {
    $1
  }
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
