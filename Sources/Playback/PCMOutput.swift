import ALSA

/// The few PCM calls the playback loop makes: the seam where tests put a scripted device
/// (one that returns `-EPIPE` on the third write, say) in place of libasound.
public protocol PCMOutput: AnyObject {
  var configuration: PCMConfiguration? { get }
  /// Frames written, or a negative errno.
  func write(_ bytes: UnsafeRawPointer, frames: Int) -> Int
  /// Frames the device can take now, or a negative errno (snd_pcm_avail_update).
  func available() -> Int
  func recover(from code: Int32) throws(ALSAError)
  /// One poll of the device and the stop descriptor.
  func wait(stopFD: Int32, timeoutMilliseconds: Int32) -> PCM.Wake
  func delay() -> Int
  func drain()
  func drop()
}

extension PCM: PCMOutput {}
