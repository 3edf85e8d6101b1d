"""The truth the activity tests hold cadence to, read by an independent parser.

Run with fitparse 1.2.0 (pip install fitparse==1.2.0): python3 truth.py > truth.json

For each FIT file here: its sessions (sport, start, end, the watch's timer and distance), and
the records inside its running sessions (generic sessions where none is running), with the
cadence rule cadence documents applied to them: per-leg cadence plus fractional cadence,
doubled; samples under 140 spm or 1.5 m/s left out; each sample weighted by the time to the
next record, at most 10 s, or the whole gap up to 60 s where the distance counter moved at 1.5 m/s
or faster through it (watches that record "smart").
"""
import json, sys, datetime
from cadence_rule import report
import fitparse

FILES = ["garmin-fenix-5-run", "garmin-fenix-5-bike", "garmin-fenix-5-walk", "garmin-edge-820-bike",
         "activity-large-fenxi2-multisport", "sample-activity-indoor-trainer", "activity-small-fenix2-run"]
EPOCH = datetime.datetime(1970, 1, 1)

def seconds(t):
    return (t - EPOCH).total_seconds()

out = {}
for name in FILES:
    f = fitparse.FitFile(name + ".fit")
    sessions = []
    for m in f.get_messages("session"):
        v = m.get_values()
        sessions.append(dict(sport=v.get("sport"), sub_sport=v.get("sub_sport"),
                             start=seconds(v["start_time"]), end=seconds(v["timestamp"]),
                             timer=v.get("total_timer_time"), meters=v.get("total_distance")))
    chosen = [s for s in sessions if s["sport"] == "running"] or [s for s in sessions if s["sport"] in (None, "generic")]
    records = []
    for m in f.get_messages("record"):
        v = m.get_values()
        t = seconds(v["timestamp"])
        if chosen and len(chosen) < len(sessions) and not any(s["start"] <= t <= s["end"] for s in chosen):
            continue
        cad = v.get("cadence")
        spm = (cad + (v.get("fractional_cadence") or 0)) * 2 if cad else None
        speed = v.get("enhanced_speed", v.get("speed"))
        records.append((t, spm, speed, v.get("distance")))
    records.sort(key=lambda r: r[0])
    spm, minutes = report(records)
    legs = [report([r for r in records if s["start"] <= r[0] <= s["end"]])[0] for s in chosen] if len(sessions) > 1 else []
    out[name] = dict(
        sessions=[s["sport"] for s in sessions],
        running=bool(chosen),
        records=len(records),
        timerSeconds=round(sum(s["timer"] for s in chosen), 3) if chosen else None,
        meters=round(sum(s["meters"] for s in chosen), 2) if chosen else None,
        spm=spm, runningMinutes=minutes, legSPM=legs)
json.dump(out, sys.stdout, indent=1, sort_keys=True)
print()
