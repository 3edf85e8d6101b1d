#include "CBlueZ.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>

#define QUEUE 256
#define VALUE_BYTES 64

struct cadence_ble {
  sd_bus *bus;
  sd_bus_slot *value_slot;
  sd_bus_slot *device_slot;
  char characteristic[256];
  uint8_t values[QUEUE][VALUE_BYTES];
  size_t lengths[QUEUE];
  size_t head, count;
  uint64_t dropped;
  int connected;
  uint64_t losses;
};

static const char *RSC_SERVICE = "00001814-0000-1000-8000-00805f9b34fb";
static const char *FTMS_SERVICE = "00001826-0000-1000-8000-00805f9b34fb";

static int say(int r, const sd_bus_error *error, const char *step, char *message, size_t size) {
  if (message && size) {
    if (error && sd_bus_error_is_set(error)) {
      snprintf(message, size, "%s: %s: %s", step, error->name, error->message ? error->message : "");
    } else {
      snprintf(message, size, "%s: %s", step, strerror(r < 0 ? -r : EIO));
    }
  }
  return r < 0 ? r : -EIO;
}

static void copy(char *to, size_t size, const char *from) {
  snprintf(to, size, "%s", from ? from : "");
}

int cadence_ble_open(cadence_ble **out, char *message, size_t message_size) {
  cadence_ble *ble = calloc(1, sizeof(cadence_ble));
  if (!ble) return say(-ENOMEM, NULL, "memory", message, message_size);
  int r = sd_bus_open_system(&ble->bus);
  if (r < 0) {
    free(ble);
    return say(r, NULL, "the system bus", message, message_size);
  }
  ble->connected = 1;
  *out = ble;
  return 0;
}

void cadence_ble_close(cadence_ble *ble) {
  if (!ble) return;
  sd_bus_slot_unref(ble->value_slot);
  sd_bus_slot_unref(ble->device_slot);
  sd_bus_flush_close_unref(ble->bus);
  free(ble);
}

/// Reads the variant in front as a string (or object path) if it holds one, else skips it.
static int variant_string(sd_bus_message *m, const char **out) {
  const char *contents = NULL;
  int r = sd_bus_message_peek_type(m, NULL, &contents);
  if (r < 0) return r;
  if (contents && (!strcmp(contents, "s") || !strcmp(contents, "o"))) {
    return sd_bus_message_read(m, "v", contents, out);
  }
  return sd_bus_message_skip(m, "v");
}

static int variant_bool(sd_bus_message *m, int *out) {
  const char *contents = NULL;
  int r = sd_bus_message_peek_type(m, NULL, &contents);
  if (r < 0) return r;
  if (contents && !strcmp(contents, "b")) return sd_bus_message_read(m, "v", "b", out);
  return sd_bus_message_skip(m, "v");
}

static int variant_int16(sd_bus_message *m, int16_t *out, int *found) {
  const char *contents = NULL;
  int r = sd_bus_message_peek_type(m, NULL, &contents);
  if (r < 0) return r;
  if (contents && !strcmp(contents, "n")) {
    *found = 1;
    return sd_bus_message_read(m, "v", "n", out);
  }
  return sd_bus_message_skip(m, "v");
}

/// UUIDs (as): which of the two services a device advertises.
static int variant_uuids(sd_bus_message *m, cadence_ble_device *device) {
  const char *contents = NULL;
  int r = sd_bus_message_peek_type(m, NULL, &contents);
  if (r < 0) return r;
  if (!contents || strcmp(contents, "as")) return sd_bus_message_skip(m, "v");
  if ((r = sd_bus_message_enter_container(m, 'v', "as")) < 0) return r;
  if ((r = sd_bus_message_enter_container(m, 'a', "s")) < 0) return r;
  const char *uuid;
  while ((r = sd_bus_message_read(m, "s", &uuid)) > 0) {
    if (!strcasecmp(uuid, RSC_SERVICE)) device->foot_pod = 1;
    if (!strcasecmp(uuid, FTMS_SERVICE)) device->treadmill = 1;
  }
  if (r < 0) return r;
  if ((r = sd_bus_message_exit_container(m)) < 0) return r;
  return sd_bus_message_exit_container(m);
}

