import CALSA
import Glibc

/// An open ALSA PCM (snd_pcm_t), playback or capture, closed in `deinit`.
///
/// Not shareable: one thread at a time may use it (configure on the control thread, then hand
/// it to the playback thread). Opened non-blocking; `wait` polls it with a stop descriptor.
public final class PCM: @unchecked Sendable {
  public let name: String
  public let direction: StreamDirection
  private let handle: OpaquePointer
  private var localConfig: OpaquePointer?
  public private(set) var configuration: PCMConfiguration?
  /// Poll descriptors of the PCM plus one slot for a stop descriptor, allocated in `configure`.
  private var pollFDs = UnsafeMutableBufferPointer<pollfd>(start: nil, count: 0)
  private var pcmPollCount = 0

  /// Opens `name` for playback (snd_pcm_open). With `configText`, the name is looked up in
  /// that ALSA configuration instead of the system's (snd_pcm_open_lconf): tests use it to
  /// reach `file` and `null` PCMs without touching global state.
  public init(name: String, direction: StreamDirection = .playback, configText: String? = nil) throws(ALSAError) {
    CCadenceALSA_silenceErrors(ALSAErrorOutput.silent ? 1 : 0)
    var pcm: OpaquePointer?
    var lconf: OpaquePointer?
    if let configText {
      lconf = try Self.loadConfig(configText)
      let r = snd_pcm_open_lconf(&pcm, name, direction.alsa, SND_PCM_NONBLOCK, lconf)
      if r < 0 {
        snd_config_delete(lconf)
        throw ALSAError(code: r, function: "snd_pcm_open_lconf")
      }
    } else {
      try check(snd_pcm_open(&pcm, name, direction.alsa, SND_PCM_NONBLOCK), "snd_pcm_open")
    }
    self.name = name
    self.direction = direction
    // snd_pcm_open returned 0: it has set the handle.
    // swift-format-ignore: NeverForceUnwrap
    handle = pcm!
    localConfig = lconf
  }

  /// Set by `close()`.
  private var closed = false

  /// Closes the PCM now rather than at `deinit`: a device that was lost is let go before it is
  /// opened again (a `hw:` device admits one stream at a time). Only once its player thread has
  /// ended; no other method may be called afterwards.
  public func close() {
    guard !closed else { return }
    closed = true
    snd_pcm_close(handle)
  }

  deinit {
    if !closed { snd_pcm_close(handle) }
    if let localConfig { snd_config_delete(localConfig) }
    pollFDs.deallocate()
  }

  private static func loadConfig(_ text: String) throws(ALSAError) -> OpaquePointer? {
    var top: OpaquePointer?
    try check(snd_config_top(&top), "snd_config_top")
    var input: OpaquePointer?
    let r = text.withCString { snd_input_buffer_open(&input, $0, strlen($0)) }
    if r < 0 {
      snd_config_delete(top)
      throw ALSAError(code: r, function: "snd_input_buffer_open")
    }
    let loaded = snd_config_load(top, input)
    snd_input_close(input)
    if loaded < 0 {
      snd_config_delete(top)
      throw ALSAError(code: loaded, function: "snd_config_load")
    }
    return top
  }

