#!/usr/bin/env bash
# The footfalls' timing against the click through a real sound server, against the truth.
# A private PipeWire (or PulseAudio) with a null sink; cadence plays `session --listen` at 170
# spm into it while a treadmill recording (footfalls on a 170 grid, 10 ms either way) plays
# into the same sink; cadence listens to the sink's monitor, and a recorder keeps what the sink
# played. cadence's per-minute timing is printed beside the truth measured on the recording.
# Usage: Benchmarks/listen-timing.sh pipewire|pulseaudio  (after scripts/setup-debian.sh --test,
# `swift build -c release`, and apt-get install python3-numpy python3-scipy).
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-pipewire}
bin=$PWD/${CADENCE_BIN:-.build/release/cadence}
work=$(mktemp -d)
servers=Tests/Support/SoundServers/sound-servers.sh
trap '"$servers" stop "$work/server" >/dev/null 2>&1 || true' EXIT
mkdir "$work/server"
python3 Benchmarks/listen-timing.py make "$work/treadmill.wav"
"$servers" "$kind" "$work/server" >"$work/env"
set -a; . "$work/env"; set +a
export CADENCE_NOW=2026-11-22T09:00:00Z
session=(session --cadence 170 --warmup 0 --minutes 2 --cooldown 0 --listen --input sinkmonitor --db "$work/h.sqlite")
if [ "$kind" = pipewire ]; then
  printf 'pcm.sinkmonitor { type pipewire capture_node "%s" }\n' "$CADENCE_TEST_SINK" >"$work/asound.conf"
  export ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf:$work/asound.conf
  pw-record --target "$CADENCE_TEST_SINK" -P '{ stream.capture.sink = true }' --rate 48000 --channels 1 "$work/mix.wav" &
  recorder=$!
  sleep 0.5
  pw-play --target "$CADENCE_TEST_SINK" "$work/treadmill.wav" &
  player=$!
  sleep 0.3
  PIPEWIRE_PROPS='{ stream.capture.sink = true }' "$bin" "${session[@]}" </dev/null >"$work/out.txt" 2>"$work/err.txt"
else
  printf 'pcm.sinkmonitor { type pulse device "%s.monitor" }\n' "$CADENCE_TEST_SINK" >"$work/asound.conf"
  export ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf:$work/asound.conf
  parec -d "$CADENCE_TEST_SINK.monitor" --rate 48000 --channels 1 --format s16le --file-format=wav "$work/mix.wav" &
  recorder=$!
  sleep 0.5
  paplay -d "$CADENCE_TEST_SINK" "$work/treadmill.wav" &
  player=$!
  sleep 0.3
  "$bin" "${session[@]}" --device pulse </dev/null >"$work/out.txt" 2>"$work/err.txt"
fi
kill "$recorder" "$player" 2>/dev/null || true
sleep 0.5
grep -E "^session:|heard" "$work/out.txt"
python3 Benchmarks/listen-timing.py judge "$work/mix.wav" "$work/treadmill.wav"
rm -rf "$work"
