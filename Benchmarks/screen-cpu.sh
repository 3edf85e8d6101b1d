#!/usr/bin/env bash
# CPU of the live view for README: 60 s of `cadence session` (its cadence block) on an 80x24
# pseudo-terminal read by pyte, through ALSA's jack plugin into a JACK dummy server, once with
# `--screen big` and once with `--screen line`; user+system CPU seconds of cadence from
# /usr/bin/time, and their ratio. Usage: Benchmarks/screen-cpu.sh   (after
# scripts/setup-debian.sh --test and `swift build -c release`). Starts and stops its own jackd.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${CADENCE_BIN:-.build/release/cadence}")
work=$(mktemp -d)
server=cadence-screen-$$
export JACK_DEFAULT_SERVER=$server JACK_NO_AUDIO_RESERVATION=1
cat > "$work/asound.conf" <<CONF
pcm.benchjack { type plug slave { pcm { type jack playback_ports { 0 system:playback_1 } } } }
CONF
export ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf:$work/asound.conf
export HOME=$work XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data XDG_RUNTIME_DIR=$work/run TZ=UTC
mkdir -m 700 "$work/run"
jackd -S -r -n "$server" -d dummy -r 48000 -p 256 >"$work/jackd.log" 2>&1 &
jack_pid=$!
trap 'kill $jack_pid 2>/dev/null; wait $jack_pid 2>/dev/null; rm -rf "$work"' EXIT
sleep 1.5
declare -A cpu
for view in big line; do
  /usr/bin/python3 Tests/Support/Terminal/run-in-terminal.py 80 24 62 q -- \
    /usr/bin/time -f "%U %S" -o "$work/$view.time" "$bin" session --cadence 170 --warmup 0 --minutes 1 \
    --cooldown 0 --device benchjack --latency 20 --screen "$view" --db "$work/$view.sqlite" >/dev/null
  read -r user sys <"$work/$view.time"
  cpu[$view]=$(python3 -c "print(f'{$user + $sys:.2f}')")
  echo "$view view: ${cpu[$view]} s CPU (user $user, sys $sys) for 60 s"
done
python3 -c "print(f'ratio big / line: {${cpu[big]} / ${cpu[line]}:.2f}')"
