import CLogind
import Glibc

/// Keeps the machine awake while a run plays: a logind inhibitor lock (`idle:sleep`, mode
/// `block`: no screen blanking, no suspend) taken over the system bus and held as a file
/// descriptor; closing it lets go. Control thread only, never the playback thread.
public final class SleepInhibitor {
  private var descriptor: Int32

  /// Why there is no inhibitor: the step that failed, its errno, and the bus's message.
  public struct Unavailable: Error, CustomStringConvertible {
    public let step: String
    public let code: Int32
    public let message: String

    public var description: String {
      let reason = message.isEmpty ? String(cString: strerror(-code)) : message
      return step == "sd_bus_open_system" ? "no system bus: \(reason)" : "\(step): \(reason)"
    }
  }

  /// [product choice] How long a run waits for logind before playing without it: the first
  /// click must not wait on a slow bus.
  public static let timeoutMilliseconds: UInt32 = 2_000

  /// Takes the lock, saying `why` (logind shows it in `systemd-inhibit --list`).
  public init(why: String) throws(Unavailable) {
    var step: UnsafePointer<CChar>?
    var message = [CChar](repeating: 0, count: 256)
    let fd = cadence_logind_inhibit(
      "idle:sleep", "cadence", why, "block", Self.timeoutMilliseconds, &step, &message, message.count)
    guard fd >= 0 else {
      let text = message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
      throw Unavailable(
        step: step.map { String(cString: $0) } ?? "sd-bus", code: fd, message: String(decoding: text, as: UTF8.self))
    }
    descriptor = fd
  }

  /// Lets go of the lock (also at deinit).
  public func release() {
    guard descriptor >= 0 else { return }
    close(descriptor)
    descriptor = -1
  }

  deinit { release() }
}
