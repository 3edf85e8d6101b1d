import CMPRIS
import Glibc
import LiveRun

/// cadence as an MPRIS player on the session bus while a run plays: the desktop's media
/// controls, a Bluetooth headset's buttons and `playerctl` reach it. Control thread only.
public final class MPRISPlayer: RemoteControl {
  private let handle: OpaquePointer
  private var commands = [Int32](repeating: 0, count: 32)
  /// Set when the bus connection failed mid-run: the run goes on without the remote.
  public private(set) var failure: Int32?

  /// Why there is no player: the step that failed and its errno text.
  public struct Unavailable: Error, CustomStringConvertible {
    public let step: String
    public let code: Int32
    public var description: String {
      // sd-bus's answer when neither DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR names a bus.
      if code == -ENOMEDIUM { return "no session bus" }
      let reason = String(cString: strerror(-code))
      return step == "sd_bus_open_user" ? "no session bus: \(reason)" : "\(step): \(reason)"
    }
  }

  /// Connects to the session bus and takes the MPRIS name. Fails where there is no session bus
  /// (a console, a service, a test machine), which is normal: the run goes on without it.
  public init() throws(Unavailable) {
    var error: Int32 = 0
    var step: UnsafePointer<CChar>?
    guard let handle = cadence_mpris_open(&error, &step) else {
      throw Unavailable(step: step.map { String(cString: $0) } ?? "sd-bus", code: error)
    }
    self.handle = handle
  }

  deinit { cadence_mpris_close(handle) }

  /// The bus name taken: org.mpris.MediaPlayer2.cadence, or an `.instance<pid>` one.
  public var busName: String { String(cString: cadence_mpris_name(handle)) }

  public var pollRequest: pollfd {
    guard failure == nil else { return pollfd(fd: -1, events: 0, revents: 0) }
    let events = cadence_mpris_events(handle)
    return pollfd(fd: cadence_mpris_fd(handle), events: Int16(truncatingIfNeeded: max(0, events)), revents: 0)
  }

  public func receive() -> [RemoteCommand] {
    guard failure == nil else { return [] }
    let n = cadence_mpris_process(handle, &commands, Int32(commands.count))
    if n < 0 {
      failure = n
      return []
    }
    return commands[0..<Int(n)].compactMap { code -> RemoteCommand? in
      switch UInt32(code) {
      case CADENCE_MPRIS_PLAY_PAUSE.rawValue: .playPause
      case CADENCE_MPRIS_PLAY.rawValue: .play
      case CADENCE_MPRIS_PAUSE.rawValue: .pause
      case CADENCE_MPRIS_NEXT.rawValue: .next
      case CADENCE_MPRIS_STOP.rawValue, CADENCE_MPRIS_QUIT.rawValue: .stop
      default: nil
      }
    }
  }

  public func show(_ state: RemoteState) {
    guard failure == nil else { return }
    // The position is never signalled; cadence_mpris_set_state signals only what changed,
    // queued for writing: pollRequest then asks for POLLOUT and the next receive sends it.
    cadence_mpris_set_position(handle, state.positionMicroseconds)
    let r = cadence_mpris_set_state(
      handle, state.status.rawValue, state.title, state.album, state.lengthMicroseconds, state.canGoNext ? 1 : 0)
    if r < 0 { failure = r }
  }
}
