import CPosixShims
import Glibc

/// Non-canonical, no-echo input on standard input while the live screen runs; restored by
/// `restore()` (also on the error paths: callers use `defer`). Ctrl-C still raises SIGINT.
public final class RawTerminal {
  private var saved = termios()
  private var active = false

  public init?() {
    guard isatty(0) == 1, tcgetattr(0, &saved) == 0 else { return nil }
    var raw = saved
    raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
    raw.c_cc.6 = 1  // VMIN
    raw.c_cc.5 = 0  // VTIME
    guard tcsetattr(0, TCSANOW, &raw) == 0 else { return nil }
    active = true
  }

  public func restore() {
    guard active else { return }
    tcsetattr(0, TCSANOW, &saved)
    active = false
  }

  deinit { restore() }
}

/// The width of the terminal on `descriptor` in columns (TIOCGWINSZ); nil when it is not a
/// terminal or does not say.
public func terminalColumns(_ descriptor: Int32 = 1) -> Int? {
  var size = winsize()
  guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
  return Int(size.ws_col)
}

/// The height of the terminal on `descriptor` in rows (TIOCGWINSZ); nil when it is not a
/// terminal or does not say.
public func terminalRows(_ descriptor: Int32 = 1) -> Int? {
  var size = winsize()
  guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 else { return nil }
  return Int(size.ws_row)
}

/// SIGINT, SIGTERM and SIGHUP become a byte on a pipe (the signal's number) that the control
/// loop and the check-in poll, so that stopping happens on a normal thread (signal handlers
/// may do almost nothing safely).
public enum StopSignals {
  nonisolated(unsafe) private static var writeFD: Int32 = -1
  nonisolated(unsafe) public private(set) static var readFD: Int32 = -1

  public static func install() {
    guard readFD < 0 else { return }
    var fds: [Int32] = [0, 0]
    guard CCadence_pipeCloexecNonblock(&fds) == 0 else { return }
    readFD = fds[0]
    writeFD = fds[1]
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { signal in
      var byte = UInt8(truncatingIfNeeded: signal)
      _ = write(StopSignals.writeFD, &byte, 1)
    }
    sigemptyset(&action.sa_mask)
    action.sa_flags = SA_RESTART
    let stops = [SIGINT, SIGTERM, SIGHUP]
    for stop in stops { sigaction(stop, &action, nil) }
    signal(SIGPIPE, SIG_IGN)
    // A parent may have started us with these blocked (the mask is inherited across exec):
    // then Ctrl-C and SIGTERM would never arrive.
    var set = sigset_t()
    sigemptyset(&set)
    for stop in stops { sigaddset(&set, stop) }
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
  }

  /// Empties the pipe; returns the signals it held, oldest first.
  @discardableResult
  public static func drain() -> [Int32] {
    guard readFD >= 0 else { return [] }
    var received: [Int32] = []
    var bytes = [UInt8](repeating: 0, count: 16)
    while true {
      let n = read(readFD, &bytes, bytes.count)
      guard n > 0 else { return received }
      received += bytes[..<n].map { Int32($0) }
    }
  }
}
