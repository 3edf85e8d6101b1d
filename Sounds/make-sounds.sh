#!/usr/bin/env bash
# Regenerates the built-in click sounds with SoX (Debian package `sox`). Deterministic:
# `-R` fixes SoX's random seed, so the same SoX version writes the same bytes.
#
# Each click is short (25-45 ms) with a sharp attack and most of its energy between 2 and
# 4 kHz, where hearing is most sensitive and a treadmill's belt and motor noise is weakest,
# so it cuts through in headphones. The accent variant is higher and louder.
set -euo pipefail
cd "$(dirname "$0")"
make() { sox -R -n -r 48000 -c 1 -b 16 "$@"; }

# Woodblock-like knock: two partials a fifth apart, fast exponential-ish decay.
make woodblock.wav        synth 0.045 sine 2200 sine mix 3300 fade h 0.0005 0.045 0.040 gain -n -4
make woodblock-accent.wav synth 0.045 sine 2800 sine mix 4200 fade h 0.0005 0.045 0.040 gain -n -1
# Beep: a clean 3 kHz tone burst with soft edges.
make beep.wav             synth 0.060 sine 3000 fade q 0.002 0.060 0.020 gain -n -6
make beep-accent.wav      synth 0.060 sine 3600 fade q 0.002 0.060 0.020 gain -n -2
# Hi-hat-like tick: band-passed noise centred at 3.5 kHz, very short.
make hihat.wav            synth 0.030 whitenoise sinc 2000-5000 fade h 0.0003 0.030 0.027 gain -n -4
make hihat-accent.wav     synth 0.040 whitenoise sinc 2500-6000 fade h 0.0003 0.040 0.036 gain -n -1
