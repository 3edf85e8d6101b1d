import ALSA
import CPosixShims
import ClickEngine
import Glibc
import Synchronization

/// Runs an engine into a PCM on its own named thread ("cadence-audio").
///
/// The loop renders one period, converts it to the device's format and writes it, polling the
/// PCM together with a stop pipe; underruns are recovered with snd_pcm_recover and counted.
/// Everything the loop touches is allocated before the thread starts.
public final class Player<Output: PCMOutput>: @unchecked Sendable {
  public let engine: ClickEngine
  public let output: Output
  public let configuration: PCMConfiguration
  /// Stop rendering after this many frames and let the device play them out; `endAt` can
  /// bring it forward (a session whose phase was cut short by a key).
  public var frameLimit: Int64? {
    let limit = limitAtomic.load(ordering: .relaxed)
    return limit == Int64.max ? nil : limit
  }
  private let limitAtomic: Atomic<Int64>

  private let floatBuffer: UnsafeMutablePointer<Float>
  private let deviceBuffer: UnsafeMutableRawPointer
  private let stopPipe: (read: Int32, write: Int32)
  /// Written once when the playback thread is done; poll it to learn that without blocking.
  public let finishedFD: Int32
  private let finishedWriteFD: Int32
  /// Readable when the thread waits for the control side to feed the schedule further (see
  /// `ClickEngine.scheduledUntil`): poll it and feed at once.
  public let starvedFD: Int32
  private let starvedWriteFD: Int32
  private let scheduleWaitCount = Atomic<Int>(0)
  private let xrunCount = Atomic<Int>(0)
  private let wakeupCount = Atomic<Int>(0)
  private let written: Atomic<Int64>
  private let heard: Atomic<Int64>
  /// The frame heard now against the monotonic clock, after each period: a microphone's
  /// frames are placed against it (`captureFrame(ofPlayback:)`).
  public let clock: FrameClock
  /// Recoveries since a frame was last written (playback thread only).
  private var recoveriesWithoutProgress = 0
  /// A device that needs this many recoveries in a row without taking a frame is gone (a
  /// sound server that died leaves the PipeWire plugin failing every write after its
  /// `prepare`): the loop ends with the error instead of recovering forever at real-time
  /// priority. A real underrun is followed by a write that succeeds.
  public static var maxRecoveriesWithoutProgress: Int { 5 }
  private let stopping = Atomic<Bool>(false)
  private var thread: pthread_t?
  private var summary: PlaybackSummary?
  public private(set) var realtime: RealtimeStatus = .normal(reason: "not started")

  public init(engine: ClickEngine, output: Output, frameLimit: Int64? = nil) throws(ALSAError) {
    guard let configuration = output.configuration else {
      throw ALSAError(code: -EBADFD, function: "snd_pcm_hw_params")
    }
    precondition(Double(configuration.sampleRate) == engine.sampleRate)
    self.engine = engine
    self.output = output
    self.configuration = configuration
    // A player that takes over from one whose device was lost starts where the engine is.
    written = Atomic(engine.framesRendered)
    clock = FrameClock(sampleRate: engine.sampleRate)
    heard = Atomic(engine.framesRendered)
    limitAtomic = Atomic(frameLimit.map { max(0, $0) } ?? Int64.max)
    floatBuffer = .allocate(capacity: configuration.periodFrames)
    deviceBuffer = .allocate(byteCount: configuration.periodFrames * configuration.bytesPerFrame, alignment: 16)
    var fds: [Int32] = [0, 0]
    guard CCadence_pipeCloexecNonblock(&fds) == 0 else { throw ALSAError(code: -errno, function: "pipe2") }
    stopPipe = (fds[0], fds[1])
    guard CCadence_pipeCloexecNonblock(&fds) == 0 else { throw ALSAError(code: -errno, function: "pipe2") }
    finishedFD = fds[0]
    finishedWriteFD = fds[1]
    guard CCadence_pipeCloexecNonblock(&fds) == 0 else { throw ALSAError(code: -errno, function: "pipe2") }
    starvedFD = fds[0]
    starvedWriteFD = fds[1]
  }

  deinit {
    floatBuffer.deallocate()
    deviceBuffer.deallocate()
    for fd in [stopPipe.read, stopPipe.write, finishedFD, finishedWriteFD, starvedFD, starvedWriteFD] { close(fd) }
  }

