import ArgumentParser
import CadenceCore
import ClickEngine
import Coach
import Foundation
import Glibc
import History
import LiveRun
import Settings
import Sounds

/// A stream of text out of a command: standard output or standard error in a real run, a
/// buffer in a test.
protocol TextOutput: AnyObject {
  func write(_ text: String)
  /// The error (errno) of the first write that failed, or nil.
  var failure: Int32? { get }
  /// What failed to be written, up to `DescriptorOutput.keptBytes`.
  var lost: String { get }
}

extension TextOutput {
  var failure: Int32? { nil }
  var lost: String { "" }
}

/// Lines in: standard input in a real run, scripted answers in a test.
protocol LineInput: AnyObject {
  /// The next line without its newline; nil at the end of input.
  func next() -> String?
  /// True when input ended at a line longer than a command reads.
  var overlong: Bool { get }
  /// A descriptor that, once readable, ends the input (the stop-signal pipe); -1 for none.
  var interruptFD: Int32 { get set }
}

extension StandardInputLines: LineInput {}

/// A file descriptor, written at once with write(2) (status lines must show as they happen).
/// Every byte is written or the failure kept: like coreutils, a command whose output could not
/// be written ends with an error (`CadenceCommand.execute`), and what was lost is said on
/// standard error.
final class DescriptorOutput: TextOutput {
  let descriptor: Int32
  private(set) var failure: Int32?
  private(set) var lost = ""
  /// The most lost text kept to say again.
  static let keptBytes = 65_536

  init(_ descriptor: Int32) { self.descriptor = descriptor }

  func write(_ text: String) {
    guard failure == nil else { return keep(text) }
    var text = text
    let written = text.withUTF8 { bytes -> Int in
      var done = 0
      while done < bytes.count {
        let n = Glibc.write(descriptor, bytes.baseAddress.map { $0 + done }, bytes.count - done)
        if n > 0 {
          done += n
        } else if n < 0 && errno == EINTR {
          continue
        } else {
          failure = n < 0 ? errno : ENOSPC
          break
        }
      }
      return done
    }
    if failure != nil { keep(String(decoding: text.utf8.dropFirst(written), as: UTF8.self)) }
  }

  private func keep(_ text: String) {
    guard lost.utf8.count < Self.keptBytes else { return }
    lost += String(decoding: text.utf8.prefix(Self.keptBytes - lost.utf8.count), as: UTF8.self)
  }

  /// Descriptors 0, 1 and 2 held open: where one was closed (`>&-`), /dev/null is opened
  /// read-only in its place, so writes to it fail and are reported, and the history that
  /// opens next can never land on standard output's number and be written over.
  static func holdStandardDescriptors() {
    for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
      let opened = open("/dev/null", O_RDONLY | O_CLOEXEC)
      if opened != fd && opened >= 0 {
        _ = dup2(opened, fd)
        close(opened)
      }
    }
  }
}

/// Everything a command reaches outside itself: its output and error streams, its input, the
/// clock, the environment (and the paths that follow from it), and whether a runner sits at a
/// terminal. The entry point builds the real one once (`live`); tests build a closed one and run
/// commands in-process. No command reads the process's environment, clock or streams itself.
struct CommandContext {
  var output: any TextOutput
  var errors: any TextOutput
  var input: any LineInput
  /// Now, for everything the command records and reports: the clock, or `CADENCE_NOW`.
  var now: Date
  var environment: [String: String]
  /// Standard input is a terminal (tap reads keys, not lines).
  var inputIsTerminal: Bool
  /// Standard output is a terminal (no place for audio).
  var outputIsTerminal: Bool
  /// The folder of the running binary (the built-in sounds are found from it).
  var executableDirectory: String?
  /// Seconds that never jump, for what a command times itself (taps, a lost device's retries).
  var clock: any RunClock = MonotonicClock()
  /// The terminal's width on standard output, read when asked (a window can be resized).
  var columns: () -> Int? = { nil }
  /// The terminal's height on standard output, read when asked.
  var rows: () -> Int? = { nil }
  /// [product choice] How long a command waits for another process's hold on the history before
  /// it says so and gives up.
  var historyLockWaitSeconds = 10.0

  /// `CADENCE_NOW` (ISO 8601, or a local date and time) runs cadence at another moment: examples,
  /// and journeys over simulated weeks.
  static let nowEnvironmentKey = "CADENCE_NOW"

  /// The process's own streams, environment and clock, read once.
  static func live() throws(UserError) -> CommandContext {
    let environment = ProcessInfo.processInfo.environment
    let now = try moment(environment: environment, clock: Date())
    var context = CommandContext(
      output: DescriptorOutput(1), errors: DescriptorOutput(2), input: StandardInputLines(), now: now,
      environment: environment, inputIsTerminal: isatty(0) == 1, outputIsTerminal: isatty(1) == 1,
      executableDirectory: SoundLibrary.executableDirectory())
    context.columns = { terminalColumns(1) }
    context.rows = { terminalRows(1) }
    return context
  }

