import CBlueZ
import CadenceCore
import Foundation

/// A running sensor BlueZ knows: a foot pod (Running Speed and Cadence) or a treadmill
/// (Fitness Machine).
public struct SensorDevice: Equatable, Sendable {
  public var path: String
  public var address: String
  public var name: String
  /// Signal strength, dBm, when BlueZ has heard it advertise.
  public var rssi: Int?
  public var connected: Bool
  public var footPod: Bool
  public var treadmill: Bool

  public var kind: String { footPod && treadmill ? "foot pod and treadmill" : footPod ? "foot pod" : "treadmill" }
}

/// What a sensor is read as: a foot pod's RSC Measurement, or a treadmill's Treadmill Data.
public enum SensorKind: String, Sendable, Equatable {
  case footPod = "foot pod"
  case treadmill
}

/// Why a sensor could not be used, in BlueZ's terms; the command line words each.
public enum SensorError: Error, Equatable, Sendable {
  /// No system bus to talk to BlueZ on (`reason`: sd-bus's words).
  case noSystemBus(reason: String)
  /// Nothing owns org.bluez: bluetoothd is not running (or not installed).
  case noBluetoothDaemon
  /// BlueZ has no adapter (no Bluetooth hardware, or it is unplugged).
  case noAdapter
  /// The adapter is powered off (or blocked by rfkill).
  case adapterOff(path: String)
  /// No device with `address` is known to BlueZ.
  case notFound(address: String)
  /// The device has no RSC Measurement characteristic (0x2A53) once its services resolved.
  case noCadence(address: String)
  /// The device has neither an RSC Measurement nor a Treadmill Data characteristic.
  case nothingToRead(address: String)
  /// A call BlueZ refused, with its words.
  case failed(step: String, reason: String)
}

/// BlueZ on the system bus, through CBlueZ (sd-bus). One connection for a whole use; control
/// thread only.
public final class BlueZ {
  private let handle: OpaquePointer
  static let rscMeasurement = "00002a53-0000-1000-8000-00805f9b34fb"
  static let treadmillData = "00002acd-0000-1000-8000-00805f9b34fb"

  public init() throws(SensorError) {
    var message = [CChar](repeating: 0, count: 512)
    var handle: OpaquePointer?
    guard cadence_ble_open(&handle, &message, message.count) >= 0, let handle else {
      throw .noSystemBus(reason: String(cString: message))
    }
    self.handle = handle
  }

  deinit { cadence_ble_close(handle) }

  struct Snapshot {
    var adapters: [(path: String, powered: Bool)] = []
    var devices: [SensorDevice] = []
    var characteristics: [(path: String, uuid: String)] = []
  }

  /// What BlueZ knows now.
  func snapshot() throws(SensorError) -> Snapshot {
    var adapters = [cadence_ble_adapter](repeating: cadence_ble_adapter(), count: 8)
    var devices = [cadence_ble_device](repeating: cadence_ble_device(), count: 256)
    var characteristics = [cadence_ble_characteristic](repeating: cadence_ble_characteristic(), count: 1024)
    var counts = (0, 0, 0)
    var message = [CChar](repeating: 0, count: 512)
    let r = cadence_ble_list(
      handle, &adapters, adapters.count, &counts.0, &devices, devices.count, &counts.1, &characteristics,
      characteristics.count, &counts.2, &message, message.count)
    guard r >= 0 else {
      let words = String(cString: message)
      if words.contains("ServiceUnknown") || words.contains("NameHasNoOwner") { throw .noBluetoothDaemon }
      throw .failed(step: "reading BlueZ's devices", reason: words)
    }
    var snapshot = Snapshot()
    snapshot.adapters = adapters.prefix(counts.0).map { adapter in
      var adapter = adapter
      return (Self.text(&adapter.path), adapter.powered != 0)
    }
    snapshot.devices = devices.prefix(counts.1).map { device in
      var device = device
      return SensorDevice(
        path: Self.text(&device.path), address: Self.text(&device.address), name: Self.text(&device.name),
        rssi: device.has_rssi != 0 ? Int(device.rssi) : nil, connected: device.connected != 0,
        footPod: device.foot_pod != 0, treadmill: device.treadmill != 0)
    }
    snapshot.characteristics = characteristics.prefix(counts.2).map { characteristic in
      var characteristic = characteristic
      return (Self.text(&characteristic.path), Self.text(&characteristic.uuid).lowercased())
    }
    return snapshot
  }

  /// The device BlueZ knows by `address` (heard in a scan, or paired), without scanning.
  public func known(address: String) throws(SensorError) -> SensorDevice? {
    try snapshot().devices.first { $0.address.caseInsensitiveCompare(address) == .orderedSame }
  }

  /// The first adapter, powered: BlueZ's words for why not.
  func adapter(_ snapshot: Snapshot) throws(SensorError) -> String {
    guard let adapter = snapshot.adapters.first else { throw .noAdapter }
    guard let powered = snapshot.adapters.first(where: \.powered) else { throw .adapterOff(path: adapter.path) }
    return powered.path
  }

