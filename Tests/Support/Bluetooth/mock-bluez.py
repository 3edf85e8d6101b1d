#!/usr/bin/python3
"""A mock BlueZ on the system bus DBUS_SYSTEM_BUS_ADDRESS names: python3-dbusmock's bluez5
template, with what it lacks added through its AddObject/UpdateProperties: the Running Speed
and Cadence service and its RSC Measurement characteristic (StartNotify/StopNotify, Value
pushed as PropertiesChanged), ServicesResolved on connect, and a link loss on request.

  mock-bluez.py READY_FILE [--address A] [--name N] [--rate HZ] [--powered 0|1]
                [--adapter 0|1] [--packets HEX,HEX,...] [--drop-at S --drop-for S]
                [--treadmill-address A --treadmill-kmh KMH]

--packets: the RSC Measurement values to send in turn (hex bytes), repeated; sent only while
notifications are on and the device is connected. --treadmill-address adds a treadmill with the
Fitness Machine service and its Treadmill Data characteristic, which sends its belt speed
(KMH) and the distance the belt has run since its notifications began (flags 0x0004: speed,
total distance), at the same rate. Writes READY_FILE once the objects exist.
"""
import argparse
import os
import subprocess
import sys
import time

import dbus

parser = argparse.ArgumentParser()
parser.add_argument("ready")
parser.add_argument("--address", default="C0:FF:EE:00:18:14")
parser.add_argument("--name", default="Test Foot Pod")
parser.add_argument("--rate", type=float, default=4.0)
parser.add_argument("--powered", type=int, default=1)
parser.add_argument("--adapter", type=int, default=1)
parser.add_argument("--packets", default="06000455")
parser.add_argument("--drop-at", type=float, default=-1)
parser.add_argument("--drop-for", type=float, default=2)
parser.add_argument("--then", default="", help="packets sent instead once --switch-at seconds of sending passed")
parser.add_argument("--switch-at", type=float, default=-1)
parser.add_argument("--treadmill-address", default="")
parser.add_argument("--treadmill-name", default="Test Treadmill")
parser.add_argument("--treadmill-kmh", type=float, default=12.6)
args = parser.parse_args()

server = subprocess.Popen([sys.executable, "-m", "dbusmock", "--system", "--template", "bluez5"])
bus = dbus.SystemBus()
for _ in range(200):
    if bus.name_has_owner("org.bluez"):
        break
    time.sleep(0.05)

RSC = "00001814-0000-1000-8000-00805f9b34fb"
MEASUREMENT = "00002a53-0000-1000-8000-00805f9b34fb"
FTMS = "00001826-0000-1000-8000-00805f9b34fb"
TREADMILL_DATA = "00002acd-0000-1000-8000-00805f9b34fb"
GATT_CHAR = "org.bluez.GattCharacteristic1"
DEVICE = "org.bluez.Device1"

mock = dbus.Interface(bus.get_object("org.bluez", "/org/bluez"), "org.bluez.Mock")
root = dbus.Interface(bus.get_object("org.bluez", "/"), "org.freedesktop.DBus.Mock")
device_path = None
characteristic = None
treadmill_path = None
treadmill_characteristic = None
treadmill_started = None
if args.adapter:
    adapter = mock.AddAdapter("hci0", "cadence-test")
    adapter_mock = dbus.Interface(bus.get_object("org.bluez", adapter), "org.freedesktop.DBus.Mock")
    adapter_mock.UpdateProperties("org.bluez.Adapter1", {"Powered": dbus.Boolean(bool(args.powered))})
    # What a BlueZ 5.56+ adapter says it can be (the template lacks it); bleak picks a central
    # adapter by it.
    adapter_mock.AddProperty("org.bluez.Adapter1", "Roles", dbus.Array(["central", "peripheral"], signature="s"))
    def add_device(address, name, service_uuid, characteristic_uuid, appearance):
        """The device as BlueZ shows one it has heard advertise, with one GATT service and its
        notifying characteristic; returns the device's and the characteristic's paths."""
        path = adapter + "/dev_" + address.replace(":", "_").upper()
        root.AddObject(path, DEVICE, {
            "Address": dbus.String(address), "AddressType": dbus.String("random"),
            "Name": dbus.String(name), "Alias": dbus.String(name),
            "UUIDs": dbus.Array([service_uuid], signature="s"), "Paired": dbus.Boolean(False),
            "Connected": dbus.Boolean(False), "Trusted": dbus.Boolean(False), "Blocked": dbus.Boolean(False),
            "Adapter": dbus.ObjectPath(adapter), "RSSI": dbus.Int16(-60), "ServicesResolved": dbus.Boolean(False),
            "ManufacturerData": dbus.Dictionary({}, signature="qv"), "ServiceData": dbus.Dictionary({}, signature="sv"),
            "LegacyPairing": dbus.Boolean(False), "Appearance": dbus.UInt16(appearance)}, [
            ("Connect", "", "", (
                f'self.UpdateProperties("{DEVICE}", {{"Connected": dbus.Boolean(True)}}); '
                f'self.UpdateProperties("{DEVICE}", {{"ServicesResolved": dbus.Boolean(True)}})')),
            ("Disconnect", "", "", (
                f'self.UpdateProperties("{DEVICE}", {{"ServicesResolved": dbus.Boolean(False)}}); '
                f'self.UpdateProperties("{DEVICE}", {{"Connected": dbus.Boolean(False)}})')),
        ])
        service = path + "/service000c"
        root.AddObject(service, "org.bluez.GattService1", {
            "UUID": dbus.String(service_uuid), "Primary": dbus.Boolean(True), "Device": dbus.ObjectPath(path),
            "Includes": dbus.Array([], signature="o"), "Handle": dbus.UInt16(12)}, [])
        char = service + "/char000d"
        root.AddObject(char, GATT_CHAR, {
            "UUID": dbus.String(characteristic_uuid), "Service": dbus.ObjectPath(service),
            "Value": dbus.Array([], signature="y"), "Notifying": dbus.Boolean(False),
            "Flags": dbus.Array(["notify"], signature="s"), "Handle": dbus.UInt16(13),
            "NotifyAcquired": dbus.Boolean(False)}, [
            ("StartNotify", "", "", f'self.UpdateProperties("{GATT_CHAR}", {{"Notifying": dbus.Boolean(True)}})'),
            ("StopNotify", "", "", f'self.UpdateProperties("{GATT_CHAR}", {{"Notifying": dbus.Boolean(False)}})'),
            ("ReadValue", "a{sv}", "ay", 'ret = self.Get("org.bluez.GattCharacteristic1", "Value")'),
        ])
        return path, char

    # The device as BlueZ shows one it has heard advertise, made here rather than by the
    # template's AddDevice: that types ManufacturerData and ServiceData as arrays of
    # dictionaries where BlueZ's are dictionaries (a{qv}, a{sv}), which clients such as bleak
    # read as such, and its Connect does not keep Connected. These methods keep it, as BlueZ
    # does, and resolve the services on connecting.
    device_path, characteristic = add_device(args.address, args.name, RSC, MEASUREMENT, 1088)
    if args.treadmill_address:
        treadmill_path, treadmill_characteristic = add_device(
            args.treadmill_address, args.treadmill_name, FTMS, TREADMILL_DATA, 0)

