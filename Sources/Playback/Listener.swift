import ALSA
import CPosixShims
import ClickEngine
import Glibc
import Listening
import Synchronization

/// Listens to a capture PCM on its own thread ("cadence-listen"), finds footfalls and reports
/// their frames (capture frames from the first one read) through a lock-free ring. It never
/// touches the playback thread: the click's timing cannot be disturbed by it.
public final class Listener: @unchecked Sendable {
  public let pcm: PCM
  public let configuration: PCMConfiguration
  /// Footfall frames, in capture frames.
  public let steps = SPSCRing<Int64>(capacity: 4_096)
  /// The metronome's clicks, in capture frames, for the detector to judge onsets on them.
  public let clicks = SPSCRing<Int64>(capacity: 4_096)
  /// Where cadence's own voice plays, in capture frames.
  public let speech = SPSCRing<FrameSpan>(capacity: 256)
  /// The frame the microphone takes now against the monotonic clock, after each period.
  public let clock: FrameClock
  /// Stop after this many frames (a file played into a capture device has no natural pace).
  public let frameLimit: Int64?
  private let captured = Atomic<Int64>(0)
  private let overruns = Atomic<Int>(0)
  /// The shared wait counts its wake-ups; the capture thread does not report them.
  private let wakeupCount = Atomic<Int>(0)
  private let stopping = Atomic<Bool>(false)
  private let finished = Atomic<Bool>(false)
  private let stopPipe: (read: Int32, write: Int32)
  private var thread: pthread_t?
  private var detector: StepDetector
  private var failure: ALSAError?

  public init(pcm: PCM, frameLimit: Int64? = nil) throws(ALSAError) {
    guard let configuration = pcm.configuration else { throw ALSAError(code: -EBADFD, function: "snd_pcm_hw_params") }
    self.pcm = pcm
    self.configuration = configuration
    self.frameLimit = frameLimit
    detector = StepDetector(sampleRate: Double(configuration.sampleRate))
    clock = FrameClock(sampleRate: Double(configuration.sampleRate))
    var fds: [Int32] = [0, 0]
    guard CCadence_pipeCloexecNonblock(&fds) == 0 else { throw ALSAError(code: -errno, function: "pipe2") }
    stopPipe = (fds[0], fds[1])
  }

  deinit {
    close(stopPipe.read)
    close(stopPipe.write)
  }

  public var framesCaptured: Int64 { captured.load(ordering: .acquiring) }
  /// True once the thread has stopped reading (limit, end of input, stop, or an error).
  public var isFinished: Bool { finished.load(ordering: .acquiring) }
  public var overrunCount: Int { overruns.load(ordering: .relaxed) }

  public func start() throws(ALSAError) {
    let box = Unmanaged.passRetained(self)
    var tid = pthread_t()
    let r = pthread_create(
      &tid, nil,
      { raw in
        // pthread_create hands back the pointer it was given, which is never nil.
        // swift-format-ignore: NeverForceUnwrap
        let listener = Unmanaged<Listener>.fromOpaque(raw!).takeRetainedValue()
        listener.run()
        return nil
      }, box.toOpaque())
    if r != 0 {
      box.release()
      throw ALSAError(code: -r, function: "pthread_create")
    }
    thread = tid
  }

  public func stop() {
    stopping.store(true, ordering: .relaxed)
    var byte: UInt8 = 1
    _ = Glibc.write(stopPipe.write, &byte, 1)
  }

  /// Joins the thread; the error that ended listening, if any.
  @discardableResult
  public func wait() -> ALSAError? {
    if let thread {
      pthread_join(thread, nil)
      self.thread = nil
    }
    return failure
  }

  private func run() {
    defer { finished.store(true, ordering: .releasing) }
    _ = CCadence_setThreadName("cadence-listen")
    let period = configuration.periodFrames
    let channels = configuration.channels
    let raw = UnsafeMutableRawPointer.allocate(byteCount: period * configuration.bytesPerFrame, alignment: 16)
    let mono = UnsafeMutablePointer<Float>.allocate(capacity: period)
    defer {
      raw.deallocate()
      mono.deallocate()
    }
    while !stopping.load(ordering: .relaxed) {
      var want = period
      if let frameLimit {
        let left = frameLimit - framesCaptured
        if left <= 0 { break }
        want = Int(min(Int64(period), left))
      }
      let r = pcm.read(into: raw, frames: want)
      if r > 0 {
        var told: [Int64] = []
        while let click = clicks.pop() { told.append(click) }
        if !told.isEmpty { detector.addClicks(told) }
        var spoken: [FrameSpan] = []
        while let span = speech.pop() { spoken.append(span) }
        if !spoken.isEmpty { detector.addSpeech(spoken) }
        toMono(raw, frames: r, channels: channels, format: configuration.format, into: mono)
        for onset in detector.process(UnsafeBufferPointer(start: mono, count: r)) { _ = steps.push(onset) }
        let total = captured.add(Int64(r), ordering: .releasing).newValue
        clock.publish(frame: total + Int64(max(0, pcm.delay())))
        continue
      }
      var code = Int32(truncatingIfNeeded: r)
      if code == ALSAError.again {
        switch waitForFrames(want, on: pcm, configuration: configuration, stopFD: stopPipe.read, wakeups: wakeupCount)
        {
        case .ready: continue
        case .stopRequested: return
        case .failed(let failed): code = failed
        }
      }
      switch code {
      case ALSAError.underrun, ALSAError.suspended:
        overruns.add(1, ordering: .relaxed)
        do throws(ALSAError) { try pcm.recover(from: code) } catch {
          failure = error
          return
        }
      case 0:
        return  // end of a file-backed capture
      default:
        failure = ALSAError(code: code, function: "snd_pcm_readi")
        return
      }
    }
  }
}

/// Interleaved device samples to mono float (the channels averaged).
func toMono(
  _ raw: UnsafeRawPointer, frames: Int, channels: Int, format: SampleFormat, into out: UnsafeMutablePointer<Float>
) {
  for i in 0..<frames {
    var sum: Float = 0
    for c in 0..<channels {
      let k = i * channels + c
      switch format {
      case .float32: sum += raw.load(fromByteOffset: k * 4, as: Float.self)
      case .s32: sum += Float(raw.load(fromByteOffset: k * 4, as: Int32.self)) / 2_147_483_648
      case .s16: sum += Float(raw.load(fromByteOffset: k * 2, as: Int16.self)) / 32_768
      }
    }
    out[i] = sum / Float(channels)
  }
}