  /// Ends playback after `frame` frames (or at once, if they are written already), unless it was
  /// to end sooner. Safe from any thread while the player runs.
  public func endAt(_ frame: Int64) {
    var current = limitAtomic.load(ordering: .relaxed)
    while max(0, frame) < current {
      let (exchanged, original) = limitAtomic.compareExchange(
        expected: current, desired: max(0, frame), ordering: .relaxed)
      if exchanged { break }
      current = original
    }
  }

  /// Moves the end to `frame`, sooner or later (`Int64.max`: no end). Safe from any thread
  /// while the player runs; a player that already reached its end has finished.
  public func moveEnd(to frame: Int64) {
    limitAtomic.store(max(0, frame), ordering: .relaxed)
  }

  public var xruns: Int { xrunCount.load(ordering: .relaxed) }
  /// Times the thread waited for the schedule: only a device faster than real time, or a
  /// control thread seconds late, makes it wait.
  public var scheduleWaits: Int { scheduleWaitCount.load(ordering: .relaxed) }
  /// Frames written so far, counted on the engine's timeline (a player that took over from a
  /// lost device starts at the engine's frame then).
  public var framesWritten: Int64 { written.load(ordering: .relaxed) }
  /// The frame the listener is hearing now, as the device reports its delay after each write
  /// (snd_pcm_delay: the sound server's latency and a Bluetooth headset's included, where
  /// they report it). What a screen shows as "now".
  public var framesHeard: Int64 { heard.load(ordering: .relaxed) }

  /// Starts the playback thread, with SCHED_FIFO at `realtimePriority` where the system
  /// allows it and at normal priority otherwise (`realtime` says which).
  public func start(realtimePriority: Int32? = 50) throws(ALSAError) {
    if let priority = realtimePriority {
      var attributes = pthread_attr_t()
      pthread_attr_init(&attributes)
      defer { pthread_attr_destroy(&attributes) }
      pthread_attr_setinheritsched(&attributes, Int32(PTHREAD_EXPLICIT_SCHED))
      pthread_attr_setschedpolicy(&attributes, SCHED_FIFO)
      var param = sched_param(sched_priority: priority)
      pthread_attr_setschedparam(&attributes, &param)
      let r = spawn(&attributes)
      if r == 0 {
        realtime = .fifo(priority: priority)
        return
      }
      realtime = .normal(reason: String(cString: strerror(r)))
    } else {
      realtime = .normal(reason: "real-time priority not requested")
    }
    let r = spawn(nil)
    if r != 0 { throw ALSAError(code: -r, function: "pthread_create") }
  }

  private func spawn(_ attributes: UnsafePointer<pthread_attr_t>?) -> Int32 {
    let box = Unmanaged.passRetained(ThreadStart(player: self))
    var tid = pthread_t()
    let r = pthread_create(
      &tid, attributes,
      { raw in
        // pthread_create hands back the pointer it was given, which is never nil.
        // swift-format-ignore: NeverForceUnwrap
        let start = Unmanaged<AnyObject>.fromOpaque(raw!).takeRetainedValue() as! ThreadStartProtocol
        start.run()
        return nil
      }, box.toOpaque())
    if r == 0 { thread = tid } else { box.release() }
    return r
  }

  /// Asks the thread to stop; returns at once. Safe from any thread (not from a signal handler:
  /// forward signals through a pipe to a thread that calls this).
  public func stop() {
    stopping.store(true, ordering: .relaxed)
    var byte: UInt8 = 1
    _ = Glibc.write(stopPipe.write, &byte, 1)
  }

  /// Joins the thread and returns the summary.
  public func wait() -> PlaybackSummary {
    if let thread {
      pthread_join(thread, nil)
      self.thread = nil
    }
    return summary ?? PlaybackSummary(framesWritten: 0, framesPlayed: 0, xruns: 0, wakeups: 0, error: nil)
  }

  fileprivate func threadMain() {
    _ = CCadence_setThreadName("cadence-audio")
    // Signals are for the control thread; a handler must never interrupt the render loop.
    var all = sigset_t()
    sigfillset(&all)
    pthread_sigmask(SIG_BLOCK, &all, nil)
    let result = runLoop()
    let played = max(0, framesWritten - Int64(result.drained ? 0 : output.delay()))
    if result.drained { output.drain() } else { output.drop() }
    summary = PlaybackSummary(
      framesWritten: framesWritten, framesPlayed: played, xruns: xruns,
      wakeups: wakeupCount.load(ordering: .relaxed), error: result.error)
    var byte: UInt8 = 1
    _ = Glibc.write(finishedWriteFD, &byte, 1)
  }