  /// Scans for `seconds` (LE, the two services) and returns the running sensors BlueZ then
  /// knows, those heard best first.
  public func scan(seconds: Double) throws(SensorError) -> [SensorDevice] {
    let adapter = try adapter(try snapshot())
    try call { cadence_ble_discovery(handle, adapter, 1, $0, $1) }
    wait(seconds: seconds)
    let found = try snapshot().devices.filter { $0.footPod || $0.treadmill }
    _ = try? call { cadence_ble_discovery(handle, adapter, 0, $0, $1) }
    return found.sorted { ($0.rssi ?? -200, $1.address) > ($1.rssi ?? -200, $0.address) }
  }

  /// The device connected here (disconnected again by `close`), once `open` found it.
  private var opened: (path: String, connectedHere: Bool)?

  /// Connects to the foot pod at `address` (if it is not connected), waits for its services
  /// (up to 10 s) and subscribes to its RSC Measurement, the match in place before
  /// StartNotify. Returns the address as BlueZ writes it.
  public func open(address: String) throws(SensorError) -> String {
    try open(address: address, kinds: [.footPod]).address
  }

  /// The same for the first of `kinds` the device has: a foot pod's RSC Measurement, a
  /// treadmill's Treadmill Data. Returns the address as BlueZ writes it and what it is read as.
  public func open(address: String, kinds: [SensorKind]) throws(SensorError) -> (address: String, kind: SensorKind) {
    var snapshot = try snapshot()
    _ = try adapter(snapshot)
    guard let device = snapshot.devices.first(where: { $0.address.caseInsensitiveCompare(address) == .orderedSame })
    else { throw .notFound(address: address) }
    if !device.connected { try call { cadence_ble_connect(handle, device.path, $0, $1) } }
    opened = (device.path, !device.connected)
    var found: (path: String, kind: SensorKind)?
    for _ in 0..<100 {
      snapshot = try self.snapshot()
      let mine = snapshot.characteristics.filter { $0.path.hasPrefix(device.path + "/") }
      for kind in kinds {
        let uuid = kind == .footPod ? Self.rscMeasurement : Self.treadmillData
        if let path = mine.first(where: { $0.uuid == uuid })?.path {
          found = (path, kind)
          break
        }
      }
      if found != nil { break }
      wait(seconds: 0.1)
    }
    guard let (characteristic, kind) = found else {
      close()
      throw kinds == [.footPod] ? .noCadence(address: address) : .nothingToRead(address: address)
    }
    do {
      try call { cadence_ble_subscribe(handle, device.path, characteristic, $0, $1) }
    } catch {
      close()
      throw error
    }
    return (device.address, kind)
  }

  /// Handles the bus for `seconds`, handing each notification's bytes to `each` (an empty
  /// array for one longer than any RSC packet).
  public func pump(seconds: Double, _ each: ([UInt8]) -> Void) {
    let end = Date().addingTimeInterval(seconds)
    var bytes = [UInt8](repeating: 0, count: 64)
    repeat {
      wait(seconds: min(0.2, max(0, end.timeIntervalSinceNow)))
      var length = 0
      while cadence_ble_next_value(handle, &bytes, bytes.count, &length) == 1 {
        each(length <= bytes.count ? Array(bytes.prefix(length)) : [])
      }
    } while Date() < end
  }

  /// Times the link went down since `open` (BlueZ keeps notifying across a reconnection).
  public var losses: Int { Int(cadence_ble_losses(handle)) }

  /// Stops the notifications and disconnects a device `open` connected.
  public func close() {
    guard let opened else { return }
    _ = cadence_ble_unsubscribe(handle)
    if opened.connectedHere { _ = try? call { cadence_ble_disconnect(handle, opened.path, $0, $1) } }
    self.opened = nil
  }

  /// What a foot pod sent while `seconds` passed, each packet fed to `sensed`. Returns the
  /// connection losses seen, and the address as BlueZ writes it.
  public func listen(
    address: String, seconds: Double, into sensed: inout SensedCadence
  ) throws(SensorError) -> (losses: Int, address: String) {
    let canonical = try open(address: address)
    defer { close() }
    pump(seconds: seconds) { sensed.add(packet: $0) }
    return (losses, canonical)
  }

  private func wait(seconds: Double) {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
      _ = cadence_ble_process(handle, UInt64(max(1_000, end.timeIntervalSinceNow * 1e6)))
    }
  }

  private func call(_ body: (UnsafeMutablePointer<CChar>, Int) -> Int32) throws(SensorError) {
    var message = [CChar](repeating: 0, count: 512)
    let r = message.withUnsafeMutableBufferPointer { buffer in
      buffer.baseAddress.map { body($0, buffer.count) } ?? -1
    }
    guard r >= 0 else {
      let words = String(cString: message)
      let step = words.split(separator: ":").first.map(String.init) ?? "BlueZ"
      throw .failed(step: step, reason: words)
    }
  }

  private static func text<T>(_ tuple: inout T) -> String {
    withUnsafeBytes(of: &tuple) { raw in
      String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
  }
}