int cadence_ble_list(
  cadence_ble *ble, cadence_ble_adapter *adapters, size_t max_adapters, size_t *adapter_count,
  cadence_ble_device *devices, size_t max_devices, size_t *device_count, cadence_ble_characteristic *characteristics,
  size_t max_characteristics, size_t *characteristic_count, char *message, size_t message_size) {
  sd_bus_error error = SD_BUS_ERROR_NULL;
  sd_bus_message *reply = NULL;
  *adapter_count = *device_count = *characteristic_count = 0;
  int r = sd_bus_call_method(
    ble->bus, "org.bluez", "/", "org.freedesktop.DBus.ObjectManager", "GetManagedObjects", &error, &reply, "");
  if (r < 0) {
    r = say(r, &error, "org.bluez GetManagedObjects", message, message_size);
    sd_bus_error_free(&error);
    return r;
  }
  if ((r = sd_bus_message_enter_container(reply, 'a', "{oa{sa{sv}}}")) < 0) goto bad;
  while ((r = sd_bus_message_enter_container(reply, 'e', "oa{sa{sv}}")) > 0) {
    const char *path;
    if ((r = sd_bus_message_read(reply, "o", &path)) < 0) goto bad;
    if ((r = sd_bus_message_enter_container(reply, 'a', "{sa{sv}}")) < 0) goto bad;
    while ((r = sd_bus_message_enter_container(reply, 'e', "sa{sv}")) > 0) {
      const char *interface;
      if ((r = sd_bus_message_read(reply, "s", &interface)) < 0) goto bad;
      int is_adapter = !strcmp(interface, "org.bluez.Adapter1") && *adapter_count < max_adapters;
      int is_device = !strcmp(interface, "org.bluez.Device1") && *device_count < max_devices;
      int is_characteristic =
        !strcmp(interface, "org.bluez.GattCharacteristic1") && *characteristic_count < max_characteristics;
      cadence_ble_adapter adapter = {0};
      cadence_ble_device device = {0};
      cadence_ble_characteristic characteristic = {0};
      copy(adapter.path, sizeof adapter.path, path);
      copy(device.path, sizeof device.path, path);
      copy(characteristic.path, sizeof characteristic.path, path);
      if ((r = sd_bus_message_enter_container(reply, 'a', "{sv}")) < 0) goto bad;
      while ((r = sd_bus_message_enter_container(reply, 'e', "sv")) > 0) {
        const char *name;
        const char *text = NULL;
        if ((r = sd_bus_message_read(reply, "s", &name)) < 0) goto bad;
        if (is_adapter && !strcmp(name, "Powered")) {
          r = variant_bool(reply, &adapter.powered);
        } else if (is_device && !strcmp(name, "Address")) {
          if ((r = variant_string(reply, &text)) >= 0) copy(device.address, sizeof device.address, text);
        } else if (is_device && (!strcmp(name, "Alias") || (!strcmp(name, "Name") && !device.name[0]))) {
          if ((r = variant_string(reply, &text)) >= 0 && text) copy(device.name, sizeof device.name, text);
        } else if (is_device && !strcmp(name, "RSSI")) {
          r = variant_int16(reply, &device.rssi, &device.has_rssi);
        } else if (is_device && !strcmp(name, "Connected")) {
          r = variant_bool(reply, &device.connected);
        } else if (is_device && !strcmp(name, "ServicesResolved")) {
          r = variant_bool(reply, &device.services_resolved);
        } else if (is_device && !strcmp(name, "UUIDs")) {
          r = variant_uuids(reply, &device);
        } else if (is_characteristic && !strcmp(name, "UUID")) {
          if ((r = variant_string(reply, &text)) >= 0) copy(characteristic.uuid, sizeof characteristic.uuid, text);
        } else {
          r = sd_bus_message_skip(reply, "v");
        }
        if (r < 0) goto bad;
        if ((r = sd_bus_message_exit_container(reply)) < 0) goto bad;
      }
      if (r < 0) goto bad;
      if ((r = sd_bus_message_exit_container(reply)) < 0) goto bad;
      if ((r = sd_bus_message_exit_container(reply)) < 0) goto bad;
      if (is_adapter) adapters[(*adapter_count)++] = adapter;
      if (is_device) devices[(*device_count)++] = device;
      if (is_characteristic) characteristics[(*characteristic_count)++] = characteristic;
    }
    if (r < 0) goto bad;
    if ((r = sd_bus_message_exit_container(reply)) < 0) goto bad;
    if ((r = sd_bus_message_exit_container(reply)) < 0) goto bad;
  }
  if (r < 0) goto bad;
  sd_bus_message_unref(reply);
  return 0;
bad:
  sd_bus_message_unref(reply);
  return say(r, NULL, "reading org.bluez's objects", message, message_size);
}

