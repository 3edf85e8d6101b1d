"""Reads a foot pod's RSC Measurement through bleak, the most used Python BLE client, over the
BlueZ that DBUS_SYSTEM_BUS_ADDRESS names: the check that a mock BlueZ is one a real client
accepts. Prints each notification as hex and as the standard's fields, decoded here with
struct (not by cadence): "hex speed-m/s raw running", one a line.

  bleak-read.py ADDRESS SECONDS
"""
import asyncio
import struct
import sys

from bleak import BleakClient, BleakScanner

MEASUREMENT = "00002a53-0000-1000-8000-00805f9b34fb"


async def main(address, seconds):
    device = await BleakScanner.find_device_by_address(address, timeout=5)
    if device is None:
        print("not found", file=sys.stderr)
        sys.exit(2)
    values = []
    async with BleakClient(device) as client:
        await client.start_notify(MEASUREMENT, lambda _, data: values.append(bytes(data)))
        await asyncio.sleep(seconds)
        await client.stop_notify(MEASUREMENT)
    for value in values:
        flags, speed, raw = struct.unpack_from("<BHB", value)
        print(value.hex(), speed / 256, raw, int(bool(flags & 4)))


asyncio.run(main(sys.argv[1], float(sys.argv[2])))
