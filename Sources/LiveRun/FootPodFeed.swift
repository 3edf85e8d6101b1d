import CadenceCore
import Foundation
import Sensors
import Synchronization

/// A foot pod read during a run: BlueZ on a thread of its own (never the playback thread), each
/// notification parsed and pushed, stamped, into the run's `Sensing` ring; the control thread
/// takes them at its ticks. `stop` ends the thread and lets the pod go.
public final class FootPodFeed: @unchecked Sendable {
  public let sensing: Sensing
  public let address: String
  private let bluez: BlueZ
  private let stopping = Atomic<Bool>(false)
  private let done = DispatchSemaphore(value: 0)
  private var thread: Thread?

  /// Connects and subscribes (on the calling thread, so that a failure is known before the
  /// run), then starts the thread.
  public init(address: String, given: StepOrStride? = nil) throws(SensorError) {
    bluez = try BlueZ()
    self.address = try bluez.open(address: address)
    sensing = Sensing(name: self.address, given: given)
    let thread = Thread { [self] in
      while !stopping.load(ordering: .acquiring) {
        bluez.pump(seconds: 0.2) { bytes in
          _ = sensing.packets.push(PodPacket(seconds: sensing.clock(), measurement: RSCMeasurement.parse(bytes)))
        }
      }
      done.signal()
    }
    thread.name = "cadence-footpod"
    self.thread = thread
    thread.start()
  }

  /// Times the link was lost during the run (BlueZ resumed the notifications each time).
  public var losses: Int { bluez.losses }

  public func stop() {
    guard thread != nil else { return }
    stopping.store(true, ordering: .releasing)
    done.wait()
    thread = nil
    bluez.close()
  }
}
