#!/usr/bin/env bash
# Private, headless sound servers for the tests and benchmarks, each in its own folder, started
# and stopped by PID. Nothing touches the user's own session.
#
#   sound-servers.sh pipewire DIR     PipeWire + WirePlumber + pipewire-pulse on a private D-Bus,
#                                     with a null sink "cadence-sink" (48 kHz, stereo)
#   sound-servers.sh pulseaudio DIR   a real PulseAudio daemon with a null sink "cadence_sink"
#   sound-servers.sh restart DIR SEC  stops PipeWire and WirePlumber, waits SEC seconds and starts
#                                     them again (a sound server that went away mid-run)
#   sound-servers.sh bus DIR          a private D-Bus session bus alone (the MPRIS tests)
#   sound-servers.sh stop DIR         stops whatever DIR started
#
# On success prints the environment a client needs (KEY=VALUE lines) and exits 0; exits 2 when
# the server's programs are not installed (the caller skips and says so), 1 on any other failure.
# PulseAudio: Debian's pulseaudio package conflicts with pipewire-alsa, so scripts/setup-debian.sh
# unpacks it under /opt/cadence-test/pulseaudio (dpkg -x); an installed /usr/bin/pulseaudio is used
# first when there is one.
set -uo pipefail
mode=${1:-}
dir=${2:-}
[ -n "$mode" ] && [ -n "$dir" ] || { echo "usage: $0 pipewire|pulseaudio|bus|restart|stop DIR" >&2; exit 1; }

launch() { # name, command...: runs in the background, logs to DIR/name.log, records the PID
  local name=$1; shift
  "$@" >>"$dir/$name.log" 2>&1 </dev/null &
  echo $! >>"$dir/pids"
  echo $! >"$dir/$name.pid"
}

stop_one() { # name: TERM, then KILL after 3 s
  local pid; pid=$(cat "$dir/$1.pid" 2>/dev/null) || return 0
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
}

wait_until() { # seconds, command...: polls every 0.1 s
  local tries=$(( $1 * 10 )); shift
  for _ in $(seq "$tries"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  return 1
}

stop_all() {
  [ -f "$dir/pids" ] || return 0
  local pids; pids=$(tac "$dir/pids")
  for pid in $pids; do kill -TERM "$pid" 2>/dev/null; done
  for pid in $pids; do
    for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  done
  rm -f "$dir/pids"
}

case "$mode" in
stop)
  stop_all
  ;;
bus)
  command -v dbus-daemon >/dev/null || { echo "dbus-daemon is not installed" >&2; exit 2; }
  dbus-daemon --session --fork --nopidfile --print-address=3 --print-pid=4 3>"$dir/dbus.address" 4>"$dir/dbus.pid" \
    </dev/null >"$dir/dbus.log" 2>&1 \
    || { echo "dbus-daemon did not start" >&2; exit 1; }
  cat "$dir/dbus.pid" >>"$dir/pids"
  echo "DBUS_SESSION_BUS_ADDRESS=$(head -1 "$dir/dbus.address")"
  ;;
restart)
  seconds=${3:-2}
  export XDG_RUNTIME_DIR=$dir/run XDG_CONFIG_HOME=$dir/config HOME=$dir/home
  export DBUS_SESSION_BUS_ADDRESS; DBUS_SESSION_BUS_ADDRESS=$(head -1 "$dir/dbus.address")
  stop_one wireplumber
  stop_one pipewire
  sleep "$seconds"
  launch pipewire pipewire
  wait_until 10 test -S "$dir/run/pipewire-0" || { echo "pipewire did not start again" >&2; exit 1; }
  launch wireplumber wireplumber
  wait_until 10 sh -c 'wpctl inspect @DEFAULT_AUDIO_SINK@ | grep -q cadence-sink' \
    || { echo "wireplumber did not pick the sink again" >&2; exit 1; }
  ;;
pipewire)
  for tool in pipewire wireplumber pipewire-pulse pw-cli dbus-daemon; do
    command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 2; }
  done
  [ -e /usr/share/alsa/alsa.conf.d/50-pipewire.conf ] || [ -e /etc/alsa/conf.d/50-pipewire.conf ] \
    || { echo "pipewire-alsa is not installed" >&2; exit 2; }
  mkdir -p "$dir/run" "$dir/config/pipewire/pipewire.conf.d" "$dir/home"
  chmod 700 "$dir/run"
  cat >"$dir/config/pipewire/pipewire.conf.d/cadence-sink.conf" <<'CONF'
