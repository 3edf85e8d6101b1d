#!/usr/bin/env bash
# Installs the system packages cadence builds, runs and tests with, on Debian 12 (bookworm).
# Swift itself (6.x) must already be on PATH.
set -euo pipefail
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# libasound2-dev, libsndfile1-dev, libsqlite3-dev, pkg-config: build. alsa-utils: aplay, for comparison runs.
# jackd2 + libasound2-plugins: the real-time playback test (JACK dummy backend, ALSA jack PCM).
# libespeak-ng-dev + espeak-ng: spoken cues (--voice; loaded at run time, optional for users).
# sox: regenerates Sounds/. stress-ng: the loaded-machine benchmark.
$sudo apt-get install -y -qq --no-install-recommends \
  pkg-config libasound2-dev libsndfile1-dev libsqlite3-dev alsa-utils \
  libespeak-ng-dev espeak-ng jackd2 libasound2-plugins sox stress-ng >/dev/null