int cadence_ble_discovery(cadence_ble *ble, const char *adapter, int on, char *message, size_t message_size) {
  sd_bus_error error = SD_BUS_ERROR_NULL;
  int r;
  if (on) {
    r = sd_bus_call_method(
      ble->bus, "org.bluez", adapter, "org.bluez.Adapter1", "SetDiscoveryFilter", &error, NULL, "a{sv}", 2, "UUIDs",
      "as", 2, RSC_SERVICE, FTMS_SERVICE, "Transport", "s", "le");
    if (r < 0) {
      r = say(r, &error, "SetDiscoveryFilter", message, message_size);
      sd_bus_error_free(&error);
      return r;
    }
  }
  r = sd_bus_call_method(
    ble->bus, "org.bluez", adapter, "org.bluez.Adapter1", on ? "StartDiscovery" : "StopDiscovery", &error, NULL, "");
  if (r < 0) {
    r = say(r, &error, on ? "StartDiscovery" : "StopDiscovery", message, message_size);
    sd_bus_error_free(&error);
    return r;
  }
  return 0;
}

static int device_call(cadence_ble *ble, const char *device, const char *method, char *message, size_t message_size) {
  sd_bus_error error = SD_BUS_ERROR_NULL;
  int r = sd_bus_call_method(ble->bus, "org.bluez", device, "org.bluez.Device1", method, &error, NULL, "");
  if (r < 0) {
    r = say(r, &error, method, message, message_size);
    sd_bus_error_free(&error);
    return r;
  }
  return 0;
}

int cadence_ble_connect(cadence_ble *ble, const char *device, char *message, size_t message_size) {
  return device_call(ble, device, "Connect", message, message_size);
}

int cadence_ble_disconnect(cadence_ble *ble, const char *device, char *message, size_t message_size) {
  return device_call(ble, device, "Disconnect", message, message_size);
}

/// PropertiesChanged on the characteristic: a new Value is queued.
static int on_value(sd_bus_message *m, void *userdata, sd_bus_error *error) {
  (void)error;
  cadence_ble *ble = userdata;
  const char *interface;
  if (sd_bus_message_read(m, "s", &interface) < 0 || strcmp(interface, "org.bluez.GattCharacteristic1")) return 0;
  if (sd_bus_message_enter_container(m, 'a', "{sv}") < 0) return 0;
  while (sd_bus_message_enter_container(m, 'e', "sv") > 0) {
    const char *name;
    const char *contents = NULL;
    if (sd_bus_message_read(m, "s", &name) < 0) return 0;
    if (!strcmp(name, "Value") && sd_bus_message_peek_type(m, NULL, &contents) >= 0 && contents &&
        !strcmp(contents, "ay")) {
      const void *bytes;
      size_t size;
      if (sd_bus_message_enter_container(m, 'v', "ay") < 0) return 0;
      if (sd_bus_message_read_array(m, 'y', &bytes, &size) < 0) return 0;
      if (ble->count == QUEUE) {
        ble->dropped++;
      } else {
        size_t slot = (ble->head + ble->count) % QUEUE;
        size_t kept = size < VALUE_BYTES ? size : VALUE_BYTES;
        memcpy(ble->values[slot], bytes, kept);
        // A packet longer than any RSC or Treadmill Data packet is kept whole in length only:
        // the parser refuses what it cannot read.
        ble->lengths[slot] = size < VALUE_BYTES ? size : VALUE_BYTES + 1;
        ble->count++;
      }
      if (sd_bus_message_exit_container(m) < 0) return 0;
    } else if (sd_bus_message_skip(m, "v") < 0) {
      return 0;
    }
    if (sd_bus_message_exit_container(m) < 0) return 0;
  }
  return 0;
}

