import CALSA
import Glibc

/// A PCM that ALSA's configuration offers (snd_device_name_hint).
public struct DeviceHint: Sendable, Equatable {
  public var name: String
  public var description: String
  /// False for capture-only PCMs.
  public var canPlay: Bool

  public init(name: String, description: String, canPlay: Bool) {
    self.name = name
    self.description = description
    self.canPlay = canPlay
  }

  /// libasound2-plugins' converters and mixers (rate converters, speex DSP, up/down-mixers):
  /// each passes audio on to `default`, so it is not an output of its own and `cadence devices`
  /// does not list it (it still works as `--device` for anyone who wants it).
  public static let processingPlugins: Set<String> = [
    "lavrate", "samplerate", "speexrate", "speex", "upmix", "vdownmix",
  ]

  /// A PCM a runner would pick to hear the click: it plays, and is not a processing plugin.
  public var isOutput: Bool { canPlay && !Self.processingPlugins.contains(name) }
}

/// The PCMs of every card plus the configured virtual ones (default, null, plugins).
public func pcmDeviceHints() throws(ALSAError) -> [DeviceHint] {
  var hints: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
  try check(snd_device_name_hint(-1, "pcm", &hints), "snd_device_name_hint")
  defer { snd_device_name_free_hint(hints) }
  var result: [DeviceHint] = []
  var cursor = hints
  while let hint = cursor?.pointee {
    func take(_ key: String) -> String? {
      guard let raw = snd_device_name_get_hint(hint, key) else { return nil }
      defer { free(raw) }
      return String(cString: raw)
    }
    if let name = take("NAME") {
      let io = take("IOID")
      let description = (take("DESC") ?? "").split(separator: "\n").joined(separator: " - ")
      result.append(DeviceHint(name: name, description: description, canPlay: io == nil || io == "Output"))
    }
    cursor = cursor?.advanced(by: 1)
  }
  return result
}
