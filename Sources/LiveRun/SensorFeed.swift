import CPosixShims
import CadenceCore
import Foundation
import Sensors
import Synchronization

/// A foot pod or a treadmill read during a run: BlueZ on a thread of its own (never the
/// playback thread), each notification parsed and pushed, stamped, into the run's `Sensing`
/// rings (a pod's into `packets`, a treadmill's into `belt`); the control thread takes them at
/// its ticks. `stop` ends the thread and lets the sensor go.
public final class SensorFeed: @unchecked Sendable {
  public let sensing: Sensing
  public let address: String
  public let kind: SensorKind
  private let bluez: BlueZ
  private let stopping = Atomic<Bool>(false)
  private let done = DispatchSemaphore(value: 0)
  private var thread: Thread?

  /// Connects and subscribes (on the calling thread, so that a failure is known before the
  /// run). The packets go to `sensing` (a pod and a treadmill share one, each into its own
  /// ring), or to a new one named for the sensor; `start` starts the thread that reads them.
  public init(address: String, given: StepOrStride? = nil, into sensing: Sensing? = nil) throws(SensorError) {
    bluez = try BlueZ()
    (self.address, kind) = try bluez.open(address: address, kinds: [.footPod, .treadmill])
    self.sensing = sensing ?? Sensing(name: self.address, given: given)
  }

  /// Starts the thread: the one producer of its kind's ring (the caller makes sure no other
  /// feed of the same kind writes to the same `Sensing`).
  public func start() {
    guard thread == nil else { return }
    let kind = kind
    if kind == .treadmill { sensing.treadmillName = address }
    let (pods, belt, clock) = (sensing.packets, sensing.belt, sensing.clock)
    // Named for top, ps -L and gdb (and the test that proves the bus stays off the playback
    // thread): at most 15 characters.
    let threadName = kind == .footPod ? "cadence-footpod" : "cadence-belt"
    let thread = Thread { [self] in
      _ = CCadence_setThreadName(threadName)
      while !stopping.load(ordering: .acquiring) {
        bluez.pump(seconds: 0.2) { bytes in
          let now = clock()
          switch kind {
          case .footPod: _ = pods.push(PodPacket(seconds: now, measurement: RSCMeasurement.parse(bytes)))
          case .treadmill: _ = belt.push(BeltPacket(seconds: now, data: TreadmillData.parse(bytes)))
          }
        }
      }
      done.signal()
    }
    thread.name = threadName
    self.thread = thread
    thread.start()
  }

  /// Times the link was lost during the run (BlueZ resumed the notifications each time).
  public var losses: Int { bluez.losses }

  /// Ends the thread, if started, and lets the sensor go.
  public func stop() {
    if thread != nil {
      stopping.store(true, ordering: .releasing)
      done.wait()
      thread = nil
    }
    bluez.close()
  }
}
