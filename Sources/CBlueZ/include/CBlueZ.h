#ifndef CADENCE_CBLUEZ_H
#define CADENCE_CBLUEZ_H

#include <stddef.h>
#include <stdint.h>

/// BlueZ over D-Bus (org.bluez on the system bus: the one DBUS_SYSTEM_BUS_ADDRESS names, as
/// sd-bus reads it), never raw HCI sockets, which would fight bluetoothd and the runner's
/// headphones. One connection per run; control thread only, never the playback thread.
/// Every function returns 0 or more on success, a negative errno on failure with the bus's own
/// words in `message`.
typedef struct cadence_ble cadence_ble;

typedef struct {
  char path[256];
  int powered;
} cadence_ble_adapter;

typedef struct {
  char path[256];
  char address[32];
  char name[128];
  int16_t rssi;
  int has_rssi;
  int connected;
  int services_resolved;
  /// Advertises the Running Speed and Cadence service (0x1814).
  int foot_pod;
  /// Advertises the Fitness Machine service (0x1826).
  int treadmill;
} cadence_ble_device;

typedef struct {
  char path[256];
  char uuid[40];
} cadence_ble_characteristic;

int cadence_ble_open(cadence_ble **out, char *message, size_t message_size);
void cadence_ble_close(cadence_ble *ble);

/// org.bluez's objects now (ObjectManager.GetManagedObjects on "/"): adapters, devices and
/// GATT characteristics, up to each array's size; the counts found are written.
int cadence_ble_list(
  cadence_ble *ble, cadence_ble_adapter *adapters, size_t max_adapters, size_t *adapter_count,
  cadence_ble_device *devices, size_t max_devices, size_t *device_count, cadence_ble_characteristic *characteristics,
  size_t max_characteristics, size_t *characteristic_count, char *message, size_t message_size);

/// Scanning on `adapter`: SetDiscoveryFilter (LE, the RSC and Fitness Machine services) and
/// StartDiscovery; or StopDiscovery.
int cadence_ble_discovery(cadence_ble *ble, const char *adapter, int on, char *message, size_t message_size);

/// Device1.Connect on `device`.
int cadence_ble_connect(cadence_ble *ble, const char *device, char *message, size_t message_size);
/// Device1.Disconnect on `device`.
int cadence_ble_disconnect(cadence_ble *ble, const char *device, char *message, size_t message_size);

/// Listens for `characteristic`'s Value (PropertiesChanged) and `device`'s Connected, then
/// calls StartNotify: the match is in place before the first notification can come.
int cadence_ble_subscribe(
  cadence_ble *ble, const char *device, const char *characteristic, char *message, size_t message_size);
/// StopNotify on the subscribed characteristic.
int cadence_ble_unsubscribe(cadence_ble *ble);

/// Handles what the bus has, waiting up to `timeout_us` for more.
int cadence_ble_process(cadence_ble *ble, uint64_t timeout_us);

/// The oldest notification not yet taken: its bytes (up to `capacity`) and length; 1 if there
/// was one, 0 if none. Notifications beyond the queue's 256 are counted in `dropped`.
int cadence_ble_next_value(cadence_ble *ble, uint8_t *bytes, size_t capacity, size_t *length);
/// Notifications dropped because the queue was full.
uint64_t cadence_ble_dropped(const cadence_ble *ble);
/// The subscribed device's Connected as last signalled (1 until a change says otherwise), and
/// how many times it went from connected to not.
int cadence_ble_connected(const cadence_ble *ble);
uint64_t cadence_ble_losses(const cadence_ble *ble);

#endif