  /// Negotiates hardware and software parameters: the first of `request.formats` the device
  /// takes, the channel count and rate nearest the request, a buffer near the latency.
  @discardableResult
  public func configure(_ request: PCMRequest) throws(ALSAError) -> PCMConfiguration {
    var hw: OpaquePointer?
    try check(snd_pcm_hw_params_malloc(&hw), "snd_pcm_hw_params_malloc")
    defer { snd_pcm_hw_params_free(hw) }
    try check(snd_pcm_hw_params_any(handle, hw), "snd_pcm_hw_params_any")
    try check(snd_pcm_hw_params_set_access(handle, hw, SND_PCM_ACCESS_RW_INTERLEAVED), "snd_pcm_hw_params_set_access")
    guard let format = request.formats.first(where: { snd_pcm_hw_params_test_format(handle, hw, $0.alsa) == 0 }) else {
      throw ALSAError(code: -EINVAL, function: "snd_pcm_hw_params_set_format")
    }
    try check(snd_pcm_hw_params_set_format(handle, hw, format.alsa), "snd_pcm_hw_params_set_format")
    var channels = UInt32(request.channels)
    try check(snd_pcm_hw_params_set_channels_near(handle, hw, &channels), "snd_pcm_hw_params_set_channels_near")
    var rate = UInt32(request.sampleRate)
    try check(snd_pcm_hw_params_set_rate_near(handle, hw, &rate, nil), "snd_pcm_hw_params_set_rate_near")
    // Period first, then buffer, as aplay does: some plugins (jack) only take periods of the
    // server's block size, and a buffer request made first can leave no period to pick.
    // Both are requests: where a device cannot meet one it keeps its own choice, which
    // `configuration` reports.
    var periodTime = UInt32(max(1, request.latencyMicroseconds / request.periodsPerBuffer))
    var bufferTime = UInt32(request.latencyMicroseconds)
    if let frames = request.periodFrames {
      var wantedPeriod = snd_pcm_uframes_t(max(1, frames))
      var periodsWanted = UInt32(request.periodsPerBuffer)
      if snd_pcm_hw_params_set_period_size_near(handle, hw, &wantedPeriod, nil) < 0 {
        _ = snd_pcm_hw_params_set_period_time_near(handle, hw, &periodTime, nil)
      }
      _ = snd_pcm_hw_params_set_periods_near(handle, hw, &periodsWanted, nil)
    } else if snd_pcm_hw_params_set_period_time_near(handle, hw, &periodTime, nil) < 0 {
      var periodFrames = snd_pcm_uframes_t(
        request.sampleRate * request.latencyMicroseconds / 1_000_000 / request.periodsPerBuffer)
      _ = snd_pcm_hw_params_set_period_size_near(handle, hw, &periodFrames, nil)
    }
    if request.periodFrames == nil && snd_pcm_hw_params_set_buffer_time_near(handle, hw, &bufferTime, nil) < 0 {
      var periods = UInt32(request.periodsPerBuffer)
      _ = snd_pcm_hw_params_set_periods_near(handle, hw, &periods, nil)
    }
    try check(snd_pcm_hw_params(handle, hw), "snd_pcm_hw_params")

    var period: snd_pcm_uframes_t = 0
    var buffer: snd_pcm_uframes_t = 0
    try check(snd_pcm_hw_params_get_period_size(hw, &period, nil), "snd_pcm_hw_params_get_period_size")
    try check(snd_pcm_hw_params_get_buffer_size(hw, &buffer), "snd_pcm_hw_params_get_buffer_size")

    var sw: OpaquePointer?
    try check(snd_pcm_sw_params_malloc(&sw), "snd_pcm_sw_params_malloc")
    defer { snd_pcm_sw_params_free(sw) }
    try check(snd_pcm_sw_params_current(handle, sw), "snd_pcm_sw_params_current")
    // Playback starts once the buffer holds as many whole periods as fit (the loop writes
    // whole periods, so a buffer that is not a multiple of the period must still start);
    // capture on the first read. Wake per period.
    let startAt = direction == .playback ? max(period, buffer / period * period) : 1
    try check(snd_pcm_sw_params_set_start_threshold(handle, sw, startAt), "snd_pcm_sw_params_set_start_threshold")
    try check(snd_pcm_sw_params_set_avail_min(handle, sw, period), "snd_pcm_sw_params_set_avail_min")
    try check(snd_pcm_sw_params(handle, sw), "snd_pcm_sw_params")

    let count = Int(try check(snd_pcm_poll_descriptors_count(handle), "snd_pcm_poll_descriptors_count"))
    pollFDs.deallocate()
    pollFDs = .allocate(capacity: count + 1)
    pollFDs.initialize(repeating: pollfd())
    pcmPollCount = count
    try check(snd_pcm_poll_descriptors(handle, pollFDs.baseAddress, UInt32(count)), "snd_pcm_poll_descriptors")

    let result = PCMConfiguration(
      sampleRate: Int(rate), channels: Int(channels), format: format,
      periodFrames: Int(period), bufferFrames: Int(buffer))
    configuration = result
    return result
  }

  /// snd_pcm_writei: frames written, or a negative errno (`-EAGAIN` when the buffer is full,
  /// `-EPIPE` after an underrun). Playback thread only; does not allocate.
  public func write(_ bytes: UnsafeRawPointer, frames: Int) -> Int {
    Int(snd_pcm_writei(handle, bytes, snd_pcm_uframes_t(frames)))
  }

  /// snd_pcm_readi (capture): frames read, or a negative errno (`-EAGAIN` when nothing is
  /// waiting, `-EPIPE` after an overrun).
  public func read(into bytes: UnsafeMutableRawPointer, frames: Int) -> Int {
    Int(snd_pcm_readi(handle, bytes, snd_pcm_uframes_t(frames)))
  }

