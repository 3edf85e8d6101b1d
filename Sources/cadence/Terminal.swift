import CPosixShims
import CadenceCore
import Glibc

/// A key the live screens react to.
enum Key: Equatable, Sendable {
  case up, down, pageUp, pageDown, space, quit
  case character(Character)
}

extension Key {
  /// The cadence change a tempo key asks for: up/down 1 spm, page up/down 5.
  var cadenceStep: Double? {
    switch self {
    case .up: 1
    case .down: -1
    case .pageUp: 5
    case .pageDown: -5
    default: nil
    }
  }
}

/// `spm` moved by `step`, kept within what the metronome plays; nil if that changes nothing.
func nudged(_ spm: Double, by step: Double) -> Double? {
  let next = min(max(spm + step, Cadence.playable.lowerBound), Cadence.playable.upperBound)
  return next == spm ? nil : next
}

/// Turns the bytes a terminal sends into keys, including escape sequences split across reads.
struct KeyDecoder {
  private var pending: [UInt8] = []

  mutating func feed(_ bytes: some Sequence<UInt8>) -> [Key] {
    pending += bytes
    var keys: [Key] = []
    while !pending.isEmpty {
      guard pending[0] == 0x1B else {
        keys.append(Self.plain(pending.removeFirst()))
        continue
      }
      switch Self.escape(pending) {
      case .incomplete: return keys
      case .key(let key, let length):
        if let key { keys.append(key) }
        pending.removeFirst(length)
      }
    }
    return keys
  }

  private static func plain(_ byte: UInt8) -> Key {
    switch byte {
    case UInt8(ascii: "+"), UInt8(ascii: "="): .up
    case UInt8(ascii: "-"), UInt8(ascii: "_"): .down
    case UInt8(ascii: " "): .space
    case UInt8(ascii: "q"), UInt8(ascii: "Q"): .quit
    default: .character(Character(Unicode.Scalar(byte)))
    }
  }

  private enum Parse {
    case incomplete
    case key(Key?, length: Int)
  }

  /// ESC [ A/B (arrows), ESC O A/B (application mode), ESC [ 5~ / 6~ (page keys),
  /// ESC [ 1;2A / 1;2B (shift+arrows, which count as page keys). Anything else is skipped.
  private static func escape(_ b: [UInt8]) -> Parse {
    guard b.count >= 2 else { return .incomplete }
    guard b[1] == UInt8(ascii: "[") || b[1] == UInt8(ascii: "O") else { return .key(nil, length: 1) }
    // Find the final byte of the control sequence (0x40...0x7E).
    var end = 2
    while end < b.count, !(0x40...0x7E).contains(b[end]) { end += 1 }
    guard end < b.count else { return b.count > 8 ? .key(nil, length: b.count) : .incomplete }
    let body = String(decoding: b[2..<end], as: UTF8.self)
    let final = Character(Unicode.Scalar(b[end]))
    let shifted = body == "1;2"
    let key: Key? =
      switch (final, body) {
      case ("A", ""): .up
      case ("B", ""): .down
      case ("A", _) where shifted: .pageUp
      case ("B", _) where shifted: .pageDown
      case ("~", "5"): .pageUp
      case ("~", "6"): .pageDown
      default: nil
      }
    return .key(key, length: end + 1)
  }
}

/// Non-canonical, no-echo input on standard input while the live screen runs; restored by
/// `restore()` (also on the error paths: callers use `defer`). Ctrl-C still raises SIGINT.
final class RawTerminal {
  private var saved = termios()
  private var active = false

  init?() {
    guard isatty(0) == 1, tcgetattr(0, &saved) == 0 else { return nil }
    var raw = saved
    raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
    raw.c_cc.6 = 1  // VMIN
    raw.c_cc.5 = 0  // VTIME
    guard tcsetattr(0, TCSANOW, &raw) == 0 else { return nil }
    active = true
  }

  func restore() {
    guard active else { return }
    tcsetattr(0, TCSANOW, &saved)
    active = false
  }

  deinit { restore() }
}

/// True when both standard input and output are terminals: the live screen and keys.
func isInteractive() -> Bool { isatty(0) == 1 && isatty(1) == 1 }

/// SIGINT and SIGTERM become a byte on a pipe that the control loop polls, so that stopping
/// happens on a normal thread (signal handlers may do almost nothing safely).
enum StopSignals {
  nonisolated(unsafe) private static var writeFD: Int32 = -1
  nonisolated(unsafe) private(set) static var readFD: Int32 = -1

  static func install() {
    guard readFD < 0 else { return }
    var fds: [Int32] = [0, 0]
    guard CCadence_pipeCloexecNonblock(&fds) == 0 else { return }
    readFD = fds[0]
    writeFD = fds[1]
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in
      var byte: UInt8 = 1
      _ = write(StopSignals.writeFD, &byte, 1)
    }
    sigemptyset(&action.sa_mask)
    action.sa_flags = SA_RESTART
    sigaction(SIGINT, &action, nil)
    sigaction(SIGTERM, &action, nil)
    signal(SIGPIPE, SIG_IGN)
    // A parent may have started us with these blocked (the mask is inherited across exec):
    // then Ctrl-C and SIGTERM would never arrive.
    var stops = sigset_t()
    sigemptyset(&stops)
    sigaddset(&stops, SIGINT)
    sigaddset(&stops, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &stops, nil)
  }
}

/// Formats seconds as m:ss or h:mm:ss.
func clock(_ seconds: Double) -> String {
  let total = max(0, Int(seconds.rounded(.down)))
  let h = total / 3600
  let m = total / 60 % 60
  let s = total % 60
  func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
  return h > 0 ? "\(h):\(two(m)):\(two(s))" : "\(m):\(two(s))"
}