  /// The real-time loop: wait for room, render, convert, write; no allocation, lock or log in
  /// here. Room for a whole period comes first, so that a command that arrived while the
  /// thread waited lands in the period rendered next.
  private func runLoop() -> (drained: Bool, error: ALSAError?) {
    let period = configuration.periodFrames
    let bytesPerFrame = configuration.bytesPerFrame
    while !stopping.load(ordering: .relaxed) {
      var frames = period
      let frameLimit = limitAtomic.load(ordering: .relaxed)
      if frameLimit != Int64.max {
        let left = frameLimit - framesWritten
        if left <= 0 { return (true, nil) }
        frames = Int(min(Int64(period), left))
      }
      if engine.scheduledUntil < framesWritten + Int64(frames) {
        if !waitForSchedule() { return (false, nil) }
        continue
      }
      switch waitForRoom(frames) {
      case .ready: break
      case .stopRequested: return (false, nil)
      case .failed(let error): return (false, error)
      }
      engine.render(UnsafeMutableBufferPointer(start: floatBuffer, count: frames))
      convertMono(
        floatBuffer, frames: frames, to: configuration.format, channels: configuration.channels, into: deviceBuffer)
      var done = 0
      while done < frames {
        if stopping.load(ordering: .relaxed) { return (false, nil) }
        let r = output.write(deviceBuffer + done * bytesPerFrame, frames: frames - done)
        if r >= 0 {
          if r > 0 { recoveriesWithoutProgress = 0 }
          done += r
          continue
        }
        if Int32(r) == ALSAError.again {
          switch waitForRoom(frames - done) {
          case .ready: continue
          case .stopRequested: return (false, nil)
          case .failed(let error): return (false, error)
          }
        }
        if let error = recover(Int32(r)) { return (false, error) }
      }
      let total = written.add(Int64(frames), ordering: .relaxed).newValue
      let now = max(0, total - Int64(max(0, output.delay())))
      heard.store(now, ordering: .relaxed)
      clock.publish(frame: now)
    }
    return (false, nil)
  }

  /// Tells the control side the schedule ran out and sleeps up to 2 ms on the stop pipe;
  /// false if a stop was asked for.
  private func waitForSchedule() -> Bool {
    scheduleWaitCount.add(1, ordering: .relaxed)
    var byte: UInt8 = 1
    _ = Glibc.write(starvedWriteFD, &byte, 1)
    var fd = pollfd(fd: stopPipe.read, events: Int16(POLLIN), revents: 0)
    _ = poll(&fd, 1, 2)
    return !stopping.load(ordering: .relaxed)
  }

  private enum Room {
    case ready
    case stopRequested
    case failed(ALSAError)
  }

  /// Waits for room for `frames`, recovering from xruns on the way.
  private func waitForRoom(_ frames: Int) -> Room {
    while !stopping.load(ordering: .relaxed) {
      switch waitForFrames(
        frames, on: output, configuration: configuration, stopFD: stopPipe.read, wakeups: wakeupCount)
      {
      case .ready: return .ready
      case .stopRequested: return .stopRequested
      case .failed(let code): if let error = recover(code) { return .failed(error) }
      }
    }
    return .stopRequested
  }

  /// Counts an underrun or suspend and recovers from it; other errors end playback.
  private func recover(_ code: Int32) -> ALSAError? {
    guard code == ALSAError.underrun || code == ALSAError.suspended else {
      return ALSAError(code: code, function: "snd_pcm_writei")
    }
    xrunCount.add(1, ordering: .relaxed)
    recoveriesWithoutProgress += 1
    if recoveriesWithoutProgress > Self.maxRecoveriesWithoutProgress {
      // A literal: building a string here would allocate on the playback thread.
      return ALSAError(code: code, function: "snd_pcm_recover, 5 times in a row without a frame played")
    }
    do throws(ALSAError) {
      try output.recover(from: code)
      return nil
    } catch {
      return error
    }
  }
}

private protocol ThreadStartProtocol: AnyObject { func run() }

private final class ThreadStart<Output: PCMOutput>: ThreadStartProtocol {
  let player: Player<Output>
  init(player: Player<Output>) { self.player = player }
  func run() { player.threadMain() }
}
