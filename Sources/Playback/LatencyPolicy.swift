import ALSA

/// How big an output buffer cadence asks for, and why: short on a sound card, the server's
/// own rhythm on a sound server.
///
/// A live tempo change is rendered into the next period, so it reaches the first beat not
/// yet queued: at most one buffer behind the key press. Beats are at least 250 ms apart (240
/// spm), so with a server buffer of about 85 ms a change lands on the next beat unless that
/// beat is already within the buffer, and then on the one after. cadence does not rewind
/// what it has queued: the pulse plugin cannot rewind, and a click already queued is played.
public struct LatencyChoice: Sendable, Equatable {
  public var request: PCMRequest
  /// Said with `--verbose`.
  public var reason: String
}

public enum LatencyPolicy {
  /// A sound card driven directly: 10 ms in 4 periods, so a live change reaches the ear
  /// within about 10 ms, while a late wake-up still finds three periods queued.
  public static let hardwareMicroseconds = 10_000
  /// A sound server's period: 1024 frames at 48 kHz (21.3 ms), PipeWire's default quantum.
  /// A shorter period makes PipeWire run its whole graph at that size (every other program
  /// pays for it) and made a real PulseAudio 16 lose most of the audio (see README).
  public static let serverPeriodFrames48k = 1024
  public static let periodsPerBuffer = 4
  /// JACK keeps its own period (the plugin takes no other); ask for about 4 of a typical one.
  public static let jackMicroseconds = 20_000

  /// The request for a device of `kind`; `milliseconds` (from `--latency` or the config)
  /// overrides the policy.
  public static func choose(for kind: DeviceKind, milliseconds: Double?, sampleRate: Int = 48_000) -> LatencyChoice {
    var request = PCMRequest()
    request.sampleRate = sampleRate
    request.periodsPerBuffer = periodsPerBuffer
    if let milliseconds, milliseconds.isFinite, milliseconds > 0 {
      // The CLI allows 2 to 500 ms; the clamp only keeps the conversion safe for any caller.
      request.latencyMicroseconds = Int((min(milliseconds, 10_000) * 1000).rounded())
      return LatencyChoice(
        request: request, reason: "buffer \(format(milliseconds)) ms as asked (--latency or the config's latency)")
    }
    switch kind {
    case .hardware, .other:
      request.latencyMicroseconds = hardwareMicroseconds
      return LatencyChoice(
        request: request,
        reason: "\(kind) takes a short buffer: \(ms(hardwareMicroseconds)) ms in \(periodsPerBuffer) periods")
    case .jack:
      request.latencyMicroseconds = jackMicroseconds
      return LatencyChoice(
        request: request,
        reason: "JACK sets the period itself; about \(ms(jackMicroseconds)) ms in \(periodsPerBuffer) of its periods")
    case .pipeWire, .pulseAudio, .otherServer:
      let period = serverPeriodFrames48k * sampleRate / 48_000
      request.periodFrames = period
      request.latencyMicroseconds = period * periodsPerBuffer * 1_000_000 / sampleRate
      return LatencyChoice(
        request: request,
        reason: "\(kind) is a sound server: \(periodsPerBuffer) periods of \(ms(period * 1_000_000 / sampleRate)) ms "
          + "(its usual quantum, \(serverPeriodFrames48k) frames at 48 kHz), \(ms(request.latencyMicroseconds)) ms "
          + "in all, so it is not forced to run its graph faster; a tempo change lands on the first beat not yet queued"
      )
    }
  }

  /// Whole milliseconds, rounded.
  private static func ms(_ microseconds: Int) -> Int { (microseconds + 500) / 1000 }

  private static func format(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
  }
}