  /// The moment a command runs at: `CADENCE_NOW` where it is set, else the clock; either must
  /// fall in `Timestamp.years`, so every date cadence stores can be read back (a clock in the
  /// year 99999 made date loops spin).
  static func moment(environment: [String: String], clock: Date) throws(UserError) -> Date {
    var now = clock
    if let pinned = environment[nowEnvironmentKey] {
      guard let date = parseDate(pinned) else {
        throw UserError(
          message: "\(nowEnvironmentKey)='\(pinned)' is not a date and time cadence can read",
          hint: "set it like 2026-11-20T07:30:00Z or 2026-11-20T07:30 (years \(yearsText)), or unset it to use "
            + "the clock", code: .usage)
      }
      now = date
    }
    guard Timestamp.isInRange(now.timeIntervalSince1970) else {
      throw UserError(
        message: "the clock reads a date outside the years \(yearsText), the dates cadence keeps",
        hint: "set the system clock right (timedatectl), then run cadence again", code: .usage)
    }
    return now
  }

  private static var yearsText: String { "\(Timestamp.years.lowerBound)-\(Timestamp.years.upperBound)" }

  /// Standard input and output are both terminals: the live screen and keys.
  var interactive: Bool { inputIsTerminal && outputIsTerminal }

  /// Where a run's lines and live screen go: standard output, or standard error when standard
  /// output carries JSON.
  func runOutput(json: Bool) -> RunOutput { StreamRunOutput(json ? errors : output) }

  /// A line on standard output.
  func say(_ text: String) { output.write(text + "\n") }

  /// A line on standard error.
  func note(_ text: String) { errors.write(text + "\n") }

  /// Words for the runner: on standard output, or on standard error when standard output
  /// carries JSON.
  func speaker(json: Bool) -> (String) -> Void {
    json ? { [errors] in errors.write($0 + "\n") } : { [output] in output.write($0 + "\n") }
  }

  /// The config file's path: $XDG_CONFIG_HOME/cadence/config.toml, else under $HOME.
  var configPath: String { Config.path(environment: environment) }

  /// The history's path when --db is not given.
  var defaultHistoryPath: String { defaultDatabasePath(environment: environment) }

  /// The one-run lock: in $XDG_RUNTIME_DIR (per user, gone at logout), else the state folder.
  var runLockPath: String {
    if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/") { return runtime + "/cadence/run.lock" }
    if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/cadence/run.lock" }
    return (environment["HOME"] ?? "/tmp") + "/.local/state/cadence/run.lock"
  }

  /// Takes the one-run lock for `command` (play or session), or says who has it. With `force`
  /// none is taken. A lock that cannot be made is said once, and the run plays without it.
  func takeRunLock(_ command: String, force: Bool) throws -> RunLock? {
    guard !force else { return nil }
    do {
      return try RunLock(
        path: runLockPath,
        holder: RunLock.Holder(pid: getpid(), since: Int64(now.timeIntervalSince1970), command: command))
    } catch {
      switch error {
      case .held(let holder): throw UserError.runLock(holder, now: now)
      case .cannotOpen(let path, let reason):
        note("cadence: cannot take the one-run lock '\(path)' (\(reason)); playing without it")
        return nil
      }
    }
  }

  /// The runner's config (built-in defaults when there is no file).
  func config() throws(UserError) -> Config {
    do {
      return try Config.load(path: configPath)
    } catch {
      throw .config(error)
    }
  }

  /// A click sound by name or path, at `sampleRate`; a missing built-in set is said on
  /// standard error and replaced by the synthesized click.
  func sound(_ nameOrPath: String, sampleRate: Double) throws(UserError) -> ClickSound {
    let dirs = SoundLibrary.searchPath(environment: environment, executableDirectory: executableDirectory)
    do {
      return try SoundLibrary.load(nameOrPath, sampleRate: sampleRate, searchPath: dirs) { note($0) }
    } catch {
      throw .sound(error)
    }
  }

  /// espeak-ng for spoken cues (`CADENCE_ESPEAK_LIBRARY` names another library to load).
  func voice() throws(UserError) -> Voice {
    do {
      return try Voice(library: environment[Voice.libraryEnvironmentKey])
    } catch {
      throw .voice(error)
    }
  }

  /// The check-in after a run: questions on standard error, answers from the input.
  func checkIn() -> CheckInPrompt {
    CheckInPrompt(readLine: { [input] in input.next() }, write: { [errors] in errors.write($0) })
  }

  /// Prints `error` the way every command does; returns its exit code.
  func report(_ error: UserError, json: Bool = false) -> Int32 {
    errors.write(error.printed)
    if json { output.write(error.json + "\n") }
    return error.code.rawValue
  }

  /// `status`, unless standard output failed: then an error that says why, what it would have
  /// said, and exit 74 (what was stored stays stored).
  func finish(_ status: Int32) -> Int32 {
    guard let failure = output.failure else { return status }
    let reason = String(cString: strerror(failure))
    var text = "cadence: error: could not write to standard output (\(reason))"
    if output.lost.isEmpty {
      text += "\n"
    } else {
      text += "; it would have said:\n" + output.lost + (output.lost.hasSuffix("\n") ? "" : "\n")
    }
    text += "  try: send the output where it can be written (a file on a disk with room, or an open pipe)\n"
    errors.write(text)
    return status == 0 ? UserError.Code.ioError.rawValue : status
  }
}

/// A command that runs in a `CommandContext`. It throws what went wrong in its modules' own
/// terms (or a UserError); the entry point words it.
protocol ContextCommand: ParsableCommand {
  func run(in context: CommandContext) throws
}

/// A run's words on one of the context's streams.
final class StreamRunOutput: RunOutput {
  private let stream: any TextOutput
  init(_ stream: any TextOutput) { self.stream = stream }
  func line(_ text: String) { stream.write(text + "\n") }
  func screen(_ text: String) { stream.write(text) }
}
