"""Reads a foot pod's RSC Measurement, or a treadmill's Treadmill Data, through bleak, the most
used Python BLE client, over the BlueZ that DBUS_SYSTEM_BUS_ADDRESS names: the check that a mock
BlueZ is one a real client accepts. Prints each notification as hex and as the standard's
fields, decoded here with struct (not by cadence), one a line: "hex speed-m/s raw running" for
a foot pod, "hex speed-km/h meters" for a treadmill (flags 0x0004: speed, total distance).

  bleak-read.py ADDRESS SECONDS [treadmill]
"""
import asyncio
import struct
import sys

from bleak import BleakClient, BleakScanner

MEASUREMENT = "00002a53-0000-1000-8000-00805f9b34fb"
TREADMILL_DATA = "00002acd-0000-1000-8000-00805f9b34fb"


async def main(address, seconds, treadmill):
    device = await BleakScanner.find_device_by_address(address, timeout=5)
    if device is None:
        print("not found", file=sys.stderr)
        sys.exit(2)
    values = []
    characteristic = TREADMILL_DATA if treadmill else MEASUREMENT
    async with BleakClient(device) as client:
        await client.start_notify(characteristic, lambda _, data: values.append(bytes(data)))
        await asyncio.sleep(seconds)
        await client.stop_notify(characteristic)
    for value in values:
        if treadmill:
            flags, speed = struct.unpack_from("<HH", value)
            low, high = struct.unpack_from("<HB", value, 4)
            print(value.hex(), speed / 100, low | high << 16)
        else:
            flags, speed, raw = struct.unpack_from("<BHB", value)
            print(value.hex(), speed / 256, raw, int(bool(flags & 4)))


asyncio.run(main(sys.argv[1], float(sys.argv[2]), len(sys.argv) > 3 and sys.argv[3] == "treadmill"))