  /// snd_pcm_recover after an underrun or suspend; throws if the stream cannot be recovered.
  public func recover(from code: Int32) throws(ALSAError) {
    try check(snd_pcm_recover(handle, code, 1), "snd_pcm_recover")
  }

  public enum Wake: Equatable, Sendable {
    /// The PCM said POLLOUT (playback) or POLLIN (capture): it claims room or data.
    case writable
    /// The PCM's descriptor woke but the PCM says it has no room yet. Some plugins keep
    /// their descriptor readable while full (the PipeWire plugin of 0.3.65 does): polling
    /// again at once would spin, so the caller must wait for time to pass instead.
    case notReady
    case stopRequested
    case timedOut
    case failed(Int32)
  }

  /// One poll of the PCM and `stopFD` (a pipe's read end): returns when either wakes or
  /// `timeoutMilliseconds` pass. What the PCM's descriptors mean is asked of the PCM
  /// (snd_pcm_poll_descriptors_revents), never read off the raw revents. Playback thread
  /// only; does not allocate.
  public func wait(stopFD: Int32, timeoutMilliseconds: Int32) -> Wake {
    guard let fds = pollFDs.baseAddress else { return .failed(-EBADFD) }
    // Asked anew before every poll, as libasound's own snd_pcm_wait does: an I/O plugin may
    // bring its descriptor up to date here (PipeWire's clears a stale wake-up).
    let filled = snd_pcm_poll_descriptors(handle, fds, UInt32(pcmPollCount))
    if filled < 0 { return .failed(filled) }
    fds[pcmPollCount] = pollfd(fd: stopFD, events: Int16(POLLIN), revents: 0)
    let r = poll(fds, nfds_t(pcmPollCount + 1), timeoutMilliseconds)
    if r < 0 { return errno == EINTR ? .timedOut : .failed(-errno) }
    if fds[pcmPollCount].revents != 0 { return .stopRequested }
    if r == 0 { return .timedOut }
    var revents: UInt16 = 0
    let e = snd_pcm_poll_descriptors_revents(handle, fds, UInt32(pcmPollCount), &revents)
    if e < 0 { return .failed(e) }
    if revents & UInt16(POLLERR | POLLNVAL) != 0 { return .failed(-EPIPE) }
    let wanted = UInt16(direction == .playback ? POLLOUT : POLLIN)
    return revents & wanted != 0 ? .writable : .notReady
  }

  /// Frames the PCM can take now (playback) or hold (capture), or a negative errno such as
  /// `-EPIPE` after an xrun (snd_pcm_avail_update). Playback thread only; does not allocate.
  public func available() -> Int {
    Int(snd_pcm_avail_update(handle))
  }

  /// What sits at the end of this PCM's chain: a sound card, a sound server, or something
  /// else. Read off libasound's own description of the chain (snd_pcm_dump), so it follows
  /// whatever `default` or a `plug` resolves to. Control thread; call before `configure`.
  public var kind: DeviceKind {
    var output: OpaquePointer?
    guard snd_output_buffer_open(&output) == 0 else { return .other("unknown") }
    defer { snd_output_close(output) }
    snd_pcm_dump(handle, output)
    var text: UnsafeMutablePointer<CChar>?
    let length = snd_output_buffer_string(output, &text)
    guard let text, length > 0 else { return .other("unknown") }
    let bytes = UnsafeRawBufferPointer(start: text, count: Int(length))
    return DeviceKind(describing: String(decoding: bytes, as: UTF8.self))
  }

  /// Frames queued but not yet heard (snd_pcm_delay), 0 if unknown.
  public func delay() -> Int {
    var frames: snd_pcm_sframes_t = 0
    return snd_pcm_delay(handle, &frames) < 0 ? 0 : Int(frames)
  }

  /// Plays what is queued, then stops (snd_pcm_drain, in blocking mode).
  public func drain() {
    snd_pcm_nonblock(handle, 0)
    snd_pcm_drain(handle)
  }

  /// Stops at once, dropping what is queued (snd_pcm_drop).
  public func drop() { snd_pcm_drop(handle) }
}

/// Whether libasound's own stderr diagnostics are shown (`--verbose`) or left to cadence.
public enum ALSAErrorOutput {
  nonisolated(unsafe) public static var silent = true
}
