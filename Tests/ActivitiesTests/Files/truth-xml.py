"""The truth the TCX and GPX tests hold cadence to, read by independent parsers.

Run with gpxpy 1.6.2 and lxml 6.2.1 (pip install gpxpy==1.6.2 lxml==6.2.1):
python3 truth-xml.py > truth-xml.json

For each file: each activity's (TCX Activity, GPX trk) sport, its own start (TCX Id, else its
first Lap's StartTime, else the first point), the watch's lap totals, and the cadence rule that
cadence documents (README, "Import") applied to the points of the running activities:
per-leg cadence doubled (TCX RunCadence or Cadence; GPX cad or cadence extensions); speed from
the file (TCX Speed, GPX speed extension), else from the distance counter (TCX DistanceMeters
since the last point within 60 s) or the great-circle distance (GPX); samples under 140 spm,
over 260 spm or under 1.5 m/s left out; each sample weighted by the time to the next point, up to
10 s, or the whole gap up to 60 s where the distance counter moved at 1.5 m/s or faster through it.
For a file that states no sport (or only Strava's numbers), the median step length and speed of
its samples with a running cadence and speed: a ride's "steps" are over 1.8 m.
"""
import json, math, sys, datetime
from cadence_rule import report
import gpxpy
from lxml import etree

FILES = ["garmin-connect-ride.tcx", "garmin-connect-road-ride.gpx", "polar-v800-run.tcx",
         "suunto-spartan-run.tcx", "suunto-movescount-run.gpx", "strava-zwift-ride.gpx", "strava-run.gpx"]
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)

def seconds(t):
    if t.tzinfo is None:
        t = t.replace(tzinfo=datetime.timezone.utc)
    return (t - EPOCH).total_seconds()

def iso(text):
    return seconds(datetime.datetime.fromisoformat(text.replace("Z", "+00:00")))

def local(tag):
    return tag.rsplit("}", 1)[-1].split(":")[-1].lower()

def haversine(a, b):
    r = 6371000.0
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.atan2(math.sqrt(h), math.sqrt(1 - h))

def tcx(path):
    legs = []
    # Polar Flow writes spaces before the XML declaration, which lxml refuses.
    with open(path, "rb") as f:
        root = etree.fromstring(f.read().lstrip())
    for act in root.iter("{*}Activity"):
        laps = act.findall("{*}Lap")
        ident = act.find("{*}Id")
        start = None
        if ident is not None:
            try: start = iso(ident.text.strip())
            except ValueError: start = None
        if start is None and laps:
            start = iso(laps[0].get("StartTime"))
        timer = sum(float(l.find("{*}TotalTimeSeconds").text) for l in laps)
        meters = sum(float(l.find("{*}DistanceMeters").text) for l in laps)
        points, last = [], None
        for tp in act.iter("{*}Trackpoint"):
            values = {local(e.tag): (e.text or "").strip() for e in tp.iter() if len(e) == 0}
            t = iso(values["time"])
            cad = values.get("runcadence") or values.get("cadence")
            spm = float(cad) * 2 if cad and float(cad) > 0 else None
            speed = float(values["speed"]) if "speed" in values else None
            d = float(values["distancemeters"]) if "distancemeters" in values else None
            if d is not None:
                if speed is None and last and t > last[0] and t - last[0] <= 60 and d >= last[1]:
                    speed = (d - last[1]) / (t - last[0])
                last = (t, d)
            points.append((t, spm, speed, d))
        legs.append(dict(sport=act.get("Sport"), start=start, timer=timer, meters=meters, points=points))
    return legs

def gpx(path):
    legs = []
    with open(path) as f:
        g = gpxpy.parse(f)
    for trk in g.tracks:
        points, prev = [], None
        for seg in trk.segments:
            for p in seg.points:
                values = {}
                for e in p.extensions:
                    for x in e.iter():
                        if len(x) == 0 and x.text: values[local(x.tag)] = x.text.strip()
                t = seconds(p.time)
                cad = values.get("cad") or values.get("cadence")
                spm = float(cad) * 2 if cad and float(cad) > 0 else None
                speed = float(values["speed"]) if "speed" in values else None
                dist = prev[1] + haversine(prev[2], (p.latitude, p.longitude)) if prev else 0.0
                if speed is None and prev and t > prev[0]:
                    speed = (dist - prev[1]) / (t - prev[0])
                prev = (t, dist, (p.latitude, p.longitude))
                points.append((t, spm, speed, dist))
        times = [q[0] for q in points]
        legs.append(dict(sport=trk.type, start=min(times), timer=None, meters=None, points=points))
    return legs

out = {}
for name in FILES:
    legs = tcx(name) if name.endswith(".tcx") else gpx(name)
    def running(s): return s is not None and "run" in s.lower()
    def unstated(s): return s is None or s.strip() == "" or s.lower() == "other" or s.isdigit()
    chosen = [l for l in legs if running(l["sport"])] or [l for l in legs if unstated(l["sport"])]
    points = [q for l in chosen for q in l["points"]]
    spm, minutes = report(points)
    # A file that states no sport: the median step (speed over cadence) and speed of its samples
    # with a running cadence and speed, by which a ride is told from a run.
    steps = sorted(q[2] / (q[1] / 60) for q in points
                   if q[1] and q[2] is not None and 140 <= q[1] <= 260 and 1.5 <= q[2] <= 15)
    speeds = sorted(q[2] for q in points if q[1] and q[2] is not None and 140 <= q[1] <= 260 and 1.5 <= q[2] <= 15)
    stated = any(not unstated(l["sport"]) for l in legs)
    first = min((q[0] for q in points), default=None)
    start = min((l["start"] for l in chosen), default=None)
    if start is not None and not (start <= first and first - start <= 86400): start = first
    out[name] = dict(
        sports=[l["sport"] for l in legs], running=bool(chosen), points=len(points),
        start=start, firstPoint=first,
        timerSeconds=round(sum(l["timer"] for l in chosen), 3) if chosen and all(l["timer"] for l in chosen) else None,
        meters=round(sum(l["meters"] for l in chosen), 2) if chosen and all(l["meters"] for l in chosen) else None,
        spm=spm, runningMinutes=minutes,
        medianStep=round(steps[len(steps) // 2], 4) if steps and not stated else None,
        medianKmh=round(speeds[len(speeds) // 2] * 3.6, 3) if speeds and not stated else None)
json.dump(out, sys.stdout, indent=1, sort_keys=True)
print()
