import ALSA
import Playback

/// The microphone a run listens through: a capture PCM opened and configured, and the capture
/// thread (`Listener`) that finds footfalls in it.
public enum Microphone {
  /// A listener on the capture PCM `name` for `seconds`, not yet started.
  public static func listener(on name: String, seconds: Double) throws(DeviceFailure) -> Listener {
    let pcm: PCM
    do throws(ALSAError) {
      pcm = try PCM(name: name, direction: .capture)
    } catch {
      throw DeviceFailure(.open, error)
    }
    let configuration: PCMConfiguration
    do throws(ALSAError) {
      var request = PCMRequest()
      request.latencyMicroseconds = 40_000
      configuration = try pcm.configure(request)
    } catch {
      throw DeviceFailure(.configure, error)
    }
    do throws(ALSAError) {
      return try Listener(pcm: pcm, frameLimit: Int64(seconds * Double(configuration.sampleRate)))
    } catch {
      throw DeviceFailure(.start, error)
    }
  }

  /// Starts the capture thread.
  public static func start(_ listener: Listener) throws(DeviceFailure) {
    do throws(ALSAError) {
      try listener.start()
    } catch {
      throw DeviceFailure(.start, error)
    }
  }
}
