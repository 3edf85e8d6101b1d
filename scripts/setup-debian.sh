#!/usr/bin/env bash
# Installs the system packages cadence builds and runs with, on Debian 12 (bookworm).
# Swift itself (6.x) must already be on PATH.
#
#   scripts/setup-debian.sh          what building and playing need
#   scripts/setup-debian.sh --test   also the sound servers and tools the tests run against
#                                    (JACK, PipeWire with pipewire-alsa, PulseAudio): for a test
#                                    machine or CI. pipewire-alsa makes PipeWire the ALSA default
#                                    of the whole machine, as on a current desktop.
set -euo pipefail
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# libasound2-dev, libsndfile1-dev, libsamplerate0-dev, libsqlite3-dev, pkg-config: build. alsa-utils: aplay,
# for comparison runs.
# libespeak-ng-dev + espeak-ng: spoken cues (--voice; loaded at run time, optional for users).
# libsystemd-dev: sd-bus, for the MPRIS player (media keys, headset buttons).
# sox: regenerates Sounds/.
$sudo apt-get install -y -qq --no-install-recommends \
  pkg-config libasound2-dev libsndfile1-dev libsamplerate0-dev libsqlite3-dev libsystemd-dev alsa-utils \
  libespeak-ng-dev espeak-ng sox >/dev/null

[ "${1:-}" = "--test" ] || exit 0

# jackd2 + libasound2-plugins: real-time playback tests (JACK dummy backend, ALSA jack PCM).
# pipewire, wireplumber, pipewire-alsa, pipewire-pulse, dbus: the PipeWire tests (private,
# headless servers; pulseaudio-utils for pactl/parec); dbus also brings dbus-send and
# dbus-monitor for the MPRIS tests. python3-dbusmock (logind template) + systemd (systemd-inhibit,
# busctl): the stay-awake tests, on a private bus standing in as the system bus. python3-jsonschema:
# checks history --json against docs/history.schema.json. python3-pyte: the
# VT100 terminal emulator the screen tests read the live screen through. time: CPU figures. stress-ng: the loaded-
# machine benchmark. libasound2-plugins also brings the `pulse` PCM. strace: the test that proves
# BlueZ's bus is never touched by the playback thread.
$sudo apt-get install -y -qq --no-install-recommends \
  jackd2 libasound2-plugins pipewire pipewire-bin wireplumber pipewire-alsa pipewire-pulse dbus \
  pulseaudio-utils time stress-ng python3-dbusmock systemd python3-pyte python3-jsonschema strace >/dev/null

# A real PulseAudio daemon for its own test. Debian's pulseaudio package conflicts with
# pipewire-alsa, so it is not installed but unpacked (dpkg -x) under /opt/cadence-test/pulseaudio,
# with the libraries it needs installed normally. Tests/Support/SoundServers/sound-servers.sh
# runs it from there (or /usr/bin/pulseaudio where it is installed).
$sudo apt-get install -y -qq --no-install-recommends \
  libasound2 libcap2 libdbus-1-3 libfftw3-single3 libglib2.0-0 libgstreamer-plugins-base1.0-0 \
  libgstreamer1.0-0 libice6 libltdl7 liborc-0.4-0 libpulse0 libsm6 libsndfile1 libsoxr0 libspeexdsp1 \
  libsystemd0 libtdb1 libudev1 libwebrtc-audio-processing1 libwrap0 libx11-6 libx11-xcb1 libxcb1 \
  libxtst6 >/dev/null
root=/opt/cadence-test/pulseaudio
if [ ! -x "$root/usr/bin/pulseaudio" ] && [ ! -x /usr/bin/pulseaudio ]; then
  work=$(mktemp -d)
  chmod 755 "$work"  # apt-get download runs as _apt
  (cd "$work" && apt-get download -qq pulseaudio >/dev/null)
  $sudo mkdir -p "$root"
  $sudo dpkg -x "$work"/pulseaudio_*.deb "$root"
  rm -rf "$work"
fi

# bleak (PyPI), the most used Python Bluetooth LE client, in a venv of its own: the sensor tests
# check the mock BlueZ (python3-dbusmock's bluez5 template plus the GATT objects the tests add)
# against it. A mock that bleak cannot read is not BlueZ.
$sudo apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
bleak=/opt/cadence-test/bleak
if ! "$bleak/bin/python" -c "import bleak" 2>/dev/null; then
  $sudo mkdir -p /opt/cadence-test
  $sudo python3 -m venv "$bleak"
  $sudo "$bleak/bin/pip" install -q "bleak==3.1.0"
fi