context.objects = [
  { factory = adapter
    args = {
      factory.name     = support.null-audio-sink
      node.name        = "cadence-sink"
      node.description = "cadence test sink"
      media.class      = "Audio/Sink"
      audio.position   = [ FL FR ]
      audio.rate       = 48000
    }
  }
]
CONF
  export XDG_RUNTIME_DIR=$dir/run XDG_CONFIG_HOME=$dir/config HOME=$dir/home
  dbus-daemon --session --fork --nopidfile --print-address=3 --print-pid=4 3>"$dir/dbus.address" 4>"$dir/dbus.pid" \
    </dev/null >"$dir/dbus.log" 2>&1 \
    || { echo "dbus-daemon did not start" >&2; exit 1; }
  cat "$dir/dbus.pid" >>"$dir/pids"
  export DBUS_SESSION_BUS_ADDRESS; DBUS_SESSION_BUS_ADDRESS=$(head -1 "$dir/dbus.address")
  launch pipewire pipewire
  wait_until 10 test -S "$dir/run/pipewire-0" || { echo "pipewire did not start" >&2; stop_all; exit 1; }
  launch wireplumber wireplumber
  launch pipewire-pulse pipewire-pulse
  # The sink exists, WirePlumber has made it the default, pipewire-pulse answers.
  wait_until 10 sh -c 'pw-cli ls Node | grep -q cadence-sink' || { echo "no sink" >&2; stop_all; exit 1; }
  wait_until 10 sh -c 'wpctl inspect @DEFAULT_AUDIO_SINK@ | grep -q cadence-sink' \
    || { echo "wireplumber did not pick the sink" >&2; stop_all; exit 1; }
  wait_until 10 test -S "$dir/run/pulse/native" || { echo "pipewire-pulse did not start" >&2; stop_all; exit 1; }
  echo "XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR"
  echo "XDG_CONFIG_HOME=$XDG_CONFIG_HOME"
  echo "HOME=$HOME"
  echo "DBUS_SESSION_BUS_ADDRESS=$DBUS_SESSION_BUS_ADDRESS"
  echo "CADENCE_TEST_SINK=cadence-sink"
  ;;
pulseaudio)
  root=${CADENCE_PULSEAUDIO_ROOT:-/opt/cadence-test/pulseaudio}
  if [ -x /usr/bin/pulseaudio ]; then
    binary=/usr/bin/pulseaudio; libs=""; modules=""
  elif [ -x "$root/usr/bin/pulseaudio" ]; then
    binary=$root/usr/bin/pulseaudio
    modules=$(dirname "$(find "$root/usr/lib" -name module-null-sink.so | head -1)")
    libs=$root/usr/lib/x86_64-linux-gnu/pulseaudio:$modules
  else
    echo "pulseaudio is not installed (scripts/setup-debian.sh unpacks it under $root)" >&2; exit 2
  fi
  command -v parec >/dev/null || { echo "parec (pulseaudio-utils) is not installed" >&2; exit 2; }
  mkdir -p "$dir/run" "$dir/home"
  chmod 700 "$dir/run"
  export XDG_RUNTIME_DIR=$dir/run HOME=$dir/home
  args=(-n --daemonize=no --exit-idle-time=-1 --use-pid-file=no --log-target=stderr
    -L module-native-protocol-unix -L "module-null-sink sink_name=cadence_sink rate=48000 channels=2")
  [ -n "$modules" ] && args+=(--dl-search-path="$modules")
  launch pulseaudio env ${libs:+LD_LIBRARY_PATH=$libs} "$binary" "${args[@]}"
  wait_until 10 pactl info || { echo "pulseaudio did not start" >&2; cat "$dir/pulseaudio.log" >&2; stop_all; exit 1; }
  echo "XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR"
  echo "HOME=$HOME"
  echo "CADENCE_TEST_SINK=cadence_sink"
  ;;
*)
  echo "usage: $0 pipewire|pulseaudio|stop DIR" >&2; exit 1
  ;;
esac