with open(args.ready, "w") as ready:
    ready.write(str(server.pid))
packets = [bytes.fromhex(p) for p in args.packets.split(",") if p]
start = time.monotonic()
sent = 0
dropped = False
first_sent = None
try:
    while characteristic:
        time.sleep(1 / args.rate)
        device_object = bus.get_object("org.bluez", device_path)
        props = dbus.Interface(device_object, dbus.PROPERTIES_IFACE)
        device = dbus.Interface(device_object, "org.freedesktop.DBus.Mock")
        now = time.monotonic() - start
        connected = bool(props.Get(DEVICE, "Connected"))
        # While the adapter discovers, each advertisement heard updates the device's RSSI,
        # as BlueZ does: what scanners (bleak's among them) report devices by.
        adapter_props = dbus.Interface(bus.get_object("org.bluez", adapter), dbus.PROPERTIES_IFACE)
        discovering = bool(adapter_props.Get("org.bluez.Adapter1", "Discovering"))
        if discovering and not connected:
            device.UpdateProperties(DEVICE, {"RSSI": dbus.Int16(-60 - sent % 2)})
            sent += 1
        if discovering and treadmill_path:
            t_object = bus.get_object("org.bluez", treadmill_path)
            if not bool(dbus.Interface(t_object, dbus.PROPERTIES_IFACE).Get(DEVICE, "Connected")):
                dbus.Interface(t_object, "org.freedesktop.DBus.Mock").UpdateProperties(
                    DEVICE, {"RSSI": dbus.Int16(-62 - sent % 2)})
        if args.drop_at >= 0 and connected and not dropped and now >= args.drop_at:
            device.UpdateProperties(DEVICE, {"Connected": dbus.Boolean(False)})
            time.sleep(args.drop_for)
            device.UpdateProperties(DEVICE, {"Connected": dbus.Boolean(True)})
            dropped = True
            continue
        if connected and not bool(props.Get(DEVICE, "ServicesResolved")):
            device.UpdateProperties(DEVICE, {"ServicesResolved": dbus.Boolean(True)})
        char = dbus.Interface(bus.get_object("org.bluez", characteristic), dbus.PROPERTIES_IFACE)
        if connected and bool(char.Get(GATT_CHAR, "Notifying")) and packets:
            if first_sent is None:
                first_sent = time.monotonic()
            if args.switch_at >= 0 and time.monotonic() - first_sent >= args.switch_at and args.then:
                packets = [bytes.fromhex(p) for p in args.then.split(",") if p]
                args.switch_at = -1
            value = packets[sent % len(packets)]
            dbus.Interface(bus.get_object("org.bluez", characteristic), "org.freedesktop.DBus.Mock").UpdateProperties(
                GATT_CHAR, {"Value": dbus.Array(list(value), signature="y")})
            sent += 1
        if treadmill_characteristic:
            t_props = dbus.Interface(bus.get_object("org.bluez", treadmill_path), dbus.PROPERTIES_IFACE)
            t_char = dbus.Interface(bus.get_object("org.bluez", treadmill_characteristic), dbus.PROPERTIES_IFACE)
            if bool(t_props.Get(DEVICE, "Connected")) and bool(t_char.Get(GATT_CHAR, "Notifying")):
                if treadmill_started is None:
                    treadmill_started = time.monotonic()
                meters = int(args.treadmill_kmh / 3.6 * (time.monotonic() - treadmill_started))
                speed = int(round(args.treadmill_kmh * 100))
                value = bytes([0x04, 0x00, speed & 0xFF, speed >> 8, meters & 0xFF, (meters >> 8) & 0xFF, meters >> 16])
                dbus.Interface(bus.get_object("org.bluez", treadmill_characteristic),
                               "org.freedesktop.DBus.Mock").UpdateProperties(
                    GATT_CHAR, {"Value": dbus.Array(list(value), signature="y")})
    while True:
        time.sleep(1)
finally:
    server.terminate()
