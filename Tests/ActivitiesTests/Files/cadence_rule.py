"""The cadence rule README's "Import" section gives, shared by truth.py and truth-xml.py.

`records` are (seconds, spm or None, m/s or None, distance counter in m or None). Samples with a
speed outside 0-15 m/s are broken and left out first; of the rest, samples under 140 spm, over
260 spm or under 1.5 m/s are not running. Each running sample is weighted by the time to the next
sample: the gap up to 10 s, or the whole gap up to 60 s where the distance counter moved at
1.5 m/s or faster (and no faster than 15 m/s) through it, else 10 s; the last sample 1 s.
Returns (spm, running minutes), rounded to 3 places, or (None, None).
"""


def report(records):
    ordered = sorted([r for r in records if r[2] is None or 0 <= r[2] <= 15], key=lambda r: r[0])
    total = weighted = 0.0
    for i, (t, spm, speed, d) in enumerate(ordered):
        if spm is None or spm < 140 or spm > 260: continue
        if speed is not None and speed < 1.5: continue
        if i + 1 < len(ordered):
            n = ordered[i + 1]
            gap = n[0] - t
            if gap <= 0: continue
            moved = d is not None and n[3] is not None and 1.5 <= (n[3] - d) / gap <= 15
            dt = gap if gap <= 10 or (gap <= 60 and moved) else 10
        else:
            dt = 1
        total += dt; weighted += spm * dt
    return (round(weighted / total, 3), round(total / 60, 3)) if total else (None, None)
