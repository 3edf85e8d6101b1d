#!/usr/bin/env bash
# Live-playback figures for README, through JACK's dummy backend (paced like a sound card):
#   cpu      CPU seconds and peak RSS for 60 s of `cadence play 170` versus `aplay` streaming
#            the same clicks, pre-rendered by `cadence render`, to the same ALSA PCM.
#   first    launch to first click, cadence versus aplay, through a `file` PCM into a FIFO
#            (the time until the first non-zero sample leaves the process).
#   stress   10 minutes at a 10 ms buffer with both cores busy (stress-ng --cpu 2): xruns.
#   stop     SIGINT / SIGTERM to process exit, summary printed, 8 runs through JACK.
#   servers  60 s of `cadence play 170` versus aplay streaming the same clicks with the same
#            buffer (4 x 1024 frames, cadence's choice for a sound server) through PipeWire
#            (`default`), pipewire-pulse (`pulse`) and a real PulseAudio daemon: CPU seconds
#            and poll calls a second (strace, in a second run so it does not weigh on the CPU).
# Usage: Benchmarks/playback.sh cpu|first|stress|stop|servers   (after scripts/setup-debian.sh
# --test and `swift build -c release`). Starts and stops its own jackd and sound servers.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${CADENCE_BIN:-.build/release/cadence}
work=$(mktemp -d)
server=cadence-bench-$$
export JACK_DEFAULT_SERVER=$server JACK_NO_AUDIO_RESERVATION=1
cat > "$work/asound.conf" <<CONF
pcm.benchjack { type plug slave { pcm { type jack playback_ports { 0 system:playback_1 } } } }
pcm.benchfifo { type file slave.pcm "null" file "$work/fifo" format "raw" }
CONF
export ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf:$work/asound.conf
jack_pid=""

start_jack() {
  jackd -S -r -n "$server" -d dummy -r 48000 -p 256 >"$work/jackd.log" 2>&1 &
  jack_pid=$!
  for _ in $(seq 50); do jack_lsp >/dev/null 2>&1 && return; sleep 0.1; done
  echo "jackd did not start" >&2; exit 1
}
cleanup() {
  [ -n "$jack_pid" ] && { kill "$jack_pid" 2>/dev/null; wait "$jack_pid" 2>/dev/null || true; }
  for dir in "$work"/pipewire "$work"/pulseaudio; do
    [ -f "$dir/pids" ] && Tests/Support/SoundServers/sound-servers.sh stop "$dir"
  done
  rm -rf "$work"
}
trap cleanup EXIT

first_click() { # prints ms from launch to the first non-zero byte read from the FIFO
  rm -f "$work/fifo"; mkfifo "$work/fifo"
  python3 - "$work/fifo" "$work/t0" <<'PY' &
import sys, time
with open(sys.argv[1], "rb", buffering=0) as f:
    while True:
        b = f.read(65536)
        if not b: break
        if any(b):
            t = time.time()
            print(f"{(t - float(open(sys.argv[2]).read())) * 1000:.1f}")
            break
    while f.read(65536): pass
PY
  local reader=$!
  sleep 0.3
  python3 -c 'import time; print(time.time())' > "$work/t0"
  "$@" >/dev/null 2>&1
  wait $reader
}

case "${1:-}" in
cpu)
  start_jack
  "$bin" render 170 --minutes 1 -o "$work/track.wav" >/dev/null
  for run in $(seq "${RUNS:-1}"); do
    /usr/bin/time -f "cadence cpu %U+%S s, peak RSS %M KB" "$bin" play 170 --minutes 1 --device benchjack --latency 20 | tail -1
    /usr/bin/time -f "aplay   cpu %U+%S s, peak RSS %M KB" aplay -q -D benchjack --buffer-time=20000 "$work/track.wav"
  done
  ;;
first)
  "$bin" render 170 --minutes 0.1 -o "$work/track.wav" >/dev/null
  for run in $(seq "${RUNS:-15}"); do
    echo "$(first_click "$bin" play 170 --minutes 0.1 --device benchfifo) $(first_click aplay -q -D benchfifo "$work/track.wav")"
  done > "$work/first.txt"
  median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR + 1) / 2)]}'; }
  echo "first click, median of ${RUNS:-15}: cadence $(cut -d' ' -f1 "$work/first.txt" | median) ms," \
    "aplay $(cut -d' ' -f2 "$work/first.txt" | median) ms"
  ;;
stress)
  start_jack
  stress-ng --cpu 2 --timeout 620s >/dev/null 2>&1 &
  stress=$!
  /usr/bin/time -f "cpu %U+%S s, peak RSS %M KB" "$bin" play 170 --minutes 10 --device benchjack --latency 10 --verbose 2>&1 | tail -3
  kill $stress 2>/dev/null || true
  ;;
stop)
  start_jack
  python3 - "$bin" <<'PY'
import signal, statistics, subprocess, sys, time
times = []
for i in range(8):
    p = subprocess.Popen([sys.argv[1], "play", "170", "--device", "benchjack"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    time.sleep(1.5)
    t0 = time.perf_counter()
    p.send_signal(signal.SIGTERM if i % 2 else signal.SIGINT)
    p.communicate()
    times.append((time.perf_counter() - t0) * 1000)
    assert p.returncode == 0, p.returncode
print(f"signal to exit: median {statistics.median(times):.1f} ms, max {max(times):.1f} ms over {len(times)} runs")
PY
  ;;
servers)
  servers=Tests/Support/SoundServers/sound-servers.sh
  seconds=${SECONDS_PLAYED:-60}
  minutes=$(python3 -c "print($seconds / 60)")
  "$bin" render 170 --minutes "$minutes" -o "$work/track.wav" >/dev/null
  polls() { # command...: poll calls a second, from strace's summary
    strace -f -c -e trace=poll,ppoll -o "$work/strace.txt" "$@" >/dev/null 2>&1
    awk -v s="$seconds" '$NF == "total" { printf "%.0f", $4 / s }' "$work/strace.txt"
  }
  for path in pipewire:default pipewire:pulse pulseaudio:pulse; do
    server=${path%%:*} device=${path#*:}
    rm -rf "$work/$server"; mkdir -p "$work/$server"
    env_lines=$("$servers" "$server" "$work/$server") || { echo "$server did not start" >&2; exit 1; }
    for run in $(seq "${RUNS:-1}"); do
      ( set -a; eval "$env_lines"
        c=$(/usr/bin/time -f "%U+%S" "$bin" play 170 --minutes "$minutes" --device "$device" 2>&1 >/dev/null | tail -1)
        a=$(/usr/bin/time -f "%U+%S" aplay -q -D "$device" --buffer-size=4096 --period-size=1024 "$work/track.wav" 2>&1 | tail -1)
        echo "$server via $device, ${seconds} s: CPU cadence $c s, aplay $a s;" \
          "polls/s cadence $(polls "$bin" play 170 --minutes "$minutes" --device "$device")," \
          "aplay $(polls aplay -q -D "$device" --buffer-size=4096 --period-size=1024 "$work/track.wav")" )
    done
    "$servers" stop "$work/$server"
  done
  ;;
*) echo "usage: $0 cpu|first|stress|stop|servers" >&2; exit 64 ;;
esac
