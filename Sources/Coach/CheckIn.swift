import CadenceCore
import Foundation
import Glibc

/// The post-run check-in: effort, back pain, whether the run held the cadence, the warning
/// signs of domain.md, distance. Asks on standard error, reads answers line by line from
/// standard input (a terminal or a pipe); at end of input it gives up and the run is saved
/// without a check-in.
public struct CheckInAnswers: Equatable, Sendable {
  public var effort: Int
  public var backPain: Int
  public var completedAtTarget: Bool
  public var warningSigns: Set<WarningSign>
  public var distanceMeters: Double?

  public init(
    effort: Int, backPain: Int, completedAtTarget: Bool, warningSigns: Set<WarningSign>, distanceMeters: Double?
  ) {
    self.effort = effort
    self.backPain = backPain
    self.completedAtTarget = completedAtTarget
    self.warningSigns = warningSigns
    self.distanceMeters = distanceMeters
  }
}

public struct CheckInPrompt {
  public var readLine: () -> String?
  public var write: (String) -> Void

  /// Reads `lines`, asks on standard error.
  public init(lines: StandardInputLines = .shared) {
    readLine = { lines.next() }
    write = { text in
      var text = text
      text.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
  }

  public init(readLine: @escaping () -> String?, write: @escaping (String) -> Void) {
    self.readLine = readLine
    self.write = write
  }

  public func run() -> CheckInAnswers? {
    write("\nCheck-in (Ctrl-D to skip):\n")
    guard
      let effort = ask(
        "Effort, 1 (very easy) to 10 (maximal)? ", { Int($0).flatMap { (1...10).contains($0) ? $0 : nil } }),
      let pain = ask(
        "Back pain now, 0 (none) to 10 (worst)? ", { Int($0).flatMap { (0...10).contains($0) ? $0 : nil } }),
      let completed = ask("Did you run the whole time on the click? [y/n] ", yesNo(default: nil))
    else { return nil }
    var signs: Set<WarningSign> = []
    for sign in WarningSign.allCases {
      guard let yes = ask(sign.question + " [y/N] ", yesNo(default: false)) else { return nil }
      if yes { signs.insert(sign) }
    }
    let parseDistance: (String) -> Double?? = { text in
      if text.isEmpty { return .some(nil) }
      guard let meters = parseDistanceMeters(text) else { return nil }
      return .some(meters)
    }
    guard let distance = ask("Distance (e.g. 5km, 3mi; empty to skip)? ", parseDistance) else { return nil }
    return CheckInAnswers(
      effort: effort, backPain: pain, completedAtTarget: completed, warningSigns: signs, distanceMeters: distance)
  }

  /// Asks until `parse` accepts the answer, at most `maxTries` times; nil at end of input or
  /// after that many answers it could not read (endless input such as `yes` is not a runner).
  private func ask<T>(_ question: String, _ parse: (String) -> T?) -> T? {
    for _ in 0..<Self.maxTries {
      write(question)
      guard let line = readLine() else {
        write("\n")
        return nil
      }
      if let value = parse(line.trimmingCharacters(in: .whitespaces)) { return value }
      write("  please answer as shown in the question\n")
    }
    write("  no answer cadence could read after \(Self.maxTries) tries: the check-in is skipped\n")
    return nil
  }

  public static let maxTries = 5

  private func yesNo(default value: Bool?) -> (String) -> Bool? {
    { answer in
      switch answer.lowercased() {
      case "y", "yes": true
      case "n", "no": false
      case "": value
      default: nil
      }
    }
  }
}

/// What a runner must read after reporting a warning sign.
public func warningAdvice(_ signs: Set<WarningSign>) -> String {
  let ordered = WarningSign.allCases.filter(signs.contains)
  var lines = ["STOP: you reported a warning sign. Do not run through it."]
  for sign in ordered { lines.append("  - " + sign.question.replacingOccurrences(of: "?", with: "")) }
  let advice = Set(ordered.map(\.advice))
  for text in WarningSign.allCases.map(\.advice) where advice.contains(text) { lines.append(text) }
  lines.append("Your cadence plan is paused. When a professional has cleared you to run: cadence plan resume")
  lines.append("(cadence is a training tool, not medical advice.)")
  var seen = Set<String>()
  return lines.filter { seen.insert($0).inserted }.joined(separator: "\n")
}

/// Lines from standard input through read(2), ended early by a stop signal. Not Swift's readLine: that retries getline while
/// errno is EINTR, and after a SIGTERM interrupted an earlier poll errno can still say EINTR at
/// end of input, so it would spin forever instead of returning nil.
///
/// Bounded: a line longer than `maxLineBytes` ends the input (`overlong` says so), so a stream
/// without newlines (`< /dev/zero`) cannot grow memory or run forever; each byte is scanned
/// for a newline once.
///
/// With an `interruptFD` (the stop-signal pipe), a byte there ends the input too: Ctrl-C,
/// SIGTERM or SIGHUP at a prompt end it cleanly, where a blocking read would restart and wait.
public final class StandardInputLines {
  nonisolated(unsafe) public static let shared = StandardInputLines()
  /// 1 MiB: far more than any answer or line of tap times (100,000 times fit in 1 MB).
  public static let maxLineBytes = 1 << 20
  /// Polled with standard input; readable means stop reading.
  public var interruptFD: Int32 = -1
  /// Set when a stop signal ended the input.
  public private(set) var interrupted = false
  private var buffer: [UInt8] = []
  /// Bytes of `buffer` already known to hold no newline.
  private var scanned = 0
  private var ended = false
  /// Set when input ended because a line was longer than `maxLineBytes`.
  public private(set) var overlong = false

  public init() {}

  public func next() -> String? {
    while true {
      if let newline = buffer[scanned...].firstIndex(of: UInt8(ascii: "\n")) {
        let line = String(decoding: buffer[..<newline], as: UTF8.self)
        buffer.removeSubrange(...newline)
        scanned = 0
        return line
      }
      scanned = buffer.count
      if buffer.count > Self.maxLineBytes {
        overlong = true
        ended = true
        buffer.removeAll()
        scanned = 0
        return nil
      }
      if ended {
        guard !buffer.isEmpty else { return nil }
        defer {
          buffer.removeAll()
          scanned = 0
        }
        return String(decoding: buffer, as: UTF8.self)
      }
      if interruptFD >= 0 && !waitForInput() {
        interrupted = true
        ended = true
        continue
      }
      var chunk = [UInt8](repeating: 0, count: 65_536)
      let n = read(0, &chunk, chunk.count)
      if n > 0 {
        buffer += chunk[..<n]
      } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
        ended = true
      } else if errno == EAGAIN {
        var fd = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        _ = poll(&fd, 1, -1)
      }
    }
  }

  /// Waits until standard input has something (or ended); false if the interrupt came first.
  private func waitForInput() -> Bool {
    var fds = [
      pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
      pollfd(fd: interruptFD, events: Int16(POLLIN), revents: 0),
    ]
    while true {
      let r = poll(&fds, 2, -1)
      if r < 0 && errno == EINTR { continue }
      if fds[1].revents != 0 { return false }
      return true
    }
  }
}
