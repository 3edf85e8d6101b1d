#!/usr/bin/env python3
"""The recording and the judge for listen-timing.sh (needs python3-numpy and python3-scipy).

  listen-timing.py make OUT.wav        150 s of treadmill: belt noise, 90 Hz thumps with a slap,
                                       alternating feet, on a 170 spm grid from 0.5 s, each
                                       footfall within 10 ms either way (seeded)
  listen-timing.py judge MIX.wav       the truth, from a recording of what the sink played: where
                                       the treadmill starts in it (cross-correlation below 150 Hz),
                                       the clicks (2-4 kHz envelope), and per minute of the run
                                       the mean and spread of footfall minus nearest click
"""
import sys
import wave

import numpy as np
from scipy.signal import butter, correlate, lfilter, sosfilt

RATE = 48000
SECONDS = 150


def steps(rng):
    period, found, i = 60 / 170, [], 0
    while True:
        at = 0.5 + i * period + rng.uniform(-0.010, 0.010)
        if at > SECONDS - 1:
            return np.array(found)
        found.append(at)
        i += 1


def make(path):
    rng = np.random.default_rng(5)
    n = RATE * SECONDS
    k = 1 - np.exp(-2 * np.pi * 2000 / RATE)
    noise = lfilter([k], [1, -(1 - k)], rng.uniform(-1, 1, n))
    out = 0.1 * (noise * 2 + 0.3 * np.sin(2 * np.pi * 100 * np.arange(n) / RATE))
    length = int(0.15 * RATE)
    s = np.arange(length) / RATE
    for j, at in enumerate(steps(np.random.default_rng(6))):
        a = int(round(at * RATE))
        thump = np.sin(2 * np.pi * 90 * s) * np.exp(-s / 0.03)
        slap = rng.uniform(-1, 1, length) * np.exp(-s / 0.004) * 0.3
        out[a:a + length] += 0.5 * (1.0 if j % 2 == 0 else 0.8) * (thump + slap)
    pcm = (np.clip(out, -1, 1) * 32767).astype("<i2")
    with wave.open(path, "wb") as f:
        f.setnchannels(2)
        f.setsampwidth(2)
        f.setframerate(RATE)
        f.writeframes(np.repeat(pcm[:, None], 2, axis=1).tobytes())


def read(path):
    with wave.open(path) as f:
        ch = f.getnchannels()
        d = np.frombuffer(f.readframes(f.getnframes()), dtype="<i2").astype(float) / 32768
        return d.reshape(-1, ch).mean(axis=1)


def judge(mix_path, treadmill_path):
    mix, src = read(mix_path), read(treadmill_path)
    low = butter(4, 150, "low", fs=RATE, output="sos")
    lag = np.argmax(correlate(sosfilt(low, mix[:RATE * 25]), sosfilt(low, src[:RATE * 20]), mode="valid"))
    truth = steps(np.random.default_rng(6)) + lag / RATE
    envelope = np.abs(sosfilt(butter(4, [2000, 4000], "band", fs=RATE, output="sos"), mix))
    clicks, last = [], -RATE
    for x in np.where(envelope > 0.25)[0]:
        if x - last > RATE * 0.1:
            clicks.append(x / RATE)
        last = x
    clicks = np.array(clicks)
    print(f"truth: {len(clicks)} clicks from {clicks[0]:.2f} s; the treadmill starts at {lag / RATE:.3f} s")
    for m in range(2):
        sel = truth[(truth >= clicks[0] + 60 * m) & (truth < clicks[0] + 60 * (m + 1))]
        offsets = np.array([(s - clicks[np.argmin(np.abs(clicks - s))]) * 1000 for s in sel])
        offsets = offsets[np.abs(offsets) <= 1000 * 30 / 170]  # within half a beat of a click
        print(f"truth minute {m + 1}: footfall minus click {offsets.mean():+.1f} ms, spread {offsets.std():.1f} ms")


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        judge(sys.argv[2], sys.argv[3])