/// PropertiesChanged on the device: Connected going false is a link loss. BlueZ keeps
/// Notifying across it and resumes notifications on reconnect, so nothing is called again.
static int on_device(sd_bus_message *m, void *userdata, sd_bus_error *error) {
  (void)error;
  cadence_ble *ble = userdata;
  const char *interface;
  if (sd_bus_message_read(m, "s", &interface) < 0 || strcmp(interface, "org.bluez.Device1")) return 0;
  if (sd_bus_message_enter_container(m, 'a', "{sv}") < 0) return 0;
  while (sd_bus_message_enter_container(m, 'e', "sv") > 0) {
    const char *name;
    if (sd_bus_message_read(m, "s", &name) < 0) return 0;
    if (!strcmp(name, "Connected")) {
      int connected = ble->connected;
      if (variant_bool(m, &connected) < 0) return 0;
      if (ble->connected && !connected) ble->losses++;
      ble->connected = connected;
    } else if (sd_bus_message_skip(m, "v") < 0) {
      return 0;
    }
    if (sd_bus_message_exit_container(m) < 0) return 0;
  }
  return 0;
}

int cadence_ble_subscribe(
  cadence_ble *ble, const char *device, const char *characteristic, char *message, size_t message_size) {
  char rule[700];
  snprintf(
    rule, sizeof rule,
    "type='signal',sender='org.bluez',path='%s',interface='org.freedesktop.DBus.Properties',member='PropertiesChanged'",
    characteristic);
  int r = sd_bus_add_match(ble->bus, &ble->value_slot, rule, on_value, ble);
  if (r < 0) return say(r, NULL, "listening for the sensor's values", message, message_size);
  snprintf(
    rule, sizeof rule,
    "type='signal',sender='org.bluez',path='%s',interface='org.freedesktop.DBus.Properties',member='PropertiesChanged'",
    device);
  r = sd_bus_add_match(ble->bus, &ble->device_slot, rule, on_device, ble);
  if (r < 0) return say(r, NULL, "listening for the sensor's connection", message, message_size);
  copy(ble->characteristic, sizeof ble->characteristic, characteristic);
  sd_bus_error error = SD_BUS_ERROR_NULL;
  r = sd_bus_call_method(
    ble->bus, "org.bluez", characteristic, "org.bluez.GattCharacteristic1", "StartNotify", &error, NULL, "");
  if (r < 0) {
    r = say(r, &error, "StartNotify", message, message_size);
    sd_bus_error_free(&error);
    return r;
  }
  return 0;
}

int cadence_ble_unsubscribe(cadence_ble *ble) {
  if (!ble->characteristic[0]) return 0;
  return sd_bus_call_method(
    ble->bus, "org.bluez", ble->characteristic, "org.bluez.GattCharacteristic1", "StopNotify", NULL, NULL, "");
}

int cadence_ble_process(cadence_ble *ble, uint64_t timeout_us) {
  int r;
  while ((r = sd_bus_process(ble->bus, NULL)) > 0) {
  }
  if (r < 0) return r;
  r = sd_bus_wait(ble->bus, timeout_us);
  if (r < 0 && r != -EINTR) return r;
  while ((r = sd_bus_process(ble->bus, NULL)) > 0) {
  }
  return r;
}

int cadence_ble_next_value(cadence_ble *ble, uint8_t *bytes, size_t capacity, size_t *length) {
  if (ble->count == 0) return 0;
  size_t slot = ble->head;
  size_t size = ble->lengths[slot];
  size_t kept = size < capacity ? size : capacity;
  if (kept > VALUE_BYTES) kept = VALUE_BYTES;
  memcpy(bytes, ble->values[slot], kept);
  *length = size;
  ble->head = (ble->head + 1) % QUEUE;
  ble->count--;
  return 1;
}

uint64_t cadence_ble_dropped(const cadence_ble *ble) { return ble->dropped; }
int cadence_ble_connected(const cadence_ble *ble) { return ble->connected; }
uint64_t cadence_ble_losses(const cadence_ble *ble) { return ble->losses; }
