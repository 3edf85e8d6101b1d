/// What an ALSA PCM plays into, as far as latency is concerned.
public enum DeviceKind: Sendable, Equatable, CustomStringConvertible {
  /// A sound card driven directly (`hw:`, `plughw:`).
  case hardware
  /// PipeWire through pipewire-alsa (what `default` is on current desktops and Raspberry Pi OS).
  case pipeWire
  /// PulseAudio through the alsa-plugins `pulse` PCM (also pipewire-pulse).
  case pulseAudio
  /// A JACK server through the alsa-plugins `jack` PCM.
  case jack
  /// Another I/O plugin (BlueALSA, say): a process on the other side with its own timing.
  case otherServer(String)
  /// Anything else: `null`, `file`, and PCMs cadence cannot tell apart.
  case other(String)

  /// Classifies libasound's description of a PCM chain (the text of snd_pcm_dump), whose
  /// innermost slave names what the audio finally reaches.
  public init(describing dump: String) {
    if dump.contains("PipeWire PCM I/O Plugin") {
      self = .pipeWire
    } else if dump.contains("PulseAudio PCM I/O Plugin") {
      self = .pulseAudio
    } else if dump.contains("JACK PCM I/O Plugin") {
      self = .jack
    } else if let line = dump.split(separator: "\n").first(where: { $0.contains("I/O Plugin") }) {
      // "Plug PCM: ALSA <-> BlueALSA PCM I/O Plugin": the plugin's own name, without the plug.
      let plug = "Plug PCM: "
      self = .otherServer(String(line.hasPrefix(plug) ? line.dropFirst(plug.count) : line))
    } else if dump.contains("Hardware PCM card") {
      self = .hardware
    } else {
      self = .other(String(dump.split(separator: "\n").first ?? "unknown"))
    }
  }

  public var description: String {
    switch self {
    case .hardware: "a sound card"
    case .pipeWire: "PipeWire"
    case .pulseAudio: "PulseAudio"
    case .jack: "JACK"
    case .otherServer(let name): "a sound server (\(name))"
    case .other(let name): name
    }
  }
}
