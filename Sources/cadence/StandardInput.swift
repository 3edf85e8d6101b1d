import Glibc
import LiveRun

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
final class StandardInputLines {
  /// 1 MiB: far more than any answer or line of tap times (100,000 times fit in 1 MB).
  static let maxLineBytes = 1 << 20
  /// Polled with standard input; readable means stop reading.
  var interruptFD: Int32 = -1
  /// Set when a stop signal ended the input.
  private(set) var interrupted = false
  private var buffer: [UInt8] = []
  /// Bytes of `buffer` already known to hold no newline.
  private var scanned = 0
  private var ended = false
  /// Set when input ended because a line was longer than `maxLineBytes`.
  private(set) var overlong = false

  init() {}

  func next() -> String? {
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
    !waitForWork(stopFD: interruptFD, keys: true, timeout: nil).stop
  }
}
